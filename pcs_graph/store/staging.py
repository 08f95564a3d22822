"""A first load, staged: documents written into an embedded store that holds no document yet go to a
copy in memory, then into a new folder by one bulk load, which replaces the old folder in one rename.

    with first_load(ws.store) as target:     # `ws.store` itself unless it is embedded and holds no document
        Ingestor(target, ws.uris, ws.communes).ingest(path)
    # a clean exit: everything written; an exception, Ctrl-C or a kill: the folder exactly as before

Why: every document is one atomic SPARQL update, and pyoxigraph's transactional write on disk costs
about 5× its bulk load (bench/store_speed.py). The same updates on a store in memory are several
times faster, and a bulk load, not atomic, needs no atomicity into a folder nobody sees yet. Only for
a store with no document: copying a full store into memory for each command would cost more than it
saves, and a document added to a filled store keeps its one-update write. The price: the staged
graph is held in memory (about 445 MB for 20,000 actions, 290,000 quads), and an interrupted first
load writes nothing of this run (rather than the documents read so far).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .base import Store
from .embedded import EmbeddedStore

HAS_DOCUMENT = "ASK { GRAPH ?g { ?d a pcs:SourceDocument } }"


@contextmanager
def first_load(store: Store) -> Iterator[Store]:
    """The store to write documents to: a copy in memory, swapped in at the end of the block, when
    `store` is an embedded store on disk that holds no document yet; else `store` itself."""
    if not isinstance(store, EmbeddedStore) or store.read_only or store.path is None or store.ask(HAS_DOCUMENT):
        yield store
        return
    staged = store.in_memory_copy()
    yield staged  # an exception in the block leaves here: nothing of the copy is written
    if staged.updates:
        store.replace_with(staged)
