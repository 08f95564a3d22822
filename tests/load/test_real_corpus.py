"""The whole bundled corpus, as `pcs ingest` with no argument reads it: 40 communes, real publications
with their kind, programmes as dated data, a dropped action kept apart."""

from __future__ import annotations

import pytest
from rdflib import Graph

from pcs_graph.cli.common import corpus_files
from pcs_graph.config import Settings
from pcs_graph.graph.validation import validate_graph
from pcs_graph.load import Ingestor
from pcs_graph.stats import counts
from pcs_graph.store.workspace import Workspace

WITH_PUBLICATION = """SELECT ?a WHERE { ?a a pcs:Action .
  FILTER EXISTS { ?a dcterms:source ?url . ?url dcterms:type ?kind . ?kind skos:inScheme pcs:SourceKindScheme
                  FILTER(isIRI(?url) && REGEX(STR(?url), "^https?://")) } }"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(store=str(tmp_path_factory.mktemp("real") / "store"))
    with Workspace(settings) as ws:
        ingestor = Ingestor.of(ws)
        ingestor.ensure_reference()
        for path in corpus_files():
            ingestor.ingest(path)
        yield ws


def test_the_corpus_holds_over_170_live_actions_in_40_communes(corpus):
    totals = counts.totals(corpus.store)
    assert totals["actions"] >= 170 and totals["communes"] >= 40
    assert (totals["actions"], totals["communes"]) == (171, 40)


def test_every_live_action_says_where_it_was_published_but_the_one_whose_source_has_no_address(corpus):
    live = {r["a"] for r in corpus.store.select("SELECT ?a WHERE { ?a a pcs:Action }")}
    published = {r["a"] for r in corpus.store.select(WITH_PUBLICATION)}
    # Dour's action comes from a code-index entry, not a web page: its citation is kept, no address is invented
    missing = corpus.store.select("""SELECT ?a ?citation WHERE { ?a a pcs:Action ; dcterms:bibliographicCitation ?citation
      FILTER NOT EXISTS { ?a dcterms:source ?u } }""")
    assert live - published == {r["a"] for r in missing}
    assert [r["a"].split("/action/")[1][:6] for r in missing] == ["53020/"]
    assert "GitHub code index" in missing[0]["citation"]
    assert len(published) == 170


def test_the_kinds_of_sources_are_those_of_the_scheme(corpus):
    rows = corpus.store.select("""SELECT ?kind (COUNT(DISTINCT ?a) AS ?n) WHERE {
      ?a a pcs:Action ; dcterms:source/dcterms:type/skos:notation ?kind } GROUP BY ?kind""")
    kinds = {r["kind"]: int(r["n"]) for r in rows}
    assert kinds["official-plan"] == 13 and kinds["commune-page"] >= 32 + 12 and kinds["press"] >= 27
    assert set(kinds) <= {"official-plan", "commune-page", "press", "blog", "province-page", "region-page", "association"}


def test_the_graph_conforms_to_the_shapes(corpus):
    data = Graph()
    data.parse(data=corpus.store.dump("application/n-triples"), format="nt")
    report = validate_graph(data)
    assert report.conforms, report.to_text()
    assert {v.severity for v in report.violations} <= {"Warning", "Info"}


def test_programmes_are_dated_and_2020_2025_is_extended_to_the_end_of_2026(corpus):
    assert corpus.store.ask("""ASK { <https://w3id.org/pcs/id/programme/2020-2025>
      schema:endDate "2026-12-31"^^xsd:date ; pcs:plannedEndDate "2025-12-31"^^xsd:date ;
      dcterms:source ?extension . ?extension dcterms:type pcs:ParliamentDocument }""")
    rows = corpus.store.select("SELECT ?p ?start ?end WHERE { ?x a pcs:Programme ; skos:notation ?p ; "
                               "schema:startDate ?start ; schema:endDate ?end } ORDER BY ?p")
    assert [(r["p"], r["start"], r["end"]) for r in rows] == [
        ("2009-2013", "2009-01-01", "2013-12-31"), ("2014-2019", "2014-01-01", "2019-12-31"),
        ("2020-2025", "2020-01-01", "2026-12-31")]


def test_chatelets_2012_actions_are_in_2009_2013(corpus):
    rows = corpus.store.select("""SELECT ?p WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "52012" ;
      dcterms:source <http://www.cricharleroi.be/2012/10/18/le-plan-de-cohesion-social-de-chatelet/> ;
      pcs:plan/pcs:programme/skos:notation ?p }""")
    assert [r["p"] for r in rows] == ["2009-2013", "2009-2013"]


def test_the_dropped_action_is_not_counted_and_can_be_found_as_dropped(corpus):
    dropped = corpus.store.select("""SELECT ?label ?url WHERE { ?a a pcs:DroppedAction ; rdfs:label ?label ;
      pcs:commune/skos:prefLabel "Somme-Leuze"@fr ; dcterms:source ?url }""")
    assert [r["label"] for r in dropped] == ["la concertation sociale"]
    assert "lavenir.net" in dropped[0]["url"]
    per_commune = {c.label: c.actions for c in counts.actions_per_commune(corpus.store)}
    assert per_commune["Somme-Leuze"] == 7
    assert not corpus.store.ask('ASK { ?a a pcs:Action ; rdfs:label "la concertation sociale"@fr }')


def test_a_joint_plans_actions_belong_to_the_joint_plan(corpus):
    """PCS Ourthe (Comblain-au-Pont + Ferrières + Hamoir) and PCS Condroz (Clavier + 4), as
    reference/pcs_local_authority_facts.csv describes them for 2020-2025."""
    rows = corpus.store.select("""SELECT DISTINCT ?nis ?plan WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode ?nis ;
      pcs:plan ?plan FILTER(?nis IN ("61019", "61048")) } ORDER BY ?nis""")
    assert [(r["nis"], r["plan"].split("/plan/")[1]) for r in rows] == [
        ("61019", "62026/2020-2025"), ("61048", "61012/2020-2025")]
    assert corpus.store.ask("""ASK { <https://w3id.org/pcs/id/plan/62026/2020-2025> pcs:leadCommune/pcs:nisCode "62026" ;
      pcs:commune/pcs:nisCode "61019" }""")
