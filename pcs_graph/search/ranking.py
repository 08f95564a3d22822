"""How lexical and dense evidence become one ranking: fusion, theme feedback, diversification, top k.

    fused = fuse(SHIPPED, dense, lexical, allowed)
    rows = top(fused, matched, k=10)

SHIPPED is the variant that measured best on the TUNING halves of bench/judged/queries.json and of the
dev set bench/judged/dev_queries.tsv (bench/search_quality.py --tuning): the dense cosine (centred
vectors, state.py) and BM25 with the sector's synonyms at half weight, mixed by score, then multiplied
by a power of the share of the query's needs each action meets (`coverage_power`, relevance.py:
IDF-weighted words, synonyms and words of close meaning), so that an action sharing one secondary word
("gratuite") is held back; then a small feedback of the two best themes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .actions import ActionInfo, embedded_text
from .facets import FacetColumns


@dataclass(frozen=True)
class Ranking:
    """How lexical and dense evidence are combined. SHIPPED is the variant that measured best."""

    name: str
    method: str  # "bm25", "dense", "rrf" or "weighted"
    dense_weight: float = 0.7
    synonyms: bool = True  # expand the query with synonyms of the sector (lexical side)
    synonym_weight: float = 0.5  # weight of an expansion term relative to a query term
    dense_synonyms: bool = False  # also append the expansion to the text that is embedded
    rrf_k: int = 60
    theme_feedback: float = 0.0  # share of its theme's best score an action inherits (top themes only)
    feedback_themes: int = 2
    coverage_weight: float = 0.0  # weight of the share of the query's needs met (IDF-weighted) in the score
    close_words: bool = False  # a word of close meaning meets a need in part (closewords.py)
    coverage_power: float = 0.0  # the score times (0.05 + needs met) ** power
    bridge: float = 0.0  # share of the best score the query's most probable action types lend (bridge.py)


# issue 16 (bench/search_quality.py --tuning, mean MRR over the TUNING halves of both judged sets): centred
# vectors, dense weight 0.9, the score times (0.05 + needs met) ** 0.75 (IDF-weighted needs, a description
# counting half, words of close meaning: 0.790; without close words 0.747), theme feedback 0.2
# The types' bridge (bridge.py) at 0.1 is neutral there (0.789 with or without; 0.2-0.5 lower): kept at 0.1 for
# what it explains (« via le type d'action « … » »), not for a measured gain.
SHIPPED = Ranking("needs+centred dense+synonyms", "weighted", dense_weight=0.9, synonyms=True, synonym_weight=0.5,
                  theme_feedback=0.2, coverage_power=0.75, close_words=True, bridge=0.1)
# while the server builds its vectors: BM25 with the sector's synonyms, no dense side
LEXICAL_ONLY = Ranking("bm25+synonyms (index sémantique en construction)", "bm25", synonyms=True,
                       theme_feedback=SHIPPED.theme_feedback, close_words=True)


def inner_products(vectors: np.ndarray, q: np.ndarray) -> np.ndarray:
    """vectors @ q with faiss's SIMD kernel: one thread, twice as fast as numpy's BLAS on 100k x 384 here."""
    import faiss

    n, d = vectors.shape
    out = np.empty(n, dtype=np.float32)
    if n:
        q = np.ascontiguousarray(q, dtype=np.float32)
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(q), faiss.swig_ptr(vectors), d, n)
    return out


def fuse(r: Ranking, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray,
         coverage: np.ndarray | None = None) -> np.ndarray:
    """One score per action: lexical and dense evidence mixed as `r` says, plus (method "weighted") the
    share of the query's needs each action meets, times r.coverage_weight."""
    out = _fuse(r, dense, lexical, allowed)
    if r.coverage_weight and coverage is not None:
        out = out * (1 - r.coverage_weight) + r.coverage_weight * coverage
    if r.coverage_power and coverage is not None:  # an action meeting few of the needs is held back
        out = out * (0.05 + coverage) ** r.coverage_power
    return out


def _fuse(r: Ranking, dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    if r.method == "bm25":
        return lexical.astype(np.float64)
    if r.method == "dense":
        return dense.astype(np.float64)
    if r.method == "rrf":
        fused = np.zeros(len(dense))
        for s, present in ((dense, np.ones(len(dense), dtype=bool)), (lexical, lexical > 0)):
            order = np.argsort(-np.where(allowed, s, -np.inf), kind="stable")
            ranks = np.empty(len(s))
            ranks[order] = np.arange(1, len(s) + 1)
            fused += np.where(present, 1.0 / (r.rrf_k + ranks), 0.0)
        return fused
    out = minmax(dense, allowed)  # a new array: updated in place
    out *= r.dense_weight
    lex_max = _max(lexical, allowed)
    if lex_max > 0:
        out += (1 - r.dense_weight) * (lexical / lex_max)
    return out


def theme_feedback(fused: np.ndarray, matched: np.ndarray, columns: FacetColumns, r: Ranking) -> np.ndarray:
    """Actions of the best-scoring themes inherit part of their theme's best score: the nomenclature
    groups what answers the same need ("Rencontre dans un lieu de convivialité" next to "personnes isolées")."""
    themes = columns.groups["theme"]
    best = themes.best(fused, matched)  # per theme, its best matched action's score
    if "" in columns.values["theme"]:
        best[columns.values["theme"].index("")] = -np.inf  # no theme is not a theme
    chosen = [int(t) for t in np.argsort(-best, kind="stable")[:r.feedback_themes] if np.isfinite(best[t])]
    if not chosen:
        return fused
    scale = _max(fused, matched) or 1.0
    out = fused.astype(np.float64)  # a copy, in float64 as the bonus is
    for t in chosen:  # only the rows of the (two) best themes change
        rows = themes.rows(t)
        out[rows[matched[rows]]] += r.theme_feedback * (best[t] / scale)
    return out


def _max(values: np.ndarray, where: np.ndarray) -> float:
    """max(values[where]) without copying the selection (0.0 when nothing is selected)."""
    return float(np.max(values, where=where, initial=-np.inf)) if where.any() else 0.0


def minmax(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """values rescaled so that the allowed ones span 0..1 (a new array, of the values' type)."""
    if not allowed.any():
        return np.zeros(len(values))
    lo = float(np.min(values, where=allowed, initial=np.inf))
    hi = float(np.max(values, where=allowed, initial=-np.inf))
    if hi <= lo:
        return np.ones(len(values))
    out = values - lo
    out /= hi - lo
    return out


def top(scores: np.ndarray, matched: np.ndarray, k: int) -> list[int]:
    """Indices of the k best matched rows, best first (ties: index order, so results are stable)."""
    if len(scores) > k and matched.all():  # every row: no selection to copy
        candidates = np.argpartition(-scores, k - 1)[:k]
    else:
        candidates = np.flatnonzero(matched)
    if len(candidates) > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((candidates, -scores[candidates]))
    return [int(i) for i in candidates[order]]


DUPLICATE_DECAY = 0.3  # the tuning half is indifferent between 0.2 and 0.5 (bench); 0.3 puts a different relevant action before a third identical line


def diversified(actions: list[ActionInfo], scores: np.ndarray, matched: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best rows, where each further action of the same commune and the same type (or the same
    text) counts for DUPLICATE_DECAY of its score: three identical Mons lines with different partners
    do not push every other kind of answer off the first page."""
    window = top(scores, matched, 3 * k + 20)
    seen: dict[tuple[str, str], int] = {}
    adjusted = []
    for i in window:
        a = actions[i]
        key = (a.nis, a.code or embedded_text(a))
        adjusted.append((float(scores[i]) * DUPLICATE_DECAY ** seen.get(key, 0), i))
        seen[key] = seen.get(key, 0) + 1
    adjusted.sort(key=lambda si: (-si[0], si[1]))
    return [(i, score) for score, i in adjusted[:k]]
