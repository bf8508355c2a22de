"""The human side: the query page at ``/`` and the API docs at ``/docs``, both offline.

The query page is plain HTML and vanilla JavaScript from ``api/static/``: it posts to
``/sparql`` and renders the results; nothing is fetched from the internet. FastAPI's
own docs pages load Swagger UI and ReDoc from a CDN, so ``create_app`` turns them off
(``docs_url=None, redoc_url=None``) and this router serves them with the assets the
``fastapi-offline`` package ships.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from api.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DOCS_ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"

# Only these files are served: a name never becomes a path unchecked.
_PAGE_ASSETS = {"page.js": "text/javascript", "page.css": "text/css"}
_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_ASSET_CACHE = "public, max-age=300"

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def query_page() -> FileResponse:
    """Write a SPARQL query, see a table, download CSV/TSV/JSON; ``?query=`` runs one at once."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html",
                        headers={"Content-Security-Policy": _PAGE_CSP, "Cache-Control": "no-cache"})


@router.get("/static/{name}")
async def page_asset(name: str) -> FileResponse:
    if name not in _PAGE_ASSETS:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=_PAGE_ASSETS[name],
                        headers={"Cache-Control": _ASSET_CACHE})


@router.get("/static/docs/{name}")
async def docs_asset(name: str) -> FileResponse:
    if name not in _DOCS_ASSETS:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(DOCS_ASSETS_DIR / name, media_type=_DOCS_ASSETS[name],
                        headers={"Cache-Control": _ASSET_CACHE})


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
        swagger_js_url=f"{root}/static/docs/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/static/docs/swagger-ui.css",
        swagger_favicon_url=f"{root}/static/docs/favicon.png",
    )


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}/static/docs/redoc.standalone.js",
        redoc_favicon_url=f"{root}/static/docs/favicon.png",
        with_google_fonts=False,
    )
