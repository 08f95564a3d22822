"""The FastAPI application: one process serving the JSON API, /sparql, /id/... and the pages.

    app = create_app(Settings.from_env())

The workspace (store, search engine) is opened once in the lifespan and reached by routes through
`request.app.state.services`; nothing is loaded at import time. The lifespan also sets
`app.state.tracker` (the store's state, for validators and dumps) and `app.state.dumps` (the dump
files, in a temporary folder removed at shutdown); `app.state.jsonld` is the JSON-LD context.
"""

from __future__ import annotations

import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI

from pcs_graph import __version__
from pcs_graph.config import Settings
from pcs_graph.store.state import read_state

from . import auth, dataset, docs, json_api, linked_data, pages
from .caching import ConditionalGet, GZip, HeadAsGet, StateTracker
from .dumps import DumpCache
from .http import install
from .jsonld import JsonLdContext
from .limits import EndpointLimits
from .ontodoc import routes as ontology_routes
from .services import Services
from .sparql import endpoint as sparql_endpoint


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings)
        app.state.services = services
        ws = services.workspace
        app.state.tracker = StateTracker(lambda: read_state(ws.store, ws.uris))
        with tempfile.TemporaryDirectory(prefix="pcs-dumps-") as folder:
            app.state.dumps = DumpCache(Path(folder))
            try:
                yield
            finally:
                services.close()

    app = FastAPI(
        title="pcs-graph",
        version=__version__,
        description="Graphe de connaissances et recherche sémantique des Plans de cohésion sociale wallons.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.jsonld = JsonLdContext.load()
    install(app, EndpointLimits.from_settings(settings))
    app.add_middleware(ConditionalGet)
    app.add_middleware(GZip, minimum_size=1024)
    app.add_middleware(HeadAsGet)
    app.add_middleware(auth.PrivateWhenSignedIn)  # outermost: a signed-in page never lands in a shared cache
    auth.install_log_filter()
    # auth first: its PATCH/POST under /api/actions/{nis}/{programme}/{key} before json_api's GET catch-all
    for router in (auth.router, docs.router, json_api.router, sparql_endpoint.router, linked_data.router,
                   dataset.router, ontology_routes.router, pages.router):
        app.include_router(router)
    return app
