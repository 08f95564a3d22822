"""Run the benchmarks one after the other, each bounded, and say which ones failed: `make bench`.

    python bench/run_all.py                    # search quality, search speed, load (200 users pausing ~5 s),
                                               # load_capacity (200 clients flat out), 30 s each,
                                               # store_speed (20,000 actions: ingest, index, start-up, SPARQL)
    python bench/run_all.py --quick            # smaller: 20,000 actions, 10 s of load, store_speed --small
    python bench/run_all.py --only load

They run in sequence, never together: each one measures the machine, and two at once on 2 cores
would measure each other. Each has a wall-clock limit (--limit, default 45 min) after which it is
stopped and reported as such.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def plan(quick: bool) -> dict[str, list[str]]:
    return {
        "search_quality": ["search_quality.py"],
        "classifier_quality": ["classifier_quality.py", "--dry-run"],
        "search_speed": ["search_speed.py", "--actions", "20000" if quick else "100000",
                         "--queries", "100" if quick else "200"],
        "load": ["load.py", "--duration", "10" if quick else "30", "--clients", "200", "--think", "5"],
        "load_capacity": ["load.py", "--duration", "10" if quick else "30", "--clients", "200"],
        "store_speed": ["store_speed.py", *(["--small"] if quick else [])],
    }


def run(name: str, command: list[str], limit_s: float) -> str:
    script = BENCH / command[0]
    if not script.exists():
        print(f"\n=== {name}: {script.name} absent, skipped")
        return "absent"
    print(f"\n=== {name}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, str(script), *command[1:]], cwd=BENCH.parent, timeout=limit_s)
    except subprocess.TimeoutExpired:
        print(f"=== {name}: stopped after {limit_s:g} s")
        return "timeout"
    outcome = "ok" if done.returncode == 0 else f"exit {done.returncode}"
    print(f"=== {name}: {outcome} in {time.monotonic() - started:.0f} s", flush=True)
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the pcs-graph benchmarks in sequence.")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and shorter load")
    parser.add_argument("--only", action="append", choices=list(plan(False)), help="run only this one (repeatable)")
    parser.add_argument("--limit", type=float, default=45 * 60, help="wall-clock limit per benchmark, seconds")
    args = parser.parse_args()
    outcomes = {name: run(name, command, args.limit)
                for name, command in plan(args.quick).items() if not args.only or name in args.only}
    print("\n" + "\n".join(f"{name:<16} {outcome}" for name, outcome in outcomes.items()))
    return 0 if all(o in ("ok", "absent") for o in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
