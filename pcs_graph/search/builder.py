"""The server's search index, built and kept up to date in a background thread while the server answers.

    indexer = BackgroundIndexer(ws, embedder, analyzer, install=engine_install)
    indexer.start()          # returns at once; `install` is called with a lexical state, then a hybrid one
    indexer.wake()           # "the store may have changed": checked at most every FRESHNESS_INTERVAL
    indexer.status()         # IndexStatus: ready / building / updating / failed, actions 12 000 / 20 000
    indexer.stop()           # within a second or so: the workers are terminated, nothing half-written

What it does, in its own thread (`pcs-index`):
1. reads the actions from the store; when the saved index answers for them, installs it (hybrid ranking);
2. otherwise installs a lexical state first (BM25 over every action: seconds for 20,000), so search
   answers at once, with a note; then embeds what is missing in worker processes at a lower CPU
   priority (`EncoderOptions.nice`), saves the index (swapped in by renames) and installs it;
   Before embedding, the uncoded actions are classified (confident types, then calibrated axes,
   `classify.classify_unclassified`) when the store is writable, as `pcs index` does;
3. then sleeps until `wake()`: when the store's fingerprint changed, it updates the index the same
   way, keeping the previous hybrid state in service meanwhile (search lags the write by the embedding
   of the new actions; SPARQL and pages see it at once).
An interrupted build (stop, SIGTERM) writes nothing: the previous index (or none) stays.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..store.workspace import Workspace
from .actions import ActionInfo, embedded_text, load_actions, store_fingerprint
from .embedders import Embedder
from .index import IndexReport, SearchIndex, build_or_update, check_index
from .lexical import FrenchAnalyzer
from .pool import BuildStopped, EncoderOptions, PassageEncoder
from .progress import BuildProgress, BuildSnapshot
from .vectors import recipe_named

log = logging.getLogger("pcs.search")

# install(index, actions, fingerprint, report): index.semantic False for a lexical-only state
Install = Callable[[SearchIndex, list[ActionInfo], str, "IndexReport | None"], None]


@dataclass(frozen=True)
class IndexStatus:
    """What /api/health says about search."""

    state: str  # "loading" (no answer yet), "building" (lexical answers), "ready", "updating", "failed"
    semantic: bool  # the hybrid ranking is in service
    build: BuildSnapshot
    error: str | None = None

    @property
    def note(self) -> str | None:
        """The note search answers carry while they are lexical only (None once hybrid)."""
        if self.semantic:
            return None
        if self.state == "loading":
            return "index de recherche en préparation : lecture des actions du store"
        if self.state == "failed":
            return f"index sémantique indisponible ({self.error}) : classement lexical seul"
        return self.build.note


class BackgroundIndexer:
    FRESHNESS_INTERVAL = 2.0  # seconds between two checks that the store did not change
    RETRY_AFTER_S = 60.0  # a failed build is tried again after this long (when searches wake the indexer)

    def __init__(self, ws: Workspace, embedder: Embedder, analyzer: FrenchAnalyzer, install: Install,
                 options: EncoderOptions | None = None) -> None:
        self.ws = ws
        self.embedder = embedder
        self.analyzer = analyzer
        self.install = install
        self.options = options or EncoderOptions.from_env(ws.settings.embedder, nice=10, always_workers=True)
        self.recipe = recipe_named(ws.settings.index_recipe)
        self.progress = BuildProgress()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pcs-index", daemon=True)
        self._fingerprint: str | None = None  # of the state in service
        self._semantic = False
        self._error: str | None = None
        self._checked_at = 0.0
        self._retry_at = 0.0
        self._decided: frozenset[str] = frozenset()  # uncoded actions already classified (left undecided or not)

    # --- control --------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Ask for a freshness check (rate-limited): called by each search."""
        now = time.monotonic()
        if now - self._checked_at >= self.FRESHNESS_INTERVAL:
            self._checked_at = now
            self._wake.set()

    def stop(self, timeout_s: float = 4.0) -> bool:
        """Stop building (the worker processes are terminated within ~0.2 s); True when the thread ended."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def status(self) -> IndexStatus:
        snap = self.progress.snapshot()
        if self._fingerprint is None:
            state = "failed" if self._error else "loading"
        elif self._error and not self._semantic:
            state = "failed"
        elif snap.phase in ("loading", "embedding", "saving"):
            state = "updating" if self._semantic else "building"
        else:
            state = "ready" if self._semantic else "building"
        return IndexStatus(state, self._semantic, snap, self._error)

    # --- the thread -----------------------------------------------------------------------------

    def _run(self) -> None:
        with PassageEncoder(self.embedder, self.options) as encoder:
            while not self._stop.is_set():
                try:
                    self._cycle(encoder)
                    self._error = None
                except BuildStopped:
                    self.progress.phase("stopped")
                    break
                except Exception as e:  # noqa: BLE001 - search goes on lexically; the next wake retries
                    log.warning("search index build failed: %s", e)  # the details (paths...) stay in the log
                    self._error = f"{e.__class__.__name__}, détails dans le journal du serveur"
                    self._retry_at = time.monotonic() + self.RETRY_AFTER_S
                    self.progress.phase("failed", self._error)
                self._wake.wait()
                self._wake.clear()
        # the pool's queues and semaphores sit in reference cycles: free them now, before a signal ends the
        # process (otherwise multiprocessing's resource tracker warns of "leaked semaphores")
        gc.collect()

    def _cycle(self, encoder: PassageEncoder) -> None:
        store, uris = self.ws.store, self.ws.uris
        fingerprint = store_fingerprint(store, uris)
        if fingerprint == self._fingerprint and (self._semantic or time.monotonic() < self._retry_at):
            return
        self.progress.start("loading")
        actions = load_actions(store, uris)
        directory = self.ws.settings.resolved_index_dir
        check = check_index(directory, self.embedder, fingerprint, actions, self.recipe)
        if check.fresh and check.index is not None:
            self._put(check.index, actions, fingerprint, None)
            self.progress.phase("done")
            return
        if not self._semantic:  # nothing hybrid in service yet: answer lexically over every action now
            lexical = SearchIndex.lexical_only([a.uri for a in actions], [embedded_text(a) for a in actions],
                                               self.analyzer)
            self._put(lexical, actions, fingerprint, None)
        if self._classify():  # inferred types and axes written: the actions (and the store) changed
            actions, fingerprint = load_actions(store, uris), store_fingerprint(store, uris)
        if self._stop.is_set():
            raise BuildStopped("construction de l'index interrompue")
        index, report = build_or_update(directory, self.embedder, actions, fingerprint, self.analyzer,
                                        recipe=self.recipe, encoder=encoder, stop=self._stop, progress=self.progress)
        log.info("search index: %s", report)
        self._put(index, actions, fingerprint, report)

    def _classify(self) -> bool:
        """Type the uncoded actions the classifier is sure of and infer the missing axes (as `pcs index`
        does), when the store is writable; True when it wrote. `make run` thus ends with them."""
        if self.ws.read_only:
            return False
        from .axes import axis_pending
        from .classify import Classifier, classify_unclassified, pending_actions

        store, uris = self.ws.store, self.ws.uris
        pending = {p.uri for p in pending_actions(store, uris)} | {p.uri for p in axis_pending(store, uris)}
        if pending <= self._decided:  # nothing new since the last cycle (`pcs index` scores them all again)
            return False
        outcome = classify_unclassified(self.ws, Classifier.from_store(self.ws.store, self.ws.uris, self.embedder),
                                        skip=self._decided)
        self._decided = frozenset(pending)
        log.info("classification: %d types inferred, %d axes inferred", outcome.assigned,
                 outcome.axes.inferred if outcome.axes else 0)
        return bool(outcome.assigned or (outcome.axes and outcome.axes.inferred))

    def _put(self, index: SearchIndex, actions: list[ActionInfo], fingerprint: str,
             report: IndexReport | None) -> None:
        self.install(index, actions, fingerprint, report)
        self._fingerprint = fingerprint
        self._semantic = index.semantic
