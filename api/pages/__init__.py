"""The French pages for project leaders: search, resources, statistics, SPARQL gallery, static assets.

    app.include_router(pages.router)      # every page route (none of them in the OpenAPI)

Server-rendered with jinja2 (`render`), from plain values (`views`) that `data.PageData` reads from
the graph; search works without JavaScript; no asset comes from another host (`static`).
"""

from __future__ import annotations

from fastapi import APIRouter

from . import exports, gallery, partners, resources, search, static
from .gallery import load_gallery
from .render import highlight

router = APIRouter(include_in_schema=False)
for _module in (search, resources, partners, exports, gallery, static):
    router.include_router(_module.router)

__all__ = ["router", "highlight", "load_gallery"]
