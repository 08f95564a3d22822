"""The answer of a form route to a post from nobody signed in: 401 and a way on, never a silent redirect.

    if actor is None:                                   # actor: Actor | None = Depends(current_actor)
        return sign_in_required(request, "/espace/publier")

A browser whose session ended (a page left open) gets a page saying « connexion requise » with a link
to /connexion?suite=<the page>; an API client reads the status (401, `WWW-Authenticate: Bearer`), as
every write route answers an anonymous call (tests/api/test_write_routes.py). Nothing was written.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from ..pages.render import render


def sign_in_required(request: Request, suite: str) -> Response:
    """401, and the page « connexion requise » linking to /connexion?suite=<suite> (a path of the site)."""
    response = render(request, "connexion_requise.html", status_code=401, title="Connexion requise",
                      sign_in=f"/connexion?suite={quote(suite, safe='/')}")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response
