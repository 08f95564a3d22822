"""Ingesting the real bundled documents: Mons' coded list, Hastière's bullets, the examples table."""

from __future__ import annotations

from conftest import EXAMPLES, HASTIERE, MONS, count_triples

from pcs_graph.load import Ingestor


def test_mons_gives_its_32_coded_actions_in_mons_2020_2025(workspace):
    result = Ingestor.of(workspace).ingest(MONS)
    assert (result.status, result.actions) == ("added", 32)
    rows = workspace.store.select("""
        SELECT ?a ?code ?nis ?period ?label WHERE {
          ?a a pcs:Action ; rdfs:label ?label ; pcs:commune ?c ; pcs:plan ?plan ;
             pcs:actionType/skos:notation ?code ; pcs:codeAsPrinted ?printed .
          ?c pcs:nisCode ?nis . ?plan pcs:programme/skos:notation ?period .
        } ORDER BY ?a""")
    assert len(rows) == 32
    assert {r["nis"] for r in rows} == {"53053"}
    assert {r["period"] for r in rows} == {"2020-2025"}
    printed = [line.split()[1][:6] for line in MONS.read_text(encoding="utf-8").splitlines()
               if line.strip()[:2].isdigit() and "." in line.split()[1]]
    assert sorted(r["code"] for r in rows) == sorted(printed)
    first = next(r for r in rows if r["a"].endswith("/01"))
    assert (first["code"], first["label"]) == ("1.1.06", "Initiatives menées par les écoles de devoirs")


def test_mons_six_art20_lines_are_linked_to_their_partner(workspace):
    Ingestor.of(workspace).ingest(MONS)
    rows = workspace.store.select("""
        SELECT ?seq ?name WHERE { ?a pcs:article20Partner ?p ; pcs:sequenceNumber ?seq . ?p rdfs:label ?name }
        ORDER BY ?seq""")
    assert [(int(r["seq"]), r["name"]) for r in rows] == [
        (1, "ASBL Chantecler"), (7, "ASBL RAMBO"), (24, "ASBL Article 27"), (25, "ASBL Pourquoi pas toi"),
        (26, "Maison St Paul"), (27, "ASBL Pourquoi pas toi"),
    ]
    # an article-20 partner is a partner too (sub-property, asserted explicitly for plain queries)
    assert workspace.store.ask("ASK { ?a pcs:article20Partner ?p FILTER NOT EXISTS { ?a pcs:partner ?p } }") is False


def test_hastiere_gives_one_unclassified_action_per_bullet(workspace):
    result = Ingestor.of(workspace).ingest(HASTIERE)
    assert result.actions == 12
    rows = workspace.store.select("""
        SELECT ?label ?status WHERE { ?a a pcs:Action ; rdfs:label ?label ; pcs:commune/pcs:nisCode "91142" ;
          pcs:classificationStatus ?status FILTER NOT EXISTS { ?a pcs:actionType ?t } }""")
    labels = {r["label"] for r in rows}
    assert len(rows) == 12
    assert "Gym douce et préventive pour personnes âgées" in labels
    assert "Formation aux permis de conduire B et C" in labels
    assert {r["status"] for r in rows} == {"https://w3id.org/pcs/ontology#Unclassified"}
    leader = workspace.store.select('SELECT ?n WHERE { ?p pcs:leadCommune/pcs:nisCode "91142" ; pcs:projectLeader ?n }')
    assert leader == [{"n": "Clément Rosier"}]


def test_codes_printed_teach_the_open_nomenclature(workspace):
    Ingestor.of(workspace).ingest(MONS)
    rows = workspace.store.select("""
        SELECT ?label ?theme ?axis ?doc WHERE { <https://w3id.org/pcs/id/action-type/5.5.01> skos:prefLabel ?label ;
          pcs:theme/skos:notation ?theme ; pcs:axis/skos:notation ?axis ; pcs:learnedFrom ?doc }""")
    assert rows == [{"label": "Activités de rencontre pour personnes isolées", "theme": "5.5", "axis": "5",
                     "doc": "https://w3id.org/pcs/id/document/mons-pcs-2020-2025-txt"}]


def test_reingesting_the_same_documents_changes_nothing(workspace):
    for path in (MONS, HASTIERE, EXAMPLES):
        Ingestor.of(workspace).ingest(path)
    before = count_triples(workspace)
    statuses = [Ingestor.of(workspace).ingest(p).status for p in (MONS, HASTIERE, EXAMPLES)]
    assert statuses == ["unchanged"] * 3
    assert count_triples(workspace) == before


def test_a_changed_document_replaces_only_its_own_graph(workspace, tmp_path):
    copy = tmp_path / "mons_pcs_2020-2025.txt"
    copy.write_text(MONS.read_text(encoding="utf-8"), encoding="utf-8")
    Ingestor.of(workspace).ingest(copy)
    Ingestor.of(workspace).ingest(HASTIERE)
    hastiere = workspace.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'hastiere')) }")
    lines = copy.read_text(encoding="utf-8").splitlines()
    copy.write_text("\n".join(l for l in lines if not l.startswith("32 ")), encoding="utf-8")
    assert Ingestor.of(workspace).ingest(copy).status == "replaced"
    n = workspace.store.select('SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "53053" }')[0]["n"]
    assert n == "31"
    assert workspace.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'hastiere')) }") == hastiere


def test_no_triple_is_counted_twice_in_the_union_graph(corpus_store):
    from pcs_graph.store.workspace import Workspace

    with Workspace(corpus_store) as ws:
        row = ws.store.select("SELECT (COUNT(*) AS ?all) (COUNT(DISTINCT *) AS ?distinct) WHERE { ?s ?p ?o }")[0]
    assert row["all"] == row["distinct"]


def test_examples_table_resolves_each_rows_commune(workspace):
    result = Ingestor.of(workspace).ingest(EXAMPLES)
    assert result.actions == 11
    rows = workspace.store.select("""SELECT ?name (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/skos:prefLabel ?name }
                                     GROUP BY ?name ORDER BY ?name""")
    assert {r["name"]: int(r["n"]) for r in rows} == {"Châtelet": 2, "Courcelles": 4, "Dour": 1, "Wellin": 4}


def test_removing_a_document_drops_its_actions_and_classifications_only(workspace):
    Ingestor.of(workspace).ingest(MONS)
    hastiere = Ingestor.of(workspace).ingest(HASTIERE)
    before_mons = workspace.store.select('SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "53053" }')
    Ingestor.of(workspace).remove(hastiere.document)
    assert workspace.store.ask('ASK { ?a a pcs:Action ; pcs:commune/pcs:nisCode "91142" }') is False
    assert workspace.store.ask('ASK { ?a pcs:classificationStatus pcs:Unclassified }') is False
    assert workspace.store.select(
        'SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "53053" }') == before_mons
    assert Ingestor.of(workspace).ingest(HASTIERE).status == "added"


def test_sparql_errors_point_into_the_users_own_query(workspace):
    import pytest

    from pcs_graph.errors import QueryError

    with pytest.raises(QueryError, match="1:30"):
        workspace.store.select("SELECT ?x WHERE { ?x pcs:foo }")
