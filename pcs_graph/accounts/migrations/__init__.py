"""Alembic migrations of the accounts database (run by `Database.open`, never by hand).

    Database.open(url)       # upgrades to every head: 0001 (accounts, sessions, tokens, versions, audit,
                             # reports) → 0002 (drafts, plan versions) → 1801 (audit log append-only)

Each revision lives in `versions/` with an explicit id and its `down_revision`; `Database.open` runs
`alembic upgrade heads`, so two branches made at the same time both apply.
"""
