"""/ontology, /ontology/shapes and /ontology/source-kinds: a page for a browser, RDF for a client."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
from conftest import CORPUS_ACTIONS
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pcs_graph.config import ONTOLOGY_DIR
from pcs_graph.graph.vocab import PCS

SH = "http://www.w3.org/ns/shacl#"


class Sections(HTMLParser):
    """The text under each element carrying an id (what a reader sees after following /page#id)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        self.stack.append((tag, a.get("id")))
        if a.get("id"):
            self.text.setdefault(a["id"], [])
            self.links.setdefault(a["id"], [])
        if tag == "a" and a.get("href"):
            for _, ident in self.stack:
                if ident:
                    self.links[ident].append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, ident in self.stack:
            if ident:
                self.text[ident].append(data)

    def of(self, ident: str) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text[ident]))


@pytest.fixture(scope="module")
def ontology_page(live_server: str) -> Sections:
    response = httpx.get(f"{live_server}/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Sections()
    page.feed(response.text)
    return page


def test_the_ontology_page_documents_pcs_action_at_its_anchor(ontology_page: Sections) -> None:
    action = ontology_page.of("Action")
    for expected in ("pcs:Action", "Action concrète inscrite dans un plan",  # French comment
                     "Concrete action of one social cohesion plan",          # English comment
                     "prov:Entity",                                          # super-class
                     "pcs:partner", "pcs:actionType",                        # its properties
                     "Une action doit avoir exactement une commune",         # a SHACL message that applies
                     "au moins 1 valeur(s)"):                               # a constraint, worded
        assert expected in action, expected
    assert re.search(rf"\b{CORPUS_ACTIONS} ressources\b", action)  # live: the store's actions
    example = next(h for h in ontology_page.links["Action"] if h.startswith("/id/action/"))
    query = next(h for h in ontology_page.links["Action"] if h.startswith("/requetes?"))
    assert "pcs:Action" in parse_qs(urlsplit(query).query)["query"][0]
    assert example


def test_every_class_and_property_has_its_anchor_labels_domain_and_range(ontology_page: Sections) -> None:
    g = Graph().parse(ONTOLOGY_DIR / "pcs.ttl", format="turtle")
    terms = [s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(str(PCS))]
    assert len(terms) >= 55  # 19 classes, 40 properties when this was written
    for term in terms:
        name = str(term)[len(str(PCS)):]
        text = ontology_page.of(name)
        for label in g.objects(term, RDFS.label):
            assert str(label) in text, (name, label)  # French and English
        for comment in g.objects(term, RDFS.comment):
            assert str(comment) in text, (name, "comment")
        for predicate, heading in ((RDFS.domain, "Domaine"), (RDFS.range, "Portée"), (RDFS.subClassOf, "Sous-classe de")):
            if (term, predicate, None) in g:
                assert heading in text, (name, heading)


def test_the_shacl_constraints_are_on_the_property_too(ontology_page: Sections) -> None:
    nis = ontology_page.of("nisCode")
    assert "^[0-9]{5}$" in nis and "CommuneShape" in nis


def test_a_class_query_link_returns_the_class_members(live_server: str, ontology_page: Sections) -> None:
    query = next(h for h in ontology_page.links["Commune"] if h.startswith("/requetes?"))
    text = parse_qs(urlsplit(query).query)["query"][0]
    page = httpx.get(f"{live_server}{query}")
    assert page.status_code == 200 and "pcs:Commune" in page.text  # the editor opens on it
    rows = httpx.get(f"{live_server}/sparql", params={"query": text},
                     headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert len(rows) == 100  # LIMIT 100 of the 262 communes


def test_turtle_still_returns_the_ontology_file(live_server: str) -> None:
    response = httpx.get(f"{live_server}/ontology", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == (ONTOLOGY_DIR / "pcs.ttl").read_bytes()
    nt = httpx.get(f"{live_server}/ontology", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.text, format="nt")) == len(Graph().parse(data=response.text, format="turtle"))


def test_the_shapes_page_lists_each_shape_with_its_messages(live_server: str) -> None:
    response = httpx.get(f"{live_server}/ontology/shapes", headers={"Accept": "text/html"})
    page = Sections()
    page.feed(response.text)
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    for shape in shapes.subjects(RDF.type, URIRef(SH + "NodeShape")):
        name = str(shape)[len(str(PCS)):]
        for prop in shapes.objects(shape, URIRef(SH + "property")):
            message = shapes.value(prop, URIRef(SH + "message"))
            assert message is None or str(message) in page.of(name), (name, message)
    turtle = httpx.get(f"{live_server}/ontology/shapes", headers={"Accept": "text/turtle"})
    assert turtle.content == (ONTOLOGY_DIR / "shapes.ttl").read_bytes()


def test_the_source_kind_scheme_as_a_page_and_as_skos(live_server: str) -> None:
    response = httpx.get(f"{live_server}/ontology/source-kinds", headers={"Accept": "text/html"})
    page = Sections()
    page.feed(response.text)
    press = page.of("PressArticle")
    assert "press" in press and "Article de presse" in press and "Press article" in press
    turtle = httpx.get(f"{live_server}/ontology/source-kinds", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=turtle.text, format="turtle")
    kinds = set(g.subjects(SKOS.inScheme, PCS.SourceKindScheme))
    assert {PCS.PressArticle, PCS.CommuneContribution} <= kinds and len(kinds) == 11
    assert (PCS.SourceKindScheme, RDF.type, SKOS.ConceptScheme) in g
    assert g.value(PCS.PressArticle, SKOS.notation) == Literal("press")
    assert all(k.startswith(str(PCS)) for k in kinds) and not list(g.subjects(RDF.type, OWL.ObjectProperty))
