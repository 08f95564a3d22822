"""Load benchmark: N concurrent clients (default 200) mixing search, pages, JSON API and SPARQL
against a real pcs-graph server on loopback, for a fixed time; prints throughput, p50/p95/p99
latency per kind of request and the error count.

    python bench/load.py                      # builds a corpus store, starts the server, 30 s, 200 clients
    python bench/load.py --duration 10 --clients 50
    python bench/load.py --store http://127.0.0.1:7878/query   # the API over a remote SPARQL store
    python bench/load.py --url http://127.0.0.1:8000           # an already running server (loopback only)
    python bench/load.py --replicas 2         # oxigraph serve + 2 API processes, clients spread over both
    python bench/load.py --think 1            # each client pauses ~1 s (exponential) between requests
    python bench/load.py --hostile 0.02       # 2% pathological SPARQL queries mixed in (must be stopped)

Bounded and self-stopping: clients stop issuing requests at the deadline, requests in flight get
at most --timeout seconds, and the server it started is stopped at the end. Routes the server does
not have (404 on a first probe) are left out with a printed note. An error is a transport failure,
a timeout or any status >= 400 (a 429 or 503 under load counts as an error); for the optional
hostile queries, a 400/403/503/504 refusal (or a 200 within the time limit) is the expected answer
and anything else an error; their p99 shows the time limit holding.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

SEARCHES = ["personnes isolées", "aide à la recherche d'emploi", "fracture numérique", "solitude des aînés",
            "école de devoirs", "logement insalubre", "santé mentale", "mobilité des seniors",
            "épicerie sociale", "médiation de quartier", "permis de conduire", "alphabétisation"]
SPARQL = [
    "SELECT ?axis (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:actionType/pcs:axis/skos:notation ?axis } "
    "GROUP BY ?axis ORDER BY ?axis",
    "SELECT ?a ?label WHERE { ?a a pcs:Action ; rdfs:label ?label ; pcs:commune/pcs:nisCode \"53053\" } LIMIT 20",
    "SELECT ?p ?name (COUNT(?a) AS ?n) WHERE { ?a pcs:article20Partner ?p . ?p rdfs:label ?name } GROUP BY ?p ?name",
    "ASK { ?a pcs:actionType/skos:notation \"5.5.01\" }",
]
PREFIXES = ("PREFIX pcs: <https://w3id.org/pcs/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
# queries the endpoint must stop (time limit, result cap) or refuse (SERVICE), never run to the end
HOSTILE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",                  # cartesian product
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x:p>|!<urn:x:q>)* ?o . ?o (!<urn:x:q>)* ?z }",  # unbounded paths
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",                                             # result cap
    "SELECT * WHERE { SERVICE <http://169.254.169.254/sparql> { ?s ?p ?o } }",           # SERVICE elsewhere
]
# a hostile query is handled when it is stopped or refused (400 result cap, 403 SERVICE, 503 busy,
# 504 time limit) or when it ends within the time limit anyway (200: the corpus is small)
HANDLED = {200, 400, 403, 503, 504}
# kind → share of the requests (hostile: --hostile, taken from the others proportionally)
MIX = {"search": 0.4, "pages": 0.3, "api": 0.15, "sparql": 0.15, "hostile": 0.0}


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def record(self, ms: float, outcome: str, ok: bool) -> None:
        self.latencies_ms.append(ms)
        self.statuses[outcome] = self.statuses.get(outcome, 0) + 1
        if not ok:
            self.errors += 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- what to request ---------------------------------------------------------------------------


def candidate_requests() -> dict[str, list[str]]:
    sparql = [f"/sparql?query={quote(PREFIXES + q)}" for q in SPARQL]
    return {
        "search": [f"/api/search?q={quote(q)}" for q in SEARCHES],
        "pages": ["/", "/commune/53053", *(f"/recherche?q={quote(q)}" for q in SEARCHES[:6])],
        "api": [],  # filled from the server's OpenAPI: its GET routes without path parameters
        "sparql": sparql,
        "hostile": [f"/sparql?query={quote(q)}" for q in HOSTILE],
    }


async def api_routes(client: httpx.AsyncClient) -> list[str]:
    try:
        spec = (await client.get("/openapi.json")).json()
    except (httpx.HTTPError, ValueError):
        return []
    routes = []
    for path, ops in spec.get("paths", {}).items():
        if "401" in ops.get("get", {}).get("responses", {}):
            continue  # a signed-in caller's own data (/api/contributions: my drafts), not what visitors load
        if "get" in ops and path.startswith("/api/") and "{" not in path and path != "/api/search":
            routes.append(path)
        elif "get" in ops and path in ("/api/communes/{nis}", "/api/communes/{code}"):
            routes.append(path.split("{")[0] + "53053")
    return sorted(routes)


async def probe(client: httpx.AsyncClient, requests: dict[str, list[str]]) -> dict[str, list[str]]:
    """Keep the routes that exist (anything but 404/405); say which ones are left out."""
    kept: dict[str, list[str]] = {}
    for kind, urls in requests.items():
        if kind == "hostile":  # not probed: each would hold a query worker up to the time limit
            kept[kind] = urls
            continue
        kept[kind] = []
        for url in urls:
            try:
                status = (await client.get(url)).status_code
            except httpx.HTTPError as e:
                print(f"  note: {url[:70]} unreachable on probe ({e.__class__.__name__}), left out")
                continue
            if status in (404, 405):
                print(f"  note: {url[:70]} → {status}, route missing: left out")
            else:
                kept[kind].append(url)
                if status >= 400:
                    print(f"  note: {url[:70]} → {status} on probe (kept: counts as an error)")
        if not kept[kind]:
            print(f"  note: no '{kind}' route available: that kind is skipped")
    return {k: v for k, v in kept.items() if v}


# --- the load ----------------------------------------------------------------------------------


async def one_client(client: httpx.AsyncClient, requests: dict[str, list[str]], stats: dict[str, Stats],
                     deadline: float, rng: random.Random, think_s: float, mix: dict[str, float]) -> None:
    kinds = [k for k in requests if mix.get(k)]
    weights = [mix[k] for k in kinds]
    while time.monotonic() < deadline:
        if think_s:
            await asyncio.sleep(min(rng.expovariate(1 / think_s), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
        kind = rng.choices(kinds, weights)[0]
        url = rng.choice(requests[kind])
        started = time.perf_counter()
        try:
            response = await client.get(url)
            await response.aread()
            if kind == "hostile":  # success is being stopped or refused, with a clear status
                outcome, ok = str(response.status_code), response.status_code in HANDLED
            else:
                outcome, ok = str(response.status_code), response.status_code < 400
        except httpx.TimeoutException:
            outcome, ok = "timeout", False
        except httpx.HTTPError as e:
            outcome, ok = e.__class__.__name__, False
        stats[kind].record((time.perf_counter() - started) * 1000, outcome, ok)


async def drive(base_urls: list[str], clients: int, duration_s: float, timeout_s: float, seed: int,
                think_s: float = 0.0, hostile: float = 0.0) -> dict:
    """`clients` clients, client i talking to replica i mod len(base_urls) (a sticky load balancer)."""
    per_replica = -(-clients // len(base_urls))
    limits = httpx.Limits(max_connections=per_replica, max_keepalive_connections=per_replica)
    pools = [httpx.AsyncClient(base_url=url, timeout=timeout_s, limits=limits) for url in base_urls]
    try:
        requests = candidate_requests()
        requests["api"] = await api_routes(pools[0])
        print("probing routes:")
        requests = await probe(pools[0], requests)
        mix = {k: share * (1 - hostile) for k, share in MIX.items()} | {"hostile": hostile}
        requests = {k: v for k, v in requests.items() if mix.get(k)}
        if not requests:
            raise SystemExit("no route to load: is the server complete?")
        stats = {kind: Stats() for kind in requests}
        where = base_urls[0] if len(base_urls) == 1 else f"{len(base_urls)} replicas"
        print(f"{clients} clients for {duration_s:g} s on {where} ({', '.join(requests)}), think {think_s:g} s ...")
        started = time.monotonic()
        deadline = started + duration_s
        rng = random.Random(seed)
        await asyncio.gather(*(one_client(pools[i % len(pools)], requests, stats, deadline,
                                          random.Random(rng.random()), think_s, mix) for i in range(clients)))
        elapsed = time.monotonic() - started
    finally:
        for pool in pools:
            await pool.aclose()
    result = report(stats, elapsed, clients)
    result.update(replicas=len(base_urls), think_s=think_s, hostile_share=hostile)
    return result


def report(stats: dict[str, Stats], elapsed_s: float, clients: int) -> dict:
    total = sum(len(s.latencies_ms) for s in stats.values())
    errors = sum(s.errors for s in stats.values())
    result = {"clients": clients, "seconds": round(elapsed_s, 1), "requests": total,
              "throughput_rps": round(total / elapsed_s, 1), "errors": errors, "kinds": {}}
    print(f"\n{'kind':<8} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for kind, s in stats.items():
        row = {"requests": len(s.latencies_ms), "errors": s.errors,
               **{f"p{p}_ms": round(percentile(s.latencies_ms, p), 1) for p in (50, 95, 99)},
               "statuses": s.statuses}
        result["kinds"][kind] = row
        print(f"{kind:<8} {row['requests']:>9} {row['errors']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
              f"{row['p99_ms']:>8}  {s.statuses}")
    print(f"\ntotal: {total} requests in {elapsed_s:.1f} s = {result['throughput_rps']} req/s, {errors} errors")
    return result


# --- the server under test ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_corpus_store(root: Path, store: str | None = None) -> str:
    """Ingest the bundled corpus into `store` (default: a folder under root), search index included."""
    store = store or str(root / "store")
    print(f"building a corpus store in {store} (pcs ingest, with the search index) ...")
    env = {**os.environ, "PCS_INDEX_DIR": str(root / "index-build")} if store.startswith("http") else None
    subprocess.run([str(Path(sys.executable).with_name("pcs")), "ingest", "--store", store],
                   check=True, cwd=REPO, timeout=900, env=env, stdout=subprocess.DEVNULL)
    return store


def start_server(store: str, index_dir: str | None, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PCS_STORE": store}
    if index_dir:
        env["PCS_INDEX_DIR"] = index_dir
    code = ("import uvicorn; from pcs_graph.api.app import create_app; from pcs_graph.config import Settings; "
            f"uvicorn.run(create_app(Settings.from_env()), host='127.0.0.1', port={port}, log_level='warning')")
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env)


def start_oxigraph(location: Path, port: int) -> subprocess.Popen[bytes]:
    binary = Path(sys.executable).with_name("oxigraph")
    return subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", "30"],  # the server stops what the API gave up
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(url: str, process: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process stopped while starting (exit {process.returncode})")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout_s:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause of a client between two requests, in seconds (default 0: flat out)")
    parser.add_argument("--hostile", type=float, default=0.0,
                        help="share of pathological SPARQL queries (cartesian, unbounded paths, SERVICE); "
                             "for them a 400/403/503/504 refusal is the expected answer (default 0)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds")
    parser.add_argument("--store", help="store folder or SPARQL URL to serve (default: a fresh corpus store)")
    parser.add_argument("--index-dir", help="search index folder (default: beside the store)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="API processes; above 1 they share an oxigraph serve store (default 1)")
    parser.add_argument("--url", help="load an already running server instead (loopback only)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not (0 < args.duration <= 600 and 0 < args.clients <= 1000 and 1 <= args.replicas <= 8
            and 0 <= args.hostile <= 0.5):
        parser.error("--duration must be in (0, 600], --clients in (0, 1000], --replicas in [1, 8], "
                     "--hostile in [0, 0.5]")
    if args.replicas > 1 and args.store and not args.store.startswith("http"):
        parser.error("several replicas need a remote store (an embedded store is single-process)")

    processes: list[subprocess.Popen[bytes]] = []
    tmp = tempfile.TemporaryDirectory(prefix="pcs-load-")
    try:
        if args.url:
            if urlsplit(args.url).hostname not in LOOPBACK:
                parser.error("--url must be a loopback address: this benchmark never loads another host")
            base_urls = [args.url.rstrip("/")]
        else:
            store = args.store
            if store is None and args.replicas > 1:
                port = free_port()
                processes.append(start_oxigraph(Path(tmp.name) / "oxigraph", port))
                store = f"http://127.0.0.1:{port}/query"
                wait_for(f"{store}?query=ASK%7B%7D", processes[-1])
                print(f"oxigraph serve on {store}")
                build_corpus_store(Path(tmp.name), store)
            elif store is None:
                store = build_corpus_store(Path(tmp.name))
            base_urls = []
            for replica in range(args.replicas):
                port = free_port()
                base_urls.append(f"http://127.0.0.1:{port}")
                index_dir = args.index_dir or (str(Path(tmp.name) / f"index-{replica}") if args.replicas > 1 else None)
                print(f"starting an API process on {base_urls[-1]} over {store} ...")
                processes.append(start_server(store, index_dir, port))
                wait_for(base_urls[-1] + "/openapi.json", processes[-1])
        result = asyncio.run(drive(base_urls, args.clients, args.duration, args.timeout, args.seed, args.think,
                                   args.hostile))
    finally:
        for process in reversed(processes):
            stop(process)
        tmp.cleanup()
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
