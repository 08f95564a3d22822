"""A real SPARQL server for the tests: `oxigraph serve` (pip package `oxigraph`) on a free loopback port.

    with OxigraphServer(tmp_path / "oxi") as server:
        RemoteStore(server.query_url)

The `oxigraph_server` session fixture starts one for the whole run; `remote_settings` empties it
before each test and gives Settings pointing at it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pcs_graph.config import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("oxigraph")
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def wait_until_answers(url: str, process: subprocess.Popen[bytes], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté au démarrage (code {process.returncode})")
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} ne répond pas après {timeout_s} s")


class OxigraphServer:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph --timeout-s 120`,
    stopped on exit (the timeout ends queries a client gave up on)."""

    def __init__(self, location: Path) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("binaire oxigraph absent : pip install oxigraph")
        self.location = location
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.query_url = f"{self.base_url}/query"
        self.update_url = f"{self.base_url}/update"
        self._command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}",
                         "--union-default-graph", "--timeout-s", "120"]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "OxigraphServer":
        self.location.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self._command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until_answers(f"{self.query_url}?query=ASK%7B%7D", self.process)
        return self

    def clear(self) -> None:
        httpx.post(self.update_url, data={"update": "DROP ALL"}, timeout=60).raise_for_status()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ApiServer:
    """One API process: `create_app(Settings.from_env())` under uvicorn on a free loopback port.

    `environ` holds the PCS_* settings (PCS_STORE, PCS_INDEX_DIR ...): the process reads them as a
    deployed replica would."""

    def __init__(self, environ: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, **environ}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 180.0) -> "ApiServer":
        code = ("import uvicorn; from pcs_graph.api.app import create_app; from pcs_graph.config import Settings; "
                f"uvicorn.run(create_app(Settings.from_env()), host='127.0.0.1', port={self.port}, log_level='warning')")
        self.process = subprocess.Popen([sys.executable, "-c", code], env=self._env,
                                        cwd=Path(__file__).resolve().parents[1])
        wait_until_answers(f"{self.base_url}/openapi.json", self.process, timeout_s)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "ApiServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class VirtuosoServer:
    """Debian's `virtuoso-t` (package virtuoso-opensource-7-bin) in a temporary folder, loopback ports,
    SPARQL updates granted to its anonymous SPARQL user. Its /sparql answers queries and updates."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.sql_port, http_port = free_port(), free_port()
        self.query_url = f"http://127.0.0.1:{http_port}/sparql"
        self.update_url = self.query_url
        self._ini = VIRTUOSO_INI.format(d=location, sql_port=self.sql_port, http_port=http_port)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "VirtuosoServer":
        self.location.mkdir(parents=True, exist_ok=True)
        (self.location / "virtuoso.ini").write_text(self._ini, encoding="utf-8")
        self.process = subprocess.Popen(
            ["virtuoso-t", "+configfile", str(self.location / "virtuoso.ini"), "+foreground"],
            cwd=self.location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_answers(f"{self.query_url}?query=ASK%7B%7D", self.process, timeout_s=60)
        subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba",
                        'exec=GRANT SPARQL_UPDATE TO "SPARQL";'], check=True, capture_output=True, timeout=60)
        return self

    def clear(self) -> None:
        """Drop the graphs the tests wrote (never Virtuoso's own system graphs)."""
        found = httpx.post(self.query_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                                           "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/pcs/') "
                                                           "|| STRSTARTS(STR(?g), 'urn:')) }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=60)
        found.raise_for_status()
        graphs = [b["g"]["value"] for b in found.json()["results"]["bindings"]]
        if graphs:
            update = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
            httpx.post(self.update_url, data={"update": update}, timeout=120).raise_for_status()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "VirtuosoServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso absent (apt-get install virtuoso-opensource-7-bin)")
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture
def virtuoso_settings(virtuoso_server: VirtuosoServer, tmp_path: Path) -> Settings:
    virtuoso_server.clear()
    return Settings(store=virtuoso_server.query_url, update_url=virtuoso_server.update_url,
                    index_dir=str(tmp_path / "index"))


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    if oxigraph_binary() is None:
        pytest.skip("binaire oxigraph absent (pip install oxigraph)")
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data") as server:
        yield server


@pytest.fixture
def remote_settings(oxigraph_server: OxigraphServer, tmp_path: Path) -> Settings:
    """Settings of an empty remote store (the session's oxigraph server, emptied) with its own index dir."""
    oxigraph_server.clear()
    return Settings(store=oxigraph_server.query_url, index_dir=str(tmp_path / "index"))
