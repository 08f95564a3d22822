"""The tables of uploaded plans: private drafts, and the published versions of a commune's contributed plan.

    with db.session() as s:
        draft = s.scalar(select(Draft).where(Draft.key == "k3Jd…"))
        draft.body["actions"][0]["label_printed"]            # what the parser read, line by line
        versions = s.scalars(select(PlanVersion).where(PlanVersion.nis == "52025")).all()

A draft lives here and only here: nothing of it reaches the RDF store (public through /sparql and the
dumps) until it is published. A published version keeps what was written (the draft's body and the
N-Triples) so that an earlier version can be restored and an unpublished one is still in the history.
`pcs_graph.contrib.drafts` and `pcs_graph.contrib.plans` read and write these rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, UtcDateTime, utcnow

DRAFT_STATES = ("draft", "published", "discarded")
VERSION_STATES = ("published", "superseded", "unpublished")


class Draft(Base):
    """An uploaded plan as parsed, with the editor's corrections: private to its commune's editors."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # the opaque id in URLs (not guessable)
    nis: Mapped[str] = mapped_column(String(5), index=True)
    programme: Mapped[str | None] = mapped_column(String(9), default=None)
    file_name: Mapped[str] = mapped_column(String(200))  # as the person named it: shown, never a path
    form: Mapped[str] = mapped_column(String(10))  # read from the bytes: pdf, docx, odt, xlsx, html, csv, tsv, txt
    state: Mapped[str] = mapped_column(String(20), default="draft")  # one of DRAFT_STATES
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # document, actions (printed and corrected), warnings
    public_name: Mapped[str] = mapped_column(String(200))  # who uploaded it
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PlanVersion(Base):
    """One published version of a commune's contributed plan for a programme."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("nis", "programme", "number", name="uq_plan_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nis: Mapped[str] = mapped_column(String(5), index=True)
    programme: Mapped[str] = mapped_column(String(9))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per commune and programme
    state: Mapped[str] = mapped_column(String(20), default="published")  # one of VERSION_STATES
    graph_uri: Mapped[str] = mapped_column(String(500))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"), default=None)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # the draft's body as published
    statements: Mapped[str] = mapped_column(Text)  # the N-Triples of the plan's graph
    action_count: Mapped[int] = mapped_column(Integer, default=0)
    public_name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), default=None)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"), default=None)
    restored_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"), default=None)
    unpublished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    unpublished_by: Mapped[str | None] = mapped_column(String(200), default=None)
