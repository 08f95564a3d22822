"""What one version of the store gives search, replaced whole when the index changes (thread-safe reads).

    state = engine_state(index, actions, fingerprint, communes)     # rows in the index's order
    state.vectors is None                                           # lexical only (vectors being built)
    state.dense_scores(state.centred(q))                            # centred cosine of every row with q

Hubness: short French labels all sit in one narrow cone of the embedding (cosines 0.83-0.89 for any
pair), and a few actions end up nearest to most queries. The vectors are centred on the corpus mean
(each row counted once) and renormalised when the state is made (`centre_vectors`); queries and
`similar` go through the same correction (`centred`), so centred cosines spread over -1..1 and no action
is nearest to everything (bench/search_quality.py prints the spread and the k-occurrence skew).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..graph.reference import CommuneDirectory
from .actions import ActionInfo
from .bridge import TypeBridge
from .facets import FacetColumns
from .filters import FilterResolver
from .glossary import defined_terms
from .glosses import Gloss
from .index import IndexReport, SearchIndex
from .lexical import FrenchAnalyzer, sector_groups
from .query import QueryNormalizer
from .ranking import inner_products
from .relevance import Evidence

if TYPE_CHECKING:
    from .classify import Classifier


@dataclass
class EngineState:
    fingerprint: str
    index: SearchIndex
    actions: list[ActionInfo]  # in index row order
    columns: FacetColumns
    filters: FilterResolver
    evidence: Evidence  # each action's visible words, for relevance and explanations
    normalizer: QueryNormalizer  # accents and case restored from the corpus's own spellings
    vectors: np.ndarray | None  # the DISTINCT vectors; None while they are built (lexical ranking only)
    notes: tuple[str, ...] = ()
    report: IndexReport | None = None
    classifier: "Classifier | None" = None
    vector_ids: np.ndarray | None = None  # row -> its vector in `vectors` (None: row i is vector i)
    centre: np.ndarray | None = None  # the corpus mean the vectors were centred on (None: not centred)
    bridge: TypeBridge | None = None  # the action types' prototypes (bridge.py); None while lexical only

    def centred(self, q: np.ndarray) -> np.ndarray:
        """A query vector under the same correction as the actions' vectors (centred, renormalised)."""
        return q if self.centre is None else _unit(q - self.centre)

    def dense_scores(self, q: np.ndarray) -> np.ndarray:
        """q's inner product with every row's vector: each distinct vector is read once, then spread to
        the rows that share it (a scan of 100,000 distinct float32 vectors reads 150 MB: memory bound)."""
        assert self.vectors is not None
        scores = inner_products(self.vectors, q)
        return scores if self.vector_ids is None else scores[self.vector_ids]

    def row_vector(self, row: int) -> np.ndarray:
        assert self.vectors is not None
        return self.vectors[row if self.vector_ids is None else int(self.vector_ids[row])]


def engine_state(index: SearchIndex, actions: list[ActionInfo], fingerprint: str, communes: CommuneDirectory,
                 notes: tuple[str, ...] = (), report: IndexReport | None = None,
                 analyzer: FrenchAnalyzer | None = None) -> EngineState:
    """The state of these actions, ordered as the index's rows, with their facet columns, filters, the
    words of their labels (evidence of relevance) and the corpus's spellings (accents of queries)."""
    by_uri = {a.uri: a for a in actions}
    ordered = [by_uri[u] for u in index.manifest.uris]
    columns = FacetColumns(ordered)
    analyzer = analyzer or FrenchAnalyzer()
    spellings = [" ".join((a.label, a.description or "", a.action_type_label or "", a.theme_label or "",
                           a.axis_label or "")) for a in ordered] + [m for group in sector_groups() for m in group]
    vectors, centre = centre_vectors(index.unique_vectors, index.vector_ids) if index.semantic else (None, None)
    vector_ids = index.vector_ids if index.semantic else None
    bridge = TypeBridge.build(vectors, vector_ids, columns) if vectors is not None else None
    glosses = tuple(Gloss.of(term, labels, definition, analyzer) for term, labels, definition in defined_terms())
    return EngineState(fingerprint, index, ordered, columns, FilterResolver(columns, communes),
                       Evidence.build(ordered, analyzer, glosses), QueryNormalizer.from_texts(spellings),
                       vectors, notes, report, vector_ids=vector_ids, centre=centre, bridge=bridge)


def centre_vectors(unique: np.ndarray, vector_ids: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The distinct vectors centred on the mean of the rows (a vector shared by 5 rows counts 5 times) and
    renormalised, and that mean. Fewer than 2 rows: nothing to centre on, the vectors as they are."""
    rows = len(vector_ids) if vector_ids is not None else len(unique)
    if rows < 2:
        return unique, None
    if vector_ids is None:
        mean = unique.mean(axis=0, dtype=np.float64)
    else:
        counts = np.bincount(vector_ids, minlength=len(unique)).astype(np.float64)
        mean = counts @ unique / rows
    mean = mean.astype(np.float32)
    centred = unique - mean
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(centred, dtype=np.float32), mean


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 1e-12 else v.astype(np.float32)
