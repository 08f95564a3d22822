"""What one version of the store gives search, replaced whole when the index changes (thread-safe reads).

    state = engine_state(index, actions, fingerprint, communes)     # rows in the index's order
    state.vectors is None                                           # lexical only (vectors being built)
    state.dense_scores(q)                                           # cosine of every row with q
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..graph.reference import CommuneDirectory
from .actions import ActionInfo
from .facets import FacetColumns
from .filters import FilterResolver
from .index import IndexReport, SearchIndex
from .lexical import FrenchAnalyzer, load_synonym_groups
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
                           a.axis_label or "")) for a in ordered] + [m for group in load_synonym_groups() for m in group]
    return EngineState(fingerprint, index, ordered, columns, FilterResolver(columns, communes),
                       Evidence.build(ordered, analyzer), QueryNormalizer.from_texts(spellings),
                       index.unique_vectors if index.semantic else None, notes, report,
                       vector_ids=index.vector_ids if index.semantic else None)
