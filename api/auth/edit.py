"""Editing a practice sheet and its history: the JSON API and the action page's forms.

    PATCH /api/actions/52025/2020-2025/3        {"status": "stopped", "status_date": "2025"}   (Bearer or session + X-CSRF-Token)
    GET   /api/actions/52025/2020-2025/3/versions                                              (public)
    POST  /api/actions/52025/2020-2025/3/versions/7/restore
    POST  /action/52025/2020-2025/3/fiche        (the page's form: the commune's whole sheet)
    GET   /action/52025/2020-2025/3/historique   (versions, readable diffs, « rétablir »)
    POST  /action/52025/2020-2025/3/historique/7/retablir

Every route resolves the actor first (401 anonymous; 403 another commune's editor; CSRF on cookie
requests), then hands the write to `services.contributions` — the one traceability service.
A PATCH states only the fields it names (null removes the commune's word for that field); the
page's form states the commune's whole contribution (an empty field: the source's word stands).
Partners: a list of names as the commune writes them, or {name, kind, article20}; where the commune
states partners they replace the documents' partners of the action (on the page, in the API, in search
and counts). The form takes one partner per line (a partner the previous version named keeps its kind
and article-20 mark). An anonymous form post answers 401 with a page linking to /connexion.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from pcs_graph.accounts.actors import Actor
from pcs_graph.contrib.reading import current_sheet, read_contribution, read_source_sheet
from pcs_graph.contrib.service import SheetInvalid, Version, sheet_from_data, sheet_to_data
from pcs_graph.graph.sheet import (MAX_PARTNER_NAME, MAX_PARTNERS, PARTNER_KINDS, PUBLICS, STATUSES, PracticeSheet,
                                   SheetPartner)
from pcs_graph.search.facets import PARTNER_KIND_LABELS
from pcs_graph.text import slugify

from ..pages.render import off_loop, render
from .deps import (FORM_ERRORS, WRITE_ERRORS, Key, Nis, Programme, current_actor, ensure_can_edit, require_editor_of,
                   session_csrf)
from .forms import sign_in_required

router = APIRouter(tags=["Contributions"])
Status = Literal["planned", "running", "suspended", "stopped", "completed"]
HTML = {"text/html": {"schema": {"type": "string"}}}  # a form's refusal: the page with the message
IsoDate = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", examples=["2025"])]


class PartnerIn(BaseModel):
    """A partner with its kind and article-20 mark (a plain name is enough: "ASBL Lire et Écrire")."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(max_length=MAX_PARTNER_NAME, examples=["ASBL Les Taxis Solidaires"])]
    kind: Literal[PARTNER_KINDS] | None = None  # type: ignore[valid-type]
    article20: bool = False


class SheetPatch(BaseModel):
    """The fields of the sheet the commune states (a field left out keeps its previous value; null removes it)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "stopped", "status_date": "2025"},
        {"partners": ["CPAS", {"name": "ASBL Les Taxis Solidaires", "kind": "ASBL", "article20": True}]}]})

    description: Annotated[str, Field(max_length=5000)] | None = None
    publics: list[Literal[tuple(PUBLICS)]] | None = None  # type: ignore[valid-type]
    status: Status | None = None
    status_date: IsoDate | None = None
    status_as_printed: Annotated[str, Field(max_length=300)] | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    results: list[Annotated[str, Field(max_length=1000)]] | None = Field(None, max_length=30)
    contact: Annotated[str, Field(max_length=500)] | None = None
    partners: list[Annotated[str, Field(max_length=MAX_PARTNER_NAME)] | PartnerIn] | None = Field(
        None, max_length=MAX_PARTNERS, description="les partenaires de l'action selon la commune (remplacent ceux des "
        "documents) : des noms, ou {name, kind, article20}")


class VersionOut(BaseModel):
    id: int
    number: int
    action: str
    graph: str
    public_name: str
    created_at: str
    previous_id: int | None
    restored_from: int | None
    sheet: dict[str, Any]


class EditResult(BaseModel):
    version: VersionOut
    sheet: dict[str, Any] = Field(description="la fiche courante : la parole de la commune, sinon celle de la source")


def version_out(v: Version) -> VersionOut:
    return VersionOut(id=v.id, number=v.number, action=v.action_uri, graph=v.graph_uri, public_name=v.public_name,
                      created_at=v.created_at.isoformat(), previous_id=v.previous_id, restored_from=v.restored_from,
                      sheet=sheet_to_data(v.sheet))


def _action_uri(request: Request, nis: Nis, programme: Programme, key: Key) -> str:
    return str(request.app.state.services.workspace.uris.action(nis, programme, key))


def _merged(previous: PracticeSheet | None, patch: dict[str, Any]) -> PracticeSheet:
    data = sheet_to_data(previous or PracticeSheet())
    data.update({k: ([] if v is None and isinstance(data.get(k), list) else v) for k, v in patch.items()})
    return sheet_from_data(data)


async def _result(request: Request, version: Version) -> EditResult:
    services = request.app.state.services
    ws = services.workspace

    def read() -> PracticeSheet:
        return current_sheet(read_source_sheet(ws.store, ws.uris, version.action_uri),
                             read_contribution(ws.store, ws.uris, version.action_uri))

    return EditResult(version=version_out(version), sheet=sheet_to_data(await services.run(read)))


@router.patch("/api/actions/{nis}/{programme}/{key}", response_model=EditResult,
              responses=WRITE_ERRORS, summary="Mettre à jour la fiche d'une action (éditeur de la commune, relecteur)")
async def patch_sheet(request: Request, nis: Nis, programme: Programme, key: Key, patch: SheetPatch,
                      actor: Actor = Depends(require_editor_of)) -> EditResult:
    services = request.app.state.services
    uri = _action_uri(request, nis, programme, key)
    contributions = services.contributions

    def write() -> Version:
        previous = contributions.current(uri)
        return contributions.edit_sheet(actor, uri, _merged(previous.sheet if previous else None,
                                                             patch.model_dump(exclude_unset=True)))

    return await _result(request, await services.run(write))


@router.get("/api/actions/{nis}/{programme}/{key}/versions", response_model=list[VersionOut],
            summary="Les versions de la contribution de la commune sur une action (la plus récente d'abord)")
async def versions(request: Request, nis: Nis, programme: Programme, key: Key) -> list[VersionOut]:
    services = request.app.state.services
    uri = _action_uri(request, nis, programme, key)
    return [version_out(v) for v in await services.run(services.contributions.history, uri)]


def _restore(request: Request, actor: Actor, uri: str, version_id: int) -> Version:
    contributions = request.app.state.services.contributions
    if contributions.version(version_id).action_uri != uri:
        from pcs_graph.contrib.service import NotFound

        raise NotFound(f"la version {version_id} n'est pas une version de {uri}")
    return contributions.restore(actor, version_id)


@router.post("/api/actions/{nis}/{programme}/{key}/versions/{version_id}/restore", response_model=EditResult,
             responses=WRITE_ERRORS, summary="Rétablir une version antérieure (une nouvelle version qui le dit)")
async def restore_version(request: Request, nis: Nis, programme: Programme, key: Key, version_id: int,
                          actor: Actor = Depends(require_editor_of)) -> EditResult:
    uri = _action_uri(request, nis, programme, key)
    return await _result(request, await request.app.state.services.run(_restore, request, actor, uri, version_id))


# --- the action page's forms -----------------------------------------------------------------

def form_sheet(form: dict[str, Any], previous: PracticeSheet | None = None) -> PracticeSheet:
    """The page's form → the commune's sheet (blank fields: not stated; partners one per line, each keeping
    the kind and article-20 mark the previous version gave it)."""
    def text(name: str) -> str | None:
        value = str(form.get(name) or "").strip()
        return value or None

    results = tuple(line.strip() for line in str(form.get("results") or "").splitlines() if line.strip())
    publics = tuple(p for p in PUBLICS if p in form.get("publics", ()))
    known = {slugify(p.name): p for p in (previous.partners if previous else ())}
    partners = []
    for line in str(form.get("partners") or "").splitlines():
        if name := " ".join(line.split()):
            old = known.get(slugify(name))
            partners.append(SheetPartner(name, old.kind, old.article20) if old else SheetPartner(name))
    return PracticeSheet(description=text("description"), publics=publics, status=text("status"),
                         status_date=text("status_date"), status_as_printed=text("status_as_printed"),
                         start_date=text("start_date"), end_date=text("end_date"), results=results,
                         contact=text("contact"), partners=tuple(partners))


@router.post("/action/{nis}/{programme}/{key}/fiche", response_class=RedirectResponse, status_code=303,
             responses={**FORM_ERRORS, 422: {**WRITE_ERRORS[422], "content": HTML}},
             summary="Formulaire de la page d'une action : la fiche telle que la commune l'énonce")
async def sheet_form(request: Request, nis: Nis, programme: Programme, key: Key,
                     csrf_token: Annotated[str, Form()] = "",
                     description: Annotated[str, Form(max_length=5000)] = "",
                     status: Annotated[str, Form(max_length=20)] = "",
                     status_date: Annotated[str, Form(max_length=10)] = "",
                     start_date: Annotated[str, Form(max_length=10)] = "",
                     end_date: Annotated[str, Form(max_length=10)] = "",
                     results: Annotated[str, Form(max_length=10000)] = "",
                     contact: Annotated[str, Form(max_length=500)] = "",
                     partners: Annotated[str, Form(max_length=12000, description="un partenaire par ligne")] = "",
                     publics: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI's form default
                     actor: Actor | None = Depends(current_actor)) -> Response:
    del csrf_token  # checked by current_actor
    base = f"/action/{nis}/{programme}/{key}"
    if actor is None:
        return sign_in_required(request, base)
    ensure_can_edit(actor, nis)
    uri = _action_uri(request, nis, programme, key)
    contributions = request.app.state.services.contributions

    def write() -> Version:
        previous = contributions.current(uri)
        sheet = form_sheet({"description": description, "status": status, "status_date": status_date,
                            "start_date": start_date, "end_date": end_date, "results": results, "contact": contact,
                            "publics": publics, "partners": partners}, previous.sheet if previous else None)
        return contributions.edit_sheet(actor, uri, sheet)

    try:
        await request.app.state.services.run(write)
    except SheetInvalid as refused:  # the person sees what to fix, in French, with the way back
        return render(request, "error.html", status_code=422, title="Mise à jour refusée",
                      message="La fiche n'a pas été modifiée : " + " ; ".join(refused.errors)
                      + f". Revenez à l'action ({base}) pour corriger.")
    return RedirectResponse(f"{base}#mise-a-jour", status_code=303)


@router.post("/action/{nis}/{programme}/{key}/historique/{version_id}/retablir", response_class=RedirectResponse,
             responses=FORM_ERRORS, status_code=303, summary="Formulaire de l'historique : rétablir une version")
async def restore_form(request: Request, nis: Nis, programme: Programme, key: Key, version_id: int,
                       csrf_token: Annotated[str, Form()] = "",
                       actor: Actor | None = Depends(current_actor)) -> Response:
    del csrf_token  # checked by current_actor
    if actor is None:
        return sign_in_required(request, f"/action/{nis}/{programme}/{key}/historique")
    ensure_can_edit(actor, nis)
    uri = _action_uri(request, nis, programme, key)
    await request.app.state.services.run(_restore, request, actor, uri, version_id)
    return RedirectResponse(f"/action/{nis}/{programme}/{key}/historique", status_code=303)


LABELS = {"description": "Description", "publics": "Publics", "status": "Statut", "status_date": "Date du statut",
          "status_as_printed": "Statut (texte)", "start_date": "Début", "end_date": "Fin", "results": "Résultats",
          "contact": "Contact", "publics_read": "Publics (mots lus)", "partners": "Partenaires"}


def shown(name: str, value: Any) -> str:
    if value in (None, (), []):
        return "—"
    if name == "status":
        return STATUSES.get(value, value)
    if name == "publics":
        return ", ".join(PUBLICS.get(p, p) for p in value)
    if name == "partners":
        return " ; ".join(partner_text(p) for p in value)
    if isinstance(value, (list, tuple)):
        return " ; ".join(value)
    return str(value)


def partner_text(partner: SheetPartner) -> str:
    """« ASBL Les Taxis Solidaires (ASBL, art. 20) », « CPAS »."""
    notes = ([PARTNER_KIND_LABELS.get(partner.kind, partner.kind)] if partner.kind else []) + \
        (["art. 20"] if partner.article20 else [])
    return partner.name + (f" ({', '.join(notes)})" if notes else "")


def diff(before: PracticeSheet | None, after: PracticeSheet) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field that changed, in French, as shown on the history page."""
    old = before or PracticeSheet()
    return [(LABELS[f.name], shown(f.name, getattr(old, f.name)), shown(f.name, getattr(after, f.name)))
            for f in fields(PracticeSheet) if getattr(old, f.name) != getattr(after, f.name)]


@router.get("/action/{nis}/{programme}/{key}/historique", response_class=HTMLResponse, include_in_schema=False)
async def history_page(request: Request, nis: Nis, programme: Programme, key: Key,
                       actor: Actor | None = Depends(current_actor)) -> Response:
    return await off_loop(request, _history_page, nis, programme, key, actor)


def _history_page(request: Request, nis: Nis, programme: Programme, key: Key, actor: Actor | None) -> Response:
    from pcs_graph.accounts.actors import can_edit

    from ..pages.render import not_found, page_data

    action = page_data(request).action(nis, programme, key)
    if action is None:
        return not_found(request, f"Aucune action « {nis}/{programme}/{key} » dans le graphe.")
    versions = request.app.state.services.contributions.history(action.uri)
    by_id = {v.id: v for v in versions}
    rows = [(v, diff(by_id[v.previous_id].sheet if v.previous_id in by_id else None, v.sheet)) for v in versions]
    return render(request, "historique.html", title=f"Historique — {action.row.label}", action=action, rows=rows,
                  may_restore=can_edit(actor, nis), csrf=session_csrf(request),
                  base=f"/action/{nis}/{programme}/{key}")


def contribution_summary(services: Any, action_uri: str) -> dict[str, Any] | None:
    """The commune's contribution as `/api/actions/…` shows it (None: the commune said nothing)."""
    ws = services.workspace
    contribution = read_contribution(ws.store, ws.uris, action_uri)
    if contribution is None:
        return None
    relative = ws.uris.relative(action_uri) or ""
    return {"public_name": contribution.public_name,
            "generated_at": contribution.generated_at.isoformat() if contribution.generated_at else None,
            "version": contribution.version, "note": contribution.note, "graph": contribution.graph,
            "sheet": sheet_to_data(contribution.sheet),
            "current_sheet": sheet_to_data(current_sheet(read_source_sheet(ws.store, ws.uris, action_uri),
                                                         contribution)),
            "history": f"/{relative}/historique"}
