"""/ontology, /ontology/shapes and /ontology/source-kinds (and the glossary, `glossary.py`): a French page for
a browser, RDF otherwise.

    curl -H 'Accept: text/html' /ontology        # every term, anchors: /ontology#Action
    curl -H 'Accept: text/turtle' /ontology      # ontology/pcs.ttl as written (comments kept)
    curl -H 'Accept: application/ld+json' /ontology/source-kinds

The pages are live: each class says how many resources of the store have it, links one of them
and a SPARQL query listing them (opened on /requetes); each source kind, how many publications
have it. Turtle of /ontology and /ontology/shapes is the file itself; the other formats and the
source-kind scheme (its concepts and the pcs:SourceKind class, cut out of pcs.ttl) go through rdflib,
JSON-LD compacted on /context.jsonld.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from pcs_graph.config import ONTOLOGY_DIR
from pcs_graph.graph.vocab import PCS

from ..pages.render import render
from ..rdf_http import RDF_DOC, graph_body, negotiated_rdf, rdf_response
from ..services import Services, get_services
from . import glossary
from .model import Vocabulary

router = APIRouter(tags=["Données liées"])
router.include_router(glossary.router)  # /ontology/glossaire
SCHEME = PCS.SourceKindScheme


@dataclass(frozen=True)
class Live:
    """What the store holds of a term: how many, one example (its path), and a query listing them."""

    count: int
    example: str | None
    example_label: str | None
    query_href: str


def vocabulary(request: Request) -> Vocabulary:
    """The parsed ontology and shapes, read once per process."""
    found = getattr(request.app.state, "vocabulary", None)
    if found is None:
        found = request.app.state.vocabulary = Vocabulary.load()
    return found


def query_link(query: str) -> str:
    return "/requetes?" + urlencode({"query": query}, quote_via=quote)


def class_query(name: str) -> str:
    return (f"SELECT ?x ?label WHERE {{\n  ?x a pcs:{name} .\n"
            "  OPTIONAL { ?x rdfs:label|skos:prefLabel ?label }\n} LIMIT 100")


def live_classes(services: Services, names: list[str]) -> dict[str, Live]:
    values = " ".join(f"pcs:{n}" for n in names)
    rows = services.store.select(f"""
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) (MIN(STR(?x)) AS ?example) WHERE {{
          VALUES ?class {{ {values} }} ?x a ?class FILTER(isIRI(?x)) }} GROUP BY ?class""")
    examples = [r["example"] for r in rows if r["example"]]
    labels: dict[str, str] = {}
    if examples:
        for r in services.store.select(
                "SELECT ?x (SAMPLE(?l) AS ?label) WHERE { VALUES ?x { " + " ".join(f"<{e}>" for e in examples)
                + " } ?x rdfs:label|skos:prefLabel ?l } GROUP BY ?x"):
            labels[r["x"] or ""] = r["label"] or ""
    found = {str(r["class"])[len(str(PCS)):]: r for r in rows}
    uris = services.workspace.uris
    out = {}
    for name in names:
        row = found.get(name)
        example = row["example"] if row else None
        relative = uris.relative(example) if example else None
        out[name] = Live(int(row["n"] or 0) if row else 0,
                         f"/id/{relative}" if relative else example, labels.get(example or ""),
                         query_link(class_query(name)))
    return out


def live_source_kinds(services: Services) -> dict[str, Live]:
    rows = services.store.select(f"""
        SELECT ?kind (COUNT(DISTINCT ?p) AS ?n) (MIN(STR(?p)) AS ?example) WHERE {{
          ?kind skos:inScheme <{SCHEME}> . OPTIONAL {{ ?p dcterms:type ?kind }} }} GROUP BY ?kind""")
    out = {}
    for r in rows:
        name = str(r["kind"])[len(str(PCS)):]
        query = (f"SELECT ?publication ?action WHERE {{\n  ?publication dcterms:type pcs:{name} .\n"
                 "  OPTIONAL { ?action dcterms:source ?publication }\n} LIMIT 100")
        out[name] = Live(int(r["n"] or 0), r["example"], None, query_link(query))
    return out


def source_kind_graph(vocab: Vocabulary) -> Graph:
    g = Graph()
    subjects = {SCHEME, PCS.SourceKind, *vocab.graph.subjects(SKOS.inScheme, SCHEME)}
    for s in subjects:
        for triple in vocab.graph.triples((s, None, None)):
            g.add(triple)
    return g


def rdf_answer(request: Request, media: str, graph: Graph, turtle_file: str | None, first: URIRef) -> Response:
    if media == "text/turtle" and turtle_file:
        body = (ONTOLOGY_DIR / turtle_file).read_bytes()
    else:
        body = graph_body(request, graph, media, first=str(first))
    return rdf_response(request, body, media)


@router.get("/ontology", summary="L'ontologie pcs: (page HTML, Turtle, JSON-LD, N-Triples, RDF/XML selon Accept)",
            response_class=Response, responses=RDF_DOC)
async def ontology(request: Request, services: Services = Depends(get_services)) -> Response:
    media = negotiated_rdf(request, html=True)
    vocab = vocabulary(request)
    if media != "text/html":
        return await services.run(rdf_answer, request, media, vocab.graph, "pcs.ttl", URIRef(vocab.iri))
    classes = [t.name for t in vocab.of_kind("Classe")]
    live = await services.run(live_classes, services, classes)
    return render(request, "ontology.html", title="Ontologie pcs:", vocab=vocab, live=live,
                  rdf_links=rdf_links("/ontology"))


@router.get("/ontology/shapes", summary="Les formes SHACL d'un graphe valide (page HTML ou RDF selon Accept)",
            response_class=Response, responses=RDF_DOC)
async def shapes(request: Request, services: Services = Depends(get_services)) -> Response:
    media = negotiated_rdf(request, html=True)
    vocab = vocabulary(request)
    if media != "text/html":
        return await services.run(rdf_answer, request, media, vocab.shapes_graph, "shapes.ttl",
                                  URIRef("https://w3id.org/pcs/shapes"))
    return render(request, "shapes.html", title="Formes SHACL", vocab=vocab, rdf_links=rdf_links("/ontology/shapes"))


@router.get("/ontology/source-kinds", summary="Le schéma SKOS des types de sources (page HTML ou RDF selon Accept)",
            response_class=Response, responses=RDF_DOC)
async def source_kinds(request: Request, services: Services = Depends(get_services)) -> Response:
    media = negotiated_rdf(request, html=True)
    vocab = vocabulary(request)
    if media != "text/html":
        return await services.run(rdf_answer, request, media, source_kind_graph(vocab), None, SCHEME)
    scheme = vocab.term("SourceKindScheme")
    kinds = sorted((t for t in vocab.terms if t.scheme and t.scheme.curie == "pcs:SourceKindScheme"),
                   key=lambda t: t.notation or t.name)
    live = await services.run(live_source_kinds, services)
    return render(request, "source_kinds.html", title="Types de sources", vocab=vocab, scheme=scheme, kinds=kinds,
                  live=live, rdf_links=rdf_links("/ontology/source-kinds"))


def rdf_links(path: str) -> list[tuple[str, str]]:
    """(label, URL) of the page's RDF forms, by a format parameter a browser can follow."""
    return [(label, f"{path}?format={fmt}") for label, fmt in
            (("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("RDF/XML", "rdf"))]
