"""A first load into a store with no document: staged in memory, bulk-loaded into a new folder, swapped
in by renames. The store ends with exactly what one-update-per-document writes give, and is never
half-written: an error, or a kill between the renames, leaves it as it was."""

from __future__ import annotations

import os

import pytest
from conftest import CORPUS, HASTIERE, MONS

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.store import EmbeddedStore
from pcs_graph.store.staging import first_load
from pcs_graph.store.swap import loading_folder, replaced_folder, swap_in
from pcs_graph.store.workspace import Workspace

STAMP = "<http://purl.org/dc/terms/modified>", "<http://purl.org/dc/terms/issued>"


def content(store: EmbeddedStore) -> list[str]:
    """The store's quads as sorted N-Quads lines, the write times and blank-node labels left out."""
    lines = store.dump("application/n-quads").decode().splitlines()
    return sorted(" ".join("_:b" if term.startswith("_:") else term for term in line.split(" "))
                  for line in lines if not any(p in line for p in STAMP))


def workspace_at(path) -> Workspace:
    return Workspace(Settings(store=str(path), index_dir=str(path.parent / "index")))


def test_a_first_load_writes_what_one_update_per_document_writes(tmp_path) -> None:
    with workspace_at(tmp_path / "direct") as ws:  # the plain path: one update per document
        Ingestor.of(ws).ensure_reference()
        for path in CORPUS:
            Ingestor.of(ws).ingest(path)
        direct = content(ws.store)

    with workspace_at(tmp_path / "staged") as ws:
        with first_load(ws.store) as target:
            assert target is not ws.store  # an empty store: staged in memory
            ingestor = Ingestor.of(ws, target)
            ingestor.ensure_reference()
            for path in CORPUS:
                ingestor.ingest(path)
            assert not ws.store.ask("ASK { ?a a pcs:Action }")  # nothing on disk before the end
        assert content(ws.store) == direct
    assert sorted(os.listdir(tmp_path)) == ["direct", "staged"]  # no folder left beside the stores


def test_a_store_with_documents_is_written_directly(tmp_path) -> None:
    with workspace_at(tmp_path / "store") as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
        with first_load(ws.store) as target:
            assert target is ws.store
            assert Ingestor.of(ws, target).ingest(HASTIERE).status == "added"
        assert ws.store.ask("ASK { ?a pcs:commune <https://w3id.org/pcs/id/commune/91059> }")


def test_an_error_during_a_first_load_leaves_the_store_as_it_was(tmp_path) -> None:
    with workspace_at(tmp_path / "store") as ws:
        Ingestor.of(ws).ensure_reference()
        before = content(ws.store)
        with pytest.raises(RuntimeError, match="coupure"):
            with first_load(ws.store) as target:
                Ingestor.of(ws, target).ingest(MONS)
                raise RuntimeError("coupure")
        assert content(ws.store) == before
        assert not ws.store.ask("ASK { ?a a pcs:Action }")


def test_a_swap_killed_between_its_renames_gives_the_old_store_back(tmp_path) -> None:
    path = tmp_path / "store"
    with workspace_at(path) as ws:
        Ingestor.of(ws).ensure_reference()
        before = content(ws.store)
    loading = loading_folder(path)
    with workspace_at(loading) as ws:  # a complete new store, as a load writes it
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
    os.rename(path, replaced_folder(path))  # the swap's first rename, then the kill

    store = EmbeddedStore(path)  # the next open
    try:
        assert content(store) == before
    finally:
        store.close()
    assert sorted(os.listdir(tmp_path)) == ["store"]  # the half-done load is gone


def test_a_complete_swap_replaces_the_store_and_leaves_nothing_beside_it(tmp_path) -> None:
    path, loading = tmp_path / "store", loading_folder(tmp_path / "store")
    for folder in (path, loading):
        with workspace_at(folder) as ws:
            Ingestor.of(ws).ensure_reference()
    with workspace_at(loading) as ws:
        Ingestor.of(ws).ingest(MONS)
    swap_in(loading, path)
    store = EmbeddedStore(path)
    try:
        assert store.ask("ASK { ?a pcs:commune <https://w3id.org/pcs/id/commune/53053> }")
    finally:
        store.close()
    assert sorted(os.listdir(tmp_path)) == ["store"]


def test_an_interrupt_while_the_old_store_is_released_reopens_it_whole(tmp_path, monkeypatch) -> None:
    """SIGTERM lands (as a KeyboardInterrupt) after the old store is let go and before the renames: the
    store reopens as it was, and closing the workspace afterwards is clean (no AttributeError, exit 130)."""
    import gc

    with workspace_at(tmp_path / "store") as ws:
        Ingestor.of(ws).ensure_reference()
        before = content(ws.store)
        collect = gc.collect

        def interrupted(*args: object) -> int:
            monkeypatch.setattr(gc, "collect", collect)
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            with first_load(ws.store) as target:
                Ingestor.of(ws, target).ingest(MONS)
                monkeypatch.setattr(gc, "collect", interrupted)
        assert content(ws.store) == before
    store = EmbeddedStore(tmp_path / "store")
    try:
        assert content(store) == before
    finally:
        store.close()
