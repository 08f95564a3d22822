"""What only a remote store can get wrong: endpoints, credentials, an unreachable or misconfigured server."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from conftest import MONS
from remote_server import OxigraphServer, free_port, oxigraph_server, remote_settings  # noqa: F401
from typer.testing import CliRunner

from pcs_graph.cli import app
from pcs_graph.errors import QueryError, StoreError
from pcs_graph.store.remote import RemoteStore, derive_update_url


@pytest.mark.parametrize("query_url, update_url", [
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update"),       # oxigraph serve
    ("http://fuseki:3030/pcs/query", "http://fuseki:3030/pcs/update"),     # Fuseki
    ("http://fuseki:3030/pcs/sparql", "http://fuseki:3030/pcs/update"),    # Fuseki's other query name
    ("http://fuseki:3030/pcs", "http://fuseki:3030/pcs"),                  # Fuseki dataset URL: one endpoint
])
def test_the_update_endpoint_is_derived_from_the_query_endpoint(query_url, update_url):
    assert derive_update_url(query_url) == update_url


def test_an_unreachable_server_is_a_clear_store_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError, match=f"store distant injoignable : {url}"):
        RemoteStore(url)


def test_a_password_in_the_url_is_refused_before_any_request():
    with pytest.raises(StoreError, match="PCS_STORE_PASSWORD"):
        RemoteStore("http://pcs:secret@127.0.0.1:1/query")


def test_a_bad_timeout_in_the_environment_is_named():
    with pytest.raises(StoreError, match="PCS_STORE_TIMEOUT"):
        RemoteStore("http://127.0.0.1:1/query", environ={"PCS_STORE_TIMEOUT": "soon"})


def test_pcs_reports_an_unreachable_store_in_one_sentence():
    url = f"http://127.0.0.1:{free_port()}/query"
    done = subprocess.run([str(Path(sys.executable).with_name("pcs")), "stats", "--store", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "store distant injoignable" in done.stderr and "Traceback" not in done.stderr


def plain_oxigraph(location: Path) -> OxigraphServer:
    """`oxigraph serve` WITHOUT --union-default-graph: its default graph is a graph of its own."""
    server = OxigraphServer(location)
    server._command.remove("--union-default-graph")
    return server


def triples(server: OxigraphServer) -> tuple[int, int]:
    """(triples the default graph shows, triples in named graphs), asked by raw HTTP (no check)."""
    counts = []
    for pattern in ("?s ?p ?o", "GRAPH ?g { ?s ?p ?o }"):
        response = httpx.post(server.query_url, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)
        counts.append(int(response.json()["results"]["bindings"][0]["n"]["value"]))
    return counts[0], counts[1]


def test_a_server_without_union_default_graph_is_refused(tmp_path):
    with plain_oxigraph(tmp_path / "plain") as server:
        RemoteStore(server.query_url, check=False).update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")
        with pytest.raises(StoreError, match="--union-default-graph"):
            RemoteStore(server.query_url)


def test_an_empty_server_without_union_default_graph_is_refused_before_ingest_writes_anything(tmp_path):
    with plain_oxigraph(tmp_path / "plain") as server:
        done = subprocess.run([str(Path(sys.executable).with_name("pcs")), "ingest", str(MONS), "--store",
                               server.query_url], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "--union-default-graph" in done.stderr and "Traceback" not in done.stderr
        assert "actions" not in done.stdout  # no document was reported written
        assert triples(server) == (0, 0)  # the probe's triple was deleted again, nothing else was written


def test_the_write_probe_passes_on_a_union_server_and_leaves_nothing(remote_settings, oxigraph_server):
    store = RemoteStore(remote_settings.store)  # empty: the opening query cannot tell, the first write probes
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")
    assert store.select("SELECT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }") == [{"s": "urn:s", "g": "urn:g"}]
    assert triples(oxigraph_server) == (1, 1)  # the union shows the one named-graph triple, no probe left


def test_pcs_index_never_reports_success_over_zero_actions_when_the_store_holds_some(tmp_path):
    from pcs_graph.config import Settings
    from pcs_graph.load import Ingestor
    from pcs_graph.search.index import IndexStateError, update_index
    from pcs_graph.store.workspace import Workspace

    with plain_oxigraph(tmp_path / "plain") as server:
        ws = Workspace(Settings(store=server.query_url, index_dir=str(tmp_path / "index")))
        ws.__dict__["store"] = RemoteStore(server.query_url, check=False)  # a server we could not check
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
        with pytest.raises(IndexStateError, match="union"):
            update_index(ws, classify=False)
        ws.close()
    assert not (tmp_path / "index").exists()


def test_a_syntax_error_is_a_query_error_with_the_servers_message(remote_settings):
    store = RemoteStore(remote_settings.store)
    with pytest.raises(QueryError, match="refusée par le store distant"):
        store.select("SELECT ?x WHERE { ?x ")


def test_raw_query_passes_accept_through(remote_settings):
    store = RemoteStore(remote_settings.store)
    store.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "é, \\"quoted\\"" } }')
    csv = store.raw_query("SELECT ?o WHERE { <urn:s> <urn:p> ?o }", "text/csv")
    xml = store.raw_query("SELECT ?o WHERE { <urn:s> <urn:p> ?o }", "application/sparql-results+xml")
    turtle = store.raw_query("CONSTRUCT WHERE { ?s <urn:p> ?o }", "text/turtle")
    anything = store.raw_query("SELECT ?o WHERE { ?s <urn:p> ?o }", "*/*")
    assert (csv.media_type, csv.body.decode()) == ("text/csv", 'o\r\n"é, ""quoted"""\r\n')
    assert xml.media_type == "application/sparql-results+xml" and b"<literal>" in xml.body
    assert turtle.media_type == "text/turtle" and b"<urn:s>" in turtle.body
    assert json.loads(anything.body)["results"]["bindings"][0]["o"]["value"] == 'é, "quoted"'


def test_ingest_through_the_cli_over_the_remote_store_then_query_it(remote_settings):
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(MONS), "--store", remote_settings.store, "--no-index"]).exit_code == 0
    result = runner.invoke(app, ["sparql", 'SELECT (COUNT(?a) AS ?n) WHERE { ?a pcs:actionType/skos:notation "5.5.01" }',
                                 "--store", remote_settings.store, "-f", "csv"])
    assert result.exit_code == 0
    assert result.output.split() == ["n", "3"]  # Mons prints 5.5.01 three times


# --- credentials: a real HTTP server on loopback that demands basic auth ---------------------------


class _AuthEndpoint(BaseHTTPRequestHandler):
    expected = "Basic " + base64.b64encode(b"pcs:s3cret").decode()
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization", "")
        type(self).seen.append(auth)
        if auth != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.end_headers()
            return
        body = json.dumps({"head": {}, "boolean": False}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def auth_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AuthEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _AuthEndpoint.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()


def test_credentials_come_from_the_environment(auth_endpoint):
    store = RemoteStore(auth_endpoint, environ={"PCS_STORE_USER": "pcs", "PCS_STORE_PASSWORD": "s3cret"})
    assert store.ask("ASK { ?s ?p ?o }") is False
    assert set(_AuthEndpoint.seen) == {_AuthEndpoint.expected}


def test_missing_or_wrong_credentials_say_which_variables_to_set(auth_endpoint):
    with pytest.raises(StoreError, match="PCS_STORE_USER et PCS_STORE_PASSWORD"):
        RemoteStore(auth_endpoint, environ={})
    with pytest.raises(StoreError, match="HTTP 401"):
        RemoteStore(auth_endpoint, environ={"PCS_STORE_USER": "pcs", "PCS_STORE_PASSWORD": "wrong"})
    with pytest.raises(StoreError, match="ensemble"):
        RemoteStore(auth_endpoint, environ={"PCS_STORE_USER": "pcs"})


def test_the_cli_has_no_password_option():
    result = CliRunner().invoke(app, ["ingest", "--help"])
    assert "password" not in result.output.lower()  # only PCS_STORE_USER / PCS_STORE_PASSWORD


def test_the_virtuoso_rewrite_of_insert_data_is_the_same_update(remote_settings):
    """What RemoteStore sends Virtuoso instead of INSERT DATA (templates, chunks) inserts the same triples:
    checked by running both on oxigraph."""
    from pcs_graph.store.remote import VIRTUOSO_CHUNK_LINES, insert_data_as_templates

    many = "\n".join(f'<urn:s{i}> <urn:p> "n° {i} }} {{ \\"braces\\"" .' for i in range(2 * VIRTUOSO_CHUNK_LINES + 10))
    update = (f"DROP SILENT GRAPH <urn:a> ;\nINSERT DATA {{ GRAPH <urn:a> {{\n{many}\n}} }} ;\n"
              "INSERT DATA { GRAPH <urn:b> {\n_:x <urn:p> _:y .\n_:y <urn:p> \"fin\" .\n} }")
    rewritten = insert_data_as_templates(update)
    assert rewritten.count("INSERT DATA") == 3 and "INSERT { GRAPH <urn:b>" in rewritten
    store = RemoteStore(remote_settings.store)
    answers = []
    for text in (update, rewritten):
        store.update("DROP ALL")
        store.update(text)
        answers.append(store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"))
        assert store.select("SELECT ?o WHERE { GRAPH <urn:a> { <urn:s7> <urn:p> ?o } }") == [{"o": 'n° 7 } { "braces"'}]
    assert answers[0] == answers[1]
    assert [r["n"] for r in answers[1]] == [str(2 * VIRTUOSO_CHUNK_LINES + 10), "2"]
    assert store.ask('ASK { GRAPH <urn:b> { ?x <urn:p> ?y . ?y <urn:p> "fin" } }')  # one node named _:y
