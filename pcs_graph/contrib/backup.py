"""`pcs backup DIR` / `pcs restore DIR`: the store, the accounts database and the index, consistently.

    report = backup(settings, Path("/backups/2026-12-02"))      # BackupReport(quads=…, versions=…, …)
    restore(Path("/backups/2026-12-02"), settings_of_empty_place)

DIR holds:
- `store/`: the embedded store's own backup (RocksDB checkpoint through pyoxigraph `Store.backup`;
  beside a running `pcs serve` taken read-only, again if a compaction raced it, see `checkpoint`);
  or `store.nq` for a remote store;
- `database.json`: every row of every table (`Database.export_rows`): portable between SQLite and
  PostgreSQL, so a SQLite deployment can be restored into PostgreSQL and back;
- `index/`: a copy of the search index folder (its manifest included), if there is one;
- `manifest.json`: when, the database revision, counts, and the sha256 of the store's N-Quads.
A write between the database export and the store backup (a server running) would make them
disagree; the backup checks that each contribution graph in the store is the latest version in the
database, and takes both again if not (three tries). Restoring refuses a place that is not empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..accounts.db import Database, default_database_url
from ..config import Settings
from ..errors import PcsError
from ..graph.uris import Uris
from ..graph.vocab import OWL
from ..store import open_store

FORMAT = 1


@dataclass(frozen=True)
class BackupReport:
    folder: Path
    quads: int
    nquads_sha256: str
    tables: dict[str, int]
    index: bool


def nquads_digest(data: bytes) -> str:
    """The sha256 of a dump's lines, sorted (quad order is not part of the data)."""
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def backup(settings: Settings, folder: Path, database_url: str | None = None) -> BackupReport:
    if folder.exists() and any(folder.iterdir()):
        raise PcsError(f"{folder} : le dossier de sauvegarde doit être vide ou absent")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _backup(settings, folder, database_url)
    except BaseException:
        for child in folder.iterdir():  # nothing half-written left behind
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise


def _backup(settings: Settings, folder: Path, database_url: str | None) -> BackupReport:
    db = Database.open(database_url or default_database_url(settings))
    try:
        for _ in range(3):
            rows = db.export_rows()
            for leftover in (folder / "store", folder / "store.nq"):
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                elif leftover.exists():
                    leftover.unlink()
            dump = _backup_store(settings, folder)
            disagreement = _disagreement(dump, rows, Uris(settings.base_uri))
            if not disagreement:
                break
        else:
            raise PcsError(f"le store et la base ne concordent pas ({disagreement}) : une écriture pendant la "
                           "sauvegarde (réessayez), ou une base qui n'est pas celle de ce store (--database)")
    finally:
        revision = db.revision()
        db.close()
    _write_json(folder / "database.json", rows)
    index = Path(settings.resolved_index_dir)
    has_index = index.is_dir()
    if has_index:
        shutil.copytree(index, folder / "index", ignore=shutil.ignore_patterns("*.tmp", "*.lock"))
    report = BackupReport(folder, len([line for line in dump.splitlines() if line.strip()]), nquads_digest(dump),
                          {name: len(table) for name, table in rows.items()}, has_index)
    _write_json(folder / "manifest.json", {
        "format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(), "database_revision": revision,
        "store": "embedded" if not settings.is_remote else "remote", "quads": report.quads,
        "nquads_sha256": report.nquads_sha256, "tables": report.tables, "index": has_index})
    return report


def _backup_store(settings: Settings, folder: Path) -> bytes:
    """The store saved into `folder`; returns its N-Quads (for the digest and the consistency check)."""
    if settings.is_remote:
        store = open_store(settings)
        try:
            dump = store.dump("application/n-quads")
        finally:
            store.close()
        (folder / "store.nq").write_bytes(dump)
        return dump
    checkpoint(Path(settings.store), folder / "store")
    copy = ox.Store.read_only(str(folder / "store"))
    dump = copy.dump(format=ox.RdfFormat.N_QUADS)
    del copy
    return dump


CHECKPOINT_PATIENCE = 30.0  # seconds of tries beside a writer before giving up


def checkpoint(store: Path, target: Path) -> None:
    """A RocksDB checkpoint of the embedded store at `store` into `target`.

    When no process holds the store, it is opened for writing (its lock is then ours: nothing changes under
    the checkpoint). Beside a running server (which holds the lock) it is opened read-only, which RocksDB
    does not guard against the writer: a compaction can delete a file between the moment the reader lists
    it and the moment it links it ("No such file or directory"). The checkpoint is then taken again, a
    little later each time, for CHECKPOINT_PATIENCE seconds; then the error says so, and nothing is left
    in `target`."""
    if not (store / "CURRENT").is_file():
        raise PcsError(f"{store} : aucun store à sauvegarder ici")
    try:
        held = ox.Store(str(store))
    except OSError:  # a running server holds it
        held = None
    if held is not None:
        held.backup(str(target))
        del held
        return
    problem: Exception | None = None
    deadline, attempt = time.monotonic() + CHECKPOINT_PATIENCE, 0
    while time.monotonic() < deadline:
        try:
            source = ox.Store.read_only(str(store))
            source.backup(str(target))
            del source
            return
        except (OSError, RuntimeError) as e:  # pyoxigraph reports a vanished file as either
            problem, attempt = e, attempt + 1
            for partial in (target, target.with_name(target.name + ".tmp")):
                shutil.rmtree(partial, ignore_errors=True)
            time.sleep(min(0.05 * attempt, 1.0))
    raise PcsError(f"le store {store} change sans cesse pendant la sauvegarde ({attempt} essais en "
                   f"{CHECKPOINT_PATIENCE:.0f} s, dernier : {problem}) : réessayez quand le serveur écrit moins, ou "
                   "arrêtez-le le temps de la sauvegarde")


def _disagreement(dump: bytes, rows: dict[str, list[dict]], uris: Uris) -> str:
    """"" when each contribution graph of the store holds the latest version the database knows, and
    vice versa; else the first graph that differs."""
    latest: dict[str, int] = {}
    for row in rows.get("contribution_versions", []):
        latest[row["graph_uri"]] = max(latest.get(row["graph_uri"], 0), int(row["number"]))
    prefix = str(uris.graph("contribution/"))
    in_store: dict[str, int] = {}
    version_info = f"<{OWL.versionInfo}>"
    for line in dump.decode("utf-8").splitlines():
        if version_info in line and line.startswith(f"<{prefix}"):
            graph = line.split(" ", 1)[0][1:-1]
            in_store[graph] = int(line.split('"')[1])
    for graph in sorted(set(latest) | set(in_store)):
        if latest.get(graph) != in_store.get(graph):
            return (f"{graph} : version {in_store.get(graph, 'absente')} dans le store, "
                    f"{latest.get(graph, 'absente')} dans la base")
    return ""


def restore(folder: Path, settings: Settings, database_url: str | None = None) -> BackupReport:
    """Bring a backup back into an empty place (store folder absent or empty, database without rows)."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise PcsError(f"{folder} : pas de manifest.json, ce n'est pas une sauvegarde de pcs-graph")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    rows = json.loads((folder / "database.json").read_text(encoding="utf-8"))
    if not settings.is_remote:
        target = Path(settings.store)
        if target.exists() and any(target.iterdir()):
            raise PcsError(f"{target} : le store existe déjà ; restaurer dans un dossier vide")
    db = Database.open(database_url or default_database_url(settings))
    try:
        db.import_rows(rows)  # refuses a database with rows, before the store is touched
    except Exception:
        db.close()
        raise
    db.close()
    if settings.is_remote:
        store = open_store(settings)
        try:
            data = (folder / "store.nq").read_bytes() if (folder / "store.nq").exists() else _dump_of(folder / "store")
            store.update(f"INSERT DATA {{ {_as_trig_body(data)} }}")
            dump = store.dump("application/n-quads")
        finally:
            store.close()
    else:
        target = Path(settings.store)
        if target.exists():
            target.rmdir()
        if (folder / "store").is_dir():
            shutil.copytree(folder / "store", target)
        else:
            new = ox.Store(str(target))
            new.bulk_load(path=str(folder / "store.nq"), format=ox.RdfFormat.N_QUADS)
            new.flush()
            del new
        dump = _dump_of(target)
    index = Path(settings.resolved_index_dir)
    if (folder / "index").is_dir() and not index.exists():
        shutil.copytree(folder / "index", index)
    digest = nquads_digest(dump)
    if digest != manifest["nquads_sha256"]:
        raise PcsError(f"store restauré différent de la sauvegarde (sha256 {digest} ≠ {manifest['nquads_sha256']})")
    return BackupReport(folder, int(manifest["quads"]), digest, {k: len(v) for k, v in rows.items()},
                        (folder / "index").is_dir())


def _dump_of(path: Path) -> bytes:
    store = ox.Store.read_only(str(path))
    try:
        return store.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del store


def _as_trig_body(nquads: bytes) -> str:
    """N-Quads as the body of an INSERT DATA (each quad in its GRAPH block, default-graph triples bare)."""
    parts = []
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        triple = f"{quad.subject} {quad.predicate} {quad.object} ."
        parts.append(triple if isinstance(quad.graph_name, ox.DefaultGraph) else f"GRAPH {quad.graph_name} {{ {triple} }}")
    return "\n".join(parts)


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.chmod(tmp, 0o600)  # e-mails and password hashes
    os.replace(tmp, path)
