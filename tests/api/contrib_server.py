"""A writable pcs-graph server for the contribution tests, with an API token and an editor account.

    def test_x(contrib_server: ContribServer):
        httpx.get(f"{contrib_server.url}/api/contributions", headers=contrib_server.bearer)

Its own copy of the indexed corpus (the tests write to it) and its own SQLite accounts database,
which the fixture also opens to issue a token for Gerpinnes (52025) and an editor account.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from pcs_graph.accounts import Accounts, Database
from pcs_graph.config import Settings
from tests.server import LiveServer, copy_settings

PASSWORD = "un mot de passe assez long pour Gerpinnes"
EDITOR_EMAIL = "chef.pcs@gerpinnes.example"


@dataclass
class ContribServer:
    url: str
    token: str  # a platform's token for Gerpinnes
    mons_token: str  # a token for Mons only
    editor_email: str
    password: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def nquads(self) -> str:
        return httpx.get(f"{self.url}/dump", params={"format": "nq"}, timeout=60).text

    def search_labels(self, query: str = "", **params: str) -> set[str]:
        answer = httpx.get(f"{self.url}/api/search", params={"q": query, "commune": "52025", "limit": 100, **params},
                           timeout=60)
        assert answer.status_code == 200, answer.text
        return {hit["label"] for hit in answer.json()["hits"]}

    def wait_for_search(self, expected: set[str], timeout_s: float = 60.0, **params: str) -> set[str]:
        """The labels search finds, once they are `expected` (the index follows the store within seconds)."""
        deadline = time.monotonic() + timeout_s
        found = self.search_labels(**params)
        while found != expected and time.monotonic() < deadline:
            time.sleep(0.5)
            found = self.search_labels(**params)
        return found


@pytest.fixture(scope="module")
def contrib_server(indexed_corpus: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContribServer]:
    root = tmp_path_factory.mktemp("contrib")
    url = f"sqlite:///{root / 'accounts.sqlite3'}"
    settings = copy_settings(indexed_corpus, root, database_url=url, sparql_timeout="15")  # a busy test machine
    server = LiveServer(settings)
    server.start()
    db = Database.open(url)
    accounts = Accounts(db)
    token = accounts.add_token("Plateforme des bonnes pratiques", communes={"52025"}).secret
    mons = accounts.add_token("Plateforme de Mons", communes={"53053"}).secret
    invitation = accounts.add(EDITOR_EMAIL, role="editor", communes={"52025"}, public_name="PCS de Gerpinnes")
    accounts.accept_invitation(invitation.secret, PASSWORD)
    db.close()
    yield ContribServer(server.url, token, mons, EDITOR_EMAIL, PASSWORD)
    server.stop()
