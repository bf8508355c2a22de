"""The explorer in headless Chromium, driven by Selenium through Debian's chromium-driver,
against a live server over the REST fixture graph: every page renders, search finds an
entity from a misspelt name, the entity page holds the fixture's facts, the network view
draws the fixture's parties, the timeline its dated agreements, and the SPARQL page's
links lead to entity pages. Each test saves a screenshot under tests/screenshots/ (git-ignored).

Skipped without chromium, chromium-driver or selenium (``make browser``, the test extra);
without the explorer's assets (``make assets``) skipped too, except under ``CI=true``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.explorer_assets import require_assets
from tests.live_server import live_server
from tests.rest_fixture import fixture_store_at

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("chromium and chromium-driver are not installed (run `make browser`)", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the test extra)")
require_assets()

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SCREENSHOTS = ROOT / "tests" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("explorer")
    store = fixture_store_at(tmp / "store")
    store.flush()
    store.close()
    with live_server({"KG_STORE": str(tmp / "store")}, tmp / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="explorer-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def search(browser: WebDriver, typed: str) -> list[Any]:
    """Type into the search box; the result links once the list answers exactly what was typed."""
    browser.find_element(By.ID, "search").send_keys(typed)
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f'#search-results[data-query="{typed}"]'))
    return browser.find_elements(By.CSS_SELECTOR, "#search-results a.result")


def open_page(browser: WebDriver, url: str) -> None:
    browser.get_log("browser")  # what earlier pages logged is theirs
    browser.get(url)
    wait(browser, lambda b: b.execute_script("return document.body.dataset.ready") == "true")


def wait(browser: WebDriver, condition: Any, timeout: float = 20) -> Any:
    # a page that re-renders a list while the condition reads it leaves stale elements: read again
    return WebDriverWait(browser, timeout, ignored_exceptions=[StaleElementReferenceException]).until(condition)


def settled(browser: WebDriver, read: Any, expected: Any, timeout: float = 20) -> Any:
    """What ``read`` finds once it equals ``expected`` (or at the timeout, for the assertion to show)."""
    try:
        wait(browser, lambda b: read(b) == expected, timeout)
    except TimeoutException:
        pass
    return WebDriverWait(browser, 5, ignored_exceptions=[StaleElementReferenceException]).until(lambda b: [read(b)])[0]


def texts(browser: WebDriver, css: str) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)]


def screenshot(browser: WebDriver, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"explorer-{name}.png"))


def console_errors(browser: WebDriver) -> list[str]:
    """The page's console errors: a CSP violation or a failed request is one."""
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_home_renders_the_counts(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#stats .card"))
    assert [c.split("\n") for c in texts(browser, "#stats .card")] == [
        ["2", "documents"],
        ["13", "entities"],
        ["4", "agreements"],
        ["9", "facts"],
        ["1", "posts"],
    ]
    assert texts(browser, "#nav a.current") == ["Search"]
    assert browser.find_element(By.ID, "search") == browser.switch_to.active_element
    screenshot(browser, "home")
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("typed", "found"),
    [("baykr", "organization.baykar"), ("leonrdo", "organization.leonardo"), ("cingolami", "person.roberto-cingolani")],
)
def test_a_misspelt_name_finds_the_entity(server: str, browser: WebDriver, typed: str, found: str) -> None:
    open_page(browser, server + "/")
    ids = [a.get_attribute("data-id") for a in search(browser, typed)]
    assert ids == [found]
    assert texts(browser, "#search-status") == ["1 match"]
    screenshot(browser, f"search-{typed}")


def test_the_keyboard_goes_from_the_box_to_a_result(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/")
    box = browser.find_element(By.ID, "search")
    first = search(browser, "bayraktar tb")[0]
    assert first.get_attribute("data-id") == "aircraft.bayraktar-tb2"
    box.send_keys(Keys.ARROW_DOWN)
    assert browser.switch_to.active_element == first
    first.send_keys(Keys.ARROW_UP)
    assert browser.switch_to.active_element == box
    box.send_keys(Keys.ENTER)
    wait(browser, lambda b: b.find_elements(By.ID, "entity-name"))
    assert browser.current_url == server + "/explore/entity/aircraft.bayraktar-tb2"
    assert browser.find_element(By.ID, "entity-name").text == "Bayraktar TB2 Unmanned combat aerial vehicle"
    assert browser.find_element(By.ID, "entity-aliases").text == "TB2"


def test_clicking_a_result_opens_the_entity_page_with_its_facts(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/")
    search(browser, "baykr")[0].click()
    wait(browser, lambda b: b.find_elements(By.ID, "entity"))
    assert browser.current_url == server + "/explore/entity/organization.baykar"
    assert browser.title == "Baykar — Defence knowledge graph"
    assert browser.find_element(By.ID, "entity-name").text == "Baykar Company"
    assert browser.find_element(By.ID, "entity-kind").text == "Company"
    assert browser.find_element(By.ID, "entity-aliases").text == "Baykar Technologies"
    assert browser.find_element(By.ID, "entity-country").text == "Türkiye"
    assert texts(browser, "#relations .relation-group h3") == ["Country", "Makes", "Has parts", "Supplied by"]
    makes = browser.find_element(By.CSS_SELECTOR, '.relation-group[data-relation="manufacturer"]')
    assert [a.text for a in makes.find_elements(By.CSS_SELECTOR, "li.fact > .ref a.entity")] == [
        "Akıncı",
        "Bayraktar TB2",
    ]
    evidence = makes.find_elements(By.CSS_SELECTOR, "li.evidence")
    assert [e.find_element(By.TAG_NAME, "q").text for e in evidence] == [
        "The Akinci is made by the Turkish firm Baykar.",
        "Pakistan took delivery of Bayraktar TB2 drones built by Baykar in a $1.2 billion deal.",
    ]
    assert [e.find_element(By.CSS_SELECTOR, ".confidence").text for e in evidence] == ["85%", "90%"]
    doc = evidence[0].find_element(By.CSS_SELECTOR, "a.document")
    assert (doc.text, doc.get_attribute("href")) == (
        "Pakistan receives more TB2 drones",
        server + "/explore/document/document.doc1",
    )
    agreements = browser.find_elements(By.CSS_SELECTOR, "#agreements li.agreement")
    assert [a.get_attribute("data-id") for a in agreements] == [
        "agreement.doc1-1",
        "agreement.doc0-1",
        "agreement.doc0-2",
    ]
    assert [a.find_element(By.CSS_SELECTOR, ".agreement-head").text.split("\n") for a in agreements] == [
        ["Procurement", "Completed", "2024-11-05", "USD 1.2B"],
        ["Joint venture agreement", "Signed", "2025-03"],
        ["Memorandum of understanding", "Proposed", "undated"],
    ]
    assert [a.find_element(By.CSS_SELECTOR, ".parties").text for a in agreements] == [
        "Parties: Pakistan",
        "Parties: Leonardo",
        "Parties: Leonardo",
    ]
    screenshot(browser, "entity-baykar")
    assert console_errors(browser) == []

    doc.click()
    wait(browser, lambda b: b.find_elements(By.ID, "document-title"))
    assert browser.find_element(By.ID, "document-title").text == "Pakistan receives more TB2 drones"
    screenshot(browser, "document-doc1")


@pytest.mark.parametrize(
    ("path", "heading", "post"),
    [
        ("/explore/entity/organization.leonardo", "People", "Roberto Cingolani Person — CEO"),
        ("/explore/entity/person.roberto-cingolani", "Posts", "Leonardo Company — CEO"),
        ("/id/person/roberto-cingolani", "Posts", "Leonardo Company — CEO"),  # the entity IRI's own path
    ],
)
def test_people_and_their_posts(server: str, browser: WebDriver, path: str, heading: str, post: str) -> None:
    open_page(browser, server + path)
    assert texts(browser, "#positions h2") == [heading]
    assert [p.text.split("\n")[0] for p in browser.find_elements(By.CSS_SELECTOR, "#positions li.position")] == [post]
    assert texts(browser, "#positions li.evidence q") == [
        "Roberto Cingolani, CEO of the Italian group Leonardo, signed."
    ]
    screenshot(browser, "posts-" + path.rsplit("/", 1)[-1])


def network_ids(browser: WebDriver) -> tuple[list[str], list[str]]:
    return (
        browser.execute_script("return window.explorerNetwork.nodes().map((n) => n.id()).sort()"),
        browser.execute_script("return window.explorerNetwork.edges().map((e) => e.data('agreement')).sort()"),
    )


def test_the_network_view_draws_the_parties(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/explore/network")
    graph = browser.find_element(By.ID, "network-graph")
    wait(browser, lambda b: graph.get_attribute("data-nodes") is not None)
    assert (graph.get_attribute("data-nodes"), graph.get_attribute("data-edges")) == ("5", "4")
    assert network_ids(browser) == (
        ["country.pakistan", "country.turkiye", "organization.baykar", "organization.georgia", "organization.leonardo"],
        ["agreement.doc0-1", "agreement.doc0-2", "agreement.doc1-1", "agreement.doc1-2"],
    )
    assert (
        browser.execute_script("return window.explorerNetwork.getElementById('country.turkiye').data('group')")
        == "country"
    )
    assert browser.find_element(By.ID, "network-summary").text == "5 parties, 4 agreements."
    assert graph.find_elements(By.TAG_NAME, "canvas")
    screenshot(browser, "network")
    assert console_errors(browser) == []

    Select(browser.find_element(By.ID, "network-kind")).select_by_value("Procurement")
    wait(browser, lambda b: graph.get_attribute("data-nodes") == "2")
    assert network_ids(browser) == (["country.pakistan", "organization.baykar"], ["agreement.doc1-1"])
    assert browser.current_url == server + "/explore/network?kind=Procurement"

    Select(browser.find_element(By.ID, "network-kind")).select_by_value("")
    wait(browser, lambda b: graph.get_attribute("data-nodes") == "5")
    browser.find_element(By.ID, "network-from").send_keys("2024")
    browser.find_element(By.ID, "network-to").send_keys("2025-06" + Keys.ENTER)
    wait(browser, lambda b: graph.get_attribute("data-nodes") == "3")
    assert network_ids(browser) == (
        ["country.pakistan", "organization.baykar", "organization.leonardo"],
        ["agreement.doc0-1", "agreement.doc1-1"],
    )
    screenshot(browser, "network-2024-2025")

    browser.execute_script("window.explorerNetwork.getElementById('organization.leonardo').emit('tap')")
    wait(browser, lambda b: b.current_url.endswith("/explore/entity/organization.leonardo"))
    wait(browser, lambda b: b.find_elements(By.ID, "entity-name"))
    assert browser.find_element(By.ID, "entity-name").text == "Leonardo Company"


def test_the_timeline_lists_the_dated_agreements(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/explore/timeline")
    expected = [
        ("agreement.doc1-2", "2023", "Georgia, Türkiye"),
        ("agreement.doc1-1", "2024-11-05", "Baykar, Pakistan"),
        ("agreement.doc0-1", "2025-03", "Baykar, Leonardo"),
    ]

    def rows(b: WebDriver) -> list[tuple[str | None, str, str]]:
        return [
            (
                r.get_attribute("data-id"),
                r.find_element(By.TAG_NAME, "time").text,
                r.find_element(By.CSS_SELECTOR, ".parties").text,
            )
            for r in b.find_elements(By.CSS_SELECTOR, "#timeline-rows li.timeline-row")
        ]

    assert settled(browser, rows, expected) == expected
    assert texts(browser, "#timeline-chart .period") == ["2023", "2024", "2025"]
    assert texts(browser, "#timeline-chart .count") == ["1", "1", "1"]
    assert browser.find_element(By.ID, "timeline-summary").text == "3 dated agreements."
    screenshot(browser, "timeline")

    Select(browser.find_element(By.ID, "timeline-granularity")).select_by_value("month")
    wait(browser, lambda b: texts(b, "#timeline-chart .period") == ["2023", "2024-11", "2025-03"])
    Select(browser.find_element(By.ID, "timeline-kind")).select_by_value("Partnership")
    wait(browser, lambda b: texts(b, "#timeline-rows time") == ["2023"])
    assert console_errors(browser) == []


def test_the_sparql_page_highlights_and_links_to_entity_pages(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/query")
    editor = browser.find_element(By.CSS_SELECTOR, "#query-editor .cm-editor")
    keyword = editor.find_element(By.XPATH, ".//span[text()='SELECT']")
    plain = browser.execute_script("return getComputedStyle(document.querySelector('.cm-content')).color")
    assert keyword.value_of_css_property("color") != plain  # highlighted
    assert browser.find_element(By.ID, "query").get_attribute("hidden") == "true"  # the fallback box is not shown

    Select(browser.find_element(By.ID, "examples")).select_by_visible_text("Companies")
    assert "dk:Company" in editor.find_element(By.CSS_SELECTOR, ".cm-content").text
    editor.find_element(By.CSS_SELECTOR, ".cm-content").send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#results-table tbody tr"))
    assert texts(browser, "#results-table th") == ["company", "name"]
    assert [r.split(" ", 1) for r in texts(browser, "#results-table tbody tr")] == [
        ["id:organization/baykar", "Baykar@en"],
        ["id:organization/georgia", "Georgia@en"],
        ["id:organization/lba-systems", "LBA Systems@en"],
        ["id:organization/leonardo", "Leonardo@en"],
    ]
    assert browser.find_element(By.ID, "status").text.startswith("4 rows in ")
    assert texts(browser, "#prefixes summary") == ["Prefixes (13)"]
    screenshot(browser, "sparql")
    assert console_errors(browser) == []

    link = browser.find_element(By.LINK_TEXT, "id:organization/leonardo")
    assert link.get_attribute("title") == "https://w3id.org/defence-kg/id/organization/leonardo"
    link.click()
    wait(browser, lambda b: b.find_elements(By.ID, "entity-name"))
    assert browser.current_url == server + "/explore/entity/organization.leonardo"
    assert browser.find_element(By.ID, "entity-name").text == "Leonardo Company"


def test_an_unknown_entity_says_so(server: str, browser: WebDriver) -> None:
    open_page(browser, server + "/explore/entity/organization.nobody")
    assert texts(browser, "#view .error") == ["No entity with id “organization.nobody”."]
