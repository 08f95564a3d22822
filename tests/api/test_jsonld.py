"""Compact JSON-LD: every JSON-LD answer refers to /context.jsonld and reads back to the same triples.

A JSON-LD client resolves the context by its URL; here PyLD gets a document loader that takes it from
the running app (loopback) and refuses any other address, so nothing leaves the machine.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from pcs_graph.api.jsonld import CONTEXT_FILE, CONTEXT_REL
from pcs_graph.graph.vocab import PCS

BASE = "https://w3id.org/pcs/id/"


def app_loader(live_server: str):
    """PyLD document loader: documents of the live app only (the context), never another host."""
    def load(url: str, options: dict | None = None) -> dict:
        if urlsplit(url).netloc != urlsplit(live_server).netloc:
            raise AssertionError(f"the JSON-LD client was about to fetch {url}")
        document = httpx.get(url, timeout=30).raise_for_status().json()
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}
    return load


def to_triples(document: dict, live_server: str) -> Graph:
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": app_loader(live_server)})
    return Graph().parse(data=nquads, format="nt")


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_a_commune_in_json_ld_is_compact_and_reads_back_to_its_turtle(live_server: str) -> None:
    response = httpx.get(f"{live_server}/data/commune/53053.jsonld")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert document["@context"] == f"{live_server}/context.jsonld"  # by reference, not inline
    assert f'<{live_server}/context.jsonld>; rel="{CONTEXT_REL}"' in response.headers["link"]
    assert not [k for k in keys(document) if "http" in k]
    mons = document["@graph"][0]  # the resource first, then what it links to
    assert (mons["id"], mons["type"], mons["label"], mons["population"]) == (BASE + "commune/53053", "Commune",
                                                                          {"fr": "Mons"}, 95231)
    assert mons["province"] == BASE + "province/50000" and "7000" in mons["postalCodes"]

    turtle = Graph().parse(data=httpx.get(f"{live_server}/data/commune/53053.ttl").text, format="turtle")
    assert isomorphic(to_triples(document, live_server), turtle)


@pytest.mark.parametrize("path", ["action/53053/2020-2025/23", "action-type/5.5.01", "partner/asbl-pourquoi-pas-toi",
                                  "plan/53053/2020-2025"])
def test_other_resources_round_trip_too(live_server: str, path: str) -> None:
    document = httpx.get(f"{live_server}/data/{path}.jsonld").json()
    assert not [k for k in keys(document) if "http" in k]
    turtle = Graph().parse(data=httpx.get(f"{live_server}/data/{path}.ttl").text, format="turtle")
    assert isomorphic(to_triples(document, live_server), turtle)


def test_an_action_names_its_partners_type_and_status_with_short_keys(live_server: str) -> None:
    document = httpx.get(f"{live_server}/data/action/53053/2020-2025/23.jsonld").json()
    action = document["@graph"][0]
    assert action["type"] == "Action" and action["classificationStatus"] == "Declared"
    assert action["actionType"] == BASE + "action-type/5.5.01"
    assert action["commune"] == BASE + "commune/53053" and isinstance(action["derivedFrom"], list)
    with_partners = httpx.get(f"{live_server}/data/partner/asbl-pourquoi-pas-toi.jsonld").json()
    assert any(BASE + "partner/asbl-pourquoi-pas-toi" in node.get("partners", []) for node in with_partners["@graph"])


def test_the_published_context_is_the_file_and_covers_every_property_of_the_ontology(live_server: str) -> None:
    response = httpx.get(f"{live_server}/context.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.content == CONTEXT_FILE.read_bytes()
    context = response.json()["@context"]
    ontology = Graph().parse(data=httpx.get(f"{live_server}/ontology", headers={"Accept": "text/turtle"}).text,
                             format="turtle")
    named = {str(v["@id"] if isinstance(v, dict) else v).replace("pcs:", str(PCS)) for v in context.values()}
    properties = {p for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ontology.subjects(RDF.type, t)}
    assert {str(p) for p in properties} - named == set()


def test_construct_asked_as_json_ld_on_the_endpoint_is_compacted_on_the_context(live_server: str) -> None:
    query = ("CONSTRUCT { ?c a pcs:Commune ; skos:prefLabel ?n ; pcs:population ?p } WHERE { "
             "?c pcs:nisCode '53053' ; skos:prefLabel ?n ; pcs:population ?p }")
    as_jsonld = httpx.get(f"{live_server}/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert as_jsonld.status_code == 200 and as_jsonld.headers["content-type"].startswith("application/ld+json")
    assert CONTEXT_REL in as_jsonld.headers["link"]
    document = as_jsonld.json()
    assert document["@context"] == f"{live_server}/context.jsonld" and not [k for k in keys(document) if "http" in k]
    assert document["population"] == 95231 and document["prefLabel"] == {"fr": "Mons"}
    turtle = httpx.get(f"{live_server}/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert isomorphic(to_triples(document, live_server), Graph().parse(data=turtle.text, format="turtle"))


def test_the_json_ld_dump_keeps_the_named_graphs_and_reads_back_to_the_n_quads(live_server: str) -> None:
    document = httpx.get(f"{live_server}/dump", params={"format": "jsonld"}, timeout=120).json()
    assert document["@context"] == f"{live_server}/context.jsonld" and not [k for k in keys(document) if "http" in k]
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": app_loader(live_server)})
    from_jsonld = Dataset().parse(data=nquads, format="nquads")
    expected = Dataset().parse(data=httpx.get(f"{live_server}/dump", params={"format": "nq"}, timeout=120).text,
                               format="nquads")
    graphs = {str(g.identifier) for g in expected.graphs()} - {"urn:x-rdflib:default"}
    assert graphs == {str(g.identifier) for g in from_jsonld.graphs()} - {"urn:x-rdflib:default"}
    for name in graphs:
        assert isomorphic(from_jsonld.graph(URIRef(name)), expected.graph(URIRef(name))), name


def test_every_json_ld_answer_refers_to_the_context(live_server: str) -> None:
    for path in ("/ontology", "/ontology/shapes", "/ontology/source-kinds", "/dataset", "/sparql",
                 "/data/commune/53053.jsonld"):
        response = httpx.get(f"{live_server}{path}", headers={"Accept": "application/ld+json"}, timeout=120)
        assert response.status_code == 200, path
        document = json.loads(response.content)
        assert document["@context"] == f"{live_server}/context.jsonld", path
        assert CONTEXT_REL in response.headers["link"], path
        assert not [k for k in keys(document) if "http" in k], path
