"""The counts the documentation quotes, computed from the real data, and the markers that hold them.

    python tests/doc_counts.py            # print the real counts and every marker that differs
    python tests/doc_counts.py --write    # rewrite the markers of README.md and docs/*.md

A count in the docs is written `<!-- count:actions -->101<!-- /count -->`; `tests/test_docs.py` fails
when one differs from what the bundled corpus really holds (the corpus grows: rerun with --write).
The fitted thresholds of search (relevance, the classifier's assignment) are quoted the same way,
read from the files the search engine reads.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from pcs_graph.config import REPO_ROOT, Settings

MARKER = re.compile(r"<!-- count:(?P<name>[a-z_]+) -->(?P<value>[^<]*)<!-- /count -->")
DOCUMENTED = ["README.md", "docs/*.md"]


def documented_files(root: Path = REPO_ROOT) -> list[Path]:
    """README.md and the manual's files, in reading order."""
    return [path for pattern in DOCUMENTED for path in sorted(root.glob(pattern))]


def real_counts() -> dict[str, int | float]:
    """What `make run` serves: the bundled corpus ingested (no index) into a temporary store, the
    example queries of the SPARQL page, and the thresholds of the fitted search models."""
    from pcs_graph.cli.common import corpus_files
    from pcs_graph.load import Ingestor
    from pcs_graph.stats.counts import totals
    from pcs_graph.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        with Workspace(Settings(store=f"{tmp}/store", index_dir=f"{tmp}/index")) as ws:
            Ingestor.of(ws).ensure_reference()
            for path in corpus_files():
                Ingestor.of(ws).ingest(path)
            found = totals(ws.store)
            communes = ws.store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a pcs:Commune }")
    return {"actions": found["actions"], "communes_with_actions": found["communes"],
            "communes": int(communes[0]["n"] or 0),
            "example_queries": len(list((REPO_ROOT / "api" / "queries").glob("*.rq"))),  # as /requetes lists them
            "relevance_threshold": fitted_threshold("relevance.json"),
            "assignment_threshold": fitted_threshold("classifier_calibration.json")}


def fitted_threshold(name: str) -> float:
    """The threshold recorded in one of the search engine's fitted models (pcs_graph/search/data/)."""
    path = REPO_ROOT / "pcs_graph" / "search" / "data" / name
    return float(json.loads(path.read_text(encoding="utf-8"))["threshold"])


def stale_counts(text: str, real: dict[str, int | float]) -> list[str]:
    """Every marker of `text` whose value is not the real one (or names no known count)."""
    problems = []
    for m in MARKER.finditer(text):
        name, value = m["name"], m["value"].strip()
        line = text.count("\n", 0, m.start()) + 1
        if name not in real:
            problems.append(f"line {line}: unknown count {name!r} (known: {', '.join(sorted(real))})")
        elif value != str(real[name]):
            problems.append(f"line {line}: {name} says {value}, the data holds {real[name]}")
    return problems


def filled(text: str, real: dict[str, int | float]) -> str:
    """`text` with every known marker holding its real value."""
    return MARKER.sub(lambda m: (f"<!-- count:{m['name']} -->{real[m['name']]}<!-- /count -->"
                                 if m["name"] in real else m[0]), text)


def main(argv: list[str]) -> int:
    real = real_counts()
    print(", ".join(f"{k} {v}" for k, v in real.items()))
    for path in documented_files():
        text = path.read_text(encoding="utf-8")
        for problem in stale_counts(text, real):
            print(f"{path.relative_to(REPO_ROOT)}: {problem}")
        if "--write" in argv and filled(text, real) != text:
            path.write_text(filled(text, real), encoding="utf-8")
            print(f"{path.relative_to(REPO_ROOT)}: rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
