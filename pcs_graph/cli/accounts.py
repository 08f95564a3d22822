"""`pcs users …`, `pcs tokens …`, `pcs drafts purge`, `pcs backup DIR`, `pcs restore DIR`: accounts and safekeeping.

    pcs users add chef@gerpinnes.be --role editor --commune 52025     # prints a one-time invitation link
    pcs users list            pcs users disable chef@gerpinnes.be       pcs users invite chef@gerpinnes.be
    pcs tokens add --commune 52025 --name "Plateforme X"             # the token, shown once
    pcs tokens list           pcs tokens revoke 3
    pcs backup /backups/2026-12-02     pcs restore /backups/2026-12-02 --store /data/new-store
    pcs drafts purge --older-than 90   # uploaded drafts never published, untouched for 90 days

The database is the one `pcs serve` uses (SQLite beside the store, or PCS_DATABASE_URL); these
commands work while the server runs. Secrets are printed once and never stored in clear.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..accounts import Accounts, Database, default_database_url
from ..graph.reference import CommuneDirectory
from .common import JsonOpt, StoreOpt, console, settings_for

DatabaseOpt = Annotated[Optional[str], typer.Option("--database", help="URL de la base (défaut : PCS_DATABASE_URL, "
                                                    "sinon un fichier SQLite à côté du store).")]
UrlOpt = Annotated[str, typer.Option("--url", envvar="PCS_PUBLIC_URL", help="Adresse publique du site (liens).")]


def _accounts(store: str | None, database: str | None) -> Accounts:
    return Accounts(Database.open(database or default_database_url(settings_for(store))))


def _communes(given: list[str]) -> set[str]:
    directory = CommuneDirectory.load()
    return {directory.find(c).nis for c in given}  # a name or a NIS code; UnknownCommuneError otherwise


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Comptes : éditeurs des communes, relecteurs, administrateurs.", no_args_is_help=True)
    tokens = typer.Typer(help="Jetons d'API des plateformes (Authorization: Bearer).", no_args_is_help=True)
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")

    @users.command("add")
    def users_add(email: str,
                  role: Annotated[str, typer.Option("--role", help="editor, reviewer ou admin")] = "editor",
                  commune: Annotated[list[str], typer.Option("--commune", help="code INS ou nom (répétable)")] = [],  # noqa: B006
                  name: Annotated[Optional[str], typer.Option("--name", help="nom public (défaut : « PCS de <commune> »)")] = None,
                  days: Annotated[int, typer.Option("--days", min=1, max=30, help="validité du lien")] = 7,
                  url: UrlOpt = "http://127.0.0.1:8000", store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Crée un compte et affiche son lien d'invitation (à usage unique, expirant)."""
        nis = _communes(commune)
        if name is None and role == "editor" and nis:
            directory = CommuneDirectory.load()
            name = "PCS de " + ", ".join(sorted(c.name for n in nis if (c := directory.by_nis(n)) is not None))
        accounts = _accounts(store, database)
        try:
            issued = accounts.add(email, role, nis, name, ttl=timedelta(days=days))
        finally:
            accounts.db.close()
        console.print(f"Compte créé ({role}{', communes ' + ', '.join(sorted(nis)) if nis else ''}).")
        console.print(f"Lien d'invitation, valable jusqu'au {issued.expires_at:%d/%m/%Y %H:%M} UTC, à usage unique :")
        print(f"{url.rstrip('/')}/invitation/{issued.secret}")

    @users.command("invite")
    def users_invite(email: str, days: Annotated[int, typer.Option("--days", min=1, max=30)] = 7,
                     url: UrlOpt = "http://127.0.0.1:8000", store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Un nouveau lien à usage unique pour un compte existant (lien expiré, mot de passe oublié)."""
        accounts = _accounts(store, database)
        try:
            issued = accounts.invite_again(email, ttl=timedelta(days=days))
        finally:
            accounts.db.close()
        console.print(f"Nouveau lien, valable jusqu'au {issued.expires_at:%d/%m/%Y %H:%M} UTC, à usage unique :")
        print(f"{url.rstrip('/')}/invitation/{issued.secret}")

    @users.command("list")
    def users_list(store: StoreOpt = None, database: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
        """Les comptes (sans mot de passe ni secret)."""
        accounts = _accounts(store, database)
        try:
            rows = accounts.list()
        finally:
            accounts.db.close()
        if as_json:
            print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
            return
        for r in rows:
            state = "actif" if r.active else "désactivé"
            state += "" if r.has_password else ", invitation en attente"
            console.print(f"{r.id:>4}  {r.email}  {r.role}  {r.public_name}  {' '.join(r.communes)}  ({state})",
                          highlight=False)

    @users.command("disable")
    def users_disable(email: str, store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Désactive un compte : il ne peut plus se connecter, ses sessions prennent fin."""
        accounts = _accounts(store, database)
        try:
            accounts.disable(email)
        finally:
            accounts.db.close()
        console.print(f"Compte {email} désactivé.")

    @tokens.command("add")
    def tokens_add(commune: Annotated[list[str], typer.Option("--commune", help="code INS ou nom (répétable)")],
                   name: Annotated[Optional[str], typer.Option("--name", help="nom public des contributions")] = None,
                   days: Annotated[Optional[int], typer.Option("--days", min=1, help="validité (défaut : sans fin)")] = None,
                   store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Crée un jeton d'API limité à des communes ; il n'est affiché qu'une fois."""
        nis = _communes(commune)
        directory = CommuneDirectory.load()
        public = name or "PCS de " + ", ".join(sorted(c.name for n in nis if (c := directory.by_nis(n)) is not None))
        accounts = _accounts(store, database)
        try:
            issued = accounts.add_token(public, nis, ttl=timedelta(days=days) if days else None)
        finally:
            accounts.db.close()
        console.print(f"Jeton n° {issued.id} ({public}, communes {', '.join(sorted(nis))}) ; conservez-le, "
                      "il ne sera plus affiché :")
        print(issued.secret)

    @tokens.command("list")
    def tokens_list(store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Les jetons (jamais leur valeur)."""
        accounts = _accounts(store, database)
        try:
            rows = accounts.tokens()
        finally:
            accounts.db.close()
        for t in rows:
            state = "révoqué" if t["revoked_at"] else "actif"
            console.print(f"{t['id']:>4}  {t['public_name']}  {' '.join(t['communes'])}  ({state})", highlight=False)

    @tokens.command("revoke")
    def tokens_revoke(token_id: int, store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Révoque un jeton (son numéro, voir `pcs tokens list`) : il est refusé dès maintenant (401)."""
        accounts = _accounts(store, database)
        try:
            accounts.revoke_token(token_id)
        finally:
            accounts.db.close()
        console.print(f"Jeton n° {token_id} révoqué.")

    drafts = typer.Typer(help="Brouillons de plans déposés (jamais publiés).", no_args_is_help=True)
    app.add_typer(drafts, name="drafts")

    @drafts.command("purge")
    def drafts_purge(days: Annotated[int, typer.Option("--older-than", min=1, help="jours sans modification")] = 90,
                     store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Supprime les brouillons jamais publiés (en cours ou abandonnés) non modifiés depuis N jours."""
        from ..contrib.drafts import Drafts

        db = Database.open(database or default_database_url(settings_for(store)))
        try:
            deleted = Drafts(db).purge(timedelta(days=days), by="administrateur (pcs drafts purge)")
        finally:
            db.close()
        console.print(f"{deleted} brouillon(s) supprimé(s) : jamais publiés, non modifiés depuis {days} jours.")

    @app.command("backup")
    def backup_command(folder: Path, store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Sauvegarde le store, la base des comptes et l'index dans un dossier vide."""
        from ..contrib.backup import backup

        os.umask(0o077)  # the backup holds e-mails and password hashes
        report = backup(settings_for(store), folder, database)
        console.print(f"Sauvegarde dans {folder} : {report.quads} quads (sha256 {report.nquads_sha256[:12]}…), "
                      + ", ".join(f"{n} {k}" for k, n in report.tables.items() if n)
                      + (", index" if report.index else ""), highlight=False)

    @app.command("restore")
    def restore_command(folder: Path, store: StoreOpt = None, database: DatabaseOpt = None) -> None:
        """Restaure une sauvegarde dans un store vide et une base vide (même export N-Quads, mêmes comptes)."""
        from ..contrib.backup import restore

        settings = settings_for(store)
        report = restore(folder, settings, database)
        console.print(f"Restauré depuis {folder} : {report.quads} quads, identiques à la sauvegarde "
                      f"(sha256 {report.nquads_sha256[:12]}…).", highlight=False)
