"""What one version of the store gives search, replaced whole when the index changes (thread-safe reads).

    state = engine_state(index, actions, fingerprint, communes)     # rows in the index's order
    state.vectors is None                                           # lexical only (vectors being built)
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

if TYPE_CHECKING:
    from .classify import Classifier


@dataclass
class EngineState:
    fingerprint: str
    index: SearchIndex
    actions: list[ActionInfo]  # in index row order
    columns: FacetColumns
    filters: FilterResolver
    vectors: np.ndarray | None  # None while the vectors are built (lexical ranking only)
    notes: tuple[str, ...] = ()
    report: IndexReport | None = None
    classifier: "Classifier | None" = None


def engine_state(index: SearchIndex, actions: list[ActionInfo], fingerprint: str, communes: CommuneDirectory,
                 notes: tuple[str, ...] = (), report: IndexReport | None = None) -> EngineState:
    """The state of these actions, ordered as the index's rows, with their facet columns and filters."""
    by_uri = {a.uri: a for a in actions}
    ordered = [by_uri[u] for u in index.manifest.uris]
    columns = FacetColumns(ordered)
    return EngineState(fingerprint, index, ordered, columns, FilterResolver(columns, communes),
                       index.vectors if index.semantic else None, notes, report)
