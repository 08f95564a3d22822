"""One explicit object holding what a command or the API works with: settings, store, URIs, communes.

    with Workspace(Settings.from_env()) as ws:
        ws.store.select("SELECT ...")
        ws.communes.find("Hastière").nis       # '91059'

Created once per process (CLI command, API lifespan) and passed along; nothing loads at import.
Writing documents is `pcs_graph.load.Ingestor(ws)`'s job.
"""

from __future__ import annotations

from functools import cached_property

from ..config import Settings
from ..graph.programmes import Programmes
from ..graph.reference import CommuneDirectory
from ..graph.uris import Uris
from . import open_store
from .base import Store


class Workspace:
    def __init__(self, settings: Settings, read_only: bool = False) -> None:
        self.settings = settings
        self.read_only = read_only

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings, read_only=self.read_only)

    @cached_property
    def uris(self) -> Uris:
        return Uris(self.settings.base_uri)

    @cached_property
    def communes(self) -> CommuneDirectory:
        return CommuneDirectory.load()

    @cached_property
    def programmes(self) -> Programmes:
        return Programmes.load()

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
