"""The FastAPI application: one process serving the JSON API, /sparql, /id/... and the pages.

    app = create_app(Settings.from_env())

The workspace (store, search engine) is opened once in the lifespan and reached by routes through
`request.app.state.services`; nothing is loaded at import time.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from pcs_graph import __version__
from pcs_graph.config import Settings

from . import json_api, linked_data, pages
from .http import install
from .limits import EndpointLimits
from .services import Services
from .sparql import endpoint as sparql_endpoint


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings)
        app.state.services = services
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="pcs-graph",
        version=__version__,
        description="Graphe de connaissances et recherche sémantique des Plans de cohésion sociale wallons.",
        lifespan=lifespan,
    )
    install(app, EndpointLimits.from_settings(settings))
    for router in (json_api.router, sparql_endpoint.router, linked_data.router, pages.router):
        app.include_router(router)
    return app
