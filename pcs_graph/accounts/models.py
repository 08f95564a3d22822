"""The tables of the accounts database (SQLAlchemy 2 declarative models; Alembic migrates them).

    with db.session() as s:
        account = s.scalar(select(Account).where(Account.email == "chef@gerpinnes.be"))
        account.communes           # [AccountCommune(nis='52025')]

Secrets are never stored: `*_hash` columns hold sha256 digests of high-entropy secrets
(`secrets.token_urlsafe`) or argon2 hashes of passwords. Every date is UTC (`UtcDateTime` gives
aware datetimes back, also from SQLite which has no time zones).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("editor", "reviewer", "admin")
REPORT_STATES = ("new", "accepted", "rejected", "fixed")


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC datetime: stored naive in UTC, read back aware (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a UTC-aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-cased; private
    public_name: Mapped[str] = mapped_column(String(200))  # what contributions are attributed to
    role: Mapped[str] = mapped_column(String(20))  # one of ROLES
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)  # argon2; None until invited
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    communes: Mapped[list["AccountCommune"]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class AccountCommune(Base):
    """A commune (NIS code) an editor account may edit."""

    __tablename__ = "account_communes"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    nis: Mapped[str] = mapped_column(String(5), primary_key=True)


class Invitation(Base):
    """A one-time link to set a password: expiring, its secret stored hashed."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class SessionRow(Base):
    """A signed-in browser: an opaque id (cookie) stored hashed, with the CSRF token of its forms."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))  # synchronizer token, shown in the session's forms
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class ApiToken(Base):
    """A platform's bearer token, scoped to communes; shown once, stored hashed, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    public_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="editor")
    communes: Mapped[list[str]] = mapped_column(JSON, default=list)  # NIS codes
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class ContributionVersion(Base):
    """One version of a commune's contribution about an action: who, when, after which, what (as data)."""

    __tablename__ = "contribution_versions"
    __table_args__ = (UniqueConstraint("action_uri", "number", name="uq_contribution_versions_action_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_uri: Mapped[str] = mapped_column(String(500), index=True)
    nis: Mapped[str] = mapped_column(String(5))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per action
    graph_uri: Mapped[str] = mapped_column(String(500))
    sheet: Mapped[dict[str, Any]] = mapped_column(JSON)  # the sheet's fields
    statements: Mapped[str] = mapped_column(Text)  # the N-Triples written to the store
    public_name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("contribution_versions.id"), default=None)
    restored_from_id: Mapped[int | None] = mapped_column(ForeignKey("contribution_versions.id"), default=None)


class AuditEntry(Base):
    """An append-only line of the audit log: every write, by whom, on what, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, default=None)  # kept even if the account goes
    token_id: Mapped[int | None] = mapped_column(Integer, default=None)
    actor_name: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ErrorReport(Base):
    """« Signaler une erreur »: an anonymous short text about an action, waiting in the reviewers' queue."""

    __tablename__ = "error_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_uri: Mapped[str] = mapped_column(String(500), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="new")  # one of REPORT_STATES
    handled_by: Mapped[str | None] = mapped_column(String(200), default=None)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
