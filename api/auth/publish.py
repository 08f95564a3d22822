"""Publishing a whole plan: upload → private draft → corrections → publish; unpublish, restore, history.

    POST /api/contributions                       multipart: file, commune, programme?, publication_url?, publication_kind?
    GET  /api/contributions                       my drafts
    GET  /api/contributions/{draft}                 the preview: actions in order, lines, warnings, suggestions
    POST /api/contributions/{draft}/corrections     {"corrections": [{"position": 4, "accept_suggestion": true}]}
    POST /api/contributions/{draft}/publish         one atomic write of the commune's contributed plan
    DELETE /api/contributions/{draft}               abandon a draft
    GET  /api/plans/{nis}/{programme}/versions    the history (editors of the commune, reviewers)
    POST /api/plans/{nis}/{programme}/unpublish
    POST /api/plans/{nis}/{programme}/versions/{plan_version}/restore

Every route needs an actor (401), of the commune concerned (403), with CSRF for a session cookie;
an API token (`Authorization: Bearer …`) does it all without a browser. The upload is checked from
its bytes (`pcs_graph.contrib.upload`: size → 413, type → 415, zip bomb → 422) and parsed in a
limited child process; a refusal leaves the drafts and the store as they were.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from pcs_graph.accounts.actors import Actor
from pcs_graph.contrib.drafts import Correction, DraftView
from pcs_graph.contrib.plans import PlanVersionView
from pcs_graph.errors import InputError, PcsError
from pcs_graph.graph.records import Publication
from pcs_graph.graph.sources import SOURCE_KINDS, is_web_address
from pcs_graph.contrib.upload import UploadLimits, read_upload, too_large

from ..schemas import Error
from .deps import WRITE_ERRORS, ensure_can_edit, require_actor, require_editor_of

router = APIRouter(tags=["Publier un plan"])
PUBLISH_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS, 409: {"model": Error, "description": "une autre publication du même plan au même moment"}}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    413: {"model": Error, "description": "fichier trop volumineux (PCS_MAX_UPLOAD_BYTES, 20 Mo par défaut)"},
    415: {"model": Error, "description": "type de fichier lu dans son contenu et refusé"},
    422: {"model": Error, "description": "document illisible, bombe de décompression, analyse trop lourde, champ invalide"},
}
CHUNK = 1024 * 1024


class ActionOut(BaseModel):
    position: int = Field(description="rang dans le document (1, 2, …)")
    label: str = Field(description="le libellé publié : corrigé, sinon tel qu'imprimé")
    label_printed: str
    line: int | None = Field(description="la ligne (ou la rangée du tableau) d'où l'action a été lue")
    page: int | None
    code: str | None = Field(description="le code imprimé dans le document")
    stated_axis: int | None
    partners: list[dict[str, Any]]
    partners_printed: list[dict[str, Any]] | None
    sheet: dict[str, Any] = Field(description="description, publics, statut… (PracticeSheet)")
    dropped: bool = Field(description="le document dit l'action retirée du plan")
    excluded: bool = Field(description="l'éditeur a écarté cette ligne : ce n'est pas une action")
    suggestion: dict[str, Any] | None = Field(description="pour une action sans code : types et axe suggérés, "
                                              "avec leur probabilité calibrée")
    declared: dict[str, Any] | None = Field(description="le type choisi par la commune (suggestion acceptée ou autre)")


class DraftOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "key": "q0Ry3Lk2xWcVb1Zt9aPs4d", "nis": "52025", "programme": "2020-2025", "file_name": "plan.docx",
        "form": "docx", "state": "draft", "warnings": [], "actions": [{
            "position": 4, "label": "Gym douce et balades pour les aînés isolés", "line": 5, "code": None,
            "suggestion": {"types": [{"code": "5.1.04", "label": "Activités pour les aînés", "axis": 5,
                                      "probability": 0.41}], "axis": 5, "axis_probability": 0.78}}]}]})

    key: str = Field(description="l'identifiant du brouillon (opaque)")
    nis: str
    programme: str | None
    file_name: str = Field(description="le nom du fichier déposé, affiché seulement")
    form: str = Field(description="la forme lue dans son contenu : pdf, docx, odt, xlsx, html, csv, tsv, txt")
    state: Literal["draft", "published", "discarded"]
    public_name: str
    created_at: str
    updated_at: str
    document: dict[str, Any]
    publication: dict[str, Any] | None
    warnings: list[str]
    actions: list[ActionOut]


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=1, description="la ligne du brouillon (position)")
    accept_suggestion: bool = Field(False, description="le premier type suggéré devient le type déclaré par la commune")
    type: Annotated[str, Field(max_length=12)] | None = Field(None, description="un autre code (\"\" : aucun)")
    axis: int | None = Field(None, ge=1, le=7)
    label: Annotated[str, Field(max_length=500)] | None = Field(None, description="libellé corrigé (l'imprimé est gardé)")
    partners: list[dict[str, Any]] | None = Field(None, max_length=50)
    exclude: bool | None = Field(None, description="true : cette ligne n'est pas une action")
    description: Annotated[str, Field(max_length=5000)] | None = None
    publics: list[str] | None = None
    status: str | None = None
    status_date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    results: list[Annotated[str, Field(max_length=1000)]] | None = Field(None, max_length=30)
    contact: Annotated[str, Field(max_length=500)] | None = None


class CorrectionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"corrections": [
        {"position": 4, "accept_suggestion": True},
        {"position": 2, "description": "Chaque mardi au CPAS, sans rendez-vous."},
        {"position": 3, "label": "Prévention des assuétudes dans les écoles secondaires"},
        {"position": 6, "exclude": True}]}]})

    corrections: list[CorrectionIn] = Field(max_length=2000)
    programme: str | None = Field(None, description="la programmation, si le document ne la dit pas (2020-2025)")


class PlanVersionOut(BaseModel):
    id: int
    nis: str
    programme: str
    number: int
    state: Literal["published", "superseded", "unpublished"]
    graph: str = Field(description="le graphe nommé du plan dans le store")
    action_count: int
    public_name: str = Field(description="qui a publié (nom public du compte ou du jeton)")
    created_at: str
    restored_from: int | None = Field(description="le numéro de la version rétablie")
    unpublished_at: str | None
    unpublished_by: str | None
    labels: list[str]


def draft_out(d: DraftView) -> DraftOut:
    return DraftOut(key=d.key, nis=d.nis, programme=d.programme, file_name=d.file_name, form=d.form, state=d.state,
                    public_name=d.public_name, created_at=d.created_at.isoformat(), updated_at=d.updated_at.isoformat(),
                    document=d.document, publication=d.publication, warnings=d.warnings,
                    actions=[ActionOut(**{k: getattr(a, k) for k in ActionOut.model_fields}) for a in d.actions])


def version_out(v: PlanVersionView) -> PlanVersionOut:
    return PlanVersionOut(id=v.id, nis=v.nis, programme=v.programme, number=v.number, state=v.state,  # type: ignore[arg-type]
                          graph=v.graph, action_count=v.action_count, public_name=v.public_name,
                          created_at=v.created_at.isoformat(), restored_from=v.restored_from,
                          unpublished_at=v.unpublished_at.isoformat() if v.unpublished_at else None,
                          unpublished_by=v.unpublished_by, labels=v.labels)


def suggester(services: Any) -> Any:
    """label, stated axis → the classifier's three likeliest types (calibrated probabilities) and the axis
    whose types are likeliest together (the sum of its types' probabilities among the ten first)."""
    try:
        engine = services.search
    except PcsError:
        return None

    def suggest(label: str, axis: int | None) -> dict[str, Any] | None:
        try:
            candidates = engine.classify(label, k=10)
        except PcsError:
            return None
        if axis is not None:
            candidates = [c for c in candidates if c.axis == axis]
        if not candidates:
            return None
        by_axis: dict[int, float] = {}
        for c in candidates:
            by_axis[c.axis] = by_axis.get(c.axis, 0.0) + c.confidence
        best = max(by_axis, key=lambda n: by_axis[n])
        return {"types": [{"code": c.code, "label": c.label, "axis": c.axis, "probability": round(c.confidence, 3)}
                          for c in candidates[:3]],
                "axis": best, "axis_probability": round(min(by_axis[best], 1.0), 3)}

    return suggest


async def read_limited(upload: UploadFile, limits: UploadLimits) -> bytes:
    """The upload's bytes, refused (413) as soon as they pass the limit."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limits.max_bytes:
            raise too_large(max(upload.size or 0, len(data)), limits)
    return bytes(data)


async def create_draft(request: Request, actor: Actor, upload: UploadFile, commune: str, programme: str | None,
                       publication_url: str | None, publication_kind: str | None) -> DraftView:
    """Check, parse (sandboxed) and keep as a draft: what the page and the API share."""
    services = request.app.state.services
    ws = services.workspace
    nis = ws.communes.find(commune.strip()).nis
    ensure_can_edit(actor, nis)
    programme = (programme or "").strip() or None
    if programme is not None and ws.programmes.get(programme) is None:
        raise InputError("programme", f"programmation inconnue {programme!r}", expected=" ou ".join(ws.programmes.codes))
    publication = None
    if publication_url and publication_url.strip():
        kind = (publication_kind or "official-plan").strip()
        if not is_web_address(publication_url) or kind not in SOURCE_KINDS:
            raise InputError("publication", f"adresse {publication_url!r} ou type {kind!r} invalide",
                             expected="une adresse http(s) et un type parmi " + ", ".join(SOURCE_KINDS))
        publication = {"url": publication_url.strip(), "kind": kind}
    limits = UploadLimits.from_env()
    data = await read_limited(upload, limits)
    given = Publication(**publication) if publication else None
    checked, doc = await services.run(read_upload, data, upload.filename, limits, nis, programme, given)
    return await services.run(services.drafts.create, actor, doc, checked.display_name, checked.form, nis, programme,
                              publication, suggester(services))


@router.post("/api/contributions", response_model=DraftOut, status_code=201,
             summary="Déposer le document d'un plan : un brouillon privé à relire avant publication",
             responses=UPLOAD_ERRORS)
async def upload_plan(request: Request, file: Annotated[UploadFile, File(description="texte, HTML, CSV, XLSX, PDF, DOCX ou ODT")],
                      commune: Annotated[str, Form(max_length=100, examples=["52025"], description="nom ou code NIS")],
                      programme: Annotated[str | None, Form(max_length=9, examples=["2020-2025"])] = None,
                      publication_url: Annotated[str | None, Form(max_length=500)] = None,
                      publication_kind: Annotated[str | None, Form(max_length=40, examples=["official-plan"])] = None,
                      actor: Actor = Depends(require_actor)) -> DraftOut:
    return draft_out(await create_draft(request, actor, file, commune, programme, publication_url, publication_kind))


@router.get("/api/contributions", response_model=list[DraftOut], responses=WRITE_ERRORS,
            summary="Mes brouillons (les communes que je modifie)")
async def my_drafts(request: Request, actor: Actor = Depends(require_actor)) -> list[DraftOut]:
    services = request.app.state.services
    return [draft_out(d) for d in await services.run(services.drafts.mine, actor)]


@router.get("/api/contributions/{draft}", response_model=DraftOut, responses=WRITE_ERRORS,
            summary="L'aperçu d'un brouillon : actions dans l'ordre, lignes, avertissements, suggestions")
async def get_draft(request: Request, draft: str, actor: Actor = Depends(require_actor)) -> DraftOut:
    services = request.app.state.services
    return draft_out(await services.run(services.drafts.get, actor, draft))


def corrections_of(body: CorrectionsIn) -> list[Correction]:
    return [Correction(**c.model_dump(exclude_unset=True)) for c in body.corrections]


@router.post("/api/contributions/{draft}/corrections", response_model=DraftOut, responses=WRITE_ERRORS,
             summary="Corriger un brouillon : accepter ou changer un type, corriger un libellé, compléter une fiche")
async def correct_draft(request: Request, draft: str, body: CorrectionsIn,
                        actor: Actor = Depends(require_actor)) -> DraftOut:
    services = request.app.state.services
    return draft_out(await services.run(services.drafts.correct, actor, draft, corrections_of(body), body.programme))


@router.delete("/api/contributions/{draft}", response_model=DraftOut, responses=WRITE_ERRORS,
               summary="Abandonner un brouillon")
async def discard_draft(request: Request, draft: str, actor: Actor = Depends(require_actor)) -> DraftOut:
    services = request.app.state.services
    return draft_out(await services.run(services.drafts.discard, actor, draft))


@router.post("/api/contributions/{draft}/publish", response_model=PlanVersionOut, status_code=201,
             responses=PUBLISH_ERRORS,
             summary="Publier un brouillon : remplace le plan publié par la commune pour cette programmation")
async def publish_draft(request: Request, draft: str, actor: Actor = Depends(require_actor)) -> PlanVersionOut:
    services = request.app.state.services
    return version_out(await services.run(services.plans.publish, actor, draft))


@router.get("/api/plans/{nis}/{programme}/versions", response_model=list[PlanVersionOut], responses=WRITE_ERRORS,
            summary="Les versions du plan publié par la commune (la plus récente d'abord)")
async def plan_versions(request: Request, nis: str, programme: str,
                        actor: Actor = Depends(require_editor_of)) -> list[PlanVersionOut]:
    services = request.app.state.services
    return [version_out(v) for v in await services.run(services.plans.history, actor, nis, programme)]


@router.post("/api/plans/{nis}/{programme}/unpublish", response_model=PlanVersionOut, responses=WRITE_ERRORS,
             summary="Retirer le plan publié par la commune (il reste dans l'historique)")
async def unpublish_plan(request: Request, nis: str, programme: str,
                         actor: Actor = Depends(require_editor_of)) -> PlanVersionOut:
    services = request.app.state.services
    return version_out(await services.run(services.plans.unpublish, actor, nis, programme))


@router.post("/api/plans/{nis}/{programme}/versions/{plan_version}/restore", response_model=PlanVersionOut, status_code=201,
             responses=PUBLISH_ERRORS,
             summary="Rétablir une version antérieure du plan (une nouvelle version qui le dit)")
async def restore_plan(request: Request, nis: str, programme: str, plan_version: int,
                       actor: Actor = Depends(require_editor_of)) -> PlanVersionOut:
    services = request.app.state.services

    def restore() -> PlanVersionView:
        versions = {v.id: v for v in services.plans.history(actor, nis, programme)}
        if plan_version not in versions:
            from pcs_graph.contrib.service import NotFound

            raise NotFound(f"la version {plan_version} n'est pas une version du plan {nis} {programme}")
        return services.plans.restore(actor, plan_version)

    return version_out(await services.run(restore))

