"""Accounts, invitations, sign-in with lockout, sessions and API tokens.

    accounts = Accounts(db)
    issued = accounts.add("chef@gerpinnes.be", role="editor", communes={"52025"})   # issued.secret: once
    accounts.accept_invitation(issued.secret, "un mot de passe assez long")
    session = accounts.sign_in("chef@gerpinnes.be", "un mot de passe assez long")  # AuthError, LockedOut
    accounts.actor_for_session(session.secret)       # Actor | None; session.csrf for its forms
    token = accounts.add_token("Plateforme X", communes={"52025"})                 # token.secret: once
    accounts.actor_for_token(token.secret)           # Actor | None (revoked, expired: None)

Secrets are `secrets.token_urlsafe(32)` values kept only as sha256 digests (they carry 256 bits:
no stretching needed); passwords are argon2 hashes (pwdlib's recommended parameters). Ten failed
sign-ins of an account within LOCK_WINDOW lock it for LOCK_FOR (`LockedOut.retry_after`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import select

from ..errors import PcsError
from .actors import ROLES_ALL, Actor
from .db import Database
from .models import Account, AccountCommune, ApiToken, AuditEntry, Invitation, SessionRow, utcnow

INVITATION_TTL = timedelta(days=7)
SESSION_TTL = timedelta(days=14)
MAX_FAILURES = 10
LOCK_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD = 12


class AuthError(PcsError):
    """Wrong e-mail or password, an unknown or used link, a disabled account (said without telling which)."""


class LockedOut(PcsError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(int(retry_after), 1)
        super().__init__(f"trop d'essais : compte verrouillé, réessayez dans {self.retry_after} s")


@dataclass(frozen=True)
class Issued:
    """A secret handed out once (invitation, session, token) and the row it belongs to."""

    id: int
    secret: str
    expires_at: datetime | None
    csrf: str | None = None  # a session's CSRF token


@dataclass(frozen=True)
class AccountInfo:
    id: int
    email: str
    public_name: str
    role: str
    communes: tuple[str, ...]
    active: bool
    has_password: bool


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Accounts:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.hasher = PasswordHash.recommended()
        self._dummy = self.hasher.hash("pcs-graph: a password nobody has")

    # --- accounts -------------------------------------------------------------------------------
    def add(self, email: str, role: str, communes: set[str] | frozenset[str] = frozenset(),
            public_name: str | None = None, ttl: timedelta = INVITATION_TTL) -> Issued:
        """A new account and its one-time invitation (the secret goes in the link, shown once)."""
        email = normalise_email(email)
        if role not in ROLES_ALL:
            raise PcsError(f"--role : rôle inconnu {role!r} (attendu : {', '.join(ROLES_ALL)})")
        if role == "editor" and not communes:
            raise PcsError("--commune : un éditeur édite au moins une commune (code INS, p. ex. 52025)")
        bad = sorted(n for n in communes if not (len(n) == 5 and n.isdigit()))
        if bad:
            raise PcsError(f"--commune : code INS invalide {bad[0]!r} (attendu : 5 chiffres, p. ex. 52025)")
        with self.db.session() as s:
            if s.scalar(select(Account.id).where(Account.email == email)) is not None:
                raise PcsError(f"un compte existe déjà pour {email}")
            account = Account(email=email, role=role, public_name=public_name or default_public_name(role, communes),
                              communes=[AccountCommune(nis=n) for n in sorted(communes)])
            s.add(account)
            s.flush()
            issued = self._invite(s, account.id, ttl)
            s.add(AuditEntry(actor_name="administration (CLI)", what="account.add", target=f"account/{account.id}",
                             detail={"role": role, "communes": sorted(communes)}))
        return issued

    def invite_again(self, email: str, ttl: timedelta = INVITATION_TTL) -> Issued:
        with self.db.session() as s:
            account = self._by_email(s, email)
            return self._invite(s, account.id, ttl)

    def _invite(self, s: object, account_id: int, ttl: timedelta) -> Issued:
        secret = secrets.token_urlsafe(32)
        row = Invitation(account_id=account_id, secret_hash=digest(secret), expires_at=utcnow() + ttl)
        s.add(row)  # type: ignore[attr-defined]
        s.flush()  # type: ignore[attr-defined]
        return Issued(row.id, secret, row.expires_at)

    def invitation_account(self, secret: str) -> AccountInfo | None:
        """The account a still-valid invitation link is for (None: unknown, used or expired)."""
        with self.db.session() as s:
            row = s.scalar(select(Invitation).where(Invitation.secret_hash == digest(secret)))
            if row is None or row.used_at is not None or row.expires_at <= utcnow():
                return None
            return _info(s.get(Account, row.account_id))

    def accept_invitation(self, secret: str, password: str) -> AccountInfo:
        check_password(password)
        with self.db.session() as s:
            row = s.scalar(select(Invitation).where(Invitation.secret_hash == digest(secret)).with_for_update())
            if row is None or row.used_at is not None or row.expires_at <= utcnow():
                raise AuthError("lien d'invitation inconnu, déjà utilisé ou expiré : demandez-en un nouveau")
            account = s.get(Account, row.account_id)
            if account is None or account.disabled_at is not None:
                raise AuthError("ce compte est désactivé")
            row.used_at = utcnow()
            account.password_hash = self.hasher.hash(password)
            account.failed_sign_ins, account.locked_until = 0, None
            s.add(AuditEntry(account_id=account.id, actor_name=account.public_name, what="account.password",
                             target=f"account/{account.id}", detail={}))
            return _info(account)

    def list(self) -> list[AccountInfo]:
        with self.db.session() as s:
            return [_info(a) for a in s.scalars(select(Account).order_by(Account.id))]

    def disable(self, email: str) -> AccountInfo:
        """The account can no longer sign in; its sessions end now."""
        with self.db.session() as s:
            account = self._by_email(s, email)
            account.disabled_at = account.disabled_at or utcnow()
            for row in s.scalars(select(SessionRow).where(SessionRow.account_id == account.id,
                                                          SessionRow.ended_at.is_(None))):
                row.ended_at = utcnow()
            s.add(AuditEntry(actor_name="administration (CLI)", what="account.disable",
                             target=f"account/{account.id}", detail={}))
            return _info(account)

    def _by_email(self, s: object, email: str) -> Account:
        account = s.scalar(select(Account).where(Account.email == normalise_email(email)))  # type: ignore[attr-defined]
        if account is None:
            raise PcsError(f"aucun compte pour {email}")
        return account

    # --- signing in -----------------------------------------------------------------------------
    def sign_in(self, email: str, password: str, ttl: timedelta = SESSION_TTL) -> Issued:
        """A new session, or AuthError (wrong pair) / LockedOut (too many failures: retry later)."""
        now = utcnow()
        with self.db.session() as s:
            account = s.scalar(select(Account).where(Account.email == normalise_email(email)).with_for_update())
            if account is None:
                self.hasher.verify(password, self._dummy)  # the same time whether the e-mail exists or not
                raise AuthError("adresse ou mot de passe incorrect")
            if account.locked_until is not None and account.locked_until > now:
                raise LockedOut((account.locked_until - now).total_seconds())
            ok = account.password_hash is not None and account.disabled_at is None and \
                self.hasher.verify(password, account.password_hash)
            if not ok:
                if account.first_failure_at is None or now - account.first_failure_at > LOCK_WINDOW:
                    account.first_failure_at, account.failed_sign_ins = now, 0
                account.failed_sign_ins += 1
                if account.failed_sign_ins >= MAX_FAILURES:
                    account.locked_until = now + LOCK_FOR
                    s.add(AuditEntry(account_id=account.id, actor_name=account.public_name, what="account.locked",
                                     target=f"account/{account.id}", detail={"failures": account.failed_sign_ins}))
                locked = account.failed_sign_ins >= MAX_FAILURES
            else:
                account.failed_sign_ins, account.first_failure_at, account.locked_until = 0, None, None
                secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                row = SessionRow(account_id=account.id, secret_hash=digest(secret), csrf_token=csrf,
                                 expires_at=now + ttl)
                s.add(row)
                s.flush()
                return Issued(row.id, secret, row.expires_at, csrf)
        # committed: the failure counts even though the caller gets an exception
        if locked:
            raise AuthError("adresse ou mot de passe incorrect ; compte verrouillé pour un moment")
        raise AuthError("adresse ou mot de passe incorrect")

    def session_of(self, secret: str) -> tuple[Actor, str] | None:
        """The actor of a live session and the session's CSRF token (None: unknown, ended, expired, disabled)."""
        with self.db.session() as s:
            row = s.scalar(select(SessionRow).where(SessionRow.secret_hash == digest(secret)))
            if row is None or row.ended_at is not None or row.expires_at <= utcnow():
                return None
            account = s.get(Account, row.account_id)
            if account is None or account.disabled_at is not None:
                return None
            return _actor(account), row.csrf_token

    def actor_for_session(self, secret: str) -> Actor | None:
        found = self.session_of(secret)
        return found[0] if found else None

    def sign_out(self, secret: str) -> None:
        with self.db.session() as s:
            row = s.scalar(select(SessionRow).where(SessionRow.secret_hash == digest(secret)))
            if row is not None and row.ended_at is None:
                row.ended_at = utcnow()

    # --- API tokens -----------------------------------------------------------------------------
    def add_token(self, public_name: str, communes: set[str] | frozenset[str], ttl: timedelta | None = None,
                  role: str = "editor") -> Issued:
        if not communes and role == "editor":
            raise PcsError("--commune : un jeton est limité à au moins une commune")
        with self.db.session() as s:
            secret = secrets.token_urlsafe(32)
            row = ApiToken(secret_hash=digest(secret), public_name=public_name, role=role,
                           communes=sorted(communes), expires_at=utcnow() + ttl if ttl else None)
            s.add(row)
            s.flush()
            s.add(AuditEntry(actor_name="administration (CLI)", what="token.add", target=f"token/{row.id}",
                             detail={"communes": sorted(communes), "public_name": public_name}))
            return Issued(row.id, secret, row.expires_at)

    def revoke_token(self, token_id: int) -> None:
        with self.db.session() as s:
            row = s.get(ApiToken, token_id)
            if row is None:
                raise PcsError(f"aucun jeton n° {token_id}")
            row.revoked_at = row.revoked_at or utcnow()
            s.add(AuditEntry(actor_name="administration (CLI)", what="token.revoke", target=f"token/{row.id}",
                             detail={}))

    def tokens(self) -> list[dict[str, object]]:
        with self.db.session() as s:
            return [{"id": t.id, "public_name": t.public_name, "communes": list(t.communes),
                     "created_at": t.created_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at}
                    for t in s.scalars(select(ApiToken).order_by(ApiToken.id))]

    def actor_for_token(self, secret: str) -> Actor | None:
        with self.db.session() as s:
            row = s.scalar(select(ApiToken).where(ApiToken.secret_hash == digest(secret)))
            if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= utcnow()):
                return None
            return Actor(None, row.id, row.public_name, row.role, frozenset(row.communes))


def _actor(account: Account) -> Actor:
    return Actor(account.id, None, account.public_name, account.role, frozenset(c.nis for c in account.communes))


def _info(account: Account | None) -> AccountInfo:
    assert account is not None
    return AccountInfo(account.id, account.email, account.public_name, account.role,
                       tuple(sorted(c.nis for c in account.communes)), account.disabled_at is None,
                       account.password_hash is not None)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 320:
        raise PcsError(f"adresse e-mail invalide : {email!r}")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PcsError(f"mot de passe trop court : au moins {MIN_PASSWORD} caractères")


def default_public_name(role: str, communes: set[str] | frozenset[str]) -> str:
    """« PCS de <commune> » needs the commune's name: the caller (CLI) passes it; this is the fallback."""
    if role == "reviewer":
        return "SPW Intérieur et Action sociale"
    if role == "admin":
        return "Administration pcs-graph"
    return "PCS " + ", ".join(sorted(communes))


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
