"""The `pcs` command: ingest plan documents, query, validate, export, search and serve the graph.

    pcs ingest corpus/ && pcs search "personnes isolées" && pcs serve

Every command takes `--store DIR|URL` (default: $PCS_STORE or var/store). Errors a user can cause
are printed as one plain sentence naming the file and line, with exit code 2.
"""

from __future__ import annotations

import sys

import typer

from ..errors import PcsError
from . import accounts, data, search, serve
from .common import err


def build_app() -> typer.Typer:
    """The typer application with every command group registered."""
    app = typer.Typer(help="pcs-graph : graphe de connaissances des Plans de cohésion sociale wallons.",
                      no_args_is_help=True, pretty_exceptions_enable=False)
    data.register(app)
    search.register(app)
    serve.register(app)
    accounts.register(app)
    return app


app = build_app()


def main() -> None:
    """The `pcs` script: the app, with any project error escaping a command told in one sentence."""
    try:
        app()
    except PcsError as e:
        err.print(f"[bold red]Erreur[/] : {e}", highlight=False)
        sys.exit(2)
