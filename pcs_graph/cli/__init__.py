"""The command line, one module per command group: data (`data`), search (`search`), serving (`serve`).

    pcs --help                      # the `pcs` script is `pcs_graph.cli:main`
    from pcs_graph.cli import app   # the typer application, for tests (typer.testing.CliRunner)

May import every stage below it: api, search, stats, load, store, ingest, graph, foundation.
"""

from __future__ import annotations

from .main import app, main

__all__ = ["app", "main"]
