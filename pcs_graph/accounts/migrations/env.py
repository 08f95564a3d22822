"""Alembic's environment: migrates the connection `Database.open` hands over (config.attributes).

    command.upgrade(config, "head")      # with config.attributes["connection"] set
"""

from __future__ import annotations

from alembic import context

from pcs_graph.accounts.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("pcs-graph runs its migrations through Database.open(url), with a connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
