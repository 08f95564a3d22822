"""A clean install: building pcs-graph as `pip install -v .` does prints no setuptools warning, and the
wheel carries every file of the package folders (templates, static files, queries, search data...).

    pip wheel -v --no-deps -w dist .     # what the test runs, on a copy of the checkout
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

from pcs_graph.config import REPO_ROOT

BUILD_FILES = ("pyproject.toml", "README.md", "setup.py")
# source folder -> where it lands in the wheel
PACKAGES = {"pcs_graph": "pcs_graph", "api": "pcs_graph/api", "ingest": "pcs_graph/ingest"}
WARNING = re.compile(r"warning|absent from|deprecat", re.I)


def build_warnings(output: str) -> list[str]:
    """The lines of a verbose build that warn (setuptools' BuildBackendWarning, deprecations, data
    folders absent from the packages), pip's notes about its own index locations left aside."""
    return [line.strip() for line in output.splitlines()
            if WARNING.search(line) and "Location 'file://" not in line]


def expected_files() -> set[str]:
    """Every file of the package folders as the wheel should hold it (bytecode caches aside)."""
    return {f"{target}/{path.relative_to(REPO_ROOT / folder).as_posix()}"
            for folder, target in PACKAGES.items()
            for path in (REPO_ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def test_the_warning_filter_sees_what_setuptools_prints():
    sample = """  copying api/templates/base.html -> build/lib/pcs_graph/api/templates
  /usr/lib/setuptools/config/_apply_pyprojecttoml.py:82: BuildBackendWarning: `project.license` as a TOML table is deprecated
WARNING: Location 'file:///opt/pypi/simple/src/' is ignored: it is neither a file nor a directory.
  BuildBackendWarning: Package 'pcs_graph.api.templates' is absent from the `packages` configuration."""
    assert build_warnings(sample) == [
        "/usr/lib/setuptools/config/_apply_pyprojecttoml.py:82: BuildBackendWarning: `project.license` "
        "as a TOML table is deprecated",
        "BuildBackendWarning: Package 'pcs_graph.api.templates' is absent from the `packages` configuration."]


def test_the_build_prints_no_warning_and_the_wheel_holds_every_package_file(tmp_path: Path):
    source = tmp_path / "src"  # a copy: the build leaves nothing in the checkout
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy(REPO_ROOT / name, source / name)
    for folder in PACKAGES:
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # its own "warning: byte-compiling is disabled"
    # this environment's setuptools when it can build the project (>= 77: an SPDX licence), else pip
    # fetches the one pyproject.toml asks for, as a user's `pip install .` does
    isolation = [] if int(version("setuptools").split(".")[0]) < 77 else ["--no-build-isolation"]
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", *isolation,
                            "-w", str(tmp_path / "dist"), str(source)], capture_output=True, text=True, env=env)
    assert build.returncode == 0, build.stderr[-2000:]
    assert build_warnings(build.stdout + build.stderr) == []
    names = set(zipfile.ZipFile(next((tmp_path / "dist").glob("pcs_graph-*.whl"))).namelist())
    assert {"pcs_graph/api/templates/base.html", "pcs_graph/api/static/pcs.css",
            "pcs_graph/search/data/close_words.tsv", "pcs_graph/py.typed"} <= names
    assert any(n.startswith("pcs_graph/api/queries/") and n.endswith(".rq") for n in names)
    assert expected_files() - names == set()
