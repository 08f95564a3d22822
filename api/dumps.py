"""The whole graph as files: built once per state of the store, kept on disk, served with validators.

    cache = DumpCache(Path(tmp))                     # one per process (the app's lifespan)
    dump = cache.get(store, state, "nt", context)    # Dump(path, gz_path, size, sha256, ...)
    GET /dump?format=ttl|nt|nq|trig|jsonld           ETag, Last-Modified, 304, gzip on request

A dump is keyed by the store's state token (`pcs_graph.store.state`): the first request after a
write builds the five formats' files again as they are asked for; the others read the files.
JSON-LD is compacted on `/context.jsonld` (its URL, hence the service's host, is part of the key).
Each file is written beside its gzip copy, under a temporary name then renamed, so a reader never
sees half a file; the files of a state two writes old are removed (the previous state's stay a while for the readers
still streaming them).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from pcs_graph.store import Store
from pcs_graph.store.state import StoreState

from .jsonld import JsonLdContext

DUMP_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
                "trig": "application/trig", "jsonld": "application/ld+json"}
# EU file-type authority, for DCAT-AP's dcterms:format
FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "nq": "RDF_N_QUADS", "trig": "RDF_TRIG",
              "jsonld": "JSON_LD"}


@dataclass(frozen=True)
class Dump:
    ext: str
    media_type: str
    path: Path
    gz_path: Path
    size: int        # bytes of the uncompressed file
    sha256: str      # hex digest of the uncompressed file
    state: StoreState

    @property
    def etag(self) -> str:
        return f'W/"{self.sha256[:32]}"'


class DumpCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._dumps: dict[tuple[str, str, str], Dump] = {}
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._guard = threading.Lock()
        self._tokens: list[str] = []  # states seen, oldest first

    def get(self, store: Store, state: StoreState, ext: str, context: JsonLdContext, context_url: str) -> Dump:
        """The dump of `ext` for `state`, built now if this state has none yet."""
        key = (state.token, ext, context_url if ext == "jsonld" else "")
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._dumps.get(key)
            if found is not None and found.path.exists():
                return found
            dump = self._build(store, state, ext, context, context_url, key)
            with self._guard:
                self._dumps[key] = dump
                self._forget_older(state.token)
            return dump

    def _build(self, store: Store, state: StoreState, ext: str, context: JsonLdContext, context_url: str,
               key: tuple[str, str, str]) -> Dump:
        media = DUMP_FORMATS[ext]
        if ext == "jsonld":
            body = context.compact_nquads(store.dump("application/n-quads").decode("utf-8"), context_url)
        else:
            body = store.dump(media)
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{state.token}-{hashlib.sha256('|'.join(key).encode()).hexdigest()[:12]}"
        path, gz_path = self.folder / f"{stem}.{ext}", self.folder / f"{stem}.{ext}.gz"
        write_atomically(path, body)
        write_atomically(gz_path, gzip.compress(body, compresslevel=6, mtime=0))
        return Dump(ext, media, path, gz_path, len(body), hashlib.sha256(body).hexdigest(), state)

    def _forget_older(self, token: str) -> None:
        if token in self._tokens:
            self._tokens.remove(token)
        self._tokens.append(token)
        kept = set(self._tokens[-2:])
        self._tokens = self._tokens[-2:]
        for key in [k for k in self._dumps if k[0] not in kept]:
            dump = self._dumps.pop(key)
            self._locks.pop(key, None)
            for path in (dump.path, dump.gz_path):
                path.unlink(missing_ok=True)


def write_atomically(path: Path, body: bytes) -> None:
    temporary = path.with_name(path.name + f".{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(body)
    os.replace(temporary, path)
