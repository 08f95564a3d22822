"""The embedded store: pyoxigraph on disk (RocksDB), the default backend.

    store = EmbeddedStore("var/store")
    store.select("SELECT ?c WHERE { ?c a pcs:Commune } LIMIT 1")
    store.close()

One process at a time holds the folder (RocksDB's lock); a second one may open it read-only.
`EmbeddedStore.in_memory()` is the same store held in memory (a first load is staged in one, see
`staging`).
"""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, StoreError
from ..graph.vocab import PREFIXES
from .base import GRAPH_FORMATS, RESULT_FORMATS, RawResult, Row, term_value
from .swap import discard_leftovers, loading_folder, recover_swap, swap_in


class EmbeddedStore:
    """pyoxigraph on disk (RocksDB). One writer process at a time holds the directory."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        folder = Path(path)
        self.path: Path | None = folder  # None: held in memory
        self.read_only = read_only
        self.updates = 0  # updates applied through this object
        try:
            if read_only:
                self._store = _open_read_only(folder)
            else:
                recover_swap(folder)  # a first load killed between its two renames
                folder.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(folder))
                discard_leftovers(folder)  # the lock is held: no load of another process is under way
        except OSError as e:
            raise StoreError(
                f"impossible d'ouvrir le store {folder} : {e}. "
                "Un autre processus (pcs serve ?) l'utilise peut-être : arrêtez-le ou passez par son API."
            ) from None

    @classmethod
    def in_memory(cls) -> "EmbeddedStore":
        """An empty store in memory, with the same interface (nothing on disk)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store.updates, store._store = None, False, 0, ox.Store()
        return store

    def in_memory_copy(self) -> "EmbeddedStore":
        """A store in memory holding what this one holds."""
        copy = EmbeddedStore.in_memory()
        copy._store.bulk_extend(self._store)
        return copy

    def _query(self, query: str) -> object:
        try:
            # prefixes passed apart from the text, so error positions match the user's own query
            return self._store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise QueryError(f"requête SPARQL invalide : {e}") from None
        except OSError as e:
            raise StoreError(str(e)) from None

    def select(self, query: str) -> list[Row]:
        solutions = self._query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("une requête SELECT était attendue")
        names = [v.value for v in solutions.variables]
        return [{n: term_value(s[n]) for n in names} for s in solutions]

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("une requête ASK était attendue")
        return bool(result)

    def construct(self, query: str) -> Graph:
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("une requête CONSTRUCT ou DESCRIBE était attendue")
        g = Graph()
        g.parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g

    def raw_query(self, query: str, accept: str) -> RawResult:
        result = self._query(query)
        if isinstance(result, ox.QueryTriples):
            media = accept if accept in GRAPH_FORMATS and accept != "application/n-quads" else "text/turtle"
            return RawResult(result.serialize(format=GRAPH_FORMATS[media]), media)
        media = accept if accept in RESULT_FORMATS else "application/sparql-results+json"
        return RawResult(result.serialize(format=RESULT_FORMATS[media]), media)  # type: ignore[union-attr]

    def update(self, update: str) -> None:
        try:
            self._store.update(update, prefixes=PREFIXES)
            self.updates += 1
        except SyntaxError as e:
            raise QueryError(f"mise à jour SPARQL invalide : {e}") from None
        except OSError as e:
            raise StoreError(str(e)) from None

    def dump(self, media_type: str) -> bytes:
        fmt = GRAPH_FORMATS.get(media_type)
        if fmt is None:
            raise StoreError(f"format d'export inconnu : {media_type}")
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return self._store.dump(format=fmt)
        # triple formats: the union of all graphs (the ontology included)
        quads = self._store.quads_for_pattern(None, None, None, None)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return ox.serialize(sorted(triples, key=str), format=fmt, prefixes=PREFIXES)

    def replace_with(self, other: "EmbeddedStore") -> None:
        """This folder's content replaced by `other`'s whole: bulk-loaded into a new folder (not atomic,
        but nobody sees that folder), then swapped in by renames (see `swap`). Until the swap the folder
        is as it was, whatever happens; the store is open again afterwards."""
        if self.path is None or self.read_only:
            raise StoreError("seul un store sur disque ouvert en écriture peut être remplacé")
        loading = loading_folder(self.path)
        if loading.exists():
            shutil.rmtree(loading)
        new = ox.Store(str(loading))
        new.bulk_extend(other._store)
        new.flush()
        del new
        self._store.flush()
        try:  # an interruption from here on (SIGTERM, Ctrl-C) still reopens the store below
            del self._store
            gc.collect()  # RocksDB's lock is released when the last reference goes
            swap_in(loading, self.path)
        finally:  # an interruption between the renames: the old folder back, then open
            recover_swap(self.path)
            self._store = ox.Store(str(self.path))

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        store = self.__dict__.pop("_store", None)  # None: an interruption came before the store reopened
        if store is not None and not self.read_only:  # a read-only RocksDB instance refuses to flush
            store.flush()


READ_ONLY_TRIES = 10


def _open_read_only(folder: Path) -> ox.Store:
    """The store opened read-only beside the process that writes it (a running `pcs serve`). RocksDB does not
    guard this open against the writer: a compaction can delete a file between the moment the reader lists
    it and the moment it opens it ("Corruption: …", "No such file or directory"); opened again, a little
    later each time, then a StoreError that says why. A folder with no store is not waited for."""
    racing = (RuntimeError, FileNotFoundError)  # "Corruption: …", or a listed file gone ("No such file")
    for attempt in range(READ_ONLY_TRIES - 1):
        try:
            return ox.Store.read_only(str(folder))
        except racing:
            if not (folder / "CURRENT").is_file():
                raise  # no store here at all: nothing to wait for
            time.sleep(0.1 * (attempt + 1))
    try:
        return ox.Store.read_only(str(folder))
    except racing as e:
        if not (folder / "CURRENT").is_file():
            raise
        raise StoreError(f"impossible de lire le store {folder} à côté du processus qui l'écrit "
                         f"({READ_ONLY_TRIES} essais, dernier : {e}) : réessayez, ou passez par l'API du serveur") from None
