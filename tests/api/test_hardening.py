"""Regression tests for the attacks a probe run found: each reproducer, its exact answer,
the store unchanged, and no contact on a local listener the test starts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.sparql_syntax import tokenize
from tests.api.apps import AUTH, G1, client, known_store


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.contacts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.contacts += 1
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                b'Content-Length: 44\r\n\r\n{"head":{"vars":[]},"results":{"bindings":[]}}'
            )
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def c() -> Iterator[TestClient]:
    with client() as test_client:
        yield test_client


def _dump(c: TestClient) -> str:
    r = c.get(
        "/sparql",
        params={"query": "SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"},
        headers={"accept": "text/csv"},
    )
    assert r.status_code == 200
    return r.text


SERVICE_FORMS = [
    "PREFIX p: <{base}> SELECT * WHERE {{ SERVICEp:x {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICESILENT<{base}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p trueSERVICE <{base}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{base}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICEsilent<{base}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE<{base}>{{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_glued_service_is_refused_by_get_and_post(c: TestClient, listener: Listener, form: str) -> None:
    query = form.format(base=f"http://127.0.0.1:{listener.port}/")
    for r in (
        c.get("/sparql", params={"query": query}),
        c.post("/sparql", data={"query": query}),
        c.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
    ):
        assert (r.status_code, r.json()) == (403, {"detail": "SERVICE (federated query) is disabled on this server"})
    assert listener.contacts == 0


def test_glued_service_inside_an_update_is_refused(c: TestClient, listener: Listener) -> None:
    before = _dump(c)
    update = (
        f"PREFIX p: <http://127.0.0.1:{listener.port}/> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICEp:x {{ ?s ?p ?o }} }}"
    )
    r = c.post("/sparql", data={"update": update}, headers=AUTH)
    assert (r.status_code, r.json()) == (403, {"detail": "SERVICE (federated query) is disabled on this server"})
    assert listener.contacts == 0
    assert _dump(c) == before


def test_glued_service_outside_the_allow_list_is_refused(listener: Listener) -> None:
    with client(service_enabled=True, service_allow=("http://allowed.example/",)) as c:
        r = c.get(
            "/sparql",
            params={"query": f"PREFIX p: <http://127.0.0.1:{listener.port}/> SELECT * {{ SERVICEp:x {{ ?s ?p ?o }} }}"},
        )
        assert (r.status_code, r.json()) == (
            403,
            {"detail": f"SERVICE <http://127.0.0.1:{listener.port}/x> is not in the allow-list"},
        )
    assert listener.contacts == 0


def test_names_that_only_contain_the_keywords_still_work(c: TestClient) -> None:
    query = (
        "PREFIX services: <http://example.org/> PREFIX downloads: <http://example.org/> "
        "ASK { services:alice downloads:knows services:bob }"
    )
    r = c.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert (r.status_code, r.json()["boolean"]) == (200, True)


def test_workers_cannot_reach_the_network_even_past_the_policy(listener: Listener) -> None:
    """Defence in depth: the engine itself is asked to SERVICE, bypassing the routes."""
    import asyncio

    with client() as c:
        engine = c.app.state.engine  # type: ignore[attr-defined]
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"

        async def run() -> str:
            try:
                await engine.execute(query, results_format="json", graph_format=None)
            except Exception as e:  # noqa: BLE001 - the message is what is tested
                return str(e)
            return "answered"

        assert asyncio.run(run()) == "query evaluation failed: a remote endpoint (SERVICE or LOAD) could not be used"
    assert listener.contacts == 0


@pytest.mark.parametrize(
    "update",
    [
        "LOADSILENT<http://127.0.0.1:{port}/x.ttl>",
        "PREFIX p: <http://127.0.0.1:{port}/> LOADp:x.ttl INTO GRAPH <urn:x>",
        "LOAD<http://127.0.0.1:{port}/x.ttl>",
    ],
)
def test_glued_load_is_refused(c: TestClient, listener: Listener, update: str) -> None:
    before = _dump(c)
    text = update.format(port=listener.port)
    r = c.post("/sparql", data={"update": text}, headers=AUTH)
    assert r.status_code == 403
    assert r.json()["detail"].endswith(": the server does not fetch data from arbitrary addresses")
    assert listener.contacts == 0
    assert _dump(c) == before


def test_using_graph_uri_cannot_inject_text(c: TestClient, listener: Listener) -> None:
    before = _dump(c)
    value = (
        f"http://a> WHERE {{}} ; LOAD <http://127.0.0.1:{listener.port}/x.ttl> ; DELETE {{ ?s ?p ?o }} USING <http://b"
    )
    r = c.post(
        "/sparql", data={"update": "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "using-graph-uri": value}, headers=AUTH
    )
    assert (r.status_code, r.json()) == (400, {"detail": f"dataset parameter: not an absolute IRI: {value!r}"})
    assert listener.contacts == 0
    assert _dump(c) == before


def test_default_graph_uri_must_be_an_iri(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "urn:a> <urn:b"})
    assert (r.status_code, r.json()) == (400, {"detail": "dataset parameter: not an absolute IRI: 'urn:a> <urn:b'"})


def test_using_graph_uri_still_applies(c: TestClient) -> None:
    r = c.post(
        "/sparql",
        data={
            "update": "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
            "using-graph-uri": G1,
        },
        headers=AUTH,
    )
    assert r.status_code == 204
    count = c.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/copy> { ?s ?p ?o } }"},
        headers={"accept": "text/csv"},
    ).text
    assert count.split() == ["n", "2"]
    assert c.post("/sparql", data={"update": "DROP GRAPH <http://example.org/copy>"}, headers=AUTH).status_code == 204


# --- bounded cost -------------------------------------------------------------------
def test_hostile_strings_tokenize_as_one_token_each() -> None:
    """The string forms always match, so no position is scanned twice (a linear scan)."""
    body = '"\\"' * 40_000
    tokens = tokenize(body)
    assert "".join(t.text for t in tokens) == body  # every character read once, in order
    assert {t.kind for t in tokens} == {"string", "punct"}
    unterminated = tokenize('ASK { ?s ?p """' + 'x"' * 30_000)
    assert [t.kind for t in unterminated] == ["name", "punct", "var", "var", "string"]


def test_a_100_kb_hostile_body_is_answered_and_the_server_keeps_answering(c: TestClient) -> None:
    r = c.post(
        "/sparql", content='ASK { ?s ?p "' + '\\"' * 49_000 + " }", headers={"content-type": "application/sparql-query"}
    )
    assert r.status_code == 400
    assert c.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * WHERE " + "{" * 2200 + "}" * 2200,
            "the request nests brackets 2200 levels deep; the limit is 256 (KG_MAX_QUERY_DEPTH)",
        ),
        (
            "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
            "the request nests brackets 3002 levels deep; the limit is 256 (KG_MAX_QUERY_DEPTH)",
        ),
        (
            "ASK { FILTER(" + "!" * 3000 + "true) }",
            "the request chains 3000 prefix operators; the limit is 256 (KG_MAX_QUERY_DEPTH)",
        ),
        (
            "ASK { ?s " + "^" * 500 + "<http://example.org/knows> ?o }",
            "the request chains 500 prefix operators; the limit is 256 (KG_MAX_QUERY_DEPTH)",
        ),
    ],
)
def test_deep_nesting_is_400_before_any_parser(c: TestClient, query: str, message: str) -> None:
    r = c.get("/sparql", params={"query": query})
    assert (r.status_code, r.json()) == (400, {"detail": message})


def test_a_deeply_nested_update_is_400_and_the_server_lives(c: TestClient) -> None:
    before = _dump(c)
    update = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 5000 + "}" * 5000
    r = c.post("/sparql", data={"update": update}, headers=AUTH)
    assert (r.status_code, r.json()) == (
        400,
        {"detail": "the request nests brackets 5000 levels deep; the limit is 256 (KG_MAX_QUERY_DEPTH)"},
    )
    assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert _dump(c) == before


@pytest.mark.parametrize(
    ("update", "position"),
    [
        ("INSERT DATA {\n <urn:a> <urn:b> }", "2:18"),
        ("PREFIX a: <urn:a#>\nBASE <http://example.org/>\nINSERT DATA { a:x a:y }", "3:23"),
        ("PREFIX a: <urn:a#> INSERT DATA { a:x a:y }", "1:42"),
    ],
)
def test_update_syntax_errors_point_into_the_text_as_sent(c: TestClient, update: str, position: str) -> None:
    """Updates are parsed in a worker before they are applied; the error's position is
    the one in the caller's text, with or without a prologue before the first operation."""
    before = _dump(c)
    r = c.post("/sparql", data={"update": update}, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["detail"].startswith(f"error at {position}: ")
    assert _dump(c) == before


def test_an_update_with_a_prologue_and_relative_iris_is_applied(c: TestClient) -> None:
    """PREFIX before the first of several operations, and IRIs relative to the endpoint."""
    update = "PREFIX e: <urn:e#>\nINSERT DATA { GRAPH <urn:g:rel> { <doc> e:p e:o } } ; CLEAR SILENT GRAPH <urn:g:none>"
    r = c.post("/sparql", data={"update": update}, headers=AUTH)
    assert r.status_code == 204, r.text
    r = c.get(
        "/sparql",
        params={"query": "SELECT ?s WHERE { GRAPH <urn:g:rel> { ?s <urn:e#p> <urn:e#o> } }"},
        headers={"accept": "text/csv"},
    )
    assert r.text.splitlines() == ["s", "http://testserver/doc"]


def test_a_parser_crash_costs_a_worker_not_the_server() -> None:
    """With the depth limit lifted, a query deep enough to overflow the parser's stack
    stops its worker; the answer says so and the next query is answered."""
    with client(max_query_depth=10**6, max_query_length=10**6, query_workers=1) as c:
        deep = "ASK { BIND(" + "CONCAT(" * 40_000 + '"a"' + ")" * 40_000 + " AS ?x) }"
        r = c.post("/sparql", content=deep, headers={"content-type": "application/sparql-query"})
        assert r.status_code == 400
        assert r.json()["detail"].startswith("the query stopped its worker")
        assert (
            c.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+json"}).json()[
                "boolean"
            ]
            is True
        )


def test_an_update_that_crashes_the_parser_leaves_the_server_up() -> None:
    store = known_store()
    with client(store, max_query_depth=10**6, max_query_length=10**6, query_workers=1) as c:
        before = _dump(c)
        update = "INSERT { <urn:a> <urn:b> ?x } WHERE { BIND(" + "CONCAT(" * 40_000 + '"a"' + ")" * 40_000 + " AS ?x) }"
        r = c.post("/sparql", data={"update": update}, headers=AUTH)
        assert (r.status_code, r.json()) == (400, {"detail": "the update cannot be parsed: it stopped the parser"})
        assert _dump(c) == before


def test_a_query_over_the_memory_cap_gets_a_clear_error() -> None:
    expression = '"' + "a" * 50 + '"'
    binds = "".join(f"BIND(CONCAT(?a{i}, ?a{i}, ?a{i}, ?a{i}) AS ?a{i + 1}) " for i in range(14))
    query = f"SELECT ?a14 WHERE {{ BIND({expression} AS ?a0) {binds}}}"
    with client(query_memory_mb=700, query_workers=1) as c:
        r = c.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
        assert (r.status_code, r.json()) == (
            400,
            {
                "detail": "the query stopped its worker: it needed more than "
                "the 700 MiB a query may use (KG_QUERY_MEMORY_MB)"
            },
        )
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# --- edges --------------------------------------------------------------------------
def test_invalid_utf8_in_a_form_body_is_400(c: TestClient) -> None:
    r = c.post(
        "/sparql", content=b"query=ASK%20%7B%7D%FF", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert (r.status_code, r.json()) == (400, {"detail": "the form body is not UTF-8 (after percent-decoding)"})


@pytest.mark.parametrize("path", ["/sparql?query=ASK%20%7B%7D%FF", "/api/v1/entities?name=%C3", "/store?graph=%FF"])
def test_invalid_utf8_in_a_query_string_is_400(c: TestClient, path: str) -> None:
    r = c.get(path)
    assert (r.status_code, r.json()) == (
        400,
        {"detail": "the URL's query string is not UTF-8 (after percent-decoding)"},
    )


def test_a_bad_percent_escape_in_a_rest_id_is_404(c: TestClient) -> None:
    r = c.get("/api/v1/entities/organization.bad%25tU")
    assert r.status_code == 404


def test_security_headers_on_every_response(c: TestClient) -> None:
    for r in (c.get("/healthz"), c.get("/sparql", params={"query": "ASK {"}), c.get("/api/v1/stats"), c.get("/")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert c.get("/healthz").headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
