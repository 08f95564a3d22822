"""One store folder replaced by another in two renames, and the store found again after a kill.

    loading = loading_folder(Path("var/store"))     # var/.store.loading: a complete store written there
    swap_in(loading, Path("var/store"))             # var/store is now that store; the old one is deleted
    recover_swap(Path("var/store"))                 # before opening: undo a swap killed half-way

The swap renames `store` to `.store.replaced`, then `.store.loading` to `store`. A kill between the two
renames leaves no `store` but a `.store.replaced`: `recover_swap` renames it back, which gives the
store as it was before the load. Leftovers (a `.store.loading` from a killed load, a `.store.replaced`
after a kill before the cleanup) are deleted by `discard_leftovers` once the store's lock is held.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def loading_folder(path: Path) -> Path:
    return path.parent / f".{path.name}.loading"


def replaced_folder(path: Path) -> Path:
    return path.parent / f".{path.name}.replaced"


def swap_in(loading: Path, path: Path) -> None:
    """Make the complete store in `loading` the store at `path` (the old one, if any, is deleted)."""
    replaced = replaced_folder(path)
    if replaced.exists():
        shutil.rmtree(replaced)
    if path.exists():
        os.rename(path, replaced)
    os.rename(loading, path)
    _sync_folder(path.parent)
    shutil.rmtree(replaced, ignore_errors=True)


def recover_swap(path: Path) -> bool:
    """Put the old store back if a swap was killed between its renames. True if it did."""
    replaced = replaced_folder(path)
    if path.exists() or not replaced.exists():
        return False
    os.rename(replaced, path)
    _sync_folder(path.parent)
    return True


def discard_leftovers(path: Path) -> None:
    """Delete what a killed load or swap left beside the store (call it holding the store's lock)."""
    for leftover in (loading_folder(path), replaced_folder(path)):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """The renames on disk before going on (a rename is only durable once its folder is synced)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
