"""Private drafts of uploaded plans: what the parser read, the suggestions, and the editor's corrections.

    drafts = Drafts(database)
    draft = drafts.create(actor, doc, "Plan PCS.docx", "docx", "52025", "2020-2025", None, suggest)
    draft.actions[2].suggestion            # {'types': [{'code': '5.1.04', 'probability': 0.62, ...}], 'axis': 5, ...}
    drafts.correct(actor, draft.key, [Correction(position=3, accept_suggestion=True),
                                      Correction(position=4, description="Un atelier pour les 0-3 ans")])
    drafts.get(actor, draft.key).actions[3].label       # the corrected label; `label_printed` is kept
    drafts.purge(timedelta(days=90), by="administrateur")  # drafts never published, untouched for 90 days

A draft is a row of the database (`pcs_graph.accounts.drafts.Draft`), never a statement of the store:
nothing here writes RDF. Only editors of the draft's commune (and reviewers) may see or change it;
everyone else gets Forbidden, and an unknown key NotFound. Every refused correction names the line
(position) and the field, and leaves the draft as it was (all the corrections of a call, or none).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..accounts.actors import Actor, can_edit
from ..accounts.db import Database
from ..accounts.drafts import Draft
from ..accounts.models import AuditEntry, utcnow
from ..errors import InvalidCodeError, PcsError
from ..graph.nomenclature import parse_code
from ..graph.records import PlanDocument
from ..graph.sheet import STATUSES, PracticeSheet, validate_sheet
from .service import Forbidden, NotFound

# a label, its type and axis → the classifier's suggestion (types with calibrated probabilities, axis)
Suggest = Callable[[str, "int | None"], "dict[str, Any] | None"]
SHEET_FIELDS = ("description", "publics", "status", "status_date", "start_date", "end_date", "results", "contact")


class CorrectionInvalid(PcsError):
    """A correction that cannot be applied: the line and the field named (HTTP 422)."""


@dataclass
class DraftAction:
    """One line the parser read as an action, and what the editor made of it."""

    position: int  # 1, 2, ... in the document's order
    label_printed: str
    label: str  # = label_printed unless corrected
    line: int | None = None
    page: int | None = None
    source_text: str = ""
    heading: str | None = None
    sequence: int | None = None
    code: str | None = None  # printed in the document
    code_as_printed: str | None = None
    stated_axis: int | None = None  # printed, or chosen by the editor
    partners: list[dict[str, Any]] = field(default_factory=list)  # name, article20, kind
    partners_printed: list[dict[str, Any]] | None = None  # kept when the editor changed them
    publics_read: list[str] = field(default_factory=list)
    sheet: dict[str, Any] = field(default_factory=dict)  # PracticeSheet fields, from the document or the editor
    dropped: bool = False  # the document says the action was removed from the plan
    excluded: bool = False  # the editor said this line is not an action
    suggestion: dict[str, Any] | None = None  # for an action without a code
    declared: dict[str, Any] | None = None  # a type the editor chose: code, axis, suggested, probability

    @property
    def label_corrected(self) -> bool:
        return self.label != self.label_printed

    @property
    def practice_sheet(self) -> PracticeSheet:
        return sheet_from_dict(self.sheet)


@dataclass
class DraftView:
    key: str
    nis: str
    programme: str | None
    file_name: str
    form: str
    state: str
    public_name: str
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]
    publication: dict[str, Any] | None
    warnings: list[str]
    actions: list[DraftAction]


@dataclass(frozen=True)
class Correction:
    """What the editor changes on one line (only the fields given; `None` leaves a field as it is)."""

    position: int
    accept_suggestion: bool = False  # the first suggested type becomes the declared type
    type: str | None = None  # another code of the nomenclature ("" forgets the declared type)
    axis: int | None = None  # 1-7, when no type is declared
    label: str | None = None  # a corrected label (the printed one is kept)
    partners: list[dict[str, Any]] | None = None
    exclude: bool | None = None  # True: not an action; False: put it back
    description: str | None = None
    publics: list[str] | None = None
    status: str | None = None
    status_date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    results: list[str] | None = None
    contact: str | None = None


def sheet_from_dict(data: dict[str, Any]) -> PracticeSheet:
    names = {f.name for f in fields(PracticeSheet)}
    return PracticeSheet(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names})


def sheet_to_dict(sheet: PracticeSheet) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(sheet).items() if v not in (None, ())}


class Drafts:
    def __init__(self, database: Database, type_label: Callable[[str], str | None] | None = None) -> None:
        """`type_label(code)`: the label of a type of the nomenclature, None for an unknown code (a type
        the editor types in must be one; without it, publishing checks)."""
        self.db = database
        self.type_label = type_label

    def create(self, actor: Actor, doc: PlanDocument, file_name: str, form: str, nis: str, programme: str | None,
               publication: dict[str, Any] | None, suggest: Suggest | None = None) -> DraftView:
        """A new draft from a parsed document (already known to be about `nis`, which `actor` may edit)."""
        if not can_edit(actor, nis):
            raise Forbidden(f"{actor.public_name} ne peut pas publier pour la commune {nis}")
        actions = [_draft_action(i, a) for i, a in enumerate(doc.actions, start=1)]
        if suggest is not None:
            for a in actions:
                if a.code is None and not a.dropped:
                    a.suggestion = suggest(a.label, a.stated_axis)
        programme = programme or doc.programme
        warnings = list(doc.warnings)
        if programme is None:
            warnings.append("aucune programmation trouvée : précisez-la (par ex. 2020-2025) avant de publier")
        body = {"document": {"title": doc.title, "parser": doc.parser, "document_number": doc.document_number,
                             "status": doc.status, "printed_on": doc.printed_on, "project_leader": doc.project_leader,
                             "content_hash": doc.content_hash},
                "publication": publication, "warnings": warnings, "actions": [asdict(a) for a in actions]}
        row = Draft(key=secrets.token_urlsafe(16)[:22], nis=nis, programme=programme, file_name=file_name, form=form,
                    body=body, public_name=actor.public_name, account_id=actor.account_id, token_id=actor.token_id)
        with self.db.session() as s:
            s.add(row)
            s.flush()
            return view(row)

    def get(self, actor: Actor, key: str) -> DraftView:
        with self.db.session() as s:
            return view(self._row(s, actor, key))

    def mine(self, actor: Actor) -> list[DraftView]:
        """The drafts of the communes the actor may edit, newest first (published and discarded ones too)."""
        query = select(Draft)
        if not actor.is_reviewer:
            query = query.where(Draft.nis.in_(sorted(actor.editable_communes())))
        with self.db.session() as s:
            rows = s.scalars(query.order_by(Draft.updated_at.desc(), Draft.id.desc()).limit(200)).all()
            return [view(r) for r in rows if can_edit(actor, r.nis)]

    def correct(self, actor: Actor, key: str, corrections: list[Correction], programme: str | None = None) -> DraftView:
        """Apply every correction, or none: the first that cannot be applied is refused with its line and field."""
        with self.db.session() as s:
            row = self._row(s, actor, key)
            if row.state != "draft":
                raise CorrectionInvalid(f"le brouillon {key} est déjà {'publié' if row.state == 'published' else 'abandonné'}"
                                        " : déposez le document à nouveau pour le modifier")
            actions = [DraftAction(**a) for a in row.body["actions"]]
            by_position = {a.position: a for a in actions}
            for c in corrections:
                action = by_position.get(c.position)
                if action is None:
                    raise CorrectionInvalid(f"ligne {c.position} : aucune action à cette position "
                                            f"(attendu : 1 à {len(actions)})")
                _apply(action, c, self.type_label)
            row.body = {**row.body, "actions": [asdict(a) for a in actions]}
            if programme:
                row.programme = programme
            row.updated_at = utcnow()
            return view(row)

    def discard(self, actor: Actor, key: str) -> DraftView:
        with self.db.session() as s:
            row = self._row(s, actor, key)
            if row.state == "draft":
                row.state, row.updated_at = "discarded", utcnow()
            return view(row)

    def purge(self, older_than: timedelta, by: str, now: datetime | None = None) -> int:
        """Delete the drafts never published (still a draft, or abandoned) untouched for `older_than`; one
        line of the audit log says how many, by whom. Published drafts stay: a plan version points to its
        draft. Returns how many were deleted."""
        if older_than <= timedelta(0):
            raise PcsError("la durée doit être positive (attendu : au moins un jour)")
        limit = (now or utcnow()) - older_than
        with self.db.session() as s:
            rows = s.scalars(select(Draft).where(Draft.state.in_(("draft", "discarded")), Draft.updated_at < limit)).all()
            for row in rows:
                s.delete(row)
            s.add(AuditEntry(actor_name=by, what="draft.purge", target="drafts",
                             detail={"deleted": len(rows), "untouched_since": limit.isoformat()}))
            return len(rows)

    def _row(self, s: Any, actor: Actor, key: str) -> Draft:
        row = s.scalar(select(Draft).where(Draft.key == key))
        if row is None:
            raise NotFound(f"aucun brouillon {key!r}")
        if not can_edit(actor, row.nis):
            raise Forbidden(f"{actor.public_name} ne peut pas voir les brouillons de la commune {row.nis}")
        return row


def view(row: Draft) -> DraftView:
    body = row.body
    return DraftView(row.key, row.nis, row.programme, row.file_name, row.form, row.state, row.public_name,
                     row.created_at, row.updated_at, body["document"], body.get("publication"), list(body["warnings"]),
                     [DraftAction(**a) for a in body["actions"]])


def _draft_action(position: int, a: Any) -> DraftAction:
    sheet = a.sheet or PracticeSheet()
    if a.description and not sheet.description:
        sheet = replace(sheet, description=a.description)
    return DraftAction(
        position=position, label_printed=a.label, label=a.label, line=a.span.line, page=a.span.page,
        source_text=a.span.text, heading=a.heading, sequence=a.sequence, code=a.code, code_as_printed=a.code_as_printed,
        stated_axis=a.stated_axis, partners=[asdict(p) for p in a.partners], publics_read=list(a.target_publics),
        sheet=sheet_to_dict(sheet), dropped=a.dropped)


def _apply(action: DraftAction, c: Correction, type_label: Callable[[str], str | None] | None) -> None:
    where = f"ligne {c.position}"
    if c.exclude is not None:
        action.excluded = c.exclude
    if c.label is not None:
        label = " ".join(c.label.split())
        if not label:
            raise CorrectionInvalid(f"{where}, label : libellé vide (attendu : le libellé corrigé)")
        action.label = label
    if c.partners is not None:
        partners = []
        for p in c.partners:
            name = " ".join(str(p.get("name", "")).split())
            if not name:
                raise CorrectionInvalid(f"{where}, partners : partenaire sans nom (attendu : {{\"name\": \"ASBL …\"}})")
            partners.append({"name": name, "article20": bool(p.get("article20", False)), "kind": p.get("kind")})
        if action.partners_printed is None:
            action.partners_printed = action.partners
        action.partners = partners
    if c.accept_suggestion or c.type is not None:
        _declare(action, c, where, type_label)
    if c.axis is not None:
        if not 1 <= c.axis <= 7:
            raise CorrectionInvalid(f"{where}, axis : axe {c.axis} inconnu (attendu : 1 à 7)")
        if action.code or action.declared:
            raise CorrectionInvalid(f"{where}, axis : l'axe suit le type d'action déclaré (changez le type)")
        action.stated_axis = c.axis
    changes = {name: getattr(c, name) for name in SHEET_FIELDS if getattr(c, name) is not None}
    if changes:
        sheet = dict(action.sheet)
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
            if value in ("", []):
                sheet.pop(name, None)
            else:
                sheet[name] = value
        if "status" in changes and changes["status"] not in (None, "") and changes["status"] not in STATUSES:
            raise CorrectionInvalid(f"{where}, status : statut inconnu {changes['status']!r} "
                                    f"(attendu : {', '.join(STATUSES)})")
        errors = validate_sheet(sheet_from_dict(sheet))
        if errors:
            raise CorrectionInvalid(f"{where} : " + " ; ".join(errors))
        action.sheet = sheet


def _declare(action: DraftAction, c: Correction, where: str, type_label: Callable[[str], str | None] | None) -> None:
    if action.code:
        raise CorrectionInvalid(f"{where}, type : le document imprime déjà le code {action.code}")
    if c.accept_suggestion:
        types = (action.suggestion or {}).get("types") or []
        if not types:
            raise CorrectionInvalid(f"{where}, accept_suggestion : aucune suggestion pour cette ligne")
        best = types[0]
        action.declared = {"code": best["code"], "label": best.get("label"), "axis": int(best["axis"]),
                           "suggested": True, "probability": best.get("probability")}
        return
    if c.type == "":
        action.declared = None
        return
    try:
        code = parse_code(c.type or "")
    except InvalidCodeError as e:
        raise CorrectionInvalid(f"{where}, type : {e} (attendu : un code de la nomenclature, par ex. 5.1.04)") from None
    suggested = next((t for t in (action.suggestion or {}).get("types") or [] if t["code"] == str(code)), None)
    label = suggested.get("label") if suggested else None
    if type_label is not None and label is None:
        label = type_label(str(code))
        if label is None:
            raise CorrectionInvalid(f"{where}, type : {code} n'est pas un type d'action connu de la nomenclature "
                                    "(attendu : un code suggéré ou déjà publié, par ex. 5.5.01)")
    action.declared = {"code": str(code), "label": label, "axis": code.axis,
                       "suggested": suggested is not None,
                       "probability": suggested.get("probability") if suggested else None}
