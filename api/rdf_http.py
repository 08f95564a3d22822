"""RDF over HTTP, shared by the linked-data routes: formats, negotiation, serialisation, responses.

    media = negotiated_rdf(request)                      # "text/turtle", or "text/html" for a browser
    return rdf_response(request, graph_body(request, graph, media, first=uri), media)

Every JSON-LD body is compacted on the published context (`jsonld.py`) and announced with a Link
header; the context's URL is under the service's own base (`http://host/context.jsonld`).
"""

from __future__ import annotations

from io import BytesIO

from fastapi import Request
from fastapi.responses import Response
from rdflib import Graph, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer

from pcs_graph.graph.vocab import PREFIXES

from .errors import NotAcceptable
from .jsonld import JSONLD, JsonLdContext, context_link, context_url
from .negotiation import best_media_type, prefers_html

EXTENSIONS = {"ttl": "text/turtle", "jsonld": JSONLD, "nt": "application/n-triples", "rdf": "application/rdf+xml"}
RDFLIB_FORMATS = {"text/turtle": "turtle", JSONLD: "json-ld", "application/n-triples": "nt",
                  "application/rdf+xml": "xml"}
RDF_TYPES = ["text/turtle", JSONLD, "application/n-triples", "application/rdf+xml"]
RDF_DOC = {200: {"description": "RDF selon Accept (text/html : la page lisible)",
                 "content": {m: {"schema": {}} for m in [*RDF_TYPES, "text/html"]}}}
EXTRA_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "vcard": "http://www.w3.org/2006/vcard/ns#",
                  "foaf": "http://xmlns.com/foaf/0.1/", "spdx": "http://spdx.org/rdf/terms#",
                  "dcatap": "http://data.europa.eu/r5r/"}


def extension_of(media_type: str) -> str:
    return next(ext for ext, m in EXTENSIONS.items() if m == media_type)


def jsonld_context(request: Request) -> tuple[JsonLdContext, str]:
    """The app's context and its URL as this client reaches the service."""
    return request.app.state.jsonld, context_url(str(request.base_url))


def public_base(request: Request) -> str:
    return str(request.base_url)


def graph_body(request: Request, graph: Graph, media: str, first: str | None = None) -> bytes:
    """`graph` in `media`; JSON-LD compacted on the context, `first` at the top of @graph."""
    if media == JSONLD:
        context, url = jsonld_context(request)
        return context.compact_nquads(graph.serialize(format="nt"), url, first=first)
    for prefix, ns in {**PREFIXES, **EXTRA_PREFIXES}.items():
        graph.bind(prefix, ns, replace=True)
    if first and media == "text/turtle":
        out = BytesIO()
        SubjectFirstTurtle(graph, URIRef(first)).serialize(out, encoding="utf-8")
        return out.getvalue()
    body = graph.serialize(format=RDFLIB_FORMATS[media], encoding="utf-8")
    if first and media == "application/n-triples":  # one triple a line: the resource's own lines first
        lines = body.splitlines(keepends=True)
        own = f"<{first}> ".encode()
        return b"".join(sorted(lines, key=lambda line: not line.startswith(own)))
    return body


class SubjectFirstTurtle(TurtleSerializer):
    """Turtle whose first block, after the prefixes, is the described resource (rdflib puts the most
    referenced subjects last: a commune came after all its actions)."""

    def __init__(self, graph: Graph, first: URIRef) -> None:
        super().__init__(graph)
        self.first = first

    def orderSubjects(self) -> list:  # noqa: N802 (rdflib's name)
        subjects = super().orderSubjects()
        if self.first in subjects:
            subjects.remove(self.first)
            subjects.insert(0, self.first)
        return subjects


def rdf_response(request: Request, body: bytes, media_type: str, filename: str | None = None,
                 vary: str = "Accept") -> Response:
    headers = {"Vary": vary}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if media_type == JSONLD:
        headers["Link"] = context_link(jsonld_context(request)[1])
    charset = "" if media_type == JSONLD else "; charset=utf-8"
    return Response(body, media_type=media_type + charset, headers=headers)


def negotiated_rdf(request: Request, html: bool = False) -> str:
    """The RDF type the client prefers; "text/html" for a browser when the route has a page (`html`),
    else Turtle for a browser (which `shown_as` labels text/plain, so that it shows it)."""
    asked = request.query_params.get("format")
    if asked:  # a link a browser can follow: ?format=ttl|jsonld|nt|rdf
        if asked not in EXTENSIONS:
            raise NotAcceptable(f"format inconnu : {asked!r} ; formats : " + ", ".join(EXTENSIONS))
        return EXTENSIONS[asked]
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return "text/html" if html else "text/turtle"
    offered = [*RDF_TYPES, "text/html"] if html else RDF_TYPES
    media = best_media_type(accept, offered)
    if media is None:
        raise NotAcceptable("formats disponibles : " + ", ".join(offered))
    return media


def shown_as(request: Request, media: str) -> str:
    """The Content-Type to label `media` with: Turtle asked by a browser is shown as text/plain."""
    return "text/plain" if media == "text/turtle" and prefers_html(request.headers.get("accept")) else media
