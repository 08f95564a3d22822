"""What the routes work with, opened once per process in the app's lifespan and closed with it.

    services = Services.open(settings)
    rows = await services.run(services.store.select, "SELECT ...")   # blocking work off the event loop
    results = await services.run(services.search.search, "personnes isolées", SearchFilters(), 10, 0)
    services.health()                                                 # store, search index (build progress)
    services.close()

The search engine opens in the background (`SearchEngine.open(ws, background=True)`): the server
answers at once, search ranks lexically while the index is built, then hybrid.

Routes reach it through `request.app.state.services` (the `get_services` dependency). The only
writes go through `services.contributions` (pcs_graph.contrib), never a route on its own; the
accounts database (`services.database`, `services.accounts`) is opened here once.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import anyio
from fastapi import Request

from pcs_graph.config import Settings
from pcs_graph.graph.vocab import PREFIXES
from pcs_graph.store import Store
from pcs_graph.store.workspace import Workspace

from .limits import EndpointLimits
from .sparql.pool import QueryRunner, open_runner

T = TypeVar("T")
log = logging.getLogger("pcs.api")


class SearchUnavailable(Exception):
    """The search engine could not be opened (module missing or index unavailable)."""


@dataclass
class Services:
    settings: Settings
    workspace: Workspace
    limits: EndpointLimits
    sparql: QueryRunner
    limiter: anyio.CapacityLimiter
    sparql_limiter: anyio.CapacityLimiter
    _search: Any = None
    search_error: str | None = None
    database: Any = None  # pcs_graph.accounts.Database: accounts, sessions, versions, audit log
    accounts: Any = None  # pcs_graph.accounts.Accounts
    contributions: Any = None  # pcs_graph.contrib.service.ContributionService: the one write path
    rate_limits: Any = None  # api.auth.deps.RateLimits
    drafts: Any = None  # pcs_graph.contrib.drafts.Drafts: uploaded plans, private until published
    plans: Any = None  # pcs_graph.contrib.plans.ContributedPlans: publish, unpublish, restore a whole plan

    @classmethod
    def open(cls, settings: Settings) -> "Services":
        limits = EndpointLimits.from_settings(settings)
        workspace = Workspace(settings)
        store = workspace.store
        if not settings.is_remote:
            store.flush()  # type: ignore[attr-defined]  # the query workers read what is on disk
        runner = open_runner(settings.store, settings.is_remote, store, settings.base_uri, PREFIXES,
                             limits.sparql_workers)
        # threads that wait on query workers: many and cheap, apart from those serving the rest of the API
        services = cls(settings, workspace, limits, runner, anyio.CapacityLimiter(limits.api_threads),
                       anyio.CapacityLimiter(limits.sparql_workers * 16))
        services._open_search()
        services._open_database()
        return services

    def _open_database(self) -> None:
        """The accounts database (SQLite beside the store, or PCS_DATABASE_URL), migrated to head."""
        from pcs_graph.accounts import Accounts, Database, default_database_url
        from pcs_graph.contrib.service import ContributionService

        from .auth.deps import RateLimits

        self.database = Database.open(default_database_url(self.settings))
        self.accounts = Accounts(self.database)
        self.contributions = ContributionService(self.workspace, self.database, self.workspace.uris,
                                                 on_write=self.after_write)
        self.rate_limits = RateLimits(os.environ.get("PCS_RATE_LIMIT_STORAGE")
                                      or self.settings.extra.get("rate_limit_storage"),
                                      os.environ.get("PCS_RATE_LIMIT_PREFIX") or "pcs-graph")
        from pcs_graph.contrib.drafts import Drafts
        from pcs_graph.contrib.plans import ContributedPlans

        self.plans = ContributedPlans(self.workspace, self.database, on_write=self.after_plan_write)
        self.drafts = Drafts(self.database, type_label=self.plans.type_label)

    def after_write(self) -> None:
        """The store was written (and flushed) by this process: the SPARQL workers reopen it."""
        self.sparql.refresh()

    def after_plan_write(self) -> None:
        """A whole plan was written: as `after_write`, and the search engine checks the store at once."""
        self.after_write()
        if self._search is not None:
            self._search.refresh()

    def _open_search(self) -> None:
        try:
            from pcs_graph.search.engine import SearchEngine
        except ImportError as e:
            self.search_error = f"moteur de recherche non installé ({e})"
            return
        try:
            self._search = SearchEngine.open(self.workspace, background=True)
        except Exception as e:  # noqa: BLE001 - the rest of the API works without search
            log.warning("search engine unavailable: %s", e)
            self.search_error = f"moteur de recherche indisponible : {e}"

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def search(self) -> Any:
        """The SearchEngine; raises SearchUnavailable (a 503 for the API) when it could not be opened."""
        if self._search is None:
            raise SearchUnavailable(self.search_error or "moteur de recherche indisponible")
        return self._search

    def health(self) -> dict[str, Any]:
        """What /api/health answers: does the store answer, and where is the search index."""
        try:
            answers = self.store.ask("ASK {}") in (True, False)
        except Exception as e:  # noqa: BLE001 - a health check reports, it does not fail
            log.warning("store unavailable: %s", e)
            answers = False
        status = self._search.status() if self._search is not None else None
        if status is None:
            search: dict[str, Any] = {"state": "unavailable" if self._search is None else "ready",
                                      "semantic": self._search is not None, "phase": "done", "actions_indexed": 0,
                                      "actions_total": 0, "texts_embedded": 0, "texts_total": 0, "embedding_s": 0.0,
                                      "error": self.search_error}
        else:
            build = status.build
            search = {"state": status.state, "semantic": status.semantic, "phase": build.phase,
                      "actions_indexed": build.actions_done, "actions_total": build.actions_total,
                      "texts_embedded": build.texts_done, "texts_total": build.texts_total,
                      "texts_per_s": round(build.texts_per_s, 1) if build.texts_per_s else None,
                      "embedding_s": build.embedding_s, "note": status.note, "error": status.error}
        return {"status": "ok" if answers else "degraded", "store": "remote" if self.settings.is_remote else "embedded",
                "store_answers": answers, "search": search}

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work (store queries, embeddings) in the bounded thread pool."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self.limiter)

    async def run_sparql(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a public SPARQL query: its waiting threads never hold up the JSON API and the pages."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self.sparql_limiter)

    def close(self) -> None:
        close = getattr(self._search, "close", None)
        if callable(close):
            close()
        self.sparql.close()
        if self.database is not None:
            self.database.close()
        self.workspace.close()


def get_services(request: Request) -> Services:
    return request.app.state.services
