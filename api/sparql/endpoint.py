"""The public SPARQL 1.1 endpoint at /sparql (Protocol: query operation only; read-only).

    GET  /sparql?query=...                                  (SPARQLWrapper's default)
    POST /sparql   application/x-www-form-urlencoded query=...
    POST /sparql   application/sparql-query                 (the query is the body)

Results by `Accept` with q-values: SELECT/ASK as SPARQL JSON (also for `*/*`), XML, CSV or TSV;
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD or RDF/XML. Other parameters
(SPARQLWrapper's `format`, `output`, `results`) are ignored. `default-graph-uri`/`named-graph-uri`
are ignored too: the default graph is always the union of the named graphs.

Refused with 4xx: a missing or repeated `query` (400), a syntax error (400, the parser's message),
any update (`update=`, application/sparql-update, INSERT/DELETE/LOAD/CLEAR/... : 403), SERVICE to an
endpoint not allow-listed (403), a wrong POST content type (415), a result beyond the cap (400).
A query past the time limit is stopped (504). GET /sparql without a query from a browser is sent
(303) to the query page `/requetes` served by the pages; an RDF client (Accept: text/turtle...) gets
the SPARQL 1.1 Service Description of the endpoint.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import Graph

from ..errors import BadRequest, NotAcceptable, UnsupportedMediaType
from ..jsonld import JSONLD, context_link
from ..negotiation import best_media_type, parse_accept, prefers_html
from ..rdf_http import graph_body, jsonld_context
from ..services import Services, get_services
from .guard import UpdateRefused, check_query
from .results import GRAPH_TYPES, SELECT_TYPES, graph_media_type

router = APIRouter(tags=["SPARQL"])

QUERY_PAGE = "/requetes"
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

EXAMPLE = "SELECT ?axe (COUNT(?a) AS ?actions) WHERE { ?a a pcs:Action ; pcs:actionType/pcs:axis/skos:notation ?axe } GROUP BY ?axe ORDER BY ?axe"
DOC = {
    "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                    "description": "Requête SPARQL 1.1 (SELECT, ASK, CONSTRUCT, DESCRIBE). "
                                   "Les préfixes pcs:, skos:, rdfs:, schema:, dcterms:, prov:, org: sont prédéclarés.",
                    "examples": {"axes": {"summary": "Actions par axe", "value": EXAMPLE}}}],
    "responses": {
        "200": {"description": "Résultats SPARQL (selon Accept)", "content": {
            "application/sparql-results+json": {"schema": {"type": "object", "description": "head + results ou boolean"}},
            "application/ld+json": {"schema": {"description": "JSON-LD (CONSTRUCT, DESCRIBE)"}},
            **{m: {"schema": {"type": "string"}} for m in
               ("application/sparql-results+xml", "text/csv", "text/tab-separated-values", "text/turtle",
                "application/n-triples")}}},
        "303": {"description": "Navigateur sans requête : redirection vers la page de requêtes"},
        "400": {"description": "Requête absente, répétée, invalide ou résultat trop grand"},
        "403": {"description": "Mise à jour ou SERVICE refusé (endpoint en lecture seule)"},
        "415": {"description": "Type de contenu POST non reconnu"},
        "504": {"description": "Limite de temps dépassée"},
    },
}
POST_DOC = {
    "requestBody": {"required": True, "content": {
        FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
               "example": {"query": EXAMPLE}},
        SPARQL_QUERY: {"schema": {"type": "string"}, "example": EXAMPLE}}},
    "responses": DOC["responses"],
}


@router.get("/sparql", summary="Endpoint SPARQL 1.1 (GET)", openapi_extra=DOC)
async def sparql_get(request: Request, services: Services = Depends(get_services)) -> Response:
    params = request.query_params
    if "update" in params:
        raise UpdateRefused("update")
    queries = params.getlist("query")
    if not queries and prefers_html(request.headers.get("accept")):
        return RedirectResponse(QUERY_PAGE, status_code=303)
    if not queries and (media := description_media_type(request.headers.get("accept"))):
        graph = service_description(str(request.base_url), services)
        headers = {"Vary": "Accept"}
        if media == JSONLD:
            headers["Link"] = context_link(jsonld_context(request)[1])
        return Response(graph_body(request, graph, media, first=f"{request.base_url}sparql"), media_type=media,
                        headers=headers)
    return await answer(request, services, single_query(queries))


@router.post("/sparql", summary="Endpoint SPARQL 1.1 (POST)", openapi_extra=POST_DOC)
async def sparql_post(request: Request, services: Services = Depends(get_services)) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    in_url = request.query_params.getlist("query")
    if "update" in request.query_params or content_type == SPARQL_UPDATE:
        raise UpdateRefused("update")
    body = await request.body()
    if content_type == FORM:
        form = parse_qsl(decode(body), keep_blank_values=True)
        if any(name == "update" for name, _ in form):
            raise UpdateRefused("update")
        queries = in_url + [value for name, value in form if name == "query"]
    elif content_type == SPARQL_QUERY:
        queries = in_url + [decode(body)]
    else:
        raise UnsupportedMediaType(
            f"type de contenu {content_type or '(absent)'!r} non accepté : envoyez la requête en "
            f"{FORM} (paramètre query) ou en {SPARQL_QUERY}")
    return await answer(request, services, single_query(queries))


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDFLIB = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
          "application/rdf+xml": "xml"}


def description_media_type(accept: str | None) -> str | None:
    """The RDF type a client names explicitly (not through */*) when it GETs /sparql without a query."""
    named = [r for r in parse_accept(accept) if r.type != "*" and r.subtype != "*" and r.q > 0]
    if not any(f"{r.type}/{r.subtype}" in RDFLIB for r in named):
        return None
    return best_media_type(accept, list(RDFLIB))


def service_description(public: str, services: Services) -> Graph:
    """SPARQL 1.1 Service Description of this endpoint: language, formats, union default graph, limits."""
    from rdflib import BNode, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    sd, formats = Namespace(SD), Namespace(FORMATS)
    endpoint = URIRef(f"{public}sparql")
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.add((endpoint, RDF.type, sd.Service))
    g.add((endpoint, sd.endpoint, endpoint))
    g.add((endpoint, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((endpoint, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((endpoint, sd.resultFormat, formats[name]))
    dataset = BNode("default-dataset")  # named: the same description, the same bytes (ETag)
    g.add((endpoint, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, DCTERMS.source, services.workspace.uris.dataset()))
    limits = services.limits
    g.add((endpoint, DCTERMS.description, Literal(
        f"Endpoint en lecture seule ; limite de {limits.sparql_timeout:g} s et de {limits.sparql_max_results} "
        "résultats par requête ; SERVICE refusé hors liste autorisée.", lang="fr")))
    return g


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("le corps de la requête n'est pas de l'UTF-8 valide") from None


def single_query(queries: list[str]) -> str:
    if not queries:
        raise BadRequest("paramètre query manquant : /sparql?query=SELECT ... (protocole SPARQL 1.1)")
    if len(queries) > 1:
        raise BadRequest(f"{len(queries)} paramètres query reçus : le protocole SPARQL en veut exactement un")
    if not queries[0].strip():
        raise BadRequest("paramètre query vide")
    return queries[0]


async def answer(request: Request, services: Services, query: str) -> Response:
    limits = services.limits
    check_query(query, limits.sparql_service_allow)
    accept = request.headers.get("accept")
    accept_select = best_media_type(accept, SELECT_TYPES)
    accept_graph = best_media_type(accept, GRAPH_TYPES)
    if accept_select is None and accept_graph is None:
        raise NotAcceptable(f"aucun format disponible pour Accept: {accept} ; formats : "
                            + ", ".join(SELECT_TYPES + GRAPH_TYPES))
    deadline = time.monotonic() + limits.sparql_timeout  # the time spent waiting for a thread counts
    graph_type = accept_graph or GRAPH_TYPES[0]
    as_jsonld = graph_media_type(graph_type) == JSONLD  # read as N-Triples, compacted here on the context
    result = await services.run_sparql(services.sparql.run, query, accept_select or SELECT_TYPES[0],
                                       "application/n-triples" if as_jsonld else graph_type,
                                       limits.sparql_max_results, limits.sparql_timeout, deadline)
    headers = {"Vary": "Accept", "X-Result-Count": str(result.count)}
    body, media = result.body, result.media_type
    if as_jsonld and media == "application/n-triples":
        context, url = jsonld_context(request)
        body = await services.run(context.compact_nquads, body.decode("utf-8"), url)
        media = JSONLD
        headers["Link"] = context_link(url)
    charset = "" if media == JSONLD else "; charset=utf-8"
    return Response(body, media_type=media + charset, headers=headers)
