"""The quad store behind pcs-graph: one protocol, an embedded on-disk backend (pyoxigraph) by default,
or any SPARQL 1.1 server.

    store = open_store(Settings(store="var/store"))                      # embedded
    store = open_store(Settings(store="http://127.0.0.1:7878/query"))   # remote (update URL derived)
    store.select("SELECT ?c WHERE { ?c a pcs:Commune } LIMIT 1")

Holds the `Store` protocol (`base`), the backends (`embedded`, `remote`), the write stamp (`state`),
a first load staged in memory (`staging`) and swapped in by renames (`swap`), and the `Workspace`, the
one object a command or the API opens: settings, store, URIs, communes.
May import: the graph model and the foundation.
"""

from __future__ import annotations

from ..config import Settings
from .base import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    RawResult,
    Row,
    Store,
    term_value,
    with_prefixes,
)
from .embedded import EmbeddedStore


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """The store named by the settings: a folder (embedded) or a SPARQL endpoint URL (remote)."""
    if settings.is_remote:
        from .remote import (
            RemoteStore,  # imported lazily: httpx only needed for remote stores
        )

        return RemoteStore(settings.store, update_url=settings.update_url)
    return EmbeddedStore(settings.store, read_only=read_only)


__all__ = ["Store", "Row", "RawResult", "EmbeddedStore", "open_store", "GRAPH_FORMATS", "RESULT_FORMATS",
           "term_value", "with_prefixes"]
