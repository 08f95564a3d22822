"""`make run` installs what serving needs and nothing of the tests; `make test` adds the test extras.

Checked as a fresh clone would run it: `make -n` (dry run) with a virtual environment that does not
exist yet prints every command the target would run, without running any.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

import pytest

from pcs_graph.config import REPO_ROOT

TEST_TOOLS = ("pytest", "playwright", "schemathesis", "sparqlwrapper", "fpdf2")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is absent")


def dry_run(target: str, venv: str) -> str:
    # Under `make test` this runs inside a make: without its variables, the inner make prints no
    # "Entering directory" lines and behaves as one typed in a shell.
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.replace(venv, "$VENV")  # the temporary folder's name says "pytest"


def test_make_run_in_a_fresh_clone_installs_no_test_tool(tmp_path) -> None:
    commands = dry_run("run", str(tmp_path / "venv"))
    installs = [line for line in commands.splitlines() if "pip install" in line]
    assert any(line.rstrip().endswith("install -q -e .") for line in installs), installs
    assert "[test]" not in commands and "[st]" not in commands
    assert not [tool for tool in TEST_TOOLS if tool in commands.lower()]
    assert commands.rstrip().endswith("$VENV/bin/pcs serve")


def test_make_test_adds_the_test_extras(tmp_path) -> None:
    commands = dry_run("test", str(tmp_path / "venv"))
    assert "install -q -e '.[test]'" in commands and "-m pytest" in commands


def test_the_runtime_dependencies_hold_no_test_tool() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert not [tool for tool in TEST_TOOLS if tool in runtime]
    extras = " ".join(project["optional-dependencies"]["test"]).lower()
    assert all(tool in extras for tool in ("pytest", "playwright", "schemathesis"))
