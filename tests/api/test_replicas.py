"""Scale-out: two API processes over one remote SPARQL store answer the same, and both see a write.

Each replica is a real uvicorn process with its own search index folder (rebuilt from the store at
start-up, as a fresh replica would); the store is a real `oxigraph serve` on loopback.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from conftest import EXAMPLES, HASTIERE, MONS
from remote_server import ApiServer, oxigraph_server, remote_settings  # noqa: F401

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

pytestmark = pytest.mark.slow

COUNT_ACTIONS = quote("SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/pcs/ontology#Action> }")


def ingest(settings: Settings, *paths: Path) -> None:
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        for path in paths:
            Ingestor.of(ws).ingest(path)


def answers(base_url: str, paths: list[str]) -> dict[str, object]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        out = {}
        for path in paths:
            response = client.get(path, headers={"Accept": "application/json"})
            assert response.status_code == 200, f"{base_url}{path}: {response.status_code} {response.text[:200]}"
            out[path] = response.json()
        return out


def without_index_notes(answers: dict[str, object]) -> dict[str, object]:
    """Search results note that the replica rebuilt its own index, naming its folder: that note may differ."""
    out = {}
    for path, body in answers.items():
        if isinstance(body, dict) and "notes" in body:
            body = {**body, "notes": [n for n in body["notes"] if "index de recherche" not in n]}
        out[path] = body
    return out


def search_until(base_url: str, path: str, found: Callable[[dict], bool], tries: int = 60) -> dict:
    """The search answer once `found` holds (polled every half second, at most `tries` times)."""
    for _ in range(tries):
        body = answers(base_url, [path])[path]
        if found(body):
            return body
        time.sleep(0.5)
    raise AssertionError(f"{base_url}{path} never showed the new document: {body}")


def wait_for_search(base_url: str, timeout_s: float = 180.0) -> None:
    """Until the replica's /api/health says its search index is built (hybrid ranking in service)."""
    deadline = time.monotonic() + timeout_s
    while httpx.get(f"{base_url}/api/health", timeout=30).json()["search"]["state"] != "ready":
        assert time.monotonic() < deadline, f"{base_url}: search index not ready after {timeout_s} s"
        time.sleep(0.3)


def action_count(base_url: str) -> int:
    response = httpx.get(f"{base_url}/sparql?query={COUNT_ACTIONS}",
                         headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def get_routes(base_url: str) -> list[str]:
    """Every JSON GET route without a path parameter, plus one commune and one action type."""
    spec = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    routes = [p for p, ops in spec["paths"].items() if "get" in ops and p.startswith("/api/") and "{" not in p
              and "401" not in ops["get"].get("responses", {})]  # a signed-in caller's own list is not shared data
    routes = [r for r in routes if r not in ("/api/search", "/api/health")]  # health: each replica's own build
    return sorted(routes) + ["/api/search?q=personnes%20isol%C3%A9es", "/api/search?q=solitude%20des%20a%C3%AEn%C3%A9s",
                             "/api/communes/53053", "/api/action-types/5.5.01"]


def settled_answers(a: str, b: str, routes: list[str], timeout_s: float = 120.0) -> tuple[dict, dict]:
    """Both replicas' answers once they agree, or the last ones at the deadline. Each replica's background
    indexer classifies the uncoded actions and writes the types and axes to the shared store: the other
    replica's index is then one store version behind until its next freshness check (a search wakes it)."""
    deadline = time.monotonic() + timeout_s
    while True:
        first, second = answers(a, routes), answers(b, routes)
        if without_index_notes(first) == without_index_notes(second) or time.monotonic() > deadline:
            return first, second
        time.sleep(2)
        for replica in (a, b):
            wait_for_search(replica)


def test_two_api_processes_on_one_remote_store_give_the_same_answers(remote_settings, tmp_path):
    ingest(remote_settings, MONS, HASTIERE)
    store = {"PCS_STORE": remote_settings.store}
    with ApiServer({**store, "PCS_INDEX_DIR": str(tmp_path / "index-a")}) as a, \
         ApiServer({**store, "PCS_INDEX_DIR": str(tmp_path / "index-b")}) as b:
        for replica in (a, b):  # each builds its own index in the background; compare hybrid answers
            wait_for_search(replica.base_url)
        routes = get_routes(a.base_url)
        first, second = settled_answers(a.base_url, b.base_url, routes)
        assert without_index_notes(first) == without_index_notes(second)
        assert any(h["code"] == "5.5.01" for h in first["/api/search?q=personnes%20isol%C3%A9es"]["hits"][:3])

        # a write to the store (another replica's admin, a cron ingest) is seen by both: no per-process state
        assert action_count(a.base_url) == action_count(b.base_url) == 44
        ingest(remote_settings, EXAMPLES)
        assert action_count(a.base_url) == action_count(b.base_url) == 55
        # search notices the store changed (each replica checks every few seconds) and updates its index
        wellin = "/api/search?q=" + quote("économie d'énergie")
        after = [search_until(s.base_url, wellin, lambda body: any(h["nis"] == "84075" for h in body["hits"]))
                 for s in (a, b)]
        assert without_index_notes({"": after[0]}) == without_index_notes({"": after[1]})
    assert (tmp_path / "index-a").is_dir() and (tmp_path / "index-b").is_dir()  # each replica built its own


REDIS = os.environ.get("PCS_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_absent() -> str | None:
    """None when the Redis server answers; else why not (the test is then skipped with that reason)."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
        return None
    except Exception as e:  # noqa: BLE001 - the reason is shown in the skip message
        return f"no Redis server at {REDIS} ({type(e).__name__}: {str(e).strip()[:120]})"


def failed_sign_in(client: httpx.Client, email: str) -> int:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/connexion").text).group(1)
    return client.post("/connexion", data={"email": email, "password": "pas le bon", "csrf_token": token}).status_code


def test_replicas_count_sign_ins_together_when_their_limits_live_in_redis(remote_settings, tmp_path):
    """30 sign-ins a minute per address, whichever replica answers: the 31st, on either, is a 429."""
    if redis_absent():
        pytest.skip(redis_absent())
    ingest(remote_settings, MONS)
    shared = {"PCS_STORE": remote_settings.store, "PCS_RATE_LIMIT_STORAGE": REDIS,
              "PCS_RATE_LIMIT_PREFIX": f"pcs-test-{secrets.token_hex(6)}"}  # this run's own counts
    with ApiServer({**shared, "PCS_INDEX_DIR": str(tmp_path / "index-a")}) as a, \
         ApiServer({**shared, "PCS_INDEX_DIR": str(tmp_path / "index-b")}) as b, \
         httpx.Client(base_url=a.base_url, timeout=60) as to_a, httpx.Client(base_url=b.base_url, timeout=60) as to_b:
        # a different address each time: the accounts' own lockout (10 failures of one account) stays out of it
        statuses = [failed_sign_in(to_a if i % 2 else to_b, f"inconnu-{i}@example.be") for i in range(31)]
    assert statuses == [401] * 30 + [429]


def test_a_rate_limit_storage_that_cannot_be_used_is_refused_at_start_naming_it():
    from pcs_graph.api.auth.deps import rate_limit_storage
    from pcs_graph.errors import PcsError

    with pytest.raises(PcsError, match="PCS_RATE_LIMIT_STORAGE.*unknown storage scheme") as refused:
        rate_limit_storage("reddis://:un-secret@127.0.0.1:6379/0")  # a typo in the scheme
    assert "un-secret" not in str(refused.value) and ":***@127.0.0.1" in str(refused.value)
    with pytest.raises(PcsError, match="PCS_RATE_LIMIT_STORAGE : RedisStorage ne répond pas"):
        rate_limit_storage("redis://127.0.0.1:1/0")  # nothing listens on port 1
