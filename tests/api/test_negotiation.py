"""Content negotiation: a table of Accept headers and the type each route answers, over real HTTP.

Among types of equal quality the one the client names beats one it accepts only through `type/*`,
which beats `*/*` (RFC 9110, 12.5.1); SPARQLWrapper's XML request gets SPARQL XML results.
"""

from __future__ import annotations

import httpx
import pytest
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from pcs_graph.api.negotiation import best_media_type

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SPARQLWRAPPER_XML = "application/sparql-results+xml,application/rdf+xml,*/*"  # the report
SELECT = "SELECT ?c WHERE { ?c pcs:nisCode '53053' }"
CONSTRUCT = "CONSTRUCT { ?c pcs:nisCode ?n } WHERE { ?c pcs:nisCode '53053' ; pcs:nisCode ?n }"


@pytest.mark.parametrize("accept, offered, expected", [
    ("application/sparql-results+xml,*/*", ["application/sparql-results+json", "application/sparql-results+xml"],
     "application/sparql-results+xml"),
    ("text/*, application/ld+json", ["text/turtle", "application/ld+json"], "application/ld+json"),
    ("*/*, text/*", ["application/ld+json", "text/turtle"], "text/turtle"),
    ("*/*", ["application/ld+json", "text/turtle"], "application/ld+json"),
    ("text/turtle;q=0.5, */*", ["text/turtle", "application/ld+json"], "application/ld+json"),
    ("text/turtle;q=0, */*", ["text/turtle"], None),
    (None, ["text/turtle", "application/ld+json"], "text/turtle"),
])
def test_a_named_type_beats_a_wildcard_at_equal_quality(accept, offered, expected) -> None:
    assert best_media_type(accept, offered) == expected


@pytest.mark.parametrize("query, accept, expected", [
    (SELECT, SPARQLWRAPPER_XML, "application/sparql-results+xml"),
    (SELECT, "*/*", "application/sparql-results+json"),
    (SELECT, "application/json, */*;q=0.1", "application/sparql-results+json"),
    (SELECT, "text/csv;q=0.9, application/sparql-results+xml;q=0.5, */*;q=0.9", "text/csv"),
    (SELECT, "text/*", "text/csv"),
    (SELECT, "text/tab-separated-values, */*", "text/tab-separated-values"),
    (SELECT, BROWSER, "application/sparql-results+xml"),  # application/xml;q=0.9 is named, */* only 0.8
    (CONSTRUCT, SPARQLWRAPPER_XML, "application/rdf+xml"),
    (CONSTRUCT, "*/*", "text/turtle"),
    (CONSTRUCT, "application/ld+json, */*", "application/ld+json"),
    (CONSTRUCT, "application/n-triples;q=0.9, text/turtle;q=0.8", "application/n-triples"),
    ("ASK {}", SPARQLWRAPPER_XML, "application/sparql-results+xml"),
])
def test_sparql_endpoint_answers_the_type_the_table_says(live_server: str, query: str, accept: str,
                                                          expected: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("accept, location", [
    ("text/turtle", "/data/commune/53053.ttl"),
    ("text/turtle, */*", "/data/commune/53053.ttl"),
    ("application/ld+json, text/turtle;q=0.9", "/data/commune/53053.jsonld"),
    ("application/*, text/turtle;q=0.8", "/data/commune/53053.jsonld"),
    ("application/n-triples, */*;q=0.1", "/data/commune/53053.nt"),
    ("application/rdf+xml", "/data/commune/53053.rdf"),
    (BROWSER, "/commune/53053"),
    ("*/*", "/commune/53053"),
])
def test_resource_uris_redirect_where_the_table_says(live_server: str, accept: str, location: str) -> None:
    response = httpx.get(f"{live_server}/id/commune/53053", headers={"Accept": accept})
    assert response.status_code == 303 and response.headers["location"] == location


@pytest.mark.parametrize("accept, expected", [
    (BROWSER, "text/html"),
    ("text/html", "text/html"),
    ("text/turtle", "text/turtle"),
    ("text/turtle, */*", "text/turtle"),
    ("*/*", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples, text/html;q=0.5", "application/n-triples"),
    ("application/rdf+xml, */*", "application/rdf+xml"),
])
def test_ontology_answers_the_type_the_table_says(live_server: str, accept: str, expected: str) -> None:
    for path in ("/ontology", "/ontology/shapes", "/ontology/source-kinds"):
        response = httpx.get(f"{live_server}{path}", headers={"Accept": accept})
        assert response.status_code == 200, (path, response.text[:200])
        assert response.headers["content-type"].split(";")[0] == expected, path


def test_nothing_acceptable_is_406(live_server: str) -> None:
    assert httpx.get(f"{live_server}/ontology", headers={"Accept": "image/png"}).status_code == 406
    assert httpx.get(f"{live_server}/id/commune/53053", headers={"Accept": "image/png"}).status_code == 406


def test_sparqlwrapper_asking_for_xml_gets_sparql_xml_results(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery("PREFIX pcs: <https://w3id.org/pcs/ontology#> " + SELECT)
    client.setReturnFormat(XML)
    sent = client._getAcceptHeader()  # what this SPARQLWrapper really sends, checked below as well
    result = client.query()
    assert result.response.headers["content-type"].startswith("application/sparql-results+xml"), sent
    document = result.convert()  # an xml.dom document: SPARQLWrapper parsed it as SPARQL XML
    assert [n.firstChild.data for n in document.getElementsByTagName("uri")] == ["https://w3id.org/pcs/id/commune/53053"]
    for accept in (sent, SPARQLWRAPPER_XML):
        response = httpx.get(f"{live_server}/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/sparql-results+xml"), accept
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["c"]["value"].endswith("commune/53053")
