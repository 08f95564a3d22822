"""A SPARQL 1.1 server as the store: the Store protocol over HTTP (query, update, dump).

    store = RemoteStore("http://127.0.0.1:7878/query")        # update URL derived: .../update
    store.select("SELECT ?c WHERE { ?c a pcs:Commune } LIMIT 1")

Requirements on the server, checked before anything is read or written:
- its default graph is the union of the named graphs (`oxigraph serve --union-default-graph`,
  Fuseki `tdb2:unionDefaultGraph true`, Virtuoso's default behaviour). pcs-graph keeps one named
  graph per document and joins across them (an action in its document's graph, its commune in the
  reference graph), which only the union default graph answers; rewriting every query with
  `FROM <g>` for each of ~200 document graphs would be slow and would change researchers' queries.
  When the store is opened, a server holding named-graph triples answers the question by a query.
  An EMPTY server cannot (no query tells "union" from "empty" without data), so the first write of
  the process is preceded by a probe: one triple written to a scratch named graph
  (`urn:pcs-graph:union-probe`, a subject of its own), looked for in the default graph, and deleted
  again, whatever the answer; a server that does not show it is refused before the real write, and
  holds nothing afterwards.
- each update request is applied atomically (Oxigraph, Fuseki/TDB2 and Virtuoso do): a document's
  graph is replaced whole or not at all, as with the embedded store.

Virtuoso (tested with Debian's virtuoso-opensource-7 7.2.5) speaks a slightly different dialect,
recognised by its `Server` header and adapted here: ASK answered as a `__ASK_RETVAL` table, blank
nodes labelled `nodeID://…`, blank nodes refused in INSERT DATA and long INSERT DATA blocks refused
by its compiler (rewritten as templates / chunked operations of the same single request), and
its own system graphs, left out of dumps. Give it `--update-url` (its /sparql URL itself).

Credentials come from the environment only (`PCS_STORE_USER`, `PCS_STORE_PASSWORD`, HTTP basic
auth): a URL carrying `user:password@` is refused, since command lines are visible to every user of
the machine. `PCS_STORE_TIMEOUT` (seconds, default 120) bounds each request.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, StoreError
from ..graph.vocab import PREFIXES
from .base import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    RawResult,
    Row,
    term_value,
    with_prefixes,
)

DEFAULT_TIMEOUT_S = 120.0
SELECT_MEDIA = "application/sparql-results+json"
TRIPLES_MEDIA = "application/n-triples"
# what an "anything" Accept becomes: the embedded store's defaults (JSON results, Turtle graphs)
DEFAULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"

# SELECT returning one row when the default graph is NOT the union of the named graphs
_NOT_UNION_PROBE = (
    "ASK { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1 } FILTER NOT EXISTS { ?s ?p ?o } }"
)
_HAS_NAMED_GRAPH_TRIPLE = "ASK { GRAPH ?g { ?s ?p ?o } }"
PROBE_GRAPH = "urn:pcs-graph:union-probe"


def derive_update_url(query_url: str) -> str:
    """The update endpoint next to a query endpoint, as Oxigraph (`/query` → `/update`) and Fuseki
    (`/ds/query` or `/ds/sparql` → `/ds/update`) name them; any other URL (Fuseki's dataset URL
    `/ds`) is taken to accept updates itself, as SPARQL 1.1 Protocol allows. Virtuoso answers
    updates on `/sparql` itself: give it `--update-url` (the same URL, or `/sparql-auth`)."""
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in ("query", "sparql"):
        return urlunsplit(parts._replace(path=f"{head}/update", query=""))
    return query_url


def _seconds(text: str | None) -> float:
    try:
        value = float(text) if text else DEFAULT_TIMEOUT_S
    except ValueError:
        value = -1.0
    if value <= 0:
        raise StoreError(f"PCS_STORE_TIMEOUT doit être un nombre de secondes positif (reçu : {text!r})")
    return value


def credentials_from(environ: Mapping[str, str]) -> httpx.BasicAuth | None:
    user, password = environ.get("PCS_STORE_USER"), environ.get("PCS_STORE_PASSWORD")
    if not user and not password:
        return None
    if not (user and password):
        raise StoreError("PCS_STORE_USER et PCS_STORE_PASSWORD doivent être définis ensemble")
    return httpx.BasicAuth(user, password)


class RemoteStore:
    """Any SPARQL 1.1 server whose default graph is the union of its named graphs."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        environ: Mapping[str, str] | None = None,
        timeout_s: float | None = None,
        check: bool = True,
    ) -> None:
        env = os.environ if environ is None else environ
        for url in (query_url, update_url):
            if url and urlsplit(url).password is not None:
                raise StoreError(
                    "l'URL du store ne doit pas contenir de mot de passe (visible dans la liste des processus) : "
                    "définissez PCS_STORE_USER et PCS_STORE_PASSWORD dans l'environnement"
                )
        self.query_url = query_url
        self.update_url = update_url or derive_update_url(query_url)
        self._virtuoso = False  # learned from the Server header of the first answer
        # True once a query or a probe showed the default graph is the union (check=False: taken on trust)
        self._union_checked = not check
        timeout = timeout_s if timeout_s is not None else _seconds(env.get("PCS_STORE_TIMEOUT"))
        self._client = httpx.Client(
            auth=credentials_from(env),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "pcs-graph"},
        )
        if check:
            self.check_union_default_graph()

    # --- HTTP ---------------------------------------------------------------------------------

    def _post(self, url: str, form: dict[str, str], accept: str | None = None) -> httpx.Response:
        headers = {"Accept": accept} if accept else {}
        try:
            response = self._client.post(url, data=form, headers=headers)
            self._virtuoso = response.headers.get("server", "").startswith("Virtuoso")
        except httpx.TimeoutException:
            raise StoreError(f"le store distant {url} n'a pas répondu à temps") from None
        except httpx.HTTPError as e:
            raise StoreError(f"store distant injoignable : {url} ({e.__class__.__name__}: {e})") from None
        if response.status_code in (401, 403):
            raise StoreError(
                f"le store distant {url} refuse l'accès (HTTP {response.status_code}) : "
                "vérifiez PCS_STORE_USER et PCS_STORE_PASSWORD"
            )
        if response.status_code == 400:
            kind = "mise à jour" if "update" in form else "requête"
            raise QueryError(f"{kind} SPARQL refusée par le store distant : {_message(response)}")
        if response.status_code == 406:
            raise QueryError(f"format non disponible sur le store distant : {accept}")
        if response.status_code >= 300:
            raise StoreError(f"le store distant {url} a répondu HTTP {response.status_code} : {_message(response)}")
        return response

    def _query(self, query: str, accept: str) -> httpx.Response:
        return self._post(self.query_url, {"query": with_prefixes(query)}, accept)

    # --- Store protocol -----------------------------------------------------------------------

    def select(self, query: str) -> list[Row]:
        response = self._query(query, SELECT_MEDIA)
        results = _parse_results(response)
        if not isinstance(results, ox.QuerySolutions):
            raise QueryError("une requête SELECT était attendue")
        names = [v.value for v in results.variables]
        return [{n: term_value(s[n]) for n in names} for s in results]

    def ask(self, query: str) -> bool:
        results = _parse_results(self._query(query, SELECT_MEDIA))
        if isinstance(results, ox.QuerySolutions):
            # Virtuoso answers ASK as a table `__ASK_RETVAL`: one row holding 1 when true, no row when false
            if [v.value for v in results.variables] != ["__ASK_RETVAL"]:
                raise QueryError("une requête ASK était attendue")
            return any(s["__ASK_RETVAL"] is not None and s["__ASK_RETVAL"].value in ("1", "true") for s in results)
        return bool(results)

    def construct(self, query: str) -> Graph:
        response = self._query(query, f"{TRIPLES_MEDIA}, text/turtle;q=0.9")
        media = _media_type(response)
        if media not in (TRIPLES_MEDIA, "text/turtle", "text/plain"):
            raise QueryError("une requête CONSTRUCT ou DESCRIBE était attendue")
        g = Graph()
        g.parse(data=response.content, format="turtle" if media == "text/turtle" else "nt")
        return g

    def raw_query(self, query: str, accept: str) -> RawResult:
        known = accept in RESULT_FORMATS or accept in GRAPH_FORMATS
        response = self._query(query, accept if known else DEFAULT_ACCEPT)
        return RawResult(response.content, _media_type(response))

    def update(self, update: str) -> None:
        if not self._union_checked:
            self.probe_union_default_graph()
        self._write(update)

    def _write(self, update: str) -> None:
        if self._virtuoso:
            update = insert_data_as_templates(update)
        self._post(self.update_url, {"update": with_prefixes(update)})

    def dump(self, media_type: str) -> bytes:
        fmt = GRAPH_FORMATS.get(media_type)
        if fmt is None:
            raise StoreError(f"format d'export inconnu : {media_type}")
        # every named graph but the server's own (Virtuoso keeps its configuration in graphs)
        own = _VIRTUOSO_SYSTEM_GRAPHS if self._virtuoso else ""
        response = self._query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {own} }}", SELECT_MEDIA)
        quads = [ox.Quad(s["s"], s["p"], s["o"], s["g"]) for s in _parse_results(response)]  # type: ignore[union-attr]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return ox.serialize(sorted(quads, key=str), format=fmt, prefixes=PREFIXES)
        # triple formats: the union of all graphs (the ontology included), as the embedded store gives
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return ox.serialize(sorted(triples, key=str), format=fmt, prefixes=PREFIXES)

    def flush(self) -> None:
        """Nothing to flush: the server has committed each update before answering it."""

    def close(self) -> None:
        self._client.close()

    # --- checks -------------------------------------------------------------------------------

    def check_union_default_graph(self) -> None:
        """Refuse a server whose default graph is not the union of its named graphs (see module doc).
        Conclusive when the server holds a named-graph triple; on an empty server the first write probes."""
        if self.ask(_NOT_UNION_PROBE):
            raise self._not_union()
        self._union_checked = self._union_checked or self.ask(_HAS_NAMED_GRAPH_TRIPLE)

    def probe_union_default_graph(self) -> None:
        """Write one triple in a scratch named graph, look for it in the default graph, delete it (always),
        and refuse the server when the default graph did not show it. Leaves the server as it was."""
        import uuid

        triple = f"<urn:pcs-graph:union-probe:{uuid.uuid4().hex}> <urn:pcs-graph:probe> \"union\""
        self._write(f"INSERT DATA {{ GRAPH <{PROBE_GRAPH}> {{ {triple} }} }}")
        try:
            seen = self.ask(f"ASK {{ {triple} }}")
        finally:
            self._write(f"DELETE DATA {{ GRAPH <{PROBE_GRAPH}> {{ {triple} }} }}")
        if not seen:
            raise self._not_union()
        self._union_checked = True

    def _not_union(self) -> StoreError:
        return StoreError(
            f"le store distant {self.query_url} n'interroge pas l'union des graphes nommés par défaut : "
            "lancez-le avec l'option équivalente (oxigraph serve --union-default-graph, "
            "Fuseki : tdb2:unionDefaultGraph true)"
        )


_VIRTUOSO_SYSTEM_GRAPHS = ('FILTER(!STRSTARTS(STR(?g), "http://www.openlinksw.com/") && ?g != <http://www.w3.org/ns/ldp#> '
                           '&& !STRENDS(STR(?g), "/sparql"))')
_GRAPH_BLOCK = re.compile(r"^\{\s*GRAPH\s*(<[^>]*>)\s*\{(.*)\}\s*\}$", re.S)
VIRTUOSO_CHUNK_LINES = 500  # its SPARQL compiler runs out of parser memory on a few thousand triples


def insert_data_as_templates(update: str) -> str:
    """`INSERT DATA { GRAPH <g> { … } }` → `INSERT { GRAPH <g> { … } } WHERE {}`, in operations of at most
    VIRTUOSO_CHUNK_LINES triples, all in the same request. Virtuoso accepts blank nodes (the ontology's
    OWL lists) in a template but refuses them in INSERT DATA ("constant clause"), and its compiler
    fails on one long block ("memory exhausted")."""
    out, i = [], 0
    while (start := update.find("INSERT DATA", i)) != -1:
        brace = update.index("{", start)
        end = _matching_brace(update, brace)
        block = update[brace:end + 1]
        match = _GRAPH_BLOCK.match(block)
        if match and "_:" not in match.group(2):
            graph, lines = match.group(1), match.group(2).strip().splitlines()
            chunks = [lines[n:n + VIRTUOSO_CHUNK_LINES] for n in range(0, len(lines), VIRTUOSO_CHUNK_LINES)] or [[]]
            ops = " ;\n".join(f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(c) + "\n} }" for c in chunks)
        else:  # blank nodes: one template, so that each label names one node throughout
            ops = "INSERT " + block + " WHERE {}"
        out.append(update[i:start] + ops)
        i = end + 1
    out.append(update[i:])
    return "".join(out)


def _matching_brace(text: str, open_at: int) -> int:
    """Index of the brace closing the one at `open_at`, skipping string literals and IRIs."""
    depth, i = 0, open_at
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "<" and (j := text.find(">", i)) != -1 and " " not in text[i:j]:
            i = j
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise QueryError("mise à jour SPARQL mal formée : accolade non fermée après INSERT DATA")


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()


def _parse_results(response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
    media = _media_type(response)
    fmt = RESULT_FORMATS.get(media)
    if fmt is None and media == "application/json":
        fmt = ox.QueryResultsFormat.JSON
    if fmt is None:
        raise QueryError(f"réponse inattendue du store distant ({media}) : une requête SELECT ou ASK était attendue")
    body = response.content
    if fmt == ox.QueryResultsFormat.JSON and b'"nodeID://' in body:
        body = _plain_bnode_labels(body)
    try:
        return ox.parse_query_results(body, format=fmt)  # type: ignore[return-value]
    except SyntaxError as e:
        raise StoreError(f"réponse illisible du store distant : {e}") from None


def _plain_bnode_labels(body: bytes) -> bytes:
    """Virtuoso labels blank nodes `nodeID://b10001`, which is not a valid label: keep letters and digits."""
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9]", "", term["value"]) or "b"
    return json.dumps(data).encode()


def _message(response: httpx.Response) -> str:
    text = response.text.strip()
    return text[:500] if text else response.reason_phrase
