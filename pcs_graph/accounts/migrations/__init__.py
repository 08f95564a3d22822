"""Alembic migrations of the accounts database (run by `Database.open`, never by hand).

    Database.open(url)       # upgrades to head: 0001 (accounts, sessions, tokens, versions, audit, reports)

Each revision lives in `versions/` with an explicit id ("0001", "0002", …) and its `down_revision`.
"""
