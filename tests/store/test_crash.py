"""Crash safety: a `pcs ingest` killed (SIGKILL) at a random point leaves the store as before the
document or after it, never in between, and the next ingest completes.

The document is generated large (thousands of coded actions, a write of several megabytes) so that
the kill points, drawn with a fixed seed over the length of a complete run, fall in the parsing and
in the middle of the write. Both backends: the embedded store and a remote `oxigraph serve` (the
request is either received whole and applied in one transaction, or not). The embedded store twice:
holding no document yet (a first load, staged in memory and swapped in by renames: see
store/staging.py) and holding one (the document's one update, a RocksDB transaction).
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import HASTIERE
from remote_server import OxigraphServer, oxigraph_server, remote_settings  # noqa: F401

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.state import read_state
from pcs_graph.store.workspace import Workspace

pytestmark = pytest.mark.slow

ACTIONS = 3000
SEED = 6
PCS = str(Path(sys.executable).with_name("pcs"))
WORDS = ("accompagnement atelier soutien jeunes aînés quartier logement emploi santé mobilité numérique "
         "alimentation culture citoyenneté isolement parentalité formation permanence").split()


def write_large_plan(path: Path, actions: int, seed: int) -> Path:
    """A Namur plan listing `actions` coded actions, one in seven with an article-20 partner."""
    rng = random.Random(seed)
    codes = [f"{a}.{t}.{n:02d}" for a in range(1, 8) for t in range(1, 5) for n in range(1, 10)]
    lines = ["Plan de cohésion sociale 2020-2025 de Namur", "", "Actions"]
    for i in range(actions):
        label = " ".join(rng.sample(WORDS, 5)).capitalize()
        partner = f" ART 20 ASBL Partenaire {i % 40}" if i % 7 == 0 else ""
        lines.append(f"{rng.choice(codes)} {label} n° {i + 1}{partner}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def graph_sizes(settings: Settings) -> dict[str, int]:
    """Triples per named graph, the write stamp left out: the killed client's update and the next
    ingest's may run at once on a server, each leaving its `dcterms:modified` (see store/state.py)."""
    with Workspace(settings) as ws:
        rows = ws.store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o "
                               "FILTER(?p != <http://purl.org/dc/terms/modified>) } } GROUP BY ?g")
        assert read_state(ws.store, ws.uris).modified is not None
    return {r["g"]: int(r["n"]) for r in rows}  # type: ignore[arg-type,index]


def ingest_command(document: Path, settings: Settings) -> list[str]:
    return [PCS, "ingest", str(document), "--store", settings.store, "--no-index"]


class Backend:
    """An empty store with the reference data, fresh for each try."""

    def fresh(self, name: str) -> Settings:
        raise NotImplementedError


class EmbeddedBackend(Backend):
    def __init__(self, root: Path, holding: Path | None = None) -> None:
        self.root = root
        self.base = Settings(store=str(root / "base"))
        with Workspace(self.base) as ws:
            Ingestor.of(ws).ensure_reference()
            if holding is not None:
                Ingestor.of(ws).ingest(holding)

    def fresh(self, name: str) -> Settings:
        target = self.root / name
        shutil.copytree(self.base.store, target)
        return Settings(store=str(target))


class RemoteBackend(Backend):
    def __init__(self, server: OxigraphServer) -> None:
        self.server = server

    def fresh(self, name: str) -> Settings:
        self.server.clear()
        settings = Settings(store=self.server.query_url)
        with Workspace(settings) as ws:
            Ingestor.of(ws).ensure_reference()
        return settings


def kill_ingests_at_random_points(backend: Backend, document: Path, tries: int) -> list[str]:
    """Run the kill loop; returns, per try, whether the store was found 'before' or 'after'."""
    settings = backend.fresh("reference-run")
    before = graph_sizes(settings)
    started = time.monotonic()
    subprocess.run(ingest_command(document, settings), check=True, capture_output=True, timeout=300)
    full_run_s = time.monotonic() - started
    after = graph_sizes(settings)
    doc_graph = next(g for g in after if g.endswith("/document/namur-pcs-2020-2025-txt"))
    assert after[doc_graph] > 10 * ACTIONS and doc_graph not in before

    rng = random.Random(SEED)
    found = []
    for i in range(tries):
        settings = backend.fresh(f"try-{i}")
        process = subprocess.Popen(ingest_command(document, settings), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * full_run_s)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        sizes = graph_sizes(settings)  # the store opens again after the kill
        assert sizes in (before, after), f"try {i}: {sizes.get(doc_graph, 0)} triples in the document's graph"
        found.append("before" if sizes == before else "after")

        with Workspace(settings) as ws:  # the next ingest completes
            status = Ingestor.of(ws).ingest(document).status
        # a remote server may still apply an update it received whole from the killed client: "before"
        # can turn into "after" between the two reads (atomically), so the ingest may find it done
        assert status in (("added", "unchanged") if found[-1] == "before" else ("unchanged",))
        assert graph_sizes(settings) == after
    print(f"\nkill points over a {full_run_s:.1f} s ingest of {after[doc_graph]} triples: {found}")
    return found


@pytest.fixture(scope="module")
def large_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_plan(tmp_path_factory.mktemp("crash") / "namur_pcs_2020-2025.txt", ACTIONS, SEED)


@pytest.mark.parametrize("holding", [None, HASTIERE], ids=["first-load", "store-with-a-document"])
def test_a_killed_ingest_leaves_the_embedded_store_before_or_after_the_document(large_plan, tmp_path, holding):
    found = kill_ingests_at_random_points(EmbeddedBackend(tmp_path, holding), large_plan, tries=5)
    assert len(found) == 5


def test_a_killed_ingest_leaves_the_remote_store_before_or_after_the_document(large_plan, oxigraph_server):
    found = kill_ingests_at_random_points(RemoteBackend(oxigraph_server), large_plan, tries=3)
    assert len(found) == 3


def test_a_killed_sparql_server_comes_back_before_or_after_the_document(large_plan, tmp_path):
    """The other side of the remote store: SIGKILL the `oxigraph serve` process during the write."""
    location = tmp_path / "oxigraph"
    with OxigraphServer(location) as server:
        settings = Settings(store=server.query_url)
        with Workspace(settings) as ws:
            Ingestor.of(ws).ensure_reference()
        started = time.monotonic()
        subprocess.run(ingest_command(large_plan, settings), check=True, capture_output=True, timeout=300)
        full_run_s = time.monotonic() - started
        after = graph_sizes(settings)
        with Workspace(settings) as ws:
            Ingestor.of(ws).remove(str(ws.uris.document(large_plan.name)))
    rng = random.Random(SEED)
    found = []
    for i in range(2):
        server = OxigraphServer(location).start()
        settings = Settings(store=server.query_url)
        sizes = graph_sizes(settings)
        assert sizes.keys() <= after.keys()
        client = subprocess.Popen(ingest_command(large_plan, settings), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * full_run_s)
        assert server.process is not None
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)
        client.wait(timeout=120)

        with OxigraphServer(location) as restarted:
            settings = Settings(store=restarted.query_url)
            sizes = graph_sizes(settings)
            doc = next(g for g in after if g.endswith("/document/namur-pcs-2020-2025-txt"))
            assert sizes.get(doc, 0) in (0, after[doc]), f"try {i}: {sizes.get(doc, 0)} triples in the document's graph"
            found.append("after" if sizes.get(doc) else "before")
            with Workspace(settings) as ws:  # the next ingest completes
                Ingestor.of(ws).ingest(large_plan)
            assert graph_sizes(settings)[doc] == after[doc]
            with Workspace(settings) as ws:  # then undo it: the next try starts from before
                Ingestor.of(ws).remove(str(ws.uris.document(large_plan.name)))
    print(f"\nserver killed during a {full_run_s:.1f} s remote ingest: {found}")


def test_a_killed_index_build_leaves_the_previous_index_or_the_new_one(tmp_path):
    """The search index folder is swapped in whole: a killed `pcs index` leaves the old one or the new one.

    Embedding is the slow part (tens of ms per action on this machine), so the document is small here."""
    from conftest import MONS

    from pcs_graph.search import index

    base = Settings(store=str(tmp_path / "base" / "store"))
    with Workspace(base) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
        old_size = index.update_index(ws).total
        Ingestor.of(ws).ingest(write_large_plan(tmp_path / "namur_pcs_2020-2025.txt", 40, SEED))

    def fresh(name: str) -> Settings:
        shutil.copytree(tmp_path / "base", tmp_path / name)
        return Settings(store=str(tmp_path / name / "store"))

    reference = fresh("reference-run")
    started = time.monotonic()
    subprocess.run([PCS, "index", "--store", reference.store], check=True, capture_output=True, timeout=600)
    full_run_s = time.monotonic() - started
    new_size = index.SearchIndex.load(reference.resolved_index_dir).size
    assert new_size == old_size + 40

    rng = random.Random(SEED)
    found = []
    for i in range(4):
        settings = fresh(f"try-{i}")
        process = subprocess.Popen([PCS, "index", "--store", settings.store], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * full_run_s)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        size = index.SearchIndex.load(settings.resolved_index_dir).size  # loads: never half-written
        assert size in (old_size, new_size), f"try {i}: {size} actions in the index"
        found.append("before" if size == old_size else "after")
        with Workspace(settings) as ws:  # the next build completes, reusing what it can
            assert index.update_index(ws).total == new_size
        assert index.SearchIndex.load(settings.resolved_index_dir).size == new_size
    print(f"\nkill points over a {full_run_s:.1f} s index build: {found}")
