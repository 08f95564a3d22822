"""Accounts on a real database, SQLite and PostgreSQL alike: invitations, sign-in, lockout, tokens.

    accounts = Accounts(Database.open(url))
    link = accounts.add("chef@gerpinnes.be", "editor", {"52025"})   # then set a password, sign in
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from databases import database_url  # noqa: F401 - fixture
from pcs_graph.accounts import Accounts, Actor, AuthError, Database, LockedOut, can_edit
from pcs_graph.accounts.models import Account, ApiToken, Invitation, SessionRow
from pcs_graph.accounts.service import MAX_FAILURES, digest
from pcs_graph.errors import PcsError

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def accounts(database_url: str):  # noqa: F811
    db = Database.open(database_url)
    yield Accounts(db)
    db.close()


def invited(accounts: Accounts, email: str = "chef@gerpinnes.be", communes=frozenset({"52025"})) -> None:
    issued = accounts.add(email, "editor", set(communes), "PCS de Gerpinnes")
    accounts.accept_invitation(issued.secret, PASSWORD)


def test_the_database_is_migrated_by_alembic_when_opened(accounts: Accounts):
    assert accounts.db.revision() is not None
    assert accounts.db.revision() >= "0001"
    reopened = Database.open(accounts.db.url)  # migrating again is a no-op
    assert reopened.revision() == accounts.db.revision()
    reopened.close()


def test_an_editor_is_invited_sets_a_password_and_signs_in(accounts: Accounts):
    issued = accounts.add("Chef@Gerpinnes.be", "editor", {"52025"}, "PCS de Gerpinnes")
    assert accounts.invitation_account(issued.secret).email == "chef@gerpinnes.be"
    with pytest.raises(AuthError):
        accounts.sign_in("chef@gerpinnes.be", PASSWORD)  # no password yet
    accounts.accept_invitation(issued.secret, PASSWORD)
    with pytest.raises(AuthError, match="déjà utilisé"):
        accounts.accept_invitation(issued.secret, PASSWORD)  # one time only
    session = accounts.sign_in("CHEF@gerpinnes.be ", PASSWORD)
    actor, csrf = accounts.session_of(session.secret)
    assert actor == Actor(actor.account_id, None, "PCS de Gerpinnes", "editor", frozenset({"52025"}))
    assert len(csrf) >= 40
    accounts.sign_out(session.secret)
    assert accounts.session_of(session.secret) is None


def test_secrets_are_stored_hashed_never_in_clear(accounts: Accounts):
    issued = accounts.add("chef@gerpinnes.be", "editor", {"52025"})
    accounts.accept_invitation(issued.secret, PASSWORD)
    session = accounts.sign_in("chef@gerpinnes.be", PASSWORD)
    token = accounts.add_token("Plateforme", {"52025"})
    with accounts.db.session() as s:
        account = s.scalar(select(Account))
        assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
        assert s.scalar(select(Invitation.secret_hash)) == digest(issued.secret)
        assert s.scalar(select(SessionRow.secret_hash)) == digest(session.secret)
        assert s.scalar(select(ApiToken.secret_hash)) == digest(token.secret)
    dumped = repr(accounts.db.export_rows())
    for secret in (issued.secret, session.secret, token.secret, PASSWORD):
        assert secret not in dumped


def test_an_expired_invitation_is_refused(accounts: Accounts):
    issued = accounts.add("chef@gerpinnes.be", "editor", {"52025"}, ttl=timedelta(seconds=-1))
    assert accounts.invitation_account(issued.secret) is None
    with pytest.raises(AuthError, match="expiré"):
        accounts.accept_invitation(issued.secret, PASSWORD)


def test_ten_failures_lock_the_account_and_the_eleventh_try_is_refused_with_a_delay(accounts: Accounts):
    invited(accounts)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthError):
            accounts.sign_in("chef@gerpinnes.be", "pas le bon")
    with pytest.raises(LockedOut) as locked:
        accounts.sign_in("chef@gerpinnes.be", PASSWORD)  # even the right password, for a while
    assert 60 < locked.value.retry_after <= 15 * 60


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(accounts: Accounts):
    invited(accounts)
    session = accounts.sign_in("chef@gerpinnes.be", PASSWORD)
    accounts.disable("chef@gerpinnes.be")
    assert accounts.session_of(session.secret) is None
    with pytest.raises(AuthError):
        accounts.sign_in("chef@gerpinnes.be", PASSWORD)


def test_tokens_are_scoped_revocable_and_expire(accounts: Accounts):
    token = accounts.add_token("Plateforme des PCS", {"52025"})
    actor = accounts.actor_for_token(token.secret)
    assert actor.public_name == "Plateforme des PCS" and actor.token_id == token.id
    assert can_edit(actor, "52025") and not can_edit(actor, "53053")
    accounts.revoke_token(token.id)
    assert accounts.actor_for_token(token.secret) is None
    expired = accounts.add_token("Ancienne plateforme", {"52025"}, ttl=timedelta(seconds=-1))
    assert accounts.actor_for_token(expired.secret) is None
    assert accounts.actor_for_token("n'importe quoi") is None


def test_bad_input_is_named(accounts: Accounts):
    with pytest.raises(PcsError, match="--role"):
        accounts.add("a@b.be", "superuser")
    with pytest.raises(PcsError, match="--commune"):
        accounts.add("a@b.be", "editor", set())
    with pytest.raises(PcsError, match="code INS invalide"):
        accounts.add("a@b.be", "editor", {"Gerpinnes"})
    with pytest.raises(PcsError, match="e-mail invalide"):
        accounts.add("pas-une-adresse", "reviewer")
    accounts.add("a@b.be", "reviewer")
    with pytest.raises(PcsError, match="existe déjà"):
        accounts.add("A@B.be", "reviewer")


def test_who_may_edit_what():
    gerpinnes = Actor(1, None, "PCS de Gerpinnes", "editor", frozenset({"52025"}))
    clavier = Actor(2, None, "PCS de Clavier", "editor", frozenset({"61012"}))  # a joint plan's lead
    region = Actor(3, None, "SPW", "reviewer", frozenset())
    admin = Actor(4, None, "Administration", "admin", frozenset())
    assert can_edit(gerpinnes, "52025") and not can_edit(gerpinnes, "53053")
    assert can_edit(clavier, "61079")  # Anthisnes: « plan commun avec Clavier »
    assert can_edit(region, "53053") and not can_edit(admin, "52025") and not can_edit(None, "52025")


def test_where_the_database_lives():
    from pcs_graph.accounts import default_database_url
    from pcs_graph.config import Settings

    assert default_database_url(Settings(store="/data/pcs/store"), {}) == "sqlite:////data/pcs/store.sqlite3"
    assert default_database_url(Settings(store="http://db:7878/query", index_dir="/data/index"), {}) == \
        "sqlite:////data/pcs.sqlite3"
    assert default_database_url(Settings(store="/data/pcs/store"), {"PCS_DATABASE_URL": "postgresql://pcs@db/pcs"}) \
        == "postgresql://pcs@db/pcs"


def test_a_database_url_with_a_password_is_never_shown(tmp_path):
    from pcs_graph.accounts.db import DatabaseError

    with pytest.raises(DatabaseError) as refused:
        Database.open("postgresql://pcs:tres-secret@127.0.0.1:1/pcs")
    assert "tres-secret" not in str(refused.value) and "***" in str(refused.value)


def test_the_audit_log_is_append_only_in_the_database(accounts: Accounts):
    from sqlalchemy import delete, update

    from pcs_graph.accounts.models import AuditEntry

    accounts.add("a@b.be", "reviewer")  # writes an audit line
    with pytest.raises(Exception, match="append-only"):
        with accounts.db.session() as s:
            s.execute(update(AuditEntry).values(actor_name="quelqu'un d'autre"))
    with pytest.raises(Exception, match="append-only"):
        with accounts.db.session() as s:
            s.execute(delete(AuditEntry))
    with accounts.db.session() as s:
        assert [e.what for e in s.scalars(select(AuditEntry))] == ["account.add"]
