"""The load benchmark works: a short run of bench/load.py against a real server gives figures and no error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, HASTIERE, MONS
from remote_server import ApiServer

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

pytestmark = pytest.mark.slow
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load  # noqa: E402


def test_a_short_load_run_reports_every_kind_without_errors(tmp_path):
    settings = Settings(store=str(tmp_path / "store"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        for path in (MONS, HASTIERE, EXAMPLES):
            Ingestor.of(ws).ingest(path)
    with ApiServer({"PCS_STORE": settings.store, "PCS_INDEX_DIR": str(tmp_path / "index")}) as api:
        result = load.main(["--url", api.base_url, "--duration", "3", "--clients", "8", "--hostile", "0.05",
                            "--json", str(tmp_path / "load.json")])
    assert set(result["kinds"]) == {"search", "pages", "api", "sparql", "hostile"}
    assert result["errors"] == 0, result["kinds"]
    assert result["requests"] == sum(k["requests"] for k in result["kinds"].values()) > 0
    assert (tmp_path / "load.json").is_file()


def test_the_load_benchmark_only_loads_loopback():
    with pytest.raises(SystemExit):
        load.main(["--url", "http://example.org:8000", "--duration", "1"])
