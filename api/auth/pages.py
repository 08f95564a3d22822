"""Signing in and out, setting a password from an invitation, and « mon espace ».

    GET/POST /connexion                 e-mail + password → session cookie (HttpOnly, SameSite=Lax, Secure on HTTPS)
    POST     /deconnexion               ends the session (CSRF)
    GET      /espace                    what I may edit (communes, their actions)
    GET/POST /invitation/{secret}       set a password once (the link `pcs users add` printed)

A wrong pair answers 401 and the same page; ten failures on one account within 15 minutes lock it
(429 with Retry-After, also for the right password until the lock ends); each client address may
try 30 sign-ins a minute whatever the accounts. Passwords and secrets are never logged (uvicorn's
access log has the path only: an invitation secret is in the path, so its log line is rewritten —
see `RedactSecrets`).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pcs_graph.accounts.actors import Actor
from pcs_graph.accounts.service import SESSION_TTL, AuthError, LockedOut
from pcs_graph.errors import PcsError

from ..pages.render import render
from .deps import (
    FORM_ERRORS,
    WRITE_ERRORS,
    SESSION_COOKIE,
    check_pre_csrf,
    current_actor,
    pre_csrf,
    session_csrf,
    set_pre_csrf_cookie,
    set_session_cookie,
)
from .forms import sign_in_required

router = APIRouter(tags=["Comptes"])
# the sign-in and invitation forms answer their errors as the page again (HTML), CSRF and limits as JSON
PAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": answer["description"],
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
                         "text/html": {"schema": {"type": "string"}}}}
    for status, answer in WRITE_ERRORS.items()}
PAGE_ERRORS[400] = {"description": "mots de passe différents ou trop courts (la page, avec le message)",
                    "content": {"text/html": {"schema": {"type": "string"}}}}


def _form_page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    token = pre_csrf(request)
    response = render(request, name, status_code=status_code, pre_csrf=token, **context)
    set_pre_csrf_cookie(request, response)
    return response


@router.get("/connexion", response_class=HTMLResponse, include_in_schema=False)
async def sign_in_page(request: Request, suite: str = "/espace") -> Response:
    return _form_page(request, "connexion.html", title="Connexion", suite=_local(suite), error=None)


@router.post("/connexion", response_class=RedirectResponse, status_code=303,
             responses=PAGE_ERRORS, summary="Se connecter (formulaire) : un cookie de session")
async def sign_in(request: Request, email: Annotated[str, Form(max_length=320)],
                  password: Annotated[str, Form(max_length=1000)], csrf_token: Annotated[str, Form()] = "",
                  suite: Annotated[str, Form(max_length=300)] = "/espace") -> Response:
    del csrf_token
    await check_pre_csrf(request)
    services = request.app.state.services
    services.rate_limits.hit(request, services.rate_limits.SIGN_IN)
    try:
        session = await services.run(services.accounts.sign_in, email, password)
    except LockedOut as e:
        response = _form_page(request, "connexion.html", status_code=429, title="Connexion", suite=_local(suite),
                              error=str(e))
        response.headers["Retry-After"] = str(e.retry_after)
        return response
    except AuthError as e:
        return _form_page(request, "connexion.html", status_code=401, title="Connexion", suite=_local(suite),
                          error=str(e))
    response = RedirectResponse(_local(suite), status_code=303)
    set_session_cookie(request, response, session.secret, int(SESSION_TTL.total_seconds()))
    return response


@router.post("/deconnexion", response_class=RedirectResponse, status_code=303, responses=FORM_ERRORS,
             summary="Se déconnecter")
async def sign_out(request: Request, actor: Actor | None = Depends(current_actor)) -> Response:
    if actor is None:
        return sign_in_required(request, "/espace")
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await request.app.state.services.run(request.app.state.services.accounts.sign_out, secret)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/espace", response_class=HTMLResponse, include_in_schema=False)
async def space(request: Request, actor: Actor | None = Depends(current_actor)) -> Response:
    if actor is None:
        return RedirectResponse("/connexion?suite=/espace", status_code=303)
    services = request.app.state.services
    directory = services.workspace.communes
    if actor.is_reviewer:
        communes: list[Any] = []
    else:
        communes = sorted((c for nis in actor.editable_communes() if (c := directory.by_nis(nis)) is not None),
                          key=lambda c: c.name)

    def actions() -> dict[str, list[dict[str, str | None]]]:
        out: dict[str, list[dict[str, str | None]]] = {}
        for c in communes:
            out[c.nis] = services.store.select(
                f"SELECT ?a (SAMPLE(?l) AS ?label) WHERE {{ ?a a pcs:Action ; "
                f"pcs:commune <{services.workspace.uris.commune(c.nis)}> ; rdfs:label ?l }} GROUP BY ?a "
                f"ORDER BY ?label LIMIT 500")
        return out

    return render(request, "espace.html", title="Mon espace", actor=actor, communes=communes,
                  actions=await services.run(actions), csrf=session_csrf(request),
                  base=services.workspace.uris.base)


@router.get("/invitation/{secret}", response_class=HTMLResponse, include_in_schema=False)
async def invitation_page(request: Request, secret: str) -> Response:
    services = request.app.state.services
    account = await services.run(services.accounts.invitation_account, secret)
    return _form_page(request, "invitation.html", status_code=200 if account else 404, title="Choisir un mot de passe",
                      account=account, secret=secret, error=None)


@router.post("/invitation/{secret}", response_class=RedirectResponse, status_code=303,
             responses=PAGE_ERRORS, summary="Choisir son mot de passe (lien d'invitation à usage unique)")
async def accept_invitation(request: Request, secret: str, password: Annotated[str, Form(max_length=1000)],
                            confirmation: Annotated[str, Form(max_length=1000)],
                            csrf_token: Annotated[str, Form()] = "") -> Response:
    del csrf_token
    await check_pre_csrf(request)
    services = request.app.state.services
    services.rate_limits.hit(request, services.rate_limits.SIGN_IN)
    account = await services.run(services.accounts.invitation_account, secret)
    error = "les deux mots de passe diffèrent" if password != confirmation else None
    if error is None:
        try:
            await services.run(services.accounts.accept_invitation, secret, password)
        except PcsError as e:
            error = str(e)
    if error is not None:
        return _form_page(request, "invitation.html", status_code=400 if account else 404,
                          title="Choisir un mot de passe", account=account, secret=secret, error=error)
    return RedirectResponse("/connexion?suite=/espace", status_code=303)


def _local(path: str) -> str:
    """Only a path of this site (no open redirect to another host)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/espace"


class RedactSecrets(logging.Filter):
    """Access-log lines never show an invitation secret (`/invitation/…` → `/invitation/[secret]`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def _redact(text: str) -> str:
    if "/invitation/" not in text:
        return text
    head, _, tail = text.partition("/invitation/")
    rest = tail.split("?", 1)[0].split(" ", 1)
    return f"{head}/invitation/[secret]" + (" " + rest[1] if len(rest) > 1 else "")


def install_log_filter() -> None:
    logging.getLogger("uvicorn.access").addFilter(RedactSecrets())
