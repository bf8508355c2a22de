"""The SPARQL page in a real browser: headless Chromium loads ``/?query=...`` from a live
server, the page runs the query through ``/sparql`` and renders the table we check (IRIs
as prefixed names, entity IRIs linking to their explorer pages).

Needs ``/usr/bin/chromium`` (``make browser`` installs Debian's); skipped without it.
The server is a separate uvicorn process over an on-disk copy of the fixture graph,
stopped by its own pid.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.live_server import live_server
from tests.rest_fixture import fixture_store_at

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

if CHROMIUM is None:
    pytest.skip("chromium is not installed (run `make browser` or apt-get install chromium)", allow_module_level=True)

PREFIXES = "PREFIX dk: <https://w3id.org/defence-kg/ontology#>\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    store = fixture_store_at(tmp / "store")
    store.flush()
    store.close()
    with live_server({"KG_STORE": str(tmp / "store")}, tmp / "server.log") as base:
        yield base


def dump_dom(url: str, tmp: Path) -> str:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode()


class Page(HTMLParser):
    """Collects the results table's header and cells, the error box and the download links."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.error = ""
        self.error_hidden = True
        self.links: dict[str, str] = {}
        self.cell_links: list[tuple[str, str]] = []  # (href, title) of the links in the table
        self.other = ""  # an ASK answer or a graph result
        self._in_other = False
        self._cell: list[str] | None = None
        self._in_error = False
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "results-table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []
        elif tag == "div" and a.get("id") == "error":
            self._in_error = True
            self.error_hidden = "hidden" in a
        elif (tag == "p" and a.get("id") == "ask-result") or (tag == "pre" and a.get("class") == "graph"):
            self._in_other = True
        elif self._cell is not None and tag == "a":
            self.cell_links.append((a.get("href") or "", a.get("title") or ""))
        elif tag == "a" and (a.get("id") or "").startswith("dl-"):
            self.links[(a["id"] or "")[3:]] = a.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            if tag == "th":
                self.headers.append(text)
            else:
                self.rows[-1].append(text)
            self._cell = None
        elif tag == "div":
            self._in_error = False
        elif tag in ("p", "pre"):
            self._in_other = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_error:
            self.error += data
        elif self._in_other:
            self.other += data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.rows = [r for r in p.rows if r]  # the header row holds th cells only
    return p


def test_query_from_the_url_runs_and_renders_a_table(server: str, tmp_path: Path) -> None:
    query = PREFIXES + "SELECT ?doc ?title WHERE { ?doc a dk:NewsArticle ; dk:title ?title } ORDER BY ?doc"
    page = parse(dump_dom(f"{server}/?query={quote(query)}", tmp_path))
    assert page.headers == ["doc", "title"]
    assert page.rows == [
        ["id:document/doc0", "Leonardo and Baykar form LBA Systems@en"],
        ["id:document/doc1", "Pakistan receives more TB2 drones@en"],
    ]
    assert page.cell_links == [
        ("explore/document/document.doc0", "https://w3id.org/defence-kg/id/document/doc0"),
        ("explore/document/document.doc1", "https://w3id.org/defence-kg/id/document/doc1"),
    ]
    assert page.error_hidden
    for fmt in ("csv", "tsv", "json"):
        assert page.links[fmt].startswith(f"{server}/sparql?query=")
        assert page.links[fmt].endswith(f"&format={fmt}")
    csv = httpx.get(page.links["csv"], timeout=10)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1] == (
        "https://w3id.org/defence-kg/id/document/doc0,Leonardo and Baykar form LBA Systems"
    )


def test_a_bad_query_shows_the_servers_detail(server: str, tmp_path: Path) -> None:
    page = parse(dump_dom(f"{server}/?query={quote('SELECT ?s WHERE { ?s a ')}", tmp_path))
    assert not page.error_hidden
    assert page.error.startswith("error at 1:")
    assert page.rows == []


def test_literals_and_languages_are_shown(server: str, tmp_path: Path) -> None:
    query = PREFIXES + ('SELECT ?name ?n WHERE { VALUES (?name ?n) { ("Türkiye"@en 1) ("Akıncı" 2) } } ORDER BY ?n')
    page = parse(dump_dom(f"{server}/?query={quote(query)}", tmp_path))
    assert page.rows == [["Türkiye@en", "1"], ["Akıncı", "2"]]


def test_ask_and_construct_results_are_shown(server: str, tmp_path: Path) -> None:
    ask = parse(dump_dom(f"{server}/?query={quote(PREFIXES + 'ASK { ?d a dk:NewsArticle }')}", tmp_path / "a"))
    assert ask.other == "Answer: true"
    construct = PREFIXES + "CONSTRUCT { ?d dk:title ?t } WHERE { ?d a dk:NewsArticle ; dk:title ?t }"
    graph = parse(dump_dom(f"{server}/?query={quote(construct)}", tmp_path / "c"))
    assert "Leonardo and Baykar form LBA Systems" in graph.other
    assert graph.rows == [] and graph.error_hidden
