"""The human side: the explorer at ``/`` and the API docs at ``/docs``, all offline.

The explorer is one HTML shell (``api/static/explorer.html``) and small vanilla
JavaScript modules from ``api/static/explorer/``: search, entity pages, the network
view, the timeline and the SPARQL page, reading ``/api/v1`` and ``/sparql``. Its two
libraries (CodeMirror 6, Cytoscape.js) are bundled by ``make assets`` into the
git-ignored ``api/static/vendor/``; without them the pages that need them say so and
everything else works. Nothing is fetched from the internet. FastAPI's own docs pages
load Swagger UI and ReDoc from a CDN, so ``create_app`` turns them off
(``docs_url=None, redoc_url=None``) and this router serves them with the assets the
``fastapi-offline`` package ships.
"""

from __future__ import annotations

import secrets
from html import escape
from pathlib import Path as FilePath
from typing import Annotated

import fastapi_offline
from fastapi import APIRouter, Path, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from api.schemas import ID_DESCRIPTION
from kg import vocab
from kg.errors import NotFound
from kg.queries import ID_RE

STATIC_DIR = FilePath(__file__).resolve().parent.parent / "static"
EXPLORER_DIR = STATIC_DIR / "explorer"
VENDOR_DIR = STATIC_DIR / "vendor"
DOCS_ASSETS_DIR = FilePath(fastapi_offline.__file__).resolve().parent / "static"

# Only these files are served: a name never becomes a path unchecked.
_PAGE_ASSETS = {"explorer.css": "text/css", "favicon.svg": "image/svg+xml"}
_EXPLORER_MODULES = {
    name: "text/javascript"
    for name in (
        "app.js",
        "common.js",
        "home.js",
        "entity.js",
        "document.js",
        "network.js",
        "timeline.js",
        "sparql.js",
        "terms.js",
    )
}
_VENDOR_ASSETS = {
    "editor.js": "text/javascript",
    "cytoscape.js": "text/javascript",
    "LICENSES.txt": "text/plain; charset=utf-8",
}
PREFIXES: dict[str, str] = {
    "dk": str(vocab.DK),
    "id": str(vocab.ID),
    "graph": str(vocab.GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(vocab.SCHEMA),
    "org": str(vocab.ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
}
"""The prefixes the SPARQL page declares and writes IRIs with (``GET /static/prefixes.json``)."""
_BASE_TAG = '<base href="/">'
_NONCE_TAG = '<meta name="csp-nonce" content="">'
_MISSING_TAG = "<!-- vendor assets -->"
_MISSING_NOTICE = (
    '<div id="assets-missing" role="alert">The explorer\'s assets are not built: the network view '
    "and the SPARQL editor need them. Run <code>make assets</code> (node and npm from the project's "
    "<code>frontend/package-lock.json</code>); search, entity pages, the timeline and the API work "
    "without them.</div>"
)
_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'{nonce}; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""Scripts from this server only; styles too, and the ``<style>`` elements the editor and the
graph library write, which carry the response's nonce (never inline style attributes)."""
_ASSET_CACHE = "public, max-age=300"

router = APIRouter(include_in_schema=False)


def vendor_built() -> bool:
    """Whether ``make assets`` has put the explorer's libraries in place."""
    return all((VENDOR_DIR / name).is_file() for name in _VENDOR_ASSETS)


def explorer_shell(request: Request | None = None) -> HTMLResponse:
    """The explorer's HTML shell, for any of its pages: the script reads the URL and draws
    the page (``/``, ``/query``, ``/explore/…`` and an entity IRI path ``/id/<kind>/<slug>``).

    Its ``<base>`` is the app's root path, so relative links work behind a prefix; without
    the vendor assets it carries a notice saying how to build them.
    """
    root = _root(request) if request is not None else ""
    html = (STATIC_DIR / "explorer.html").read_text(encoding="utf-8")
    nonce = secrets.token_urlsafe(18)
    html = html.replace(_BASE_TAG, f'<base href="{escape(root, quote=True)}/">', 1)
    html = html.replace(_NONCE_TAG, f'<meta name="csp-nonce" content="{nonce}">', 1)
    if not vendor_built():
        html = html.replace(_MISSING_TAG, _MISSING_NOTICE, 1)
    csp = _PAGE_CSP.format(nonce=f" 'nonce-{nonce}'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-cache"})


@router.get("/", response_class=HTMLResponse)
async def home_page(request: Request) -> HTMLResponse:
    """Search as you type and the graph's counts; ``?query=`` opens the SPARQL page and runs it."""
    return explorer_shell(request)


@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request) -> HTMLResponse:
    """Write a SPARQL query, see a table, download CSV/TSV/JSON; ``?query=`` runs one at once."""
    return explorer_shell(request)


@router.get("/explore/network", response_class=HTMLResponse)
@router.get("/explore/timeline", response_class=HTMLResponse)
async def explorer_view(request: Request) -> HTMLResponse:
    """Who makes agreements with whom (a network), and the agreements by date."""
    return explorer_shell(request)


@router.get("/explore/entity/{id}", response_class=HTMLResponse)
@router.get("/explore/document/{id}", response_class=HTMLResponse)
async def entity_page(
    request: Request, id: Annotated[str, Path(pattern=ID_RE.pattern, description=ID_DESCRIPTION)]
) -> HTMLResponse:
    """An entity's or a document's page (the script reads ``/api/v1/entities/{id}`` or
    ``/api/v1/documents/{id}``: an unknown id shows "not found")."""
    return explorer_shell(request)


@router.get("/static/prefixes.json")
async def prefixes() -> JSONResponse:
    return JSONResponse(PREFIXES, headers={"Cache-Control": _ASSET_CACHE})


@router.get("/static/{name}")
async def page_asset(name: str) -> FileResponse:
    if name not in _PAGE_ASSETS:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=_PAGE_ASSETS[name], headers={"Cache-Control": _ASSET_CACHE})


@router.get("/static/explorer/{name}")
async def explorer_module(name: str) -> FileResponse:
    if name not in _EXPLORER_MODULES:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(EXPLORER_DIR / name, media_type=_EXPLORER_MODULES[name], headers={"Cache-Control": "no-cache"})


@router.get("/static/vendor/{name}")
async def vendor_asset(name: str) -> FileResponse:
    """A library bundle or the list of their licences; 404 until ``make assets`` has built them."""
    if name not in _VENDOR_ASSETS or not (VENDOR_DIR / name).is_file():
        raise NotFound(f"no static file {name!r}" + ("" if name not in _VENDOR_ASSETS else " (run make assets)"))
    return FileResponse(VENDOR_DIR / name, media_type=_VENDOR_ASSETS[name], headers={"Cache-Control": _ASSET_CACHE})


@router.get("/static/docs/{name}")
async def docs_asset(name: str) -> FileResponse:
    if name not in _DOCS_ASSETS:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(DOCS_ASSETS_DIR / name, media_type=_DOCS_ASSETS[name], headers={"Cache-Control": _ASSET_CACHE})


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
