"""`pcs index` and `pcs ingest` stop within 5 s on SIGTERM or Ctrl-C in the middle of an index build,
keep the previous index whole, and leave no embedding process behind: real processes, real signals."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MONS

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.search.index import SearchIndex, update_index
from pcs_graph.store.workspace import Workspace

pytestmark = pytest.mark.slow
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from synthetic_export import write_export  # noqa: E402

PCS = str(Path(sys.executable).with_name("pcs"))
ACTIONS = 600


@pytest.fixture(scope="module")
def indexed_then_grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose index covers Mons (32 actions), then an export of ACTIONS more actions not indexed yet."""
    root = tmp_path_factory.mktemp("grown")
    with Workspace(Settings(store=str(root / "store"))) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
        assert update_index(ws, classify=False).total == 32
        for path in write_export(root / "export", actions=ACTIONS, files=1):
            Ingestor.of(ws).ingest(path)
    return root


def copy_of(root: Path, target: Path) -> Path:
    shutil.copytree(root / "store", target / "store")
    shutil.copytree(root / "store-index", target / "store-index")
    return target / "store"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def interrupt_while_embedding(command: list[str], sig: int) -> tuple[subprocess.CompletedProcess, float, list[int]]:
    """Start the command, wait until its embedding workers run, send `sig`; (result, seconds to stop, workers)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        if len(workers) >= 2:  # the pool of embedding processes (one per core) has started
            break
        time.sleep(0.1)
    assert process.poll() is None, process.communicate()
    time.sleep(2.0)  # well inside the build: a batch or two embedded
    sent = time.monotonic()
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, out, err), time.monotonic() - sent, workers


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_pcs_index_stops_within_5_s_and_keeps_the_previous_index(indexed_then_grown, tmp_path, sig):
    store = copy_of(indexed_then_grown, tmp_path)
    done, stop_s, workers = interrupt_while_embedding([PCS, "index", "--store", str(store)], sig)

    assert stop_s < 5, f"{stop_s:.1f} s"
    assert done.returncode == 130, done.stderr
    assert "Interrompu" in done.stderr and "index de recherche précédent est conservé" in done.stderr
    assert "Traceback" not in done.stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]
    assert SearchIndex.load(tmp_path / "store-index").size == 32  # the previous index, whole
    assert not list(tmp_path.glob(".store-index.*"))  # no temporary folder left


def test_pcs_ingest_stops_during_its_index_update_with_the_documents_kept(tmp_path):
    export = write_export(tmp_path / "export", actions=ACTIONS, files=1)
    store = tmp_path / "store"
    done, stop_s, _ = interrupt_while_embedding([PCS, "ingest", *map(str, export), "--store", str(store)],
                                                signal.SIGTERM)
    assert stop_s < 5 and done.returncode == 130, done.stderr
    assert f"added   {ACTIONS} actions" in done.stdout  # the document was written before the index update
    assert not (tmp_path / "store-index").exists()  # no index yet, and no half of one

    finished = subprocess.run([PCS, "index", "--store", str(store)], capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert f"{ACTIONS} actions" in finished.stdout and "textes/s" in finished.stdout
    assert SearchIndex.load(tmp_path / "store-index").size == ACTIONS


def test_pcs_ingest_stops_within_5_s_even_inside_one_long_store_write(tmp_path):
    """One 6,000-row document is one atomic update that pyoxigraph applies in one long C call: the
    watchdog still ends the command within 5 s, and the document is wholly in the store or wholly out."""
    export = write_export(tmp_path / "export", actions=6000, files=1)

    def ingest(store: Path) -> subprocess.Popen:
        return subprocess.Popen([PCS, "ingest", *map(str, export), "--store", str(store), "--no-index"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    started = time.monotonic()
    assert ingest(tmp_path / "reference").wait(timeout=600) == 0
    full_s = time.monotonic() - started
    outcomes = []
    for i, fraction in enumerate((0.6, 0.8)):  # inside the write: parsing takes the first ~40 %
        store = tmp_path / f"try-{i}"
        process = ingest(store)
        time.sleep(fraction * full_s)
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        stop_s = time.monotonic() - sent
        assert stop_s < 5, f"{stop_s:.1f} s after SIGTERM at {fraction:.0%} of a {full_s:.1f} s ingest"
        assert process.returncode in (0, 130, -signal.SIGTERM), err
        with Workspace(Settings(store=str(store))) as ws:
            count = int(ws.store.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action }")[0]["n"] or 0)
        assert count in (0, 6000), f"{count} actions: a half-written document"
        outcomes.append((round(stop_s, 2), process.returncode, count))
    print(f"\nSIGTERM during a {full_s:.1f} s ingest: (seconds to stop, exit code, actions kept) {outcomes}")
