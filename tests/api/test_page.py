"""The query page at / and the offline API docs: served locally, nothing from the internet."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.page import router as page_router
from kg.config import Settings
from kg.store import Store

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=None), store=Store())) as c:
        yield c


def test_page_is_html_with_a_strict_csp(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    html = r.text
    for needle in ['id="query"', 'id="run"', 'id="examples"', 'id="results"', 'id="error"',
                   'id="dl-csv"', 'id="dl-tsv"', 'id="dl-json"', 'src="static/page.js"',
                   'href="static/page.css"']:
        assert needle in html
    assert not REMOTE.search(html)


@pytest.mark.parametrize(("path", "media"), [("/static/page.js", "text/javascript"),
                                             ("/static/page.css", "text/css")])
def test_assets_are_local(client: TestClient, path: str, media: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert not REMOTE.search(r.text)
    assert "@import" not in r.text and "url(http" not in r.text


def test_script_talks_only_to_this_server(client: TestClient) -> None:
    js = client.get("/static/page.js").text
    assert 'new URL("sparql", document.baseURI)' in js
    assert "application/sparql-results+json" in js
    assert re.search(r"fetch\(\s*['\"]https?:", js) is None
    for fmt in ("csv", "tsv", "json"):
        assert f'"{fmt}"' in js


@pytest.mark.parametrize("name", ["../main.py", "index.html", "nope.js", "..%2Fmain.py"])
def test_only_listed_files_are_served(client: TestClient, name: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 404


def test_page_offers_five_example_queries(client: TestClient) -> None:
    js = client.get("/static/page.js").text
    assert js.count("name: ") == 5  # documents, agreements, entities by kind, companies, aircraft


def offline_docs_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None)
    app.include_router(page_router)
    return app


@pytest.mark.parametrize(("path", "asset"), [("/docs", "/static/docs/swagger-ui-bundle.js"),
                                             ("/redoc", "/static/docs/redoc.standalone.js")])
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
