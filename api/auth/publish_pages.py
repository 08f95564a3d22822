"""The pages of « Publier mon plan »: upload form, preview with corrections, publish, unpublish, restore.

    GET  /espace/publier                      the form, my drafts, my communes' published plans and versions
    POST /espace/publier                      upload (multipart + csrf_token) → 303 to the draft's preview
    GET  /espace/publier/{draft}              the preview: actions in order, lines, warnings, suggestions
    POST /espace/publier/{draft}/corriger     the preview's form → corrections (only the fields changed)
    POST /espace/publier/{draft}/publier      → 303 /espace/publier?publie=<version>
    POST /espace/plans/{nis}/{programme}/retirer
    POST /espace/plans/{nis}/{programme}/versions/{plan_version}/retablir

The same services as the JSON API (`publish.py`); a session cookie with its CSRF token (checked by
`current_actor` on every POST). A refused file re-renders the form with the French reason and the
status of the refusal (413, 415, 422); nothing is kept of it. The POST routes are in the OpenAPI
description (their form bodies documented: `tests/api/test_write_routes.py` walks them); an anonymous
post answers 401 with the page « connexion requise » (a GET page redirects to /connexion instead).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from pcs_graph.accounts.actors import Actor
from pcs_graph.contrib.drafts import Correction, DraftView
from pcs_graph.contrib.service import Forbidden, NotFound
from pcs_graph.errors import InputError, PcsError, UnknownCommuneError
from pcs_graph.graph.sheet import PUBLICS, STATUSES
from pcs_graph.graph.sources import SOURCE_KIND_LABELS
from pcs_graph.contrib.upload import UploadRefused

from ..pages.render import render
from .deps import FORM_ERRORS, current_actor, ensure_can_edit, session_csrf
from .forms import sign_in_required
from .publish import create_draft

router = APIRouter(tags=["Publier un plan"])
HTML = {"text/html": {"schema": {"type": "string"}}}
PAGE_REFUSALS: dict[int | str, dict[str, Any]] = {  # a refused form answers the page again, with the reason
    **FORM_ERRORS, 422: {"description": "correction ou publication refusée (la page, avec la raison)", "content": HTML}}
UPLOAD_REFUSALS: dict[int | str, dict[str, Any]] = {**FORM_ERRORS, **{
    status: {"description": why, "content": HTML} for status, why in (
        (413, "fichier trop volumineux (la page, avec la raison)"), (415, "type de fichier refusé (la page)"),
        (422, "fichier refusé : illisible, commune ou programmation inconnue (la page, avec la raison)"))}}


def form_body(fields: dict[str, dict[str, Any]] | None = None, multipart: bool = False,
              more: str | None = None) -> dict[str, Any]:
    """`openapi_extra` for a page's form read with `request.form()`: its fields (csrf_token always), and
    `more` describing the fields named per action (label_3, description_3…)."""
    schema: dict[str, Any] = {"type": "object", "required": ["csrf_token"], "properties": {
        "csrf_token": {"type": "string", "description": "le jeton CSRF de la session (dans la page)"}, **(fields or {})}}
    if more:
        schema["additionalProperties"] = {"type": "string", "description": more}
    kind = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
    return {"requestBody": {"required": True, "content": {kind: {"schema": schema}}}}


def _signed_in(actor: Actor | None, suite: str) -> Response | None:
    """A GET page: to /connexion first when nobody is signed in."""
    return None if actor is not None else RedirectResponse(f"/connexion?suite={suite}", status_code=303)


def _posted_by(request: Request, actor: Actor | None, suite: str) -> Response | None:
    """A form post: 401 and the page « connexion requise » when nobody is signed in."""
    return None if actor is not None else sign_in_required(request, suite)


def _communes(request: Request, actor: Actor) -> list[Any]:
    directory = request.app.state.services.workspace.communes
    if actor.is_reviewer:
        return sorted(directory.communes, key=lambda c: c.name)
    return sorted((c for nis in actor.editable_communes() if (c := directory.by_nis(nis)) is not None),
                  key=lambda c: c.name)


async def _form_page(request: Request, actor: Actor, status_code: int = 200, error: str | None = None,
                     published: str | None = None) -> Response:
    services = request.app.state.services
    communes = _communes(request, actor)

    def read() -> tuple[list[DraftView], dict[str, list[Any]]]:
        drafts = services.drafts.mine(actor)
        plans = {c.nis: services.plans.history(actor, c.nis) for c in communes if not actor.is_reviewer}
        return drafts, plans

    drafts, plans = await services.run(read)
    return render(request, "publier.html", status_code=status_code, title="Publier mon plan", actor=actor,
                  communes=communes, programmes=services.workspace.programmes.codes, drafts=drafts, plans=plans,
                  kinds=SOURCE_KIND_LABELS, csrf=session_csrf(request), error=error, published=published)


@router.get("/espace/publier", response_class=HTMLResponse, include_in_schema=False)
async def publish_page(request: Request, publie: str | None = None,
                       actor: Actor | None = Depends(current_actor)) -> Response:
    if (redirect := _signed_in(actor, "/espace/publier")) is not None:
        return redirect
    assert actor is not None
    return await _form_page(request, actor, published=publie)


@router.post("/espace/publier", response_class=RedirectResponse, status_code=303, responses=UPLOAD_REFUSALS,
             summary="Formulaire « Publier mon plan » : déposer le document (→ l'aperçu du brouillon)",
             openapi_extra=form_body({
                 "file": {"type": "string", "format": "binary", "description": "texte, HTML, CSV, XLSX, PDF, DOCX ou ODT"},
                 "commune": {"type": "string", "description": "nom ou code NIS", "examples": ["52025"]},
                 "programme": {"type": "string", "examples": ["2020-2025"]},
                 "publication_url": {"type": "string"}, "publication_kind": {"type": "string"}}, multipart=True))
async def upload_form(request: Request, actor: Actor | None = Depends(current_actor)) -> Response:
    if (refused := _posted_by(request, actor, "/espace/publier")) is not None:
        return refused
    assert actor is not None
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _form_page(request, actor, 422, "choisissez le fichier du plan (texte, HTML, CSV, XLSX, PDF, DOCX ou ODT)")

    def text(name: str) -> str | None:
        value = form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    try:
        draft = await create_draft(request, actor, upload, text("commune") or "", text("programme"),
                                   text("publication_url"), text("publication_kind"))
    except UploadRefused as e:
        return await _form_page(request, actor, e.status, str(e))
    except (InputError, UnknownCommuneError) as e:
        return await _form_page(request, actor, 422, str(e))
    return RedirectResponse(f"/espace/publier/{draft.key}", status_code=303)


async def _draft_page(request: Request, actor: Actor, key: str, status_code: int = 200,
                      error: str | None = None) -> Response:
    services = request.app.state.services
    draft = await services.run(services.drafts.get, actor, key)
    commune = services.workspace.communes.by_nis(draft.nis)
    return render(request, "brouillon.html", status_code=status_code, title=f"Aperçu : {draft.file_name}", actor=actor,
                  draft=draft, commune=commune, statuses=STATUSES, publics=PUBLICS, csrf=session_csrf(request),
                  programmes=services.workspace.programmes.codes, error=error)


@router.get("/espace/publier/{draft}", response_class=HTMLResponse, include_in_schema=False)
async def draft_page(request: Request, draft: str, actor: Actor | None = Depends(current_actor)) -> Response:
    if (redirect := _signed_in(actor, f"/espace/publier/{draft}")) is not None:
        return redirect
    assert actor is not None
    return await _draft_page(request, actor, draft)


def form_corrections(draft: DraftView, form: Any) -> list[Correction]:
    """The preview's form → the corrections of the fields the editor changed (nothing else is restated)."""
    out = []
    for a in draft.actions:
        n = a.position

        def field(name: str) -> str | None:
            value = form.get(f"{name}_{n}")
            return " ".join(value.split()) if isinstance(value, str) else None

        change: dict[str, Any] = {}
        excluded = form.get(f"exclude_{n}") is not None
        if excluded != a.excluded:
            change["exclude"] = excluded
        if (label := field("label")) and label != a.label:
            change["label"] = label
        declared = (a.declared or {}).get("code")
        if form.get(f"accept_{n}") is not None and not (a.declared or {}).get("suggested"):
            change["accept_suggestion"] = True
        elif (code := field("type")) is not None and code != (declared or "") and not a.code:
            change["type"] = code
        partners = field("partners")
        if partners is not None and partners != "; ".join(p["name"] for p in a.partners):
            change["partners"] = [{"name": p.strip()} for p in partners.split(";") if p.strip()]
        for name in ("description", "status", "status_date"):
            value = field(name)
            if value is not None and value != (a.sheet.get(name) or ""):
                change[name] = value
        publics = [p for p in PUBLICS if form.get(f"public_{n}_{p}") is not None]
        if form.get(f"publics_{n}") is not None and publics != list(a.sheet.get("publics") or []):
            change["publics"] = publics
        if change:
            out.append(Correction(position=n, **change))
    return out


@router.post("/espace/publier/{draft}/corriger", response_class=RedirectResponse, status_code=303,
             responses=PAGE_REFUSALS, summary="Formulaire de l'aperçu : corriger le brouillon (les champs changés)",
             openapi_extra=form_body({"programme": {"type": "string", "examples": ["2020-2025"]}},
                                     more="les champs de chaque action n : label_n, type_n, description_n, status_n, "
                                          "status_date_n, partners_n (séparés par « ; »), publics_n, public_n_<code>, "
                                          "accept_n, exclude_n"))
async def correct_form(request: Request, draft: str, actor: Actor | None = Depends(current_actor)) -> Response:
    if (refused := _posted_by(request, actor, f"/espace/publier/{draft}")) is not None:
        return refused
    assert actor is not None
    services = request.app.state.services
    form = await request.form()
    view = await services.run(services.drafts.get, actor, draft)  # another commune's draft: 403
    programme = form.get("programme")
    try:
        await services.run(services.drafts.correct, actor, draft, form_corrections(view, form),
                           programme if isinstance(programme, str) and programme else None)
    except (Forbidden, NotFound):
        raise
    except PcsError as e:
        return await _draft_page(request, actor, draft, 422, str(e))
    return RedirectResponse(f"/espace/publier/{draft}", status_code=303)


@router.post("/espace/publier/{draft}/publier", response_class=RedirectResponse, status_code=303,
             responses=PAGE_REFUSALS, summary="Formulaire de l'aperçu : publier le brouillon",
             openapi_extra=form_body())
async def publish_form(request: Request, draft: str, actor: Actor | None = Depends(current_actor)) -> Response:
    if (refused := _posted_by(request, actor, f"/espace/publier/{draft}")) is not None:
        return refused
    assert actor is not None
    services = request.app.state.services
    try:
        version = await services.run(services.plans.publish, actor, draft)
    except (Forbidden, NotFound):
        raise
    except PcsError as e:
        return await _draft_page(request, actor, draft, 422, str(e))
    return RedirectResponse(f"/espace/publier?publie={version.number}", status_code=303)


@router.post("/espace/plans/{nis}/{programme}/retirer", response_class=RedirectResponse, status_code=303,
             responses=FORM_ERRORS, summary="Formulaire « Publier mon plan » : retirer le plan publié",
             openapi_extra=form_body())
async def unpublish_form(request: Request, nis: str, programme: str,
                         actor: Actor | None = Depends(current_actor)) -> Response:
    if (refused := _posted_by(request, actor, "/espace/publier")) is not None:
        return refused
    assert actor is not None
    ensure_can_edit(actor, nis)
    services = request.app.state.services
    await services.run(services.plans.unpublish, actor, nis, programme)
    return RedirectResponse("/espace/publier", status_code=303)


@router.post("/espace/plans/{nis}/{programme}/versions/{plan_version}/retablir", response_class=RedirectResponse,
             status_code=303, responses=FORM_ERRORS, openapi_extra=form_body(),
             summary="Formulaire « Publier mon plan » : rétablir une version antérieure du plan")
async def restore_form(request: Request, nis: str, programme: str, plan_version: int,
                       actor: Actor | None = Depends(current_actor)) -> Response:
    if (refused := _posted_by(request, actor, "/espace/publier")) is not None:
        return refused
    assert actor is not None
    ensure_can_edit(actor, nis)
    services = request.app.state.services

    def restore() -> Any:
        if plan_version not in {v.id for v in services.plans.history(actor, nis, programme)}:
            raise NotFound(f"la version {plan_version} n'est pas une version du plan {nis} {programme}")
        return services.plans.restore(actor, plan_version)

    version = await services.run(restore)
    return RedirectResponse(f"/espace/publier?publie={version.number}", status_code=303)
