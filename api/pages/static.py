"""Local assets only (CSS, scripts, vendored YASGUI): nothing is ever loaded from another host.

    /static/pcs.css, /static/vendor/yasgui/yasgui.min.js
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from .render import STATIC_DIR

router = APIRouter(include_in_schema=False)


MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png",
               ".ico": "image/x-icon", ".txt": "text/plain", ".md": "text/plain; charset=utf-8",
               ".LICENSE": "text/plain; charset=utf-8", ".NOTICE": "text/plain; charset=utf-8"}


@router.get("/static/{path:path}")
def static_file(request: Request, path: str) -> Response:
    """Local assets only (CSS, scripts, vendored YASGUI); nothing outside api/static is reachable."""
    target = (STATIC_DIR / path).resolve()
    if not target.is_file() or STATIC_DIR not in target.parents:
        return Response("introuvable", status_code=404, media_type="text/plain; charset=utf-8")
    media = MEDIA_TYPES.get(target.suffix, "text/plain" if target.name == "LICENSE" else "application/octet-stream")
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
