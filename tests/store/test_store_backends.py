"""The same store suite on both backends: the embedded pyoxigraph folder and a real `oxigraph serve`.

Each test gets `settings` for an empty store of one backend; what works on one must work, with the
same answers, on the other. The remote server is a separate process on a loopback port (see
remote_server.py), reached over HTTP by pcs_graph.remote.RemoteStore.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import EXAMPLES, HASTIERE, MONS
from rdflib import Graph
from remote_server import (  # noqa: F401
    oxigraph_server,
    remote_settings,
    virtuoso_server,
    virtuoso_settings,
)
from typer.testing import CliRunner

from pcs_graph.cli import app
from pcs_graph.config import Settings
from pcs_graph.errors import PcsError
from pcs_graph.load import Ingestor
from pcs_graph.stats import counts as stats
from pcs_graph.store.workspace import Workspace

runner = CliRunner()


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "embedded":
        return Settings(store=str(tmp_path / "store"), index_dir=str(tmp_path / "index"))
    if request.param == "virtuoso":
        return request.getfixturevalue("virtuoso_settings")
    return request.getfixturevalue("remote_settings")


def ingest_corpus(settings: Settings) -> None:
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        for path in (MONS, HASTIERE, EXAMPLES):
            Ingestor.of(ws).ingest(path)


def graph_sizes(ws: Workspace) -> dict[str, int]:
    rows = ws.store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}  # type: ignore[arg-type,index]


def pcs(*args: str, settings: Settings | None = None) -> tuple[int, str]:
    extra = ["--update-url", settings.update_url] if settings and settings.update_url else []
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.output


# --- ingestion ---------------------------------------------------------------------------------


def test_the_three_bundled_documents_give_their_actions(settings):
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        results = [Ingestor.of(ws).ingest(p) for p in (MONS, HASTIERE, EXAMPLES)]
        per_commune = ws.store.select("""
            SELECT ?nis (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode ?nis }
            GROUP BY ?nis ORDER BY ?nis""")
        art20 = ws.store.select("SELECT ?name WHERE { ?a pcs:article20Partner/rdfs:label ?name } ORDER BY ?name")
    assert [(r.status, r.actions) for r in results] == [("added", 32), ("added", 12), ("added", 11)]
    counts = {r["nis"]: int(r["n"]) for r in per_commune}
    assert counts["53053"] == 32 and counts["91142"] == 12
    assert sum(counts.values()) == 55
    assert [r["name"] for r in art20].count("ASBL Pourquoi pas toi") == 2


def test_reingesting_unchanged_documents_writes_nothing(settings):
    ingest_corpus(settings)
    with Workspace(settings) as ws:
        before = graph_sizes(ws)
        statuses = [Ingestor.of(ws).ingest(p).status for p in (MONS, HASTIERE, EXAMPLES)]
        after = graph_sizes(ws)
    assert statuses == ["unchanged"] * 3
    assert after == before


def test_a_changed_document_replaces_its_own_graph_only(settings, tmp_path):
    copy = tmp_path / MONS.name
    copy.write_text(MONS.read_text(encoding="utf-8"), encoding="utf-8")
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(copy)
        Ingestor.of(ws).ingest(HASTIERE)
        before = graph_sizes(ws)
        copy.write_text("\n".join(l for l in copy.read_text(encoding="utf-8").splitlines()
                                  if not l.startswith("32 ")), encoding="utf-8")
        status = Ingestor.of(ws).ingest(copy).status
        after = graph_sizes(ws)
        mons = ws.store.select('SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "53053" }')
    assert status == "replaced"
    assert mons == [{"n": "31"}]
    mons_graph = ws.uris.document(MONS.name).toPython()
    assert {g for g in before if before[g] != after.get(g)} == {mons_graph}
    assert after[mons_graph] < before[mons_graph]
    hastiere = ws.uris.document(HASTIERE.name).toPython()
    assert after[hastiere] == before[hastiere]


def test_a_document_that_fails_to_parse_leaves_the_store_unchanged(settings, tmp_path):
    ingest_corpus(settings)
    broken = tmp_path / "plan_sans_commune.txt"
    broken.write_text("Plan de cohésion sociale 2020-2025\n\n01 1.1.06 Écoles de devoirs\n02 5.5.01 Rencontres\n",
                      encoding="utf-8")
    with Workspace(settings) as ws:
        before = graph_sizes(ws)
        with pytest.raises(PcsError) as error:
            Ingestor.of(ws).ingest(broken)
        after = graph_sizes(ws)
    assert "plan_sans_commune.txt" in str(error.value)
    assert "commune" in str(error.value)
    assert after == before


def test_pcs_ingest_accepts_the_store_given_by_folder_or_url(settings):
    code, output = pcs("ingest", str(MONS), "--store", settings.store, "--no-index", settings=settings)
    assert code == 0, output
    assert "32 actions" in output


# --- reading the graph -------------------------------------------------------------------------


def test_stats_count_the_corpus(settings):
    ingest_corpus(settings)
    code, output = pcs("stats", "--store", settings.store, "--json", settings=settings)
    assert code == 0, output
    report = json.loads(output)
    assert report["totals"] == {"actions": 55, "communes": 6, "partners": 13, "article20": 6, "declared": 32,
                                "inferred": 0, "unclassified": 23, "without_declared_type": 23, "undated": 5,
                                "dropped": 0, "axis_declared": 32, "axis_stated": 2, "axis_inferred": 0,
                                "axis_unknown": 21}  # no classifier ran: 21 actions have no axis yet
    mons = next(c for c in report["commune"] if c["key"] == "53053")
    assert mons["actions"] == 32


def test_the_corpus_graph_conforms_to_the_shapes(settings):
    ingest_corpus(settings)
    code, output = pcs("validate", "--store", settings.store, settings=settings)
    assert code == 0, output
    assert "conforme" in output


def test_export_gives_every_quad_with_its_named_graph(settings, tmp_path):
    ingest_corpus(settings)
    with Workspace(settings) as ws:
        expected = sum(n for g, n in graph_sizes(ws).items() if g.startswith("https://w3id.org/pcs/"))
        mons_graph = ws.uris.document(MONS.name).toPython()
    nq, ttl = tmp_path / "all.nq", tmp_path / "all.ttl"
    assert pcs("export", "--store", settings.store, "-f", "nq", "-o", str(nq), settings=settings)[0] == 0
    assert pcs("export", "--store", settings.store, "-f", "ttl", "-o", str(ttl), settings=settings)[0] == 0
    quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == expected
    assert any(q.graph_name.value == mons_graph for q in quads)
    union = Graph().parse(ttl, format="turtle")
    assert len(union) == len({(q.subject, q.predicate, q.object) for q in quads})


def test_an_official_catalogue_merges_into_the_learned_nomenclature(settings, tmp_path):
    ingest_corpus(settings)
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("code,label\n5.5.01,Rompre l'isolement des personnes seules\n"
                         "7.2.03,Transport à la demande\n", encoding="utf-8")
    code, output = pcs("catalogue", "load", str(catalogue), "--store", settings.store, settings=settings)
    assert code == 0, output
    assert "1 types d'action ajoutés, 1 fusionnés" in output
    with Workspace(settings) as ws:
        labels = ws.store.select("""SELECT ?pref ?alt WHERE { <https://w3id.org/pcs/id/action-type/5.5.01>
                                    skos:prefLabel ?pref ; skos:altLabel ?alt }""")
        actions = ws.store.select('SELECT ?a WHERE { ?a pcs:actionType/skos:notation "5.5.01" }')
    assert labels == [{"pref": "Rompre l'isolement des personnes seules",
                       "alt": "Activités de rencontre pour personnes isolées"}]
    assert actions  # Mons' actions keep their type, now under its official label


# --- both backends at once ---------------------------------------------------------------------


def test_both_backends_answer_the_same(remote_settings, tmp_path):
    embedded = Settings(store=str(tmp_path / "embedded"))
    answers = []
    for s in (embedded, remote_settings):
        ingest_corpus(s)
        with Workspace(s) as ws:
            answers.append({
                "axis": stats.actions_per_axis(ws.store), "province": stats.actions_per_province(ws.store),
                "partners": stats.actions_per_partner_kind(ws.store),
                "labels": ws.store.select("SELECT ?a ?l WHERE { ?a a pcs:Action ; rdfs:label ?l } ORDER BY ?a"),
                "ask": ws.store.ask('ASK { ?a pcs:actionType/skos:notation "5.5.01" }'),
                "construct": len(ws.store.construct("CONSTRUCT WHERE { ?a a pcs:Action ; rdfs:label ?l }")),
            })
    assert answers[0] == answers[1]


# --- the search index, built from whichever store ----------------------------------------------


def test_a_missing_search_index_is_rebuilt_from_the_store(settings):
    from pcs_graph.search.engine import SearchEngine

    ingest_corpus(settings)
    index_dir = settings.resolved_index_dir
    assert not index_dir.exists()
    with Workspace(settings) as ws:
        engine = SearchEngine.open(ws)
        results = engine.search("personnes isolées", k=3)
    assert index_dir.is_dir()
    assert engine.index_report is not None and (engine.index_report.total, engine.index_report.rebuilt) == (55, True)
    assert any(hit.code == "5.5.01" and hit.nis == "53053" for hit in results.hits)  # Mons' isolated people


def test_a_read_only_store_opens_beside_a_writer_that_keeps_compacting(tmp_path):
    # RocksDB does not guard a read-only open against the writer's compactions: each open here is retried
    import pyoxigraph as ox
    from conftest import busy_writer

    from pcs_graph.store.embedded import EmbeddedStore

    writer_store = ox.Store(str(tmp_path / "store"))
    writer_store.add(ox.Quad(ox.NamedNode("https://example.org/first"), ox.NamedNode("https://example.org/p"),
                             ox.Literal("x")))
    writer_store.flush()
    answers = []
    with busy_writer(writer_store):
        for _ in range(10):
            reader = EmbeddedStore(tmp_path / "store", read_only=True)
            answers.append(reader.ask("ASK { <https://example.org/first> ?p ?o }"))
            reader.close()
    assert answers == [True] * 10
