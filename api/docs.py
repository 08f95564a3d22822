"""The API's documentation pages, Swagger UI at /docs and ReDoc at /redoc, with nothing from another host.

    app = FastAPI(docs_url=None, redoc_url=None); app.include_router(docs.router)

The scripts and styles are the files shipped in the `fastapi-offline` pip package (Swagger UI
`swagger-ui-bundle.js` and `swagger-ui.css`, ReDoc `redoc.standalone.js`; licences in
api/static/vendor/api-docs/), served under /static/docs/. FastAPI's own page builders write the HTML,
with Google Fonts off for ReDoc and Swagger UI's online validator badge off (it is an image from
validator.swagger.io). ReDoc's bundle has one outside address built in, the Redocly logo of its
"API docs by Redocly" footer (cdn.redoc.ly), which no option turns off: the served copy has it
replaced by an empty `data:` image (ReDoc then hides the image; the credit text stays).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, Response

router = APIRouter(include_in_schema=False)

ASSETS_PATH = "/static/docs"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
SWAGGER_PARAMETERS = {"validatorUrl": None, "defaultModelsExpandDepth": 0, "docExpansion": "list"}
OUTSIDE = {"redoc.standalone.js": [(b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,")]}


def assets_dir() -> Path:
    """The folder of Swagger UI's and ReDoc's files inside the fastapi-offline package."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} — API (Swagger UI)",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}/static/favicon.svg",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
        swagger_ui_parameters=SWAGGER_PARAMETERS)


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} — API (ReDoc)",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js", redoc_favicon_url=f"{root}/static/favicon.svg",
        with_google_fonts=False)


@router.get(ASSETS_PATH + "/{name}")
async def asset(request: Request, name: str) -> Response:
    folder = assets_dir()
    target = (folder / name).resolve()
    if target.parent != folder or not target.is_file():
        return Response("introuvable", status_code=404, media_type="text/plain; charset=utf-8")
    media = MEDIA_TYPES.get(target.suffix, "application/octet-stream")
    headers = {"Cache-Control": "public, max-age=86400"}
    if name not in OUTSIDE:
        return FileResponse(target, media_type=media, headers=headers)
    cache: dict[str, bytes] | None = getattr(request.app.state, "docs_assets", None)
    if cache is None:
        cache = request.app.state.docs_assets = {}
    if name not in cache:
        body = target.read_bytes()
        for outside, local in OUTSIDE[name]:
            body = body.replace(outside, local)
        cache[name] = body
    return Response(cache[name], media_type=media, headers=headers)
