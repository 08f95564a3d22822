"""Who is calling, and may they write: the FastAPI dependencies every write route uses.

    @router.patch("/api/actions/{nis}/{programme}/{key}")
    async def edit(nis: str, ..., actor: Actor = Depends(require_editor_of)): ...

    actor = await current_actor(request)      # Actor | None: session cookie or `Authorization: Bearer`
    ensure_can_edit(actor, "52025")           # HTTPException 403 unless it may edit that commune

Authentication, in this order: a bearer token (API clients and platforms; a revoked, expired or
unknown token is a 401, never a silent fall-back to anonymous), else the session cookie.
CSRF (synchronizer token): a cookie-authenticated unsafe request (POST, PUT, PATCH, DELETE) must
carry its session's CSRF token, in the form field `csrf_token` or the `X-CSRF-Token` header (forms
and fetch alike), else 403. Bearer requests are exempt: a browser never adds that header by itself.
The token lives with the session in the database (no signing secret to keep), is compared in
constant time and shown only in the pages of that session. Forms used before signing in
(connexion, invitation, « signaler une erreur ») use a double-submit cookie (`pcs_csrf`) instead.
A form route takes `current_actor` and answers an anonymous post with `forms.sign_in_required`: 401,
and a page saying « connexion requise » with a link to /connexion?suite=… (nothing was written).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, Response
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from pcs_graph.accounts.actors import Actor, can_edit
from pcs_graph.accounts.service import constant_time_equal
from pcs_graph.errors import PcsError

from ..schemas import Error

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Error, "description": "ni session ni jeton valide (jeton révoqué ou expiré compris)"},
    403: {"model": Error, "description": "pas éditeur de cette commune, ou jeton CSRF absent (session)"},
    404: {"model": Error, "description": "action ou version inconnue"},
    409: {"model": Error, "description": "une autre mise à jour de la même action au même moment (réessayer)"},
    422: {"model": Error, "description": "champ invalide (nommé)"},
    429: {"model": Error, "description": "trop de demandes (Retry-After)"},
}
# a form route's anonymous answer: the page « connexion requise » (HTML), see `forms.sign_in_required`
FORM_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS, 401: {**WRITE_ERRORS[401], "content": {"text/html": {"schema": {"type": "string"}}},
                          "description": "pas connecté : la page « connexion requise » (lien vers /connexion) ; "
                                         "jeton révoqué ou expiré : JSON"}}
# the path parameters of an action, checked before anything reaches a query
Nis = Annotated[str, Path(pattern=r"^\d{5}$", description="code INS de la commune", examples=["52025"])]
Programme = Annotated[str, Path(pattern=r"^\d{4}-\d{4}$", examples=["2020-2025"])]
Key = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,150}$", examples=["taxi-social"])]
SESSION_COOKIE = "pcs_session"
PRE_CSRF_COOKIE = "pcs_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _auth(request: Request) -> Any:
    services = request.app.state.services
    if services.accounts is None:
        raise HTTPException(503, "comptes indisponibles : base de données non ouverte")
    return services.accounts


async def _resolve(request: Request) -> tuple[Actor | None, str | None]:
    """(actor, how) with how "bearer" or "cookie"; cached on the request."""
    if hasattr(request.state, "pcs_actor"):
        return request.state.pcs_actor, request.state.pcs_auth
    header = request.headers.get("authorization", "")
    actor: Actor | None = None
    how: str | None = None
    csrf: str | None = None
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, "en-tête Authorization invalide (attendu : Bearer <jeton>)",
                                headers={"WWW-Authenticate": "Bearer"})
        accounts = _auth(request)
        actor = await request.app.state.services.run(accounts.actor_for_token, secret.strip())
        if actor is None:
            raise HTTPException(401, "jeton inconnu, révoqué ou expiré", headers={"WWW-Authenticate": "Bearer"})
        how = "bearer"
    elif request.cookies.get(SESSION_COOKIE):
        accounts = _auth(request)
        found = await request.app.state.services.run(accounts.session_of, request.cookies[SESSION_COOKIE])
        if found is not None:
            actor, csrf = found
            how = "cookie"
    request.state.pcs_actor, request.state.pcs_auth, request.state.pcs_csrf = actor, how, csrf
    return actor, how


async def current_actor(request: Request) -> Actor | None:
    """The signed-in account or token, or None (anonymous). Enforces CSRF on cookie-authenticated writes."""
    actor, how = await _resolve(request)
    if how == "cookie" and request.method in UNSAFE:
        await check_csrf(request)
    return actor


def session_csrf(request: Request) -> str | None:
    """The CSRF token of the request's session, for the forms of its pages (after `current_actor`)."""
    return getattr(request.state, "pcs_csrf", None)


async def check_csrf(request: Request) -> None:
    expected = session_csrf(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and _is_form(request):
        given = (await request.form()).get(CSRF_FIELD)  # starlette caches the parsed form for the route
    if not expected or not isinstance(given, str) or not constant_time_equal(given, expected):
        raise HTTPException(403, "jeton CSRF absent ou invalide : rechargez la page et recommencez")


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


async def require_actor(actor: Actor | None = Depends(current_actor)) -> Actor:
    """401 when nobody is signed in (and no valid token)."""
    if actor is None:
        raise HTTPException(401, "connexion requise", headers={"WWW-Authenticate": "Bearer"})
    return actor


def ensure_can_edit(actor: Actor, nis: str) -> None:
    """403 unless the actor may edit this commune (reviewer: all; editor: its communes and joint plans)."""
    if not can_edit(actor, nis):
        raise HTTPException(403, f"{actor.public_name} ne peut pas modifier les données de la commune {nis}")


async def require_editor_of(nis: Nis, actor: Actor = Depends(require_actor)) -> Actor:
    """For routes with a `{nis}` path parameter: 401 anonymous, 403 another commune's editor."""
    ensure_can_edit(actor, nis)
    return actor


async def require_reviewer(actor: Actor = Depends(require_actor)) -> Actor:
    if not actor.is_reviewer:
        raise HTTPException(403, "réservé aux relecteurs (la Région)")
    return actor


# --- forms before signing in: double-submit cookie -------------------------------------------------

def pre_csrf(request: Request, response: Response | None = None) -> str:
    """The double-submit token of a sign-in / invitation / report form (set as a cookie if new)."""
    token = request.cookies.get(PRE_CSRF_COOKIE) or getattr(request.state, "pcs_pre_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.pcs_pre_csrf = token
    return token


def set_pre_csrf_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "pcs_pre_csrf", None)
    if token:
        response.set_cookie(PRE_CSRF_COOKIE, token, httponly=True, samesite="lax", secure=is_https(request), path="/")


async def check_pre_csrf(request: Request) -> None:
    """403 unless the form's `csrf_token` equals the `pcs_csrf` cookie (or the session's own token)."""
    form = await request.form()
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    cookie = request.cookies.get(PRE_CSRF_COOKIE)
    _, how = await _resolve(request)
    expected = [t for t in (cookie, session_csrf(request) if how == "cookie" else None) if t]
    if not isinstance(given, str) or not any(constant_time_equal(given, t) for t in expected):
        raise HTTPException(403, "jeton CSRF absent ou invalide : rechargez la page et recommencez")


def is_https(request: Request) -> bool:
    """Behind HTTPS (directly, or a proxy uvicorn trusts: --proxy-headers): cookies are then `Secure`."""
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, secret: str, max_age: int) -> None:
    response.set_cookie(SESSION_COOKIE, secret, max_age=max_age, httponly=True, samesite="lax",
                        secure=is_https(request), path="/")


# --- rate limits ---------------------------------------------------------------------------------

class RateLimits:
    """Moving-window limits per client address (`limits`): in this process's memory, or in the storage
    `storage_url` names (`redis://127.0.0.1:6379`, what replicas share: PCS_RATE_LIMIT_STORAGE)."""

    SIGN_IN = parse("30/minute")
    REPORT = parse("5/minute")
    REPORT_HOUR = parse("30/hour")

    def __init__(self, storage_url: str | None = None, key_prefix: str = "pcs-graph") -> None:
        self._limiter = MovingWindowRateLimiter(rate_limit_storage(storage_url, key_prefix))

    def hit(self, request: Request, *items: Any) -> None:
        """429 with Retry-After when the client went over one of the limits."""
        client = request.client.host if request.client else "unknown"
        for item in items:
            if not self._limiter.hit(item, client):
                reset, _ = self._limiter.get_window_stats(item, client)
                import time

                retry = max(int(reset - time.time()) + 1, 1)
                raise HTTPException(429, f"trop de demandes : réessayez dans {retry} s",
                                    headers={"Retry-After": str(retry)})


def rate_limit_storage(url: str | None, key_prefix: str = "pcs-graph") -> Any:
    """`limits`' storage for `url` (None: this process's memory); a Redis storage keeps its counts under
    `key_prefix` (two sites sharing one Redis: two prefixes). A URL it cannot use is refused at start,
    naming it, never silently replaced by memory (replicas would then each count apart)."""
    if not url:
        return MemoryStorage()
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    options = {"key_prefix": key_prefix} if url.split(":", 1)[0].endswith(("redis", "rediss")) else {}
    try:
        storage = storage_from_string(url, **options)
    except (ConfigurationError, ValueError) as e:  # the message may quote the URL: never its password
        raise PcsError(f"PCS_RATE_LIMIT_STORAGE : stockage inutilisable ({str(e).replace(url, _without_password(url))})") from None
    try:
        answers = storage.check()
    except Exception:  # noqa: BLE001 - a storage that cannot even be asked does not answer either
        answers = False
    if not answers:
        raise PcsError(f"PCS_RATE_LIMIT_STORAGE : {storage.__class__.__name__} ne répond pas")
    return storage


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


class PrivateWhenSignedIn:
    """A response to a request carrying a session cookie or a token is private (`Cache-Control: private,
    no-cache`, `Vary: Cookie, Authorization`): its page may hold an edit form and a CSRF token that no
    shared cache may keep for someone else. Anonymous responses are left as they are."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {k.lower() for k, _ in scope.get("headers", ())}
        cookies = b"".join(v for k, v in scope.get("headers", ()) if k.lower() == b"cookie")
        private = b"authorization" in names or SESSION_COOKIE.encode() in cookies

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                if private:
                    headers = MutableHeaders(scope=message)
                    headers["Cache-Control"] = "private, no-cache"
                    headers.append("Vary", "Cookie, Authorization")
            await send(message)

        await self.app(scope, receive, wrapped)
