"""`pcs serve`: the JSON API, the SPARQL endpoint, linked data and the pages, from one process.

    pcs serve                       # var/store on http://127.0.0.1:8000 (ingests the corpus if empty)
    pcs serve --store /data/pcs --host 0.0.0.0 --port 8080

On a fresh machine the store is empty: the bundled corpus is ingested and the search index built
first, then the Workspace is closed and the app opens the store itself (an embedded store admits
one process, and one handle, at a time).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..config import Settings
from ..errors import PcsError
from ..load import Ingestor
from ..store.workspace import Workspace
from .common import StoreOpt, UpdateUrlOpt, corpus_files, err, settings_for


def is_empty(ws: Workspace) -> bool:
    return not ws.store.ask("ASK { ?a a pcs:Action }")


def prepare(settings: Settings) -> None:
    """Ingest the bundled corpus and build the search index when the store holds no action yet."""
    with Workspace(settings) as ws:
        ingestor = Ingestor.of(ws)
        ingestor.ensure_reference()
        if not is_empty(ws):
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
        from ..search.index import update_index

        err.print(f"Index de recherche : {update_index(ws)}", highlight=False)


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
    try:
        prepare(settings)
    except PcsError as e:
        err.print(f"[bold red]Erreur[/] : {e}", highlight=False)
        raise typer.Exit(2) from None
    err.print(f"pcs-graph sur http://{host}:{port}/  (API : /docs, SPARQL : /sparql)", highlight=False)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
