"""What long `pcs` commands share: a progress bar over an index build, and a clean stop on SIGINT/SIGTERM.

    progress = BuildProgress()
    with interruptible("l'index précédent est conservé"), progress_bar(progress):
        report = update_index(ws, progress=progress)

`interruptible` turns SIGTERM into the same KeyboardInterrupt as Ctrl-C, so both stop the command
at the next Python instruction (the embedding workers are terminated at once, an index being
written is left as it was before, a document being written is one atomic update: wholly in or
out), then says what was kept, in one sentence, with exit code 130. Python runs signal handlers
between instructions only, and one long C call (pyoxigraph applying a 10,000-row document's update
took 10.9 s here) would hold the stop back: a watchdog thread, woken by the signal itself (the
interpreter's wakeup file descriptor), ends the process HARD_STOP_S after the signal if it is still
running. The store's own atomicity then keeps the document wholly out (as a killed process does:
tests/store/test_crash.py); an index being built is left as it was.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..errors import PcsError
from ..search.progress import PHASES, BuildProgress, thousands
from ..store.workspace import Workspace
from .common import err, fail

if TYPE_CHECKING:
    from ..search.index import IndexReport

INTERRUPTED = 130  # the shell's code for a command stopped by SIGINT
HARD_STOP_S = 4.0  # after SIGINT/SIGTERM, the process ends within this long whatever it is doing


class _Watchdog:
    """Ends the process HARD_STOP_S after a SIGINT/SIGTERM unless the block it guards ended first."""

    def __init__(self, kept: str) -> None:
        self.kept = kept
        self.ended = threading.Event()
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._previous = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        self._thread = threading.Thread(target=self._watch, name="pcs-watchdog", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while True:
            try:
                data = os.read(self._read, 1)
            except OSError:
                return
            if not data or self.ended.is_set():
                return
            if data[0] in (signal.SIGINT, signal.SIGTERM):
                break
        if not self.ended.wait(HARD_STOP_S):
            err.print(f"[yellow]Interrompu[/] (arrêt forcé après {HARD_STOP_S:g} s) : {self.kept}.", highlight=False)
            os._exit(INTERRUPTED)

    def close(self) -> None:
        self.ended.set()
        signal.set_wakeup_fd(self._previous)
        os.close(self._write)  # the watching thread reads the end of the pipe and returns
        self._thread.join(1.0)
        os.close(self._read)


@contextmanager
def interruptible(kept: str) -> Iterator[None]:
    """SIGTERM behaves as Ctrl-C inside the block; an interruption exits 130 saying what was `kept`,
    within HARD_STOP_S even when a long C call holds the interpreter."""

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    watchdog = _Watchdog(kept)
    try:
        yield
    except KeyboardInterrupt:
        err.print(f"[yellow]Interrompu[/] : {kept}.", highlight=False)
        raise typer.Exit(INTERRUPTED) from None
    finally:
        watchdog.close()
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def progress_bar(progress: BuildProgress, every_s: float = 0.25) -> Iterator[None]:
    """A rich progress bar on stderr following `progress` (actions ready, texts/s, time left) until the block ends."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[counts]}"),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                   console=err, transient=True)
    task = bar.add_task("Index", total=None, counts="", rate="")
    done = threading.Event()

    def follow() -> None:
        while not done.wait(every_s):
            snap = progress.snapshot()
            embedding = snap.phase == "embedding" and snap.texts_total > 0
            rate = f"{snap.texts_per_s:.1f} textes/s" if snap.texts_per_s else ""
            counts = (f"{thousands(snap.actions_done)} / {thousands(snap.actions_total)} actions" if embedding else "")
            bar.update(task, description=PHASES.get(snap.phase, snap.phase).capitalize(),
                       total=snap.texts_total if embedding else None, completed=snap.texts_done if embedding else 0,
                       counts=counts, rate=rate)

    thread = threading.Thread(target=follow, name="pcs-progress", daemon=True)
    with bar:
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(1.0)


def build_index(ws: Workspace) -> "IndexReport":
    """`pcs index` and the end of `pcs ingest`: classify, then build or update the index, with a progress
    bar, every core, and a clean stop on Ctrl-C or SIGTERM (the previous index kept)."""
    from ..search.index import update_index  # lazily: the model loads only when an index is due

    progress = BuildProgress()
    with interruptible("l'index de recherche précédent est conservé (ou aucun)"), progress_bar(progress):
        try:
            return update_index(ws, progress=progress)
        except PcsError as e:
            fail(e)
            raise  # unreachable: fail exits
