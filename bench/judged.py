"""The judged set (bench/judged/queries.json) and the bundled corpus it judges, shared by the benchmarks.

    judged = Judged.load()
    judged.split("test")                    # the test half: the only figures the README reports
    dev = DevSet.load()                      # another hand's 90 queries (bench/judged/dev_queries.tsv)
    dev.split("held-out")                    # the half never tuned on (the other half: "tuning")
    with corpus_engine(embedder) as (ws, engine): ...   # the whole corpus, ingested, classified, indexed
    dev.resolve(engine.actions)              # `commune::label` -> action URIs (an unknown one is an error)
    interval([1.0, 0.5, 0.0, 1.0])           # (low, high): 95 % bootstrap interval of a mean over queries
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pcs_graph.cli.common import corpus_files  # noqa: E402
from pcs_graph.config import Settings  # noqa: E402
from pcs_graph.load import Ingestor  # noqa: E402
from pcs_graph.search.engine import SearchEngine  # noqa: E402
from pcs_graph.search.index import update_index  # noqa: E402
from pcs_graph.store.workspace import Workspace  # noqa: E402

BASE = "https://w3id.org/pcs/id/action/"
JUDGED_FILE = Path(__file__).parent / "judged" / "queries.json"
DEV_FILE = Path(__file__).parent / "judged" / "dev_queries.tsv"
DEV_SEED = 20261202  # the dev set's split by query into a tuning half and a held-out half (fixed)
# the public-source actions the dev set also judges; bundled in corpus/ by the "practice sheets" issue,
# read from the shared data folder by the benchmarks until then
EXTRA_SOURCES = (ROOT.parent / "shared" / "data" / "pcs_actions_public_sources_2.csv",)


@dataclass(frozen=True)
class Query:
    q: str
    relevant: frozenset[str]  # action URIs
    split: str  # "tuning" or "test"

    @property
    def negative(self) -> bool:
        return not self.relevant


@dataclass(frozen=True)
class Judged:
    queries: tuple[Query, ...]
    seed: int
    pairs: tuple[tuple[str, str], ...]  # (action, counterpart in another commune)
    codes: dict[str, str | None]  # a reader's code for uncoded actions
    axes: dict[str, int]  # a reader's axis for uncoded actions no known type fits

    @classmethod
    def load(cls, path: Path = JUDGED_FILE) -> "Judged":
        data = json.loads(path.read_text(encoding="utf-8"))
        queries = tuple(Query(q["q"], frozenset(BASE + k for k in q["relevant"]), q["split"]) for q in data["queries"])
        return cls(queries, data["seed"], tuple((BASE + p["action"], BASE + p["counterpart"]) for p in data["similar_pairs"]),
                   {BASE + k: v for k, v in data["codes"].items()}, {BASE + k: v for k, v in data["axes"].items()})

    def split(self, name: str) -> list[Query]:
        return [q for q in self.queries if q.split == name]


@dataclass(frozen=True)
class DevQuery:
    q: str
    wanted: tuple[str, ...]  # `commune::label`, the label as printed
    kind: str  # "positive" or "negative"
    split: str  # "tuning" or "held-out"

    @property
    def negative(self) -> bool:
        return self.kind == "negative"


@dataclass(frozen=True)
class DevSet:
    """Another hand's judged queries: `query`, relevant actions as `commune::label` ('|'), kind."""

    queries: tuple[DevQuery, ...]
    seed: int = DEV_SEED

    @classmethod
    def load(cls, path: Path = DEV_FILE, seed: int = DEV_SEED) -> "DevSet":
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3 or fields[2] not in ("positive", "negative"):
                raise ValueError(f"{path}:{n}: expected query<TAB>commune::label|...<TAB>positive|negative")
            rows.append((fields[0].strip(), tuple(x.strip() for x in fields[1].split("|") if x.strip()), fields[2]))
        # split by query, each kind apart, so both halves hold positives and negatives
        split: dict[str, str] = {}
        rng = random.Random(seed)
        for kind in ("positive", "negative"):
            qs = [q for q, _, k in rows if k == kind]
            rng.shuffle(qs)
            split.update({q: ("tuning" if i % 2 == 0 else "held-out") for i, q in enumerate(qs)})
        return cls(tuple(DevQuery(q, w, k, split[q]) for q, w, k in rows), seed)

    def split(self, name: str) -> list[DevQuery]:
        return [q for q in self.queries if q.split == name]

    def resolve(self, actions) -> list[Query]:
        """The queries as `Query` (relevant action URIs) over the indexed actions; a `commune::label`
        the corpus does not hold raises, naming it (the judgments must match the corpus)."""
        by_key: dict[str, set[str]] = {}
        for a in actions:
            by_key.setdefault(f"{_norm(a.commune)}::{_norm(a.label)}", set()).add(a.uri)
        out, missing = [], []
        for dq in self.queries:
            uris: set[str] = set()
            for key in dq.wanted:
                commune, _, label = key.partition("::")
                found = by_key.get(f"{_norm(commune)}::{_norm(label)}")
                if found:
                    uris |= found
                else:
                    missing.append(key)
            out.append(Query(dq.q, frozenset(uris), dq.split))
        if missing:
            raise ValueError(f"{DEV_FILE.name}: {len(missing)} judged actions not in the corpus: {missing[:8]}")
        return out


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def metrics(ranked: list[bool], relevant_total: int) -> dict[str, float]:
    """MRR, recall@k (relevant found in the top k / min(k, relevant)) and nDCG@10 of one ranked list."""
    first = next((i for i, r in enumerate(ranked) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:10]) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(relevant_total, 10)))
    return {
        "MRR": 1 / (first + 1) if first is not None else 0.0,
        "R@1": sum(ranked[:1]) / max(1, min(relevant_total, 1)),
        "R@5": sum(ranked[:5]) / max(1, min(relevant_total, 5)),
        "R@10": sum(ranked[:10]) / max(1, min(relevant_total, 10)),
        "nDCG@10": dcg / ideal if ideal else 0.0,
    }


def interval(values: list[float], level: float = 0.95, resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of per-query values (queries drawn with replacement,
    fixed seed): how far a figure over a few dozen queries could move on another draw of queries like them."""
    if not values:
        return (0.0, 0.0)
    data = np.asarray(values, dtype=np.float64)
    draws = np.random.default_rng(seed).integers(0, len(data), size=(resamples, len(data)))
    means = data[draws].mean(axis=1)
    tail = (1 - level) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Maximum-likelihood logistic regression with an L2 penalty (not on the intercept), by Newton steps."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


@contextmanager
def corpus_engine(embedder, classify: bool = True) -> Iterator[tuple[Workspace, SearchEngine]]:
    """A temporary store holding the whole bundled corpus (as `pcs ingest` reads it), indexed."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=str(Path(tmp) / "store"), index_dir=str(Path(tmp) / "index"))
        with Workspace(settings) as ws:
            ingestor = Ingestor.of(ws)
            ingestor.ensure_reference()
            paths = corpus_files()
            bundled = {p.name for p in paths}
            extra = [p for p in EXTRA_SOURCES if p.name not in bundled and p.is_file()]
            for path in paths + extra:
                ingestor.ingest(path)
            if extra:
                print(f"(also ingested, not yet bundled: {', '.join(p.name for p in extra)})", flush=True)
            print(f"corpus index: {update_index(ws, embedder, classify=classify)}", flush=True)
            yield ws, SearchEngine.open(ws, embedder)
