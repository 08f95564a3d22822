"""What every store backend offers: the `Store` protocol, result rows, and the media types they speak.

    def count(store: Store) -> int:
        return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] or 0)

Every write is one SPARQL 1.1 Update request, applied atomically by the backend: a document's
graph is replaced whole or not at all, and a process killed mid-write leaves the store as before.
Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from ..graph.vocab import PREFIXES

Row = dict[str, str | None]

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class RawResult:
    """A query answer serialised for HTTP: bytes and their media type."""

    body: bytes
    media_type: str


class Store(Protocol):
    """What the rest of pcs-graph needs from a store. Implemented by EmbeddedStore and RemoteStore."""

    def select(self, query: str) -> list[Row]: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> Graph: ...

    def raw_query(self, query: str, accept: str) -> RawResult: ...

    def update(self, update: str) -> None: ...

    def dump(self, media_type: str) -> bytes: ...

    def close(self) -> None: ...


def with_prefixes(query: str) -> str:
    """Prepend the project's PREFIX lines the query does not declare itself."""
    lowered = query.lower()
    lines = [f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"prefix {p}:" not in lowered]
    return "".join(lines) + query


def term_value(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]
