"""The code's layout: sub-packages by stage, imports running one way down the data's path, no circle.

    cli  →  api  →  search, stats  →  store  →  graph  →  foundation (config, errors, text)
    cli  →  load  →  ingest, store  ;  ingest  →  graph

Every module of the installed `pcs_graph` package is read with `ast` (an import inside a function
counts too: a lazy import is still a dependency) and each import is checked against STAGES.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pcs_graph.config import REPO_ROOT

# where each package's source lives: api/ and ingest/ are installed as pcs_graph.api and pcs_graph.ingest
SOURCES = {"pcs_graph": REPO_ROOT / "pcs_graph", "pcs_graph.api": REPO_ROOT / "api",
           "pcs_graph.ingest": REPO_ROOT / "ingest"}
FOUNDATION = "pcs_graph"  # pcs_graph/__init__, config, errors, text: anyone may import them
# stage -> the stages it may import besides itself
STAGES: dict[str, set[str]] = {
    FOUNDATION: set(),
    "pcs_graph.graph": {FOUNDATION},
    "pcs_graph.ingest": {"pcs_graph.graph", FOUNDATION},
    "pcs_graph.store": {"pcs_graph.graph", FOUNDATION},
    "pcs_graph.accounts": {FOUNDATION},
    "pcs_graph.load": {"pcs_graph.ingest", "pcs_graph.store", "pcs_graph.graph", FOUNDATION},
    "pcs_graph.stats": {"pcs_graph.store", "pcs_graph.graph", FOUNDATION},
    "pcs_graph.search": {"pcs_graph.store", "pcs_graph.graph", FOUNDATION},
    "pcs_graph.contrib": {"pcs_graph.accounts", "pcs_graph.load", "pcs_graph.store", "pcs_graph.graph", "pcs_graph.ingest",
                          FOUNDATION},
    "pcs_graph.api": {"pcs_graph.contrib", "pcs_graph.accounts", "pcs_graph.search", "pcs_graph.stats",
                      "pcs_graph.store", "pcs_graph.graph", FOUNDATION},
    "pcs_graph.cli": {"pcs_graph.api", "pcs_graph.contrib", "pcs_graph.accounts", "pcs_graph.search",
                      "pcs_graph.stats", "pcs_graph.load", "pcs_graph.store", "pcs_graph.ingest", "pcs_graph.graph",
                      FOUNDATION},
}
MAX_LINES = 400


def project_modules() -> dict[str, Path]:
    """Every module of the project, by its installed dotted name."""
    modules: dict[str, Path] = {}
    for package, root in SOURCES.items():
        for path in root.rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[0] in ("api", "ingest") and package == "pcs_graph":
                continue
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join([package, *parts])] = path
    return modules


def imports_of(name: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules a module's source imports (absolute or relative, at any depth of the code)."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from . import data` imports the submodule data; `from .x import y` imports x
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in ("api", "ingest"):
                found.add(target)  # the top-level names an installed pcs-graph must not use
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    found.discard(name)
    return found


def stage_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and ".".join(parts[:2]) in STAGES else FOUNDATION


def layout_problems(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Upward imports, imports of top-level `api`/`ingest`, and circles, for modules given as
    {dotted name: (source text, is a package)}."""
    known = set(sources)
    graph = {name: imports_of(name, text, is_package, known) for name, (text, is_package) in sources.items()}
    problems = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            if target.split(".")[0] in ("api", "ingest"):
                problems.append(f"{name} imports the top-level name {target} (use pcs_graph.{target})")
                continue
            if target not in known:
                continue
            here, there = stage_of(name), stage_of(target)
            if there != here and there not in STAGES[here]:
                problems.append(f"{name} ({here}) imports {target} ({there}): upward or sideways import")
    problems += [f"circle of imports: {' → '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component) + [sorted(component)[0]])

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def read_project() -> dict[str, tuple[str, bool]]:
    return {name: (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for name, path in project_modules().items()}


def test_imports_run_down_the_data_path_with_no_circle():
    sources = read_project()
    assert {stage_of(m) for m in sources} == set(STAGES)
    assert layout_problems(sources) == []


def test_the_check_catches_an_upward_import_a_circle_and_a_top_level_name():
    sources = read_project()
    upward = dict(sources)
    upward["pcs_graph.graph.model"] = (sources["pcs_graph.graph.model"][0] + "\nfrom ..search import engine\n", False)
    assert layout_problems(upward) == [
        "pcs_graph.graph.model (pcs_graph.graph) imports pcs_graph.search.engine (pcs_graph.search): "
        "upward or sideways import"]
    circle = dict(sources)
    circle["pcs_graph.store.base"] = (sources["pcs_graph.store.base"][0] + "\nfrom .remote import RemoteStore\n", False)
    assert layout_problems(circle) == [
        "circle of imports: pcs_graph.store.base → pcs_graph.store.remote → pcs_graph.store.base"]
    top_level = dict(sources)
    top_level["pcs_graph.cli.serve"] = (sources["pcs_graph.cli.serve"][0] + "\n    from api.app import create_app\n"
                                        .replace("    ", "", 1), False)
    assert layout_problems(top_level) == [
        "pcs_graph.cli.serve imports the top-level name api.app (use pcs_graph.api.app)"]


def test_every_stage_says_what_it_holds_and_what_it_may_import():
    for stage in STAGES:
        if stage == FOUNDATION:
            continue
        doc = ast.get_docstring(ast.parse(project_modules()[stage].read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{stage}: its docstring should say what it may import"


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in project_modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.slow
def test_an_installed_wheel_defines_no_top_level_api_or_ingest(tmp_path):
    """Built and installed like a user's `pip install .` (not editable), the CLI works, `import api` fails."""
    source = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "setup.py"):
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("pcs_graph", "api", "ingest"):
        shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("pcs_graph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.startswith("pcs_graph-")} == {"pcs_graph"}
    assert "pcs_graph/api/templates/base.html" in names and "pcs_graph/ingest/parsers/table.py" in names
    assert any(n.startswith("pcs_graph/api/queries/") for n in names)
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    # the installed copy only: not the checkout, not the editable install's finder
    env = {**os.environ, "PYTHONPATH": str(target)}

    def run(code: str) -> subprocess.CompletedProcess[str]:
        prelude = f"import sys; sys.path.extend({site_dirs()!r}); "
        return subprocess.run([sys.executable, "-S", "-c", prelude + code], cwd=tmp_path, env=env,
                              capture_output=True, text=True)

    for name in ("api", "ingest"):
        assert "ModuleNotFoundError" in run(f"import {name}").stderr
    imported = run("import pcs_graph.cli, pcs_graph.api.app; print(pcs_graph.cli.__file__)")
    assert imported.returncode == 0 and imported.stdout.startswith(str(target)), imported.stderr
    help_text = run("sys.argv = ['pcs', '--help']; from pcs_graph.cli import main; main()")
    assert help_text.returncode == 0 and "ingest" in help_text.stdout and "serve" in help_text.stdout


def site_dirs() -> list[str]:
    """The environment's site-packages without its .pth files (which install the editable finder)."""
    import site

    return [p for p in site.getsitepackages() if Path(p).is_dir()]
