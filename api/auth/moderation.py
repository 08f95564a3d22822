"""« Signaler une erreur » (anyone, rate-limited) and the reviewers' queue with the audit log.

    POST /action/52025/2020-2025/3/signaler         text=…      (the page's form, no account)
    POST /api/actions/52025/2020-2025/3/reports     {"text": "…"}
    GET  /moderation                                reviewers: reports and the audit log
    POST /moderation/signalements/4                 state=fixed (reviewers, CSRF)

A report needs no account: there is no session to protect, so no CSRF token either (a forged
report is no worse than a real anonymous one); each client address may send 5 a minute and 30 an
hour (429 with Retry-After). The report's text is kept; the sender's address is not.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from pcs_graph.accounts.actors import Actor

from ..pages.render import render
from .deps import FORM_ERRORS, WRITE_ERRORS, Key, Nis, Programme, current_actor, session_csrf
from .forms import sign_in_required

router = APIRouter(tags=["Contributions"])


class ReportIn(BaseModel):
    text: Annotated[str, Field(min_length=3, max_length=2000, examples=["L'action s'est arrêtée en 2024."])]


class ReportOut(BaseModel):
    id: int
    state: str


async def _report(request: Request, nis: Nis, programme: Programme, key: Key, text: str) -> int:
    services = request.app.state.services
    limits = services.rate_limits
    limits.hit(request, limits.REPORT, limits.REPORT_HOUR)
    uri = str(services.workspace.uris.action(nis, programme, key))
    return await services.run(services.contributions.reports.add, uri, text)


@router.post("/api/actions/{nis}/{programme}/{key}/reports", response_model=ReportOut, status_code=201,
             responses=WRITE_ERRORS, summary="Signaler une erreur sur une action (sans compte ; limité par adresse)")
async def report_api(request: Request, nis: Nis, programme: Programme, key: Key, report: ReportIn) -> ReportOut:
    return ReportOut(id=await _report(request, nis, programme, key, report.text), state="new")


@router.post("/action/{nis}/{programme}/{key}/signaler", response_class=RedirectResponse, status_code=303,
             responses=WRITE_ERRORS, summary="Formulaire « signaler une erreur » de la page d'une action")
async def report_form(request: Request, nis: Nis, programme: Programme, key: Key,
                      text: Annotated[str, Form(min_length=3, max_length=2000)]) -> Response:
    await _report(request, nis, programme, key, text)
    return RedirectResponse(f"/action/{nis}/{programme}/{key}?signalement=merci#signaler", status_code=303)


@router.get("/moderation", response_class=HTMLResponse, include_in_schema=False)
async def moderation(request: Request, actor: Actor | None = Depends(current_actor)) -> Response:
    if actor is None:
        return RedirectResponse("/connexion?suite=/moderation", status_code=303)
    if not actor.is_reviewer:
        return render(request, "error.html", status_code=403, title="Accès réservé",
                      message="La modération est réservée aux relecteurs (la Région).")
    services = request.app.state.services
    reports = await services.run(services.contributions.reports.queue)
    audit = await services.run(services.contributions.reports.audit)
    return render(request, "moderation.html", title="Modération", reports=reports, audit=audit,
                  csrf=session_csrf(request), base=services.workspace.uris.base)


@router.post("/moderation/signalements/{report_id}", response_class=RedirectResponse, status_code=303,
             responses=FORM_ERRORS, summary="Changer l'état d'un signalement (relecteurs)")
async def report_state(request: Request, report_id: int,
                       state: Annotated[Literal["new", "accepted", "rejected", "fixed"], Form()],
                       csrf_token: Annotated[str, Form()] = "",
                       actor: Actor | None = Depends(current_actor)) -> Response:
    del csrf_token  # checked by current_actor
    if actor is None:
        return sign_in_required(request, "/moderation")
    if not actor.is_reviewer:
        raise HTTPException(403, "réservé aux relecteurs (la Région)")
    services = request.app.state.services
    await services.run(services.contributions.reports.set_state, actor, report_id, state)
    return RedirectResponse("/moderation#signalements", status_code=303)
