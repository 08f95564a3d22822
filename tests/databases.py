"""Accounts databases for the tests: SQLite in a temporary folder, and a fresh PostgreSQL database.

    from databases import database_url, contrib_store    # noqa: F401 (fixtures)

    def test_something(database_url: str): ...            # runs twice: sqlite, postgresql

PostgreSQL: the server at 127.0.0.1:5432 (trust authentication, database `test`, user postgres; or
PCS_TEST_POSTGRES=postgresql://user@host:port/db). Each test gets a database of its own
(`pcs_test_<random>`), dropped afterwards. When no server answers, the PostgreSQL half is skipped
with that reason — never silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx
import pytest

from pcs_graph.config import CORPUS_DIR, Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

POSTGRES = os.environ.get("PCS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
GERPINNES = "52025"
MONS = "53053"
SOURCES_2 = CORPUS_DIR / "pcs_actions_public_sources_2.csv"  # Gerpinnes' actions (issue 17's corpus)


@lru_cache(maxsize=1)
def postgres_absent() -> str | None:
    """None when the PostgreSQL server answers; else why not."""
    import psycopg

    try:
        with psycopg.connect(POSTGRES.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return None
    except Exception as e:  # noqa: BLE001 - the reason is shown in the skip message
        return f"no PostgreSQL server at {POSTGRES} ({type(e).__name__}: {str(e).strip()[:120]})"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty accounts database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pcs.sqlite3'}"
        return
    reason = postgres_absent()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"pcs_test_{secrets.token_hex(6)}"
    admin = POSTGRES.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')


@dataclass(frozen=True)
class EditableStore:
    settings: Settings
    action: str        # the URI of an action of `nis` (Gerpinnes' « taxi-social » once bundled)
    nis: str
    mons_action: str


def build_store(root: Path) -> EditableStore:
    """A real store: the reference data, Mons' plan and Gerpinnes' actions (else Hastière's plan)."""
    settings = Settings(store=str(root / "store"), index_dir=str(root / "index"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(CORPUS_DIR / "mons_pcs_2020-2025.txt")
        nis = GERPINNES if SOURCES_2.exists() else "91059"
        Ingestor.of(ws).ingest(SOURCES_2 if SOURCES_2.exists() else CORPUS_DIR / "hastiere_pcs_2020-2025.txt")
        action = ws.store.select(f'SELECT ?a WHERE {{ ?a a pcs:Action ; pcs:commune/pcs:nisCode "{nis}" }} '
                                 'ORDER BY ?a LIMIT 1')[0]["a"]
        mons = ws.store.select(f'SELECT ?a WHERE {{ ?a a pcs:Action ; pcs:commune/pcs:nisCode "{MONS}" }} '
                               'ORDER BY ?a LIMIT 1')[0]["a"]
    return EditableStore(settings, str(action), nis, str(mons))


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> EditableStore:
    """Built once per test session; `editable_store` hands each test a copy of its own."""
    return build_store(tmp_path_factory.mktemp("editable"))


@pytest.fixture
def editable_store(store_template: EditableStore, tmp_path: Path) -> EditableStore:
    import shutil

    shutil.copytree(store_template.settings.store, tmp_path / "store")
    settings = Settings(store=str(tmp_path / "store"), index_dir=str(tmp_path / "index"))
    return EditableStore(settings, store_template.action, store_template.nis, store_template.mons_action)


def sparql_rows(url: str, query: str, within_s: float = 30.0) -> list[str]:
    """The CSV rows of a /sparql answer, asked again while the query workers reopen the store after a write
    (a busy or timed-out answer meanwhile): the change is seen within seconds."""
    import time

    deadline = time.monotonic() + within_s
    while True:
        answer = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
        if answer.status_code == 200 or time.monotonic() > deadline:
            assert answer.status_code == 200, answer.text
            return answer.text.splitlines()[1:]
        time.sleep(0.5)
