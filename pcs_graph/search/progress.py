"""How far an index build has gone, shared between the thread that builds and those that report it.

    progress = BuildProgress()
    progress.start("encodage", actions_total=20_000, texts_total=20_150, actions_done=0)
    progress.advance(texts=32, actions_done=31)
    snap = progress.snapshot()       # BuildSnapshot: phase, actions 12 000 / 20 000, texts/s
    snap.note                        # "index sémantique en construction : 12 000 / 20 000 actions"

Read by `pcs index` (its progress bar), `/api/health` and the search note while the server builds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

PHASES = {
    "idle": "aucune construction en cours",
    "loading": "lecture des actions du store",
    "classifying": "classement des actions sans code",
    "embedding": "encodage des textes",
    "saving": "écriture de l'index",
    "done": "index construit",
    "stopped": "construction interrompue",
    "failed": "construction en échec",
}


def thousands(n: int) -> str:
    """12000 -> '12 000' (the French way, as the notes show it)."""
    return f"{n:,}".replace(",", " ")


@dataclass(frozen=True)
class BuildSnapshot:
    phase: str  # a key of PHASES
    actions_done: int
    actions_total: int
    texts_done: int
    texts_total: int
    embedding_s: float  # time spent embedding so far (texts/s = texts_done / embedding_s)
    error: str | None = None

    @property
    def texts_per_s(self) -> float | None:
        return self.texts_done / self.embedding_s if self.embedding_s > 0 and self.texts_done else None

    @property
    def note(self) -> str:
        return (f"index sémantique en construction : {thousands(self.actions_done)} / "
                f"{thousands(self.actions_total)} actions")


class BuildProgress:
    """A thread-safe record of one build at a time (the latest one once it ended)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._phase = "idle"
        self._actions = (0, 0)
        self._texts = (0, 0)
        self._started = time.monotonic()
        self._embedding_started: float | None = None
        self._embedding_ended: float | None = None
        self._error: str | None = None

    def start(self, phase: str, actions_total: int = 0, texts_total: int = 0, actions_done: int = 0) -> None:
        with self._lock:
            if self._phase in ("idle", "done", "stopped", "failed"):
                self._started = time.monotonic()
                self._error = None
            self._phase = phase
            self._actions = (actions_done, actions_total)
            self._texts = (0, texts_total)
            if phase == "embedding":
                self._embedding_started, self._embedding_ended = time.monotonic(), None

    def advance(self, texts: int, actions_done: int | None = None) -> None:
        with self._lock:
            done, total = self._texts
            self._texts = (done + texts, total)
            if actions_done is not None:
                self._actions = (actions_done, self._actions[1])

    def phase(self, phase: str, error: str | None = None) -> None:
        with self._lock:
            if self._phase == "embedding" and phase != "embedding":
                self._embedding_ended = time.monotonic()
            self._phase = phase
            if error is not None:
                self._error = error
            if phase == "done":
                self._actions = (self._actions[1], self._actions[1])

    def snapshot(self) -> BuildSnapshot:
        with self._lock:
            start = self._embedding_started
            end = self._embedding_ended or time.monotonic()
            elapsed = end - start if start is not None else 0.0
            return BuildSnapshot(self._phase, self._actions[0], self._actions[1], self._texts[0], self._texts[1],
                                 round(elapsed, 3), self._error)
