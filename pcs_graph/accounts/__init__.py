"""Accounts, sessions, API tokens, versions of contributions and the audit log, in a relational database.

    db = Database.open("sqlite:///var/store.sqlite3")        # or PCS_DATABASE_URL (PostgreSQL)
    accounts = Accounts(db)
    invitation = accounts.add("chef@gerpinnes.be", role="editor", communes={"52025"})
    accounts.accept_invitation(invitation.secret, "un mot de passe assez long")
    session = accounts.sign_in("chef@gerpinnes.be", "un mot de passe assez long")
    actor = accounts.actor_for_session(session.secret)       # Actor(public_name="PCS de Gerpinnes", ...)
    can_edit(actor, "52025")                                  # True

Nothing here is ever written to the RDF store: the store is public (`/sparql`, dumps), this is not.
Secrets (invitation links, session ids, API tokens) are `secrets.token_urlsafe` values stored as
sha256 digests; passwords are argon2 hashes (pwdlib).
May import: the foundation only (`pcs_graph.config`, `.errors`).
"""

from __future__ import annotations

from .actors import Actor, can_edit
from .db import Database, default_database_url
from .drafts import Draft, PlanVersion  # imported here so that backups (Base.metadata) hold them
from .service import Accounts, AuthError, Issued, LockedOut

__all__ = ["Actor", "can_edit", "Database", "default_database_url", "Accounts", "AuthError", "Issued", "LockedOut", "Draft", "PlanVersion"]
