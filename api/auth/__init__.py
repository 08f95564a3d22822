"""Accounts and the write path of the API: who is calling, CSRF, sign-in pages, edits, history, moderation.

    app.include_router(auth.router)          # /connexion, /espace, PATCH /api/actions/…, /moderation, …
    actor = Depends(require_editor_of)       # in any write route with a {nis} (see deps)

Every write route checks the actor through `deps` (one place: role × commune, CSRF for cookies)
and writes through `services.contributions` (pcs_graph.contrib), never on its own.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import edit, moderation, pages, publish, publish_pages
from .deps import PrivateWhenSignedIn
from .pages import install_log_filter

router = APIRouter()
for _module in (pages, edit, moderation, publish, publish_pages):
    router.include_router(_module.router)

__all__ = ["router", "install_log_filter", "PrivateWhenSignedIn"]
