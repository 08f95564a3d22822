"""Linked data: resource URIs dereference, descriptions in RDF, the whole graph, VoID/DCAT, ontology.

    GET /id/commune/53053     303 → /commune/53053 (HTML page) or /data/commune/53053.ttl|.jsonld|.nt
    GET /data/commune/53053.ttl   the resource's description: its triples, the labels of what it links
                                  to, and (up to 2 000) triples pointing at it with their subjects' labels
    GET /dump?format=ttl|nt|nq|trig|jsonld    the whole graph (N-Quads/TriG keep the named graphs)
    GET /.well-known/void, /dataset           VoID + DCAT description (counts, licence, endpoint, dumps)
    GET /ontology, /ontology/shapes           the ontology and the SHACL shapes (Turtle, JSON-LD, N-Triples)

A data URI `{base}X` is served at `/id/X`; its page is `/X` when the pages serve one (checked
against the app's routes), else the HTML request is sent to the Turtle description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from starlette.routing import Match

from pcs_graph.config import ONTOLOGY_DIR
from pcs_graph.graph.vocab import PCS, PREFIXES, VOID

from .errors import NotAcceptable, ResourceNotFound
from .negotiation import best_media_type, prefers_html
from .services import Services, get_services

router = APIRouter(tags=["Données liées"])

EXTENSIONS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
              "rdf": "application/rdf+xml"}
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                  "application/rdf+xml": "xml"}
DUMP_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
                "trig": "application/trig", "jsonld": "application/ld+json"}
RDF_TYPES = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
RDF_DOC = {200: {"description": "RDF selon Accept (text/plain : Turtle lisible dans un navigateur)",
                 "content": {m: {"schema": {}} for m in [*RDF_TYPES, "text/plain"]}}}
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
ONTOLOGY_FILES = {"ontology": ONTOLOGY_DIR / "pcs.ttl", "shapes": ONTOLOGY_DIR / "shapes.ttl"}


def extension_of(media_type: str) -> str:
    return next(ext for ext, m in EXTENSIONS.items() if m == media_type)


def rdf_response(body: bytes, media_type: str, filename: str | None = None) -> Response:
    headers = {"Vary": "Accept"}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    charset = "" if media_type == "application/ld+json" else "; charset=utf-8"
    return Response(body, media_type=media_type + charset, headers=headers)


def serialize(graph: Graph, media_type: str) -> bytes:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")


def has_page(request: Request, path: str) -> bool:
    """Whether the app serves an HTML page at `/{path}` (the pages' routes decide)."""
    scope = {"type": "http", "path": f"/{path}", "method": "GET", "root_path": ""}
    for route in request.app.routes:
        if getattr(route, "path", "").startswith(("/id/", "/data/", "/api/")):
            continue
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return True
    return False


# --- resources --------------------------------------------------------------------------------

@router.head("/id/{path:path}", include_in_schema=False)
@router.get("/id/{path:path}", status_code=303, summary="URI d'une ressource : 303 vers sa page ou ses données",
            responses={303: {"description": "voir Location"}, 404: {"description": "ressource inconnue"}})
async def resource(path: str, request: Request, services: Services = Depends(get_services)) -> Response:
    uri = services.settings.base_uri + path
    if not path or not valid_iri(uri) or not await services.run(exists, services, uri):
        raise ResourceNotFound(f"aucune ressource {uri} dans le graphe")
    accept = request.headers.get("accept")
    if prefers_html(accept) or not accept or best_media_type(accept, ["text/html", *RDF_TYPES]) == "text/html":
        target = f"/{path}" if has_page(request, path) else f"/data/{path}.ttl"
    else:
        media = best_media_type(accept, RDF_TYPES)
        if media is None:
            raise NotAcceptable(f"aucun format disponible pour Accept: {accept} ; formats : text/html, "
                                + ", ".join(RDF_TYPES))
        target = f"/data/{path}.{extension_of(media)}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


def valid_iri(uri: str) -> bool:
    try:
        ox.NamedNode(uri)
    except ValueError:
        return False
    return not any(c in uri for c in '<>"{}|^`\\ ') and all(ord(c) > 0x20 for c in uri)


def exists(services: Services, uri: str) -> bool:
    return services.store.ask(f"ASK {{ {{ <{uri}> ?p ?o }} UNION {{ ?s ?p <{uri}> }} }}")


def describe(services: Services, uri: str) -> Graph:
    return services.store.construct(f"""
        CONSTRUCT {{ <{uri}> ?p ?o . ?o ?lp ?l . ?s ?ip <{uri}> . ?s ?slp ?sl }} WHERE {{
          {{ <{uri}> ?p ?o .
             OPTIONAL {{ ?o ?lp ?l FILTER(?lp IN (rdfs:label, skos:prefLabel, skos:notation)) }} }}
          UNION
          {{ {{ SELECT ?s ?ip WHERE {{ ?s ?ip <{uri}> }} LIMIT 2000 }}
             OPTIONAL {{ ?s ?slp ?sl FILTER(?slp IN (rdfs:label, skos:prefLabel)) }} }}
        }}""")


@router.head("/data/{path:path}", include_in_schema=False)
@router.get("/data/{path:path}", summary="Description RDF d'une ressource (.ttl, .jsonld, .nt, .rdf)",
            responses={200: {"content": {m: {} for m in EXTENSIONS.values()}}, 404: {"description": "inconnue"}})
async def data(path: str, services: Services = Depends(get_services)) -> Response:
    stem, _, ext = path.rpartition(".")
    uri = services.settings.base_uri + stem
    if not stem or ext not in EXTENSIONS or not valid_iri(uri):
        raise ResourceNotFound(f"/data/{path} : attendu /data/<chemin>.ttl|.jsonld|.nt|.rdf")
    graph = await services.run(describe, services, uri)
    if len(graph) == 0:
        raise ResourceNotFound(f"aucune ressource {uri} dans le graphe")
    return rdf_response(serialize(graph, EXTENSIONS[ext]), EXTENSIONS[ext])


# --- the whole graph ---------------------------------------------------------------------------

@router.head("/dump", include_in_schema=False)
@router.get("/dump", summary="Tout le graphe (Turtle, N-Triples, N-Quads, TriG, JSON-LD)",
            responses={200: {"content": {m: {} for m in DUMP_FORMATS.values()}}})
async def dump(request: Request,
               format: Annotated[str | None, Query(pattern="^(ttl|nt|nq|trig|jsonld)$",
                                                   description="sinon choisi par Accept")] = None,
               services: Services = Depends(get_services)) -> Response:
    media = DUMP_FORMATS[format] if format else best_media_type(request.headers.get("accept"),
                                                                 list(DUMP_FORMATS.values()))
    if media is None:
        raise NotAcceptable("formats disponibles : " + ", ".join(DUMP_FORMATS.values()))
    ext = next(e for e, m in DUMP_FORMATS.items() if m == media)
    body = await services.run(services.store.dump, media)
    response = rdf_response(body, media)
    response.headers["Content-Disposition"] = f'attachment; filename="pcs-graph.{ext}"'
    return response


# --- dataset description ----------------------------------------------------------------------

def dataset_graph(services: Services, public: str) -> Graph:
    counts = services.store.select("""
        SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
        WHERE { GRAPH ?g { ?s ?p ?o } }""")[0]
    classes = services.store.select("""
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES ?class { pcs:Action pcs:Commune pcs:Plan pcs:Partner pcs:ActionType pcs:SourceDocument }
          ?x a ?class } GROUP BY ?class""")
    used = services.store.select("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune ?c }""")
    uris = services.workspace.uris
    g = Graph()
    d = uris.dataset()
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("Plans de cohésion sociale de Wallonie : graphe de connaissances", lang="fr")))
    g.add((d, DCTERMS.description, Literal(
        "Actions des Plans de cohésion sociale (PCS) des communes wallonnes, classées selon la nomenclature "
        "axe.thème.action, avec leurs communes, partenaires et documents sources.", lang="fr")))
    g.add((d, DCTERMS.license, URIRef(DATA_LICENSE)))
    g.add((d, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/fr")))
    g.add((d, VOID.uriSpace, Literal(services.settings.base_uri)))
    g.add((d, VOID.vocabulary, URIRef(str(PCS))))
    g.add((d, VOID.sparqlEndpoint, URIRef(f"{public}sparql")))
    g.add((d, DCAT.landingPage, URIRef(public)))
    g.add((d, VOID.triples, Literal(int(counts["triples"] or 0), datatype=XSD.integer)))
    g.add((d, VOID.distinctSubjects, Literal(int(counts["subjects"] or 0), datatype=XSD.integer)))
    g.add((d, VOID.rootResource, URIRef(str(uris.scheme("nomenclature")))))
    for row in classes:
        part = BNode()
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"] or "")))
        g.add((part, VOID.entities, Literal(int(row["n"] or 0), datatype=XSD.integer)))
    g.add((d, DCTERMS.spatial, URIRef("http://www.wikidata.org/entity/Q231")))  # Wallonia
    g.add((d, DCTERMS.coverage, Literal(f"{int(used[0]['n'] or 0)} communes avec des actions", lang="fr")))
    for ext, media in DUMP_FORMATS.items():
        url = URIRef(f"{public}dump?format={ext}")
        g.add((d, VOID.dataDump, url))
        dist = BNode()
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        g.add((dist, DCTERMS.license, URIRef(DATA_LICENSE)))
    service = BNode()
    g.add((d, DCAT.distribution, service))
    g.add((service, RDF.type, DCAT.Distribution))
    g.add((service, DCAT.accessURL, URIRef(f"{public}sparql")))
    g.add((service, DCTERMS.title, Literal("Endpoint SPARQL 1.1 (lecture seule)", lang="fr")))
    return g


def negotiated_rdf(request: Request) -> tuple[str, str]:
    """(media type of the body, media type to label it with): a browser gets Turtle as text/plain."""
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return "text/turtle", "text/plain"
    media = best_media_type(accept, RDF_TYPES)
    if media is None:
        raise NotAcceptable("formats disponibles : " + ", ".join(RDF_TYPES))
    return media, media


@router.head("/.well-known/void", include_in_schema=False)
@router.get("/.well-known/void", summary="Description VoID/DCAT du jeu de données", response_class=Response,
            responses=RDF_DOC)
@router.head("/dataset", include_in_schema=False)
@router.get("/dataset", summary="Description VoID/DCAT du jeu de données", response_class=Response, responses=RDF_DOC)
async def dataset(request: Request, services: Services = Depends(get_services)) -> Response:
    media, label = negotiated_rdf(request)
    graph = await services.run(dataset_graph, services, str(request.base_url))
    graph.bind("void", str(VOID))
    graph.bind("dcat", str(DCAT))
    return rdf_response(serialize(graph, media), label)


# --- ontology ---------------------------------------------------------------------------------

def ontology_body(path: Path, media: str) -> bytes:
    text = path.read_bytes()
    if media == "text/turtle":
        return text
    fmt = {"application/ld+json": ox.RdfFormat.JSON_LD, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML}[media]
    return ox.serialize(list(ox.parse(text, format=ox.RdfFormat.TURTLE)), format=fmt) or b""


@router.head("/ontology", include_in_schema=False)
@router.get("/ontology", summary="L'ontologie pcs: (Turtle, JSON-LD, N-Triples selon Accept)", response_class=Response,
            responses=RDF_DOC)
async def ontology(request: Request) -> Response:
    media, label = negotiated_rdf(request)
    return rdf_response(ontology_body(ONTOLOGY_FILES["ontology"], media), label)


@router.head("/ontology/shapes", include_in_schema=False)
@router.get("/ontology/shapes", summary="Les formes SHACL d'un graphe valide", response_class=Response,
            responses=RDF_DOC)
async def shapes(request: Request) -> Response:
    media, label = negotiated_rdf(request)
    return rdf_response(ontology_body(ONTOLOGY_FILES["shapes"], media), label)
