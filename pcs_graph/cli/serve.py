"""`pcs serve`: the JSON API, the SPARQL endpoint, linked data and the pages, from one process.

    pcs serve                       # var/store on http://127.0.0.1:8000 (ingests the corpus if empty)
    pcs serve --store /data/pcs --host 0.0.0.0 --port 8080

The port opens within seconds whatever the state of the index: the search index is built or updated
in the background by the app (`SearchEngine.open(ws, background=True)`), search ranks lexically
meanwhile and `/api/health` reports the progress. On a fresh machine the store is empty: the bundled
corpus (`corpus/`, a few seconds) is ingested before the port opens, so that the pages show it from
the first request; the Workspace is then closed and the app opens the store itself (an embedded store
admits one process, and one handle, at a time). SIGINT and SIGTERM stop the server at any moment
(uvicorn's graceful shutdown, bounded to SHUTDOWN_S, then the index build is stopped: nothing
half-written is left; and whatever holds it back, the process ends HARD_STOP_S after the signal).
"""

from __future__ import annotations

import os
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from ..config import Settings
from ..errors import PcsError
from ..load import Ingestor
from ..store.staging import first_load
from ..store.workspace import Workspace
from .common import StoreOpt, UpdateUrlOpt, corpus_files, err, settings_for
from .progress import HARD_STOP_S, interruptible

if TYPE_CHECKING:
    import uvicorn

SHUTDOWN_S = 3  # seconds open requests get to finish on SIGINT/SIGTERM (then HARD_STOP_S ends the process)


def prepare(settings: Settings) -> None:
    """Ingest the bundled corpus when the store holds no action yet (the index is the app's job)."""
    with Workspace(settings) as ws, first_load(ws.store) as target:
        ingestor = Ingestor.of(ws, target)
        ingestor.ensure_reference()
        if target.ask("ASK { ?a a pcs:Action }"):
            return
        files = corpus_files()
        err.print(f"Store vide : ingestion du corpus fourni ({len(files)} documents)…")
        for path in files:
            try:
                result = ingestor.ingest(path)
            except PcsError as e:
                err.print(f"[yellow]Avertissement[/] : {e}", highlight=False)
            else:
                err.print(f"{result.status:>9}  {result.actions:>4} actions  {path.name}", highlight=False)


def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
) -> None:
    """Servir l'API JSON, l'endpoint SPARQL, les URI des données et les pages (ingère le corpus si le store est vide)."""
    import uvicorn

    from ..api.app import create_app

    settings = settings_for(store, update_url)
    with interruptible("le store garde chaque document versé en entier"):
        try:
            prepare(settings)
        except PcsError as e:
            err.print(f"[bold red]Erreur[/] : {e}", highlight=False)
            raise typer.Exit(2) from None
    err.print(f"pcs-graph sur http://{host}:{port}/  (API : /docs, SPARQL : /sparql, état : /api/health ; "
              "l'index de recherche se construit en arrière-plan si besoin)", highlight=False)
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level="info",
                            timeout_graceful_shutdown=SHUTDOWN_S)
    run_bounded(config)


def run_bounded(config: "uvicorn.Config") -> None:
    """uvicorn's server, whose graceful shutdown on SIGINT/SIGTERM is cut short after HARD_STOP_S."""
    import uvicorn

    class BoundedServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if not self.should_exit:
                timer = threading.Timer(HARD_STOP_S, os._exit, args=(128 + int(sig),))
                timer.daemon = True
                timer.start()
            super().handle_exit(sig, frame)

    server = BoundedServer(config)
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises the SIGINT it shut down for: as uvicorn.run, end quietly
        pass
    if not server.started:  # the port could not be opened, or the app did not start (uvicorn logged why)
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
