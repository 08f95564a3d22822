"""Static checks on a public SPARQL request before it runs: read-only, and no SERVICE to arbitrary hosts.

    check_query("SELECT * WHERE { ?s ?p ?o }", allowed_services=())      # passes
    check_query("DELETE WHERE { ?s ?p ?o }", ())                          # UpdateRefused
    check_query("SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }", ())   # ServiceRefused

The query is tokenised (strings, IRIs and comments recognised) so a keyword inside a literal or a
comment is not mistaken for an operation. The query workers also open the store read-only: an update
that slipped past these checks could still not write.
"""

from __future__ import annotations

import re

from pcs_graph.errors import PcsError

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[?$][\w]+"
    r"|[A-Za-z_][\w.-]*(?::[\w.%-]*)?|:[\w.%-]*"
    r"|\S",
    re.DOTALL,
)


class UpdateRefused(PcsError):
    def __init__(self, operation: str) -> None:
        super().__init__(f"l'endpoint public est en lecture seule : {operation} refusé "
                         "(les données se chargent avec `pcs ingest`)")


class ServiceRefused(PcsError):
    def __init__(self, target: str) -> None:
        super().__init__(f"SERVICE {target} refusé : l'endpoint n'interroge pas d'autres serveurs "
                         "que ceux de sa liste autorisée (PCS_SPARQL_SERVICE_ALLOW)")


def tokens(query: str) -> list[str]:
    """Significant tokens: comments dropped, strings kept whole."""
    return [t for t in _TOKEN.findall(query) if not t.startswith("#")]


def check_query(query: str, allowed_services: tuple[str, ...]) -> None:
    toks = tokens(query)
    first = _first_operation(toks)
    if first is not None and first.upper() in UPDATE_KEYWORDS:
        raise UpdateRefused(first.upper())
    for i, tok in enumerate(toks):
        if tok.upper() != "SERVICE":
            continue
        target = toks[i + 1] if i + 1 < len(toks) else ""
        if target.upper() == "SILENT":
            target = toks[i + 2] if i + 2 < len(toks) else ""
        iri = target[1:-1] if target.startswith("<") and target.endswith(">") else None
        if iri is None or iri not in allowed_services:
            raise ServiceRefused(target or "(sans cible)")


def _first_operation(toks: list[str]) -> str | None:
    """The first keyword after the prologue (BASE <iri>, PREFIX p: <iri>)."""
    i = 0
    while i < len(toks):
        word = toks[i].upper()
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return toks[i]
    return None
