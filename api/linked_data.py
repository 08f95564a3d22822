"""Linked data: resource URIs dereference, descriptions in RDF, the whole graph, the JSON-LD context.

    GET /id/commune/53053     303 → /commune/53053 (HTML page) or /data/commune/53053.ttl|.jsonld|.nt
    GET /data/commune/53053.ttl   the resource's description: its triples, the labels of what it links
                                  to, and (up to 2 000) triples pointing at it with their subjects' labels
    GET /dump?format=ttl|nt|nq|trig|jsonld    the whole graph (N-Quads/TriG keep the named graphs),
                                  built once per state of the store (`dumps.py`), gzip on request
    GET /context.jsonld           the JSON-LD context of every JSON-LD answer

The dataset description is in `dataset.py`, the ontology's pages in `ontodoc/`.

A data URI `{base}X` is served at `/id/X`; its page is `/X` when the pages serve one (checked
against the app's routes), else the HTML request is sent to the Turtle description.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from rdflib import Graph
from starlette.routing import Match

from .caching import accepts_gzip, http_date
from .dumps import DUMP_FORMATS, Dump
from .errors import NotAcceptable, ResourceNotFound
from .jsonld import CONTEXT_PATH, JSONLD, context_link
from .negotiation import best_media_type, prefers_html
from .rdf_http import EXTENSIONS, RDF_TYPES, extension_of, graph_body, jsonld_context, rdf_response
from .services import Services, get_services

router = APIRouter(tags=["Données liées"])


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


@router.get("/data/{path:path}", summary="Description RDF d'une ressource (.ttl, .jsonld, .nt, .rdf)",
            responses={200: {"content": {m: {} for m in EXTENSIONS.values()}}, 404: {"description": "inconnue"}})
async def data(path: str, request: Request, services: Services = Depends(get_services)) -> Response:
    stem, _, ext = path.rpartition(".")
    uri = services.settings.base_uri + stem
    if not stem or ext not in EXTENSIONS or not valid_iri(uri):
        raise ResourceNotFound(f"/data/{path} : attendu /data/<chemin>.ttl|.jsonld|.nt|.rdf")
    graph = await services.run(describe, services, uri)
    if len(graph) == 0:
        raise ResourceNotFound(f"aucune ressource {uri} dans le graphe")
    media = EXTENSIONS[ext]
    body = await services.run(graph_body, request, graph, media, uri)
    return rdf_response(request, body, media)


# --- the whole graph ---------------------------------------------------------------------------

@router.get("/dump", summary="Tout le graphe (Turtle, N-Triples, N-Quads, TriG, JSON-LD), mis en cache",
            responses={200: {"content": {m: {} for m in DUMP_FORMATS.values()}}, 304: {"description": "inchangé"}})
async def dump(request: Request,
               format: Annotated[str | None, Query(pattern="^(ttl|nt|nq|trig|jsonld)$",
                                                   description="sinon choisi par Accept")] = None,
               services: Services = Depends(get_services)) -> Response:
    media = DUMP_FORMATS[format] if format else best_media_type(request.headers.get("accept"),
                                                                 list(DUMP_FORMATS.values()))
    if media is None:
        raise NotAcceptable("formats disponibles : " + ", ".join(DUMP_FORMATS.values()))
    ext = next(e for e, m in DUMP_FORMATS.items() if m == media)
    built = await services.run(cached_dump, request, services, ext)
    gzipped = accepts_gzip(request.headers.get("accept-encoding"))
    # Vary: the GZip middleware adds Accept-Encoding to the answers it passes uncompressed
    headers = {"Vary": "Accept, Accept-Encoding" if gzipped else "Accept", "ETag": built.etag,
               "Content-Disposition": f'attachment; filename="pcs-graph.{ext}"'}
    headers["Last-Modified"] = http_date(request.app.state.tracker.last_modified())
    if media == JSONLD:
        headers["Link"] = context_link(jsonld_context(request)[1])
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    charset = "" if media == JSONLD else "; charset=utf-8"
    return FileResponse(built.gz_path if gzipped else built.path, media_type=media + charset, headers=headers)


def cached_dump(request: Request, services: Services, ext: str) -> Dump:
    """The dump of `ext` for the store's current state (built on the first request after a write)."""
    context, url = jsonld_context(request)
    state = request.app.state.tracker.current()
    return request.app.state.dumps.get(services.store, state, ext, context, url)


# --- the JSON-LD context ------------------------------------------------------------------------

@router.get(CONTEXT_PATH, summary="Le contexte JSON-LD de toutes les réponses JSON-LD", response_class=Response,
            responses={200: {"content": {JSONLD: {}}}})
async def context(request: Request) -> Response:
    return Response(request.app.state.jsonld.text, media_type=JSONLD,
                    headers={"Cache-Control": "public, max-age=3600"})
