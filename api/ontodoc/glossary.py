"""/ontology/glossaire: the sector's glossary (ontology/glossary.ttl) as a French page, and as RDF.

    curl -H 'Accept: text/html' /ontology/glossaire          # every term: acronym, definition, source, links
    curl -H 'Accept: text/turtle' /ontology/glossaire        # the Turtle (the file itself on the default base)
    curl /ontology/glossaire.ttl                             # the same, by its extension

On a store whose data base is not the default one, the RDF forms are the glossary with its data URIs
moved under that base (`glossary_graph`), as loaded into the store's `graph/glossary`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import URIRef

from pcs_graph.config import DEFAULT_BASE_URI
from pcs_graph.graph.glossary import GLOSSARY_FILE, SCHEME_PATH, USUAL_SOURCE, Glossary, Term, glossary_graph, load_glossary
from pcs_graph.graph.uris import Uris

from ..pages.render import render
from ..rdf_http import RDF_DOC, graph_body, negotiated_rdf, rdf_response
from ..services import Services, get_services

router = APIRouter(tags=["Données liées"])
KINDS = {"action-type": "type d'action", "theme": "thème", "axis": "axe"}


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class TermView:
    term: Term
    acronyms: tuple[str, ...]
    others: tuple[str, ...]  # the other labels (not the acronyms)
    related: tuple[Link, ...]


def views(glossary: Glossary) -> list[TermView]:
    """Each term with its links: another term of the page by its anchor, the nomenclature by its data URI."""
    by_uri = {t.uri: t for t in glossary.terms}
    out = []
    for t in glossary.terms:
        links = []
        for uri in t.related:
            other = by_uri.get(uri)
            if other is not None:
                links.append(Link(other.acronyms[0] if other.acronyms else other.pref_label, f"#{other.key}"))
                continue
            path = uri[len(DEFAULT_BASE_URI):] if uri.startswith(DEFAULT_BASE_URI) else uri
            kind, _, code = path.partition("/")
            links.append(Link(f"{KINDS.get(kind, kind)} {code}", f"/id/{path}"))
        out.append(TermView(t, t.acronyms, tuple(x for x in t.alt_labels if x not in t.acronyms), tuple(links)))
    return out


def turtle(uris: Uris) -> bytes:
    if uris.base == DEFAULT_BASE_URI:
        return GLOSSARY_FILE.read_bytes()
    return glossary_graph(uris).serialize(format="turtle", encoding="utf-8")


def rdf_links() -> list[tuple[str, str]]:
    return [(label, f"/ontology/glossaire?format={fmt}") for label, fmt in
            (("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("RDF/XML", "rdf"))]


@router.get("/ontology/glossaire.ttl", summary="Le glossaire du secteur en Turtle (schéma de concepts SKOS)",
            response_class=Response, responses=RDF_DOC)
async def glossary_turtle(request: Request, services: Services = Depends(get_services)) -> Response:
    body = await services.run(turtle, services.workspace.uris)
    return rdf_response(request, body, "text/turtle", filename="glossaire.ttl")


@router.get("/ontology/glossaire", summary="Le glossaire du secteur : sigles, termes et synonymes (page HTML ou RDF selon Accept)",
            response_class=Response, responses=RDF_DOC)
async def glossary_page(request: Request, services: Services = Depends(get_services)) -> Response:
    media = negotiated_rdf(request, html=True)
    uris = services.workspace.uris
    if media == "text/turtle":
        return rdf_response(request, await services.run(turtle, uris), media)
    if media != "text/html":
        body = await services.run(lambda: graph_body(request, glossary_graph(uris), media,
                                                      first=str(URIRef(uris.base + SCHEME_PATH))))
        return rdf_response(request, body, media)
    glossary = await services.run(load_glossary)
    terms = views(glossary)
    return render(request, "glossary.html", title="Glossaire", glossary=glossary,
                  defined=[v for v in terms if v.term.definition], groups=[v for v in terms if not v.term.definition],
                  usual=USUAL_SOURCE, rdf_links=rdf_links())
