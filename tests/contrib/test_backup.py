"""The store's checkpoint beside a process that keeps writing (a running `pcs serve`).

    checkpoint(Path("var/store"), Path("/backups/x/store"))   # RocksDB checkpoint, retried if a compaction races it
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import busy_writer

from pcs_graph.contrib.backup import checkpoint
from pcs_graph.errors import PcsError

EX = ox.NamedNode("https://example.org/p")


def quads(batch: int, n: int = 2000) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"https://example.org/s{batch}-{i}"), EX, ox.Literal("x" * 200),
                    ox.NamedNode("https://example.org/g")) for i in range(n)]


def test_checkpoints_taken_beside_a_busy_writer_all_open_and_hold_what_was_written(tmp_path: Path):
    # a writer that flushes and compacts often: a single read-only try fails here too (a file the reader
    # listed is gone when it links it); the checkpoint tries again
    store = ox.Store(str(tmp_path / "store"))
    store.extend(quads(-1))
    store.flush()
    sizes = []
    with busy_writer(store):
        for k in range(8):
            checkpoint(tmp_path / "store", tmp_path / f"backup{k}")
            copy = ox.Store.read_only(str(tmp_path / f"backup{k}"))
            sizes.append(len(copy))
            del copy
    assert all(size >= 2000 for size in sizes)  # each holds at least what was flushed before it began
    assert not list(tmp_path.glob("*.tmp"))  # no half-taken checkpoint left behind


def test_a_store_nobody_holds_is_checkpointed_under_its_own_lock(tmp_path: Path):
    store = ox.Store(str(tmp_path / "store"))
    store.extend(quads(0, 10))
    del store  # released: the checkpoint takes the lock itself
    checkpoint(tmp_path / "store", tmp_path / "backup")
    assert len(ox.Store.read_only(str(tmp_path / "backup"))) == 10


def test_a_folder_with_no_store_is_refused_by_name(tmp_path: Path):
    with pytest.raises(PcsError, match="aucun store à sauvegarder"):
        checkpoint(tmp_path / "nothing", tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
