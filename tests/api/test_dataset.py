"""The dataset description against DCAT-AP 3's mandatory and recommended properties.

DCAT-AP's SHACL shapes are not available offline, so the properties are checked one by one below:
the classes' mandatory (M) and recommended (R) properties, with the ranges and vocabularies DCAT-AP
asks for (EU authority tables for themes, languages, licences, file types; IANA media types).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

BASE = "https://w3id.org/pcs/id/"
EU = "http://publications.europa.eu/resource/authority/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
DUMPS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads", "trig": "application/trig",
         "jsonld": "application/ld+json"}


@pytest.fixture(scope="module")
def description(live_server: str) -> Graph:
    response = httpx.get(f"{live_server}/dataset", headers={"Accept": "text/turtle"}, timeout=120)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


def one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def test_the_catalogue_has_its_mandatory_and_recommended_properties(description: Graph, live_server: str) -> None:
    g, catalogue = description, URIRef(BASE + "catalogue")
    assert (catalogue, RDF.type, DCAT.Catalog) in g
    assert (catalogue, DCAT.dataset, URIRef(BASE + "dataset")) in g                      # M
    for p in (DCTERMS.title, DCTERMS.description):                                        # M
        assert one(g, catalogue, p).language == "fr"
    assert one(g, one(g, catalogue, DCTERMS.publisher), FOAF.name)                       # M
    assert one(g, catalogue, FOAF.homepage) == URIRef(f"{live_server}/")                 # R
    assert one(g, catalogue, DCTERMS.language) == URIRef(EU + "language/FRA")            # R
    assert one(g, catalogue, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")        # R
    assert one(g, catalogue, DCAT.themeTaxonomy) == URIRef(EU + "data-theme")             # R
    assert one(g, catalogue, DCTERMS.modified).datatype == XSD.dateTime                   # R


def test_the_dataset_has_its_mandatory_and_recommended_properties(description: Graph) -> None:
    g, d = description, URIRef(BASE + "dataset")
    assert (d, RDF.type, DCAT.Dataset) in g
    for p in (DCTERMS.title, DCTERMS.description):                                        # M
        assert one(g, d, p).language == "fr"
    contact = one(g, d, DCAT.contactPoint)                                                # R
    assert (contact, RDF.type, URIRef(VCARD + "Kind")) in g and one(g, contact, URIRef(VCARD + "fn"))
    assert list(g.objects(contact, URIRef(VCARD + "hasURL"))) or list(g.objects(contact, URIRef(VCARD + "hasEmail")))
    publisher = one(g, d, DCTERMS.publisher)                                              # R
    assert (publisher, RDF.type, FOAF.Agent) in g and one(g, publisher, FOAF.name)
    assert one(g, d, DCAT.theme) == URIRef(EU + "data-theme/SOCI")                         # R
    assert URIRef("http://data.europa.eu/nuts/code/BE3") in set(g.objects(d, DCTERMS.spatial))  # R: Wallonia
    assert len(list(g.objects(d, DCAT.keyword))) >= 3                                     # R
    period = one(g, d, DCTERMS.temporal)                                                  # R
    assert (one(g, period, DCAT.startDate), one(g, period, DCAT.endDate)) == (
        Literal("2009-01-01", datatype=XSD.date), Literal("2026-12-31", datatype=XSD.date))  # 2009-2013 to the extension
    assert one(g, d, DCTERMS.language) == URIRef(EU + "language/FRA")                     # O
    assert one(g, d, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    issued, modified = one(g, d, DCTERMS.issued), one(g, d, DCTERMS.modified)             # O
    assert issued.datatype == modified.datatype == XSD.dateTime and issued.toPython() <= modified.toPython()
    assert isinstance(modified.toPython(), datetime)


def test_the_dates_are_the_store_s_recorded_writes(description: Graph, live_server: str) -> None:
    """modified is the stamp the last write left in graph/registry, not the time of the request."""
    query = "SELECT ?m WHERE { GRAPH ?g { <https://w3id.org/pcs/id/dataset> dcterms:modified ?m } }"
    rows = httpx.get(f"{live_server}/sparql", params={"query": query},
                     headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    recorded = Literal(rows[0]["m"]["value"], datatype=XSD.dateTime).toPython()
    assert one(description, URIRef(BASE + "dataset"), DCTERMS.modified).toPython() == recorded


def test_one_distribution_per_dump_format_with_size_and_checksum_of_the_file_served(description: Graph,
                                                                                  live_server: str) -> None:
    g, d = description, URIRef(BASE + "dataset")
    by_url = {str(one(g, dist, DCAT.accessURL)): dist for dist in g.objects(d, DCAT.distribution)}
    for ext, media in DUMPS.items():
        url = f"{live_server}/dump?format={ext}"
        dist = by_url[url]
        assert (dist, RDF.type, DCAT.Distribution) in g
        assert one(g, dist, DCAT.downloadURL) == URIRef(url)                                  # O
        assert one(g, dist, DCAT.mediaType) == URIRef(f"http://www.iana.org/assignments/media-types/{media}")
        assert str(one(g, dist, DCTERMS.format)).startswith(EU + "file-type/")               # R
        assert one(g, dist, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")             # R
        assert one(g, dist, DCTERMS.description)                                             # R
        assert str(one(g, dist, URIRef("http://data.europa.eu/r5r/availability"))).startswith(EU)  # R
        size = one(g, dist, DCAT.byteSize)
        checksum = one(g, dist, URIRef(SPDX + "checksum"))
        assert one(g, checksum, URIRef(SPDX + "algorithm")) == URIRef(SPDX + "checksumAlgorithm_sha256")
        value = one(g, checksum, URIRef(SPDX + "checksumValue"))
        assert size.datatype == XSD.nonNegativeInteger and value.datatype == XSD.hexBinary
        body = httpx.get(url, timeout=120).content
        assert (int(size), str(value)) == (len(body), hashlib.sha256(body).hexdigest()), ext
    sparql = by_url[f"{live_server}/sparql"]
    service = one(g, sparql, DCAT.accessService)
    assert (service, RDF.type, DCAT.DataService) in g
    assert one(g, service, DCAT.endpointURL) == URIRef(f"{live_server}/sparql") and one(g, service, DCTERMS.title)


def test_publisher_and_contact_come_from_the_settings(corpus_store, tmp_path) -> None:
    from server import LiveServer, copy_settings

    settings = copy_settings(corpus_store, tmp_path, publisher_name="Région wallonne — SPW IAS",
                             publisher_uri="https://example.org/spw", contact_email="pcs@example.org")
    server = LiveServer(settings)
    server.start()
    try:
        g = Graph().parse(data=httpx.get(f"{server.url}/dataset", headers={"Accept": "text/turtle"}, timeout=120).text,
                          format="turtle")
    finally:
        server.stop()
    d = URIRef(BASE + "dataset")
    assert one(g, d, DCTERMS.publisher) == URIRef("https://example.org/spw")
    assert str(one(g, URIRef("https://example.org/spw"), FOAF.name)) == "Région wallonne — SPW IAS"
    assert one(g, one(g, d, DCAT.contactPoint), URIRef(VCARD + "hasEmail")) == URIRef("mailto:pcs@example.org")
