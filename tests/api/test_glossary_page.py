"""/ontology/glossaire on a real server over the bundled corpus: the page, its Turtle, the glossary in the
store for SPARQL, and an acronym search explained by the glossary."""

from __future__ import annotations

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

IST = URIRef("https://w3id.org/pcs/id/glossary/ist")


def test_the_page_lists_ist_with_its_expansion_and_source(live_server):
    page = httpx.get(f"{live_server}/ontology/glossaire", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    row = page.text.split('id="ist"', 1)[1].split("</tr>", 1)[0]
    assert "<strong>IST</strong>" in row and "infections sexuellement transmissibles" in row
    assert 'href="https://www.sciensano.be/fr/sujets-sante/infection-sexuellement-transmissible-ist"' in row
    assert 'href="/id/action-type/3.1.06"' in row  # related to the nomenclature's action type « IST »


def test_the_turtle_parses_by_accept_and_by_extension(live_server):
    for url, headers in ((f"{live_server}/ontology/glossaire", {"Accept": "text/turtle"}),
                         (f"{live_server}/ontology/glossaire.ttl", {})):
        answer = httpx.get(url, headers=headers, timeout=60)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
        g = Graph().parse(data=answer.text, format="turtle")
        assert (IST, SKOS.altLabel, Literal("IST", lang="fr")) in g


def test_sparql_sees_the_glossary_in_its_named_graph(live_server):
    query = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label ?code WHERE { GRAPH <https://w3id.org/pcs/id/graph/glossary> {
  ?c skos:altLabel "IST"@fr ; skos:prefLabel ?label ; skos:related ?type } ?type skos:notation ?code }"""
    answer = httpx.post(f"{live_server}/sparql", data={"query": query},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    rows = {(b["label"]["value"], b["code"]["value"]) for b in answer["results"]["bindings"]}
    assert ("infections sexuellement transmissibles", "3.1.06") in rows


def test_searching_ist_finds_the_mons_action_and_spells_the_acronym_out(live_server):
    hits = httpx.get(f"{live_server}/api/search", params={"q": "IST"}, timeout=60).json()["hits"]
    mons = [h for h in hits[:3] if h["label"] == "IST" and h["commune"] == "Mons"]
    assert mons, [(h["label"], h["commune"]) for h in hits[:5]]
    assert "IST = infections sexuellement transmissibles" in mons[0]["why"]["glossary"]
