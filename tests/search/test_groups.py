"""Rows grouped by a facet column once per index: per-group maxima and a group's rows, as a scan gives them."""

from __future__ import annotations

import numpy as np

from pcs_graph.search.groups import Groups


def test_best_per_group_is_the_max_a_scan_of_the_allowed_rows_finds():
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 6, size=500).astype(np.int32)
    ids[ids == 4] = 5  # a group id with no row at all
    values = rng.standard_normal(500).astype(np.float32)
    allowed = rng.random(500) < 0.3
    groups = Groups(ids)
    best = groups.best(values, allowed)
    for g in range(6):
        picked = values[(ids == g) & allowed]
        assert best[g] == (float(picked.max()) if len(picked) else -np.inf)
    assert list(groups.rows(2)) == list(np.flatnonzero(ids == 2))  # ascending, every row of the group
    assert len(groups.rows(4)) == 0


def test_an_empty_column_has_no_group():
    groups = Groups(np.zeros(0, dtype=np.int32))
    assert len(groups) == 0 and len(groups.best(np.zeros(0, dtype=np.float32))) == 0
