"""Run one SPARQL query on a pyoxigraph store and serialise its answer, stopping at a result cap.

    answer = run_query(store, "SELECT ...", "text/csv", max_results=10_000, base_iri=..., prefixes=...)
    answer.body, answer.media_type

SELECT solutions and CONSTRUCT/DESCRIBE triples are read one by one and counted, so a query that
returns more than `max_results` rows stops there with `ResultTooLarge` instead of filling memory.
SELECT results are written by the small serialisers below (JSON, XML, CSV, TSV of the SPARQL 1.1
Query Results specifications); graphs and ASK answers by pyoxigraph itself.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from pcs_graph.errors import PcsError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SELECT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "application/xml", "text/xml"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
               "text/plain", "application/json", "application/xml", "text/xml"]
ALIASES = {"application/json": "application/sparql-results+json",
           "application/xml": "application/sparql-results+xml", "text/xml": "application/sparql-results+xml"}
GRAPH_ALIASES = {"text/plain": "application/n-triples", "application/json": "application/ld+json",
                 "application/xml": "application/rdf+xml", "text/xml": "application/rdf+xml"}
GRAPH_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                 "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
BOOLEAN_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                   "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    count: int  # rows or triples (1 for ASK)


class ResultTooLarge(PcsError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"la réponse dépasse la limite de {limit} résultats : ajoutez LIMIT à la requête, "
                         "ou téléchargez l'export complet (/dump)")
        self.limit = limit


def select_media_type(accepted: str) -> str:
    return ALIASES.get(accepted, accepted)


def graph_media_type(accepted: str) -> str:
    return GRAPH_ALIASES.get(accepted, accepted)


def run_query(store: ox.Store, query: str, accept_select: str, accept_graph: str, max_results: int,
              base_iri: str | None = None, prefixes: dict[str, str] | None = None) -> Answer:
    """Evaluate `query` on the union of the store's graphs; SyntaxError/OSError propagate as raised."""
    result = store.query(query, use_default_graph_as_union=True, base_iri=base_iri, prefixes=prefixes)
    if isinstance(result, ox.QueryBoolean):
        media = select_media_type(accept_select)
        return Answer(result.serialize(format=BOOLEAN_FORMATS[media]), media, 1)
    if isinstance(result, ox.QueryTriples):
        return serialize_triples(result, graph_media_type(accept_graph), max_results, prefixes)
    return serialize_solutions(result, select_media_type(accept_select), max_results)


def take(items: Iterable, max_results: int) -> list:
    rows = list(islice(items, max_results + 1))
    if len(rows) > max_results:
        raise ResultTooLarge(max_results)
    return rows


def serialize_triples(triples: Iterable[ox.Triple], media_type: str, max_results: int,
                      prefixes: dict[str, str] | None = None) -> Answer:
    rows = take(triples, max_results)
    body = ox.serialize(rows, format=GRAPH_FORMATS[media_type], prefixes=prefixes or {}) or b""
    return Answer(body, media_type, len(rows))


def serialize_solutions(solutions: ox.QuerySolutions, media_type: str, max_results: int) -> Answer:
    names = [v.value for v in solutions.variables]
    rows = [[s[n] for n in names] for s in take(solutions, max_results)]
    writer = {"application/sparql-results+json": to_json, "application/sparql-results+xml": to_xml,
              "text/csv": to_csv, "text/tab-separated-values": to_tsv}[media_type]
    return Answer(writer(names, rows), media_type, len(rows))


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    assert isinstance(term, ox.Triple)
    return {"type": "triple", "value": {"subject": json_term(term.subject),
                                        "predicate": json_term(term.predicate),
                                        "object": json_term(term.object)}}


def to_json(names: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    bindings = [{n: json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": list(names)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    assert isinstance(term, ox.Triple)
    return (f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
            f"</predicate><object>{xml_term(term.object)}</object></triple>")


def to_xml(names: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        out.extend(f"<binding name={quoteattr(n)}>{xml_term(t)}</binding>" for n, t in zip(names, row)
                   if t is not None)
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def csv_value(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def to_csv(names: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([csv_value(t) for t in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_tsv(names: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")
