"""bench/judged.py's figures over judged queries: per-query metrics and the bootstrap interval of their mean.

    interval([1.0, 0.5, 0.0, 1.0])     # 95 % percentile bootstrap interval of the mean, fixed seed
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from judged import interval, metrics  # noqa: E402


def test_the_interval_of_identical_values_is_that_value() -> None:
    assert interval([0.5] * 10) == (0.5, 0.5)


def test_the_interval_holds_the_mean_and_narrows_with_more_queries() -> None:
    few = [1.0, 0.5, 0.0, 1.0, 0.33, 1.0, 0.25, 1.0]
    low, high = interval(few)
    assert low < sum(few) / len(few) < high
    many_low, many_high = interval(few * 10)
    assert many_high - many_low < high - low


def test_the_interval_is_the_same_on_every_run() -> None:
    assert interval([1.0, 0.0, 0.5]) == interval([1.0, 0.0, 0.5])


def test_reciprocal_rank_counts_the_first_right_hit() -> None:
    assert metrics([False, True, False], 1)["MRR"] == pytest.approx(0.5)
    assert metrics([False, False], 1)["MRR"] == 0.0
