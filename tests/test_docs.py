"""Docs that cannot drift: README.md and docs/ are checked against the code and the data.

    ```bash runnable                     <- a fenced block marked runnable: each `pcs …` line is run
    pcs stats                               against a temporary store, and must exit 0
    ```
    [the data model](docs/data-model.md)  <- every relative link must reach a file (and its #anchor)
    <!-- count:actions -->171<!-- /count -->   <- every quoted count must be the real one (tests/doc_counts.py)
    ```sparql … ```, curl … query='…'     <- every example query must run and answer something on the corpus
    pcs ingest plan.pdf --commune Mons      <- any other `pcs` line shown must name a real command and options

The checkers are plain functions, each tried first on a synthetic page with a broken command, an
unknown option, a dead link, a query that answers nothing and a wrong count, so a checker that sees
nothing cannot pass for a clean manual.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from doc_counts import documented_files, real_counts, stale_counts

from pcs_graph.config import REPO_ROOT, Settings
from pcs_graph.store import Store
from pcs_graph.store.workspace import Workspace

FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$", re.M | re.S)
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\((?P<target><[^>]+>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$", re.M)
LINKED_FILES = ["bench/README.md"]  # read by newcomers too: links checked, commands not run
COMMAND_TIMEOUT = 120
QUOTED_QUERY = re.compile(r"(?:query=|pcs sparql )'(?P<query>[^']+)'")
FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I | re.M)


def runnable_commands(text: str) -> list[str]:
    """The `pcs …` lines of the fenced blocks whose info string says `runnable`, in order."""
    commands = []
    for block in FENCE.finditer(text):
        if "runnable" not in block["info"].split():
            continue
        for line in block["body"].replace("\\\n", " ").splitlines():
            if line.strip().startswith("pcs "):
                commands.append(line.strip())
    return commands


def documented_commands(text: str) -> list[str]:
    """Every `pcs …` line of the shell blocks, runnable or not (`pcs ingest plan.pdf …` is only shown)."""
    return [line.strip() for block in FENCE.finditer(text)
            if (block["info"].split() or [""])[0] in ("bash", "sh", "console")
            for line in block["body"].replace("\\\n", " ").splitlines() if line.strip().startswith("pcs ")]


def command_problem(line: str, cli: Any) -> str | None:
    """None when the line names a command of `cli` (the click group typer builds) and only options it
    has; else what is unknown."""
    words = shlex.split(line.split(" #", 1)[0])[1:]
    command = cli
    path = ["pcs"]
    while hasattr(command, "commands") and words and not words[0].startswith("-"):
        name = words.pop(0)
        if name not in command.commands:
            return f"{line!r}: {' '.join(path)} has no command {name!r}"
        command, path = command.commands[name], [*path, name]
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
    unknown = [w.split("=", 1)[0] for w in words if w.startswith("--") and w.split("=", 1)[0] not in options]
    return f"{line!r}: {' '.join(path)} has no option {', '.join(unknown)}" if unknown else None


def run_command(command: str, workdir: Path, env: dict[str, str]) -> str | None:
    """Run one documented command in bash (pipes and redirections as a reader would type them); None
    when it exits 0, else what went wrong."""
    try:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"{command!r} still running after {COMMAND_TIMEOUT} s"
    if done.returncode != 0:
        return f"{command!r} exited {done.returncode}: {(done.stderr or done.stdout).strip()[-500:]}"
    return None


def example_queries(text: str) -> list[str]:
    """The SPARQL a reader would paste: ```sparql blocks, and the quoted query of a `curl … query='…'`
    or `pcs sparql '…'` line of a shell block."""
    queries = []
    for block in FENCE.finditer(text):
        language = (block["info"].split() or [""])[0]
        if language == "sparql":
            queries.append(block["body"])
        elif language in ("bash", "sh", "console"):
            queries += [m["query"] for m in QUOTED_QUERY.finditer(block["body"])]
    return queries


def query_problem(store: Store, query: str) -> str | None:
    """None when the query runs and answers at least one row, triple or `true`; else what is wrong."""
    form = FORM.search(re.sub(r"#[^\n<>]*$", "", query, flags=re.M))
    if form is None:
        return f"no SELECT, ASK, CONSTRUCT or DESCRIBE in {query[:60]!r}"
    run = {"SELECT": store.select, "ASK": store.ask, "CONSTRUCT": store.construct, "DESCRIBE": store.construct}
    try:
        answer = run[form[1].upper()](query)
    except Exception as error:  # noqa: BLE001 (the store's own error, shown to the writer of the docs)
        return f"{query.strip()[:80]!r} fails: {error}"
    if not answer:
        return f"{query.strip()[:80]!r} answers nothing on the bundled corpus"
    return None


def github_anchors(text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes,
    `-1`, `-2`... for repeats."""
    anchors: set[str] = set()
    for m in HEADING.finditer(without_code(text)):
        slug = re.sub(r"[^\w\- ]", "", m["title"].lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in anchors:
            n += 1
            candidate = f"{slug}-{n}"
        anchors.add(candidate)
    return anchors


def without_code(text: str) -> str:
    """The text with its fenced blocks blanked (a `#` comment in a shell block is no heading)."""
    return FENCE.sub(lambda m: "\n" * m[0].count("\n"), text)


def dead_links(text: str, page: Path) -> list[str]:
    """Relative links of a page (outside code blocks) whose file, or whose #anchor in a markdown
    file, does not exist."""
    problems = []
    for m in LINK.finditer(without_code(text)):
        target = m["target"].strip("<>")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        line = text.count("\n", 0, m.start()) + 1
        if not linked.exists():
            problems.append(f"{page.name}:{line}: {target} → no such file")
        elif anchor and linked.suffix == ".md" and anchor not in github_anchors(linked.read_text(encoding="utf-8")):
            problems.append(f"{page.name}:{line}: {target} → no heading #{anchor} in {linked.name}")
    return problems


@pytest.fixture
def doc_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working folder that sees the checkout's corpus, and an environment whose store is in it."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    for name in ("corpus", "reference", "ontology"):
        (workdir / name).symlink_to(REPO_ROOT / name)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "PCS_STORE": str(tmp_path / "store"), "PCS_INDEX_DIR": str(tmp_path / "index")}
    assert run_command("pcs ingest corpus/mons_pcs_2020-2025.txt --no-index", workdir, env) is None
    return workdir, env


SAMPLE = """# A page

See [the model](docs/data-model.md#sparql-cookbook), [nothing](docs/nowhere.md) and
[a lost heading](docs/data-model.md#no-such-heading); [the web](https://example.org) is not checked.
It holds <!-- count:actions -->3<!-- /count --> actions.

```bash runnable
pcs stats
pcs ingest corpus/no-such-document.txt
```

```bash
pcs ingest plan.pdf                   # not marked runnable: shown, never run
```
"""


def test_the_checkers_catch_a_broken_command_a_dead_link_and_a_wrong_count(doc_env):
    workdir, env = doc_env
    assert runnable_commands(SAMPLE) == ["pcs stats", "pcs ingest corpus/no-such-document.txt"]
    assert run_command("pcs stats", workdir, env) is None
    failure = run_command("pcs ingest corpus/no-such-document.txt", workdir, env)
    assert failure is not None and "exited 2" in failure and "no-such-document.txt" in failure
    assert dead_links(SAMPLE, REPO_ROOT / "README.md") == [
        "README.md:3: docs/nowhere.md → no such file",
        "README.md:4: docs/data-model.md#no-such-heading → no heading #no-such-heading in data-model.md"]
    assert stale_counts(SAMPLE, {"actions": 32}) == ["line 5: actions says 3, the data holds 32"]
    assert stale_counts(SAMPLE, {"actions": 3}) == []


def test_every_relative_link_and_anchor_of_the_docs_exists():
    pages = documented_files() + [REPO_ROOT / name for name in LINKED_FILES]
    problems = [p for page in pages for p in dead_links(page.read_text(encoding="utf-8"), page)]
    assert problems == []


def test_the_readme_links_every_file_of_the_manual_and_stays_short():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    linked = {m["target"].partition("#")[0] for m in LINK.finditer(readme)}
    assert {f"docs/{p.name}" for p in (REPO_ROOT / "docs").glob("*.md")} <= linked
    lines = readme.splitlines()
    assert len(lines) <= 160
    assert any("make run" in line for line in lines[:20]) and any("make test" in line for line in lines[:20])


def test_every_manual_page_starts_with_what_it_is_for():
    for page in (REPO_ROOT / "docs").glob("*.md"):
        opening = page.read_text(encoding="utf-8").split("\n\n")[1]
        assert opening.startswith("What this page is for"), f"{page.name}: open with « What this page is for: … »"


def test_the_counts_quoted_in_the_docs_are_the_real_ones():
    real = real_counts()
    problems = {page.name: found for page in documented_files()
                if (found := stale_counts(page.read_text(encoding="utf-8"), real))}
    assert problems == {}, "run `python tests/doc_counts.py --write`"


def test_every_runnable_command_of_the_docs_works_on_a_temporary_store(doc_env):
    workdir, env = doc_env
    commands = [(page.name, c) for page in documented_files() for c in runnable_commands(page.read_text(encoding="utf-8"))]
    assert any(name == "README.md" for name, _ in commands)
    failures = [f"{name}: {failure}" for name, command in commands
                if (failure := run_command(command, workdir, env))]
    assert failures == []


def test_the_query_checker_catches_a_class_that_is_a_value_and_a_broken_query(corpus_store: Settings):
    page = """```sparql
SELECT ?a WHERE { ?a a pcs:Declared }
```

```bash
curl --data-urlencode query='SELECT ?a WHERE { ?a pcs:classificationStatus pcs:Declared }' http://127.0.0.1:8000/sparql
pcs sparql 'SELECT ?a WHERE { ?a pcs:nosuch ' --format csv
```
"""
    queries = example_queries(page)
    assert len(queries) == 3
    with Workspace(corpus_store) as ws:
        problems = [query_problem(ws.store, q) for q in queries]
    assert problems[0] == "'SELECT ?a WHERE { ?a a pcs:Declared }' answers nothing on the bundled corpus"
    assert problems[1] is None
    assert problems[2] is not None and "fails" in problems[2]


def test_every_example_query_of_the_docs_runs_and_answers_on_the_corpus(corpus_store: Settings):
    with Workspace(corpus_store) as ws:
        problems = [f"{page.name}: {problem}" for page in documented_files()
                    for query in example_queries(page.read_text(encoding="utf-8"))
                    if (problem := query_problem(ws.store, query))]
    assert problems == []


def test_the_command_checker_catches_an_unknown_command_and_option():
    from pcs_graph.cli.main import app

    cli = typer.main.get_command(app)
    assert documented_commands(SAMPLE) == ["pcs stats", "pcs ingest corpus/no-such-document.txt",
                                           "pcs ingest plan.pdf                   # not marked runnable: shown, never run"]
    assert command_problem("pcs ingest plan.pdf --commune 'Ville de Mons' --no-index  # a comment --x", cli) is None
    assert command_problem("pcs catalogue load official.csv --store var/store", cli) is None
    assert command_problem("pcs injest plan.pdf", cli) == "'pcs injest plan.pdf': pcs has no command 'injest'"
    assert command_problem("pcs search 'aînés' --axe 5", cli) == "\"pcs search 'aînés' --axe 5\": pcs search has no option --axe"


def test_every_pcs_line_of_the_docs_names_a_real_command_and_its_real_options():
    from pcs_graph.cli.main import app

    cli = typer.main.get_command(app)
    problems = [f"{page.name}: {problem}" for page in documented_files()
                for line in documented_commands(page.read_text(encoding="utf-8"))
                if (problem := command_problem(line, cli))]
    assert problems == []
