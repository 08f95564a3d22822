"""Shared fixtures: real on-disk stores built from the real bundled documents."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from pcs_graph.config import CORPUS_DIR, Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

MONS = CORPUS_DIR / "mons_pcs_2020-2025.txt"
HASTIERE = CORPUS_DIR / "hastiere_pcs_2020-2025.txt"
EXAMPLES = CORPUS_DIR / "pcs_action_examples.csv"
LIEGE = CORPUS_DIR / "liege_pcs_2014-2019_plan_signe.txt"
PUBLIC_SOURCES = CORPUS_DIR / "pcs_actions_public_sources.csv"
PUBLIC_SOURCES_2 = CORPUS_DIR / "pcs_actions_public_sources_2.csv"
CORPUS = (HASTIERE, LIEGE, MONS, EXAMPLES, PUBLIC_SOURCES, PUBLIC_SOURCES_2)  # what `pcs ingest` with no argument reads
# live actions: Mons 32, Hastière 12, examples 11, Liège 13 (of 14), public sources 33 (of 34), public sources 2: 70
CORPUS_ACTIONS = 171
CORPUS_COMMUNES = 40


@pytest.fixture
def workspace(tmp_path: Path):
    """An empty embedded store in a temporary folder, with the reference data loaded."""
    with Workspace(Settings(store=str(tmp_path / "store"), index_dir=str(tmp_path / "index"))) as ws:
        Ingestor.of(ws).ensure_reference()
        yield ws


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a store holding the whole bundled corpus (built once per test session, then closed)."""
    root = tmp_path_factory.mktemp("corpus")
    settings = Settings(store=str(root / "store"), index_dir=str(root / "index"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        for path in CORPUS:
            Ingestor.of(ws).ingest(path)
    return settings


def count_triples(ws: Workspace) -> int:
    return int(ws.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"] or 0)


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a store holding the bundled corpus, classified and indexed for search (`pcs index`)."""
    from pcs_graph.search.index import update_index

    root = tmp_path_factory.mktemp("indexed")
    settings = Settings(store=str(root / "store"), index_dir=str(root / "index"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        for path in CORPUS:
            Ingestor.of(ws).ingest(path)
        update_index(ws)
    return settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding a `slow` test first (each file's own order kept): under `make test`'s two processes,
    the long ones start at once instead of ending the run on one process while the other idles."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


from server import live_server  # noqa: E402,F401  (a real uvicorn server: tests/server.py)


@contextmanager
def busy_writer(store: ox.Store) -> Iterator[None]:
    """While inside, a thread writes `store` as a busy `pcs serve` would: bursts of 2,000 quads, a flush every
    5 bursts, a compaction every 20 (what races a read-only open or checkpoint of the same folder)."""
    stop = threading.Event()
    p = ox.NamedNode("https://example.org/p")

    def write() -> None:
        batch = 0
        while not stop.is_set():
            store.extend([ox.Quad(ox.NamedNode(f"https://example.org/s{batch}-{i}"), p, ox.Literal("x" * 200),
                                  ox.NamedNode("https://example.org/g")) for i in range(2000)])
            batch += 1
            stop.wait(0.005)  # a server writes in bursts, not in one unbroken stream
            if batch % 5 == 0:
                store.flush()
            if batch % 20 == 0:
                store.optimize()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join()

