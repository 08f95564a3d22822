"""Rows grouped by one facet column's ids, sorted once per index: per-group maxima and a group's rows
without scanning every row per query.

    themes = Groups(columns.ids["theme"])
    themes.best(scores, allowed)    # per theme id, the best allowed score (-inf where none is allowed)
    themes.rows(3)                  # the rows of theme id 3, ascending
"""

from __future__ import annotations

import numpy as np


class Groups:
    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.order = np.argsort(ids, kind="stable")  # rows grouped by id, ascending within a group
        self.counts = np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)
        self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)
        self._filled = self.counts > 0

    def __len__(self) -> int:
        return len(self.counts)

    def best(self, values: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
        """Per group id, the largest value of its rows (those `where` allows), as float64; -inf for none."""
        out = np.full(len(self.counts), -np.inf)
        if not len(self.ids):
            return out
        picked = values if where is None else np.where(where, values, -np.inf)
        out[self._filled] = np.maximum.reduceat(picked[self.order].astype(np.float64), self.starts[self._filled])
        return out

    def rows(self, group: int) -> np.ndarray:
        """The rows of one group id, ascending."""
        start = int(self.starts[group])
        return self.order[start:start + int(self.counts[group])]
