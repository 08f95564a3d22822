"""Linked data over HTTP: URIs dereference (303 + content negotiation), descriptions, dump, VoID, ontology."""

from __future__ import annotations

import httpx
from conftest import CORPUS_ACTIONS
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from pcs_graph.graph.vocab import PCS, VOID

BASE = "https://w3id.org/pcs/id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def see_other(live_server: str, path: str, accept: str) -> str:
    response = httpx.get(f"{live_server}{path}", headers={"Accept": accept})
    assert response.status_code == 303, (path, accept, response.text)
    assert "Accept" in response.headers["vary"]
    return response.headers["location"]


@pytest.mark.parametrize("path", ["commune/53053", "action-type/5.5.01", "action/53053/2020-2025/23",
                                  "partner/asbl-pourquoi-pas-toi"])
def test_resource_uris_redirect_browsers_to_their_page(live_server: str, path: str) -> None:
    assert see_other(live_server, f"/id/{path}", BROWSER) == f"/{path}"


def test_resource_uris_redirect_rdf_clients_to_data_by_accept(live_server: str) -> None:
    path = "/id/commune/53053"
    assert see_other(live_server, path, "text/turtle") == "/data/commune/53053.ttl"
    assert see_other(live_server, path, "application/ld+json") == "/data/commune/53053.jsonld"
    assert see_other(live_server, path, "application/n-triples") == "/data/commune/53053.nt"
    assert see_other(live_server, path, "text/turtle;q=0.5, application/ld+json;q=0.8") == "/data/commune/53053.jsonld"


def test_resource_without_a_page_sends_browsers_to_its_turtle(live_server: str) -> None:
    assert see_other(live_server, "/id/right/2-1", BROWSER) == "/data/right/2-1.ttl"  # a fundamental right: no page


def test_unknown_resource_is_404(live_server: str) -> None:
    for path in ("/id/commune/00000", "/data/commune/00000.ttl", "/data/commune/53053.exe"):
        response = httpx.get(f"{live_server}{path}", headers={"Accept": "text/turtle"})
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found"


def test_redirect_followed_gives_the_description_in_each_format(live_server: str) -> None:
    mons = URIRef(BASE + "commune/53053")
    formats = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}
    for accept, rdflib_format in formats.items():
        response = httpx.get(f"{live_server}/id/commune/53053", headers={"Accept": accept}, follow_redirects=True)
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        graph = Graph().parse(data=response.text, format=rdflib_format)
        assert (mons, SKOS.prefLabel, Literal("Mons", lang="fr")) in graph
        assert (mons, RDF.type, PCS.Commune) in graph
        province = graph.value(mons, PCS.province)
        assert graph.value(province, SKOS.prefLabel) == Literal("Hainaut", lang="fr")  # labels of linked resources
        actions = set(graph.subjects(PCS.commune, mons))  # what points at it, labelled
        assert len(actions) >= 32


def test_action_description_names_its_source_document(live_server: str) -> None:
    text = httpx.get(f"{live_server}/data/action/53053/2020-2025/23.ttl").text
    graph = Graph().parse(data=text, format="turtle")
    action = URIRef(BASE + "action/53053/2020-2025/23")
    assert graph.value(action, PCS.actionType) == URIRef(BASE + "action-type/5.5.01")
    assert str(graph.value(action, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))).startswith(BASE + "document/")


def test_dump_in_turtle_nquads_and_jsonld(live_server: str) -> None:
    turtle = httpx.get(f"{live_server}/dump", params={"format": "ttl"}, timeout=60)
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(list(graph.subjects(RDF.type, PCS.Action))) == CORPUS_ACTIONS
    nquads = httpx.get(f"{live_server}/dump", headers={"Accept": "application/n-quads"}, timeout=60)
    assert nquads.headers["content-type"].startswith("application/n-quads")
    dataset = Dataset().parse(data=nquads.text, format="nquads")
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert BASE + "graph/reference" in graphs and any(g.startswith(BASE + "document/") for g in graphs)
    jsonld = httpx.get(f"{live_server}/dump", params={"format": "jsonld"}, timeout=60)
    assert jsonld.headers["content-type"].startswith("application/ld+json") and jsonld.json()
    assert httpx.get(f"{live_server}/dump", params={"format": "exe"}).status_code == 422


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset"])
def test_void_and_dcat_description(live_server: str, path: str) -> None:
    graph = Graph().parse(data=httpx.get(f"{live_server}{path}", headers={"Accept": "text/turtle"}).text,
                          format="turtle")
    dataset = URIRef(BASE + "dataset")
    assert int(graph.value(dataset, VOID.triples)) > 5000
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{live_server}/sparql")
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    dumps = {str(u) for u in graph.objects(dataset, VOID.dataDump)}
    assert f"{live_server}/dump?format=nq" in dumps
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(dataset, VOID.classPartition)}
    assert partitions[PCS.Action] == CORPUS_ACTIONS and partitions[PCS.Commune] == 262
    for url in dumps:  # every advertised dump answers
        assert httpx.get(url, timeout=60).status_code == 200, url


def test_ontology_and_shapes_are_published(live_server: str) -> None:
    turtle = httpx.get(f"{live_server}/ontology", headers={"Accept": "text/turtle"})
    ontology = Graph().parse(data=turtle.text, format="turtle")
    assert (PCS.Action, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in ontology
    jsonld = httpx.get(f"{live_server}/ontology", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(ontology)
    in_browser = httpx.get(f"{live_server}/ontology", headers={"Accept": BROWSER})
    assert in_browser.headers["content-type"].startswith("text/html") and 'id="Action"' in in_browser.text
    shapes = httpx.get(f"{live_server}/ontology/shapes", headers={"Accept": "text/turtle"})
    shapes_graph = Graph().parse(data=shapes.text, format="turtle")
    assert any(shapes_graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))


def test_head_requests_answer_like_get_without_a_body(live_server: str) -> None:
    redirect = httpx.head(f"{live_server}/id/commune/53053", headers={"Accept": "text/turtle"})
    assert redirect.status_code == 303 and redirect.headers["location"] == "/data/commune/53053.ttl"
    data = httpx.head(f"{live_server}/data/commune/53053.ttl")
    assert data.status_code == 200 and data.headers["content-type"].startswith("text/turtle") and not data.content
