"""A real pcs-graph server for the tests: uvicorn on a free loopback port, in a background thread.

    def test_home(live_server: str):
        assert httpx.get(f"{live_server}/api/stats").status_code == 200

The `live_server` session fixture serves a copy of the indexed bundled corpus (its own store and
index folders: the embedded store admits one process at a time), with the endpoint limits below so
the limit tests run quickly. It is stopped (workers included) at the end of the session.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from pcs_graph.config import Settings

# what the tests' server allows: short enough to test the limits, large enough for normal queries
TEST_LIMITS = {
    "sparql_timeout": "3",
    "sparql_max_results": "5000",
    "max_body_bytes": "65536",
    "sparql_service_allow": "http://127.0.0.1:9/sparql",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving create_app(settings) in a thread; `url` once it answers."""

    def __init__(self, settings: Settings) -> None:
        from pcs_graph.api.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self, timeout_s: float = 120.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.server.started:
                return
            if not self.thread.is_alive():
                raise RuntimeError("le serveur de test s'est arrêté au démarrage (voir le journal)")
            time.sleep(0.05)
        raise RuntimeError(f"le serveur de test n'a pas démarré en {timeout_s} s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def copy_settings(source: Settings, root: Path, **extra: str) -> Settings:
    """Settings of a private copy of `source`'s store and index under `root`."""
    shutil.copytree(source.store, root / "store")
    if source.index_dir and Path(source.index_dir).exists():
        shutil.copytree(source.index_dir, root / "index")
    return Settings(store=str(root / "store"), index_dir=str(root / "index"), base_uri=source.base_uri,
                    extra={**TEST_LIMITS, **extra})


@pytest.fixture(scope="session")
def live_server(indexed_corpus: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of a real server over a copy of the indexed bundled corpus."""
    settings = copy_settings(indexed_corpus, tmp_path_factory.mktemp("live"))
    server = LiveServer(settings)
    server.start()
    assert httpx.get(f"{server.url}/api/stats", timeout=30).status_code == 200
    yield server.url
    server.stop()
