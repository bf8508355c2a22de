"""The explorer's pages and the offline API docs: served locally, nothing from the internet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from api.main import create_app
from api.routes import page
from api.routes.page import router as page_router
from kg.config import Settings
from kg.store import Store
from tests.explorer_assets import require_assets

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
MODULES = [
    "app.js",
    "common.js",
    "home.js",
    "entity.js",
    "document.js",
    "network.js",
    "timeline.js",
    "sparql.js",
    "terms.js",
]
SHELL_PATHS = [
    "/",
    "/?query=ASK%7B%7D",
    "/query",
    "/explore/network",
    "/explore/timeline",
    "/explore/entity/organization.baykar",
    "/explore/document/document.doc0",
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=None), store=Store())) as c:
        yield c


def csp_nonce(csp: str) -> str:
    found = re.search(r"style-src 'self' 'nonce-([A-Za-z0-9_-]{24})';", csp)
    assert found, csp
    return found.group(1)


@pytest.mark.parametrize("path", SHELL_PATHS)
def test_every_page_is_the_shell_with_a_strict_csp(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-" in csp
    assert "connect-src 'self'" in csp and "unsafe" not in csp
    html = r.text
    assert f'<meta name="csp-nonce" content="{csp_nonce(csp)}">' in html
    for needle in [
        '<base href="/">',
        '<script type="module" src="static/explorer/app.js"></script>',
        'href="static/explorer.css"',
        'id="view"',
        'href="explore/network"',
        'href="explore/timeline"',
        'href="query"',
        'href="static/vendor/LICENSES.txt"',
    ]:
        assert needle in html
    assert "<script>" not in html and " style=" not in html
    assert not REMOTE.search(html)


def test_each_answer_has_its_own_nonce(client: TestClient) -> None:
    first, second = (csp_nonce(client.get("/").headers["content-security-policy"]) for _ in range(2))
    assert first != second


def test_the_shell_is_based_at_the_apps_root_path() -> None:
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/id/organization/baykar",
            "root_path": "/kg",
            "headers": [],
            "query_string": b"",
        }
    )
    html = page.explorer_shell(request).body.decode()
    assert '<base href="/kg/">' in html and '<base href="/">' not in html
    assert '<base href="/">' in page.explorer_shell().body.decode()


@pytest.mark.parametrize(("path", "status"), [("/explore/entity/not%20an%20id", 422), ("/explore/elsewhere", 404)])
def test_unknown_pages(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


@pytest.mark.parametrize(
    ("path", "media"),
    [("/static/explorer.css", "text/css"), ("/static/favicon.svg", "image/svg+xml")]
    + [(f"/static/explorer/{m}", "text/javascript") for m in MODULES],
)
def test_assets_are_local(client: TestClient, path: str, media: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert not REMOTE.search(r.text)
    assert "@import" not in r.text and "url(http" not in r.text
    assert re.search(r"""fetch\(\s*['"`]https?:|import\(\s*['"`]https?:|from\s+['"]https?:""", r.text) is None


def test_the_modules_listed_are_the_modules_on_disk() -> None:
    assert sorted(MODULES) == sorted(p.name for p in page.EXPLORER_DIR.glob("*.js"))


def test_sparql_page_talks_only_to_this_server(client: TestClient) -> None:
    js = client.get("/static/explorer/sparql.js").text
    assert 'url("sparql")' in js
    assert "application/sparql-results+json" in js
    for fmt in ("csv", "tsv", "json"):
        assert f'"{fmt}"' in js
    common = client.get("/static/explorer/common.js").text
    assert "new URL(path, document.baseURI)" in common  # every request is relative to <base>


def test_sparql_page_offers_five_example_queries(client: TestClient) -> None:
    js = client.get("/static/explorer/sparql.js").text
    assert js.count("{ name: ") == 5  # documents, agreements, entities by kind, companies, aircraft


def test_prefixes_are_the_projects(client: TestClient) -> None:
    r = client.get("/static/prefixes.json")
    assert r.status_code == 200
    body = r.json()
    assert body["dk"] == "https://w3id.org/defence-kg/ontology#"
    assert body["id"] == "https://w3id.org/defence-kg/id/"
    assert body["graph"] == "https://w3id.org/defence-kg/graph/"
    assert {k: body[k] for k in ("rdf", "rdfs", "owl", "xsd", "skos", "schema", "org", "prov")} == {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "schema": "https://schema.org/",
        "org": "http://www.w3.org/ns/org#",
        "prov": "http://www.w3.org/ns/prov#",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/static/../main.py",
        "/static/index.html",
        "/static/explorer.html",
        "/static/nope.js",
        "/static/..%2Fmain.py",
        "/static/explorer/..%2Fexplorer.html",
        "/static/explorer/nope.js",
        "/static/vendor/evil.js",
        "/static/vendor/licenses%2Fcytoscape.txt",
    ],
)
def test_only_listed_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_without_the_vendor_assets_the_pages_say_so(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page, "VENDOR_DIR", tmp_path / "vendor")
    html = client.get("/").text
    assert '<div id="assets-missing" role="alert">' in html and "make assets" in html
    r = client.get("/static/vendor/editor.js")
    assert r.status_code == 404
    assert r.json() == {"detail": "no static file 'editor.js' (run make assets)"}
    assert client.get("/api/v1/stats").status_code == 200  # the API does not need them


def test_with_the_vendor_assets_they_are_served_with_their_licences(client: TestClient) -> None:
    require_assets()
    assert 'id="assets-missing"' not in client.get("/").text
    for name in ("editor.js", "cytoscape.js"):
        r = client.get(f"/static/vendor/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
        assert len(r.content) > 100_000 and not REMOTE.search(r.text[:5000])
    licences = client.get("/static/vendor/LICENSES.txt").text
    listed = dict(re.findall(r"^(\S+)@\S+  (\S+)  licenses/", licences, re.M))
    assert listed["cytoscape"] == "MIT" and listed["codemirror"] == "MIT" and listed["@codemirror/view"] == "MIT"
    assert set(listed.values()) == {"MIT"}
    assert (page.VENDOR_DIR / "licenses" / "cytoscape.txt").read_text().startswith("Copyright")


def offline_docs_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None)
    app.include_router(page_router)
    return app


@pytest.mark.parametrize(
    ("path", "asset"), [("/docs", "/static/docs/swagger-ui-bundle.js"), ("/redoc", "/static/docs/redoc.standalone.js")]
)
def test_docs_pages_use_bundled_assets(path: str, asset: str) -> None:
    with TestClient(offline_docs_app()) as c:
        r = c.get(path)
        assert r.status_code == 200
        assert asset in r.text
        assert "cdn.jsdelivr.net" not in r.text and "fonts.googleapis" not in r.text
        js = c.get(asset)
        assert js.status_code == 200 and len(js.content) > 100_000


def test_docs_assets(client: TestClient) -> None:
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"):
        assert client.get(f"/static/docs/{name}").status_code == 200
    assert client.get("/static/docs/evil.js").status_code == 404


def test_app_docs_are_offline(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/static/docs/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
