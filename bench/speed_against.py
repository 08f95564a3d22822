"""Search speed of this checkout against an earlier commit, run alternately on the same machine.

    python bench/speed_against.py                       # against the code before issue 16, 3 runs each
    python bench/speed_against.py 08334e9 --runs 5 --actions 20000 --queries 100

The machine's speed swings from one minute to the next (query encoding p50 8-17 ms on the same idle
2 cores), so a p95 measured one day cannot be held against another day's. This script checks the earlier
commit out in a temporary git worktree, then runs `bench/search_speed.py` of that commit (its own script,
its own package: PYTHONPATH points at the worktree) and of this checkout one after the other, `--runs`
times, and prints each run's p95 with and without filters, the medians and their ratio. The earlier
commit is measured by its own benchmark, which may time fewer steps: only the lines both print are compared.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE_ISSUE_16 = "08334e9"  # the last commit before the search-by-needs work (issue 16)
_LINE = re.compile(r"^search, (no filter|with filters)\s.*?p50\s+([\d.]+) ms\s+p95\s+([\d.]+) ms", re.M)
_ENCODING = re.compile(r"^of which query encoding alone:.*?p50\s+([\d.]+) ms", re.M)


@dataclass(frozen=True)
class Run:
    code: str  # "earlier" or "this checkout"
    at: str  # HH:MM:SS when it started
    p95: dict[str, float]  # "no filter" / "with filters" -> ms
    encoding_p50: float | None


def parse(output: str, code: str, at: str) -> Run:
    """One search_speed.py output read: its p95 lines (an output without them is an error naming the code)."""
    p95 = {m.group(1): float(m.group(3)) for m in _LINE.finditer(output)}
    if set(p95) != {"no filter", "with filters"}:
        raise ValueError(f"{code}: search_speed.py printed no p95 lines; its output ends with:\n{output[-800:]}")
    encoding = _ENCODING.search(output)
    return Run(code, at, p95, float(encoding.group(1)) if encoding else None)


def _env(checkout: Path) -> dict[str, str]:
    """The environment a checkout's code runs in: its own package first on the path."""
    return {**os.environ, "PYTHONPATH": str(checkout)}


def speed_run(checkout: Path, args: list[str], code: str) -> Run:
    at = time.strftime("%H:%M:%S")
    done = subprocess.run([sys.executable, str(checkout / "bench" / "search_speed.py"), *args], cwd=checkout,
                          env=_env(checkout), capture_output=True, text=True, timeout=45 * 60)
    if done.returncode:
        raise RuntimeError(f"{code}: search_speed.py exited {done.returncode}:\n{done.stderr[-1500:]}")
    return parse(done.stdout, code, at)


def package_of(checkout: Path) -> Path:
    """Where `import pcs_graph` lands with PYTHONPATH on the checkout (it must be the checkout's own)."""
    out = subprocess.run([sys.executable, "-c", "import pcs_graph; print(pcs_graph.__file__)"], cwd=checkout,
                         env=_env(checkout), capture_output=True, text=True, check=True)
    return Path(out.stdout.strip()).resolve().parent


def summary(runs: list[Run]) -> list[str]:
    lines = [f"{'run':30s} {'p95 no filter':>14s} {'p95 with filters':>17s} {'encoding p50':>13s}"]
    for r in runs:
        enc = f"{r.encoding_p50:.1f} ms" if r.encoding_p50 is not None else "-"
        lines.append(f"{r.code + ', ' + r.at:30s} {r.p95['no filter']:11.1f} ms {r.p95['with filters']:14.1f} ms {enc:>13s}")
    for kind in ("no filter", "with filters"):
        before = statistics.median(r.p95[kind] for r in runs if r.code == "earlier")
        after = statistics.median(r.p95[kind] for r in runs if r.code == "this checkout")
        lines.append(f"median p95 {kind}: this checkout {after:.1f} ms against {before:.1f} ms ({after / before - 1:+.0%})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", nargs="?", default=BEFORE_ISSUE_16, help="the earlier commit (default: before issue 16)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    speed_args = ["--actions", str(args.actions), "--queries", str(args.queries)]
    with tempfile.TemporaryDirectory() as tmp:
        earlier = Path(tmp) / "earlier"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(earlier), args.revision], cwd=ROOT, check=True)
        try:
            for checkout in (earlier, ROOT):
                if package_of(checkout) != (checkout / "pcs_graph").resolve():
                    raise RuntimeError(f"{checkout}: `import pcs_graph` does not load its own package")
            runs: list[Run] = []
            for i in range(args.runs):
                for code, checkout in (("earlier", earlier), ("this checkout", ROOT)):
                    runs.append(speed_run(checkout, speed_args, code))
                    print(f"run {i + 1}/{args.runs}, {code}: p95 {runs[-1].p95}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(earlier)], cwd=ROOT, check=False)
    print(f"\n{args.revision} ('earlier') against this checkout, {args.actions} actions, {args.queries} queries, "
          "run alternately:")
    print("\n".join(summary(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
