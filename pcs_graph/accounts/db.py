"""The accounts database: one engine and its sessions, migrated to the latest revision when opened.

    db = Database.open(default_database_url(settings))   # SQLite beside the store, or PCS_DATABASE_URL
    with db.session() as s:                               # a transaction: committed, or rolled back
        s.add(Account(...))
    db.export_rows()  /  db.import_rows(rows)              # `pcs backup` / `pcs restore`
    db.close()

By default the database is a SQLite file beside an embedded store (`var/store` → `var/store.sqlite3`,
mode 0600: it holds e-mails and password hashes); `PCS_DATABASE_URL` names another one, typically
PostgreSQL for replicas (`postgresql://user@host/db`, driven by psycopg 3). `Database.open` runs
the Alembic migrations (`alembic upgrade head`) in the same process, so a fresh deployment needs no
step of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from ..errors import PcsError
from .models import Base, UtcDateTime

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(PcsError):
    """The accounts database cannot be opened, migrated or restored."""


def default_database_url(settings: Settings, environ: dict[str, str] | None = None) -> str:
    """PCS_DATABASE_URL if set, else a SQLite file beside an embedded store (for a remote store: beside the
    index folder, var/pcs.sqlite3 by default)."""
    env = os.environ if environ is None else environ
    url = env.get("PCS_DATABASE_URL") or settings.extra.get("database_url")
    if url:
        return url
    if settings.is_remote:  # beside the search index's folder (var/pcs.sqlite3 by default)
        return f"sqlite:///{Path(settings.resolved_index_dir).parent / 'pcs.sqlite3'}"
    store = Path(settings.store)
    return f"sqlite:///{store.with_name(store.name + '.sqlite3')}"


def _driver_url(url: str) -> str:
    """`postgresql://…` and `postgres://…` use psycopg 3 (the one PostgreSQL driver installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str) -> "Database":
        """Connect and migrate to the latest revision (a SQLite file is created, mode 0600)."""
        url = _driver_url(url)
        is_sqlite = url.startswith("sqlite")
        if is_sqlite and url not in ("sqlite://", "sqlite:///:memory:"):
            path = Path(url.split("///", 1)[1])
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.touch(mode=0o600)
        try:
            engine = create_engine(url, pool_pre_ping=not is_sqlite,
                                   connect_args={"timeout": 30} if is_sqlite else {})
        except Exception as e:  # noqa: BLE001 - a bad URL: said plainly, without its password
            raise DatabaseError(f"base de données {redacted(url)} : {e}") from None
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        db = cls(url, engine, sessionmaker(engine, expire_on_commit=False))
        try:
            db.upgrade()
        except Exception as e:  # noqa: BLE001
            engine.dispose()
            raise DatabaseError(f"base de données {redacted(url)} inaccessible ou non migrée : {e}") from e
        return db

    def upgrade(self, revision: str = "heads") -> None:
        """`alembic upgrade heads`, in this process, on this engine (every branch's latest revision)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def revision(self) -> str | None:
        """The revision the database is at (several heads: joined with "+", sorted)."""
        with self.engine.connect() as connection:
            rows = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
        return "+".join(rows) if rows else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as s:
            yield s

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def export_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table (JSON-ready: dates as ISO text), in the order they can be re-inserted."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                if not inspect(connection).has_table(table.name):
                    continue
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                out[table.name] = [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()}
                                   for r in rows]
        return out

    def import_rows(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Load `export_rows()`'s output into this (empty, migrated) database, in one transaction."""
        with self.engine.begin() as connection:
            for table in Base.metadata.sorted_tables:
                if connection.execute(select(table).limit(1)).first() is not None:
                    raise DatabaseError(f"la table {table.name} n'est pas vide : restaurer dans une base vide")
            for table in Base.metadata.sorted_tables:
                data = rows.get(table.name, [])
                if not data:
                    continue
                dates = {c.name for c in table.columns if isinstance(c.type, UtcDateTime)}
                data = [{k: (datetime.fromisoformat(v) if k in dates and v else v) for k, v in r.items()} for r in data]
                # self-references (a version's previous one) inserted in id order: always earlier rows
                connection.execute(insert(table), data)
                if connection.dialect.name == "postgresql" and "id" in table.columns:
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"))

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
