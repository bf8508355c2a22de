"""The SPARQL 1.1 Protocol endpoint: formats, datasets, errors, limits, policy, update."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from api.main import create_app
from kg.errors import KgError
from kg.store import Store
from tests.api.apps import AUTH, EX, G1, G2, TOKEN, client, ex, known_store, settings

SELECT_KNOWS = f"SELECT ?s ?o WHERE {{ ?s <{EX}knows> ?o }}"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
ALL_TRIPLES = {
    (ex("alice"), ex("knows"), ex("bob")),
    (ex("bob"), ex("name"), Literal("Bob", lang="en")),
    (ex("carol"), ex("age"), Literal(42)),
}


@pytest.fixture(scope="module")
def c() -> Iterator[TestClient]:
    with client() as test_client:
        yield test_client


# --- query forms and result formats ----------------------------------------------
def test_select_json_by_get(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": SELECT_KNOWS})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.json() == {
        "head": {"vars": ["s", "o"]},
        "results": {
            "bindings": [{"s": {"type": "uri", "value": EX + "alice"}, "o": {"type": "uri", "value": EX + "bob"}}]
        },
    }


@pytest.mark.parametrize(
    ("accept", "content_type", "body"),
    [
        ("text/csv", "text/csv; charset=utf-8", f"s,o\r\n{EX}alice,{EX}bob\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", f"?s\t?o\n<{EX}alice>\t<{EX}bob>\n"),
    ],
)
def test_select_csv_tsv(c: TestClient, accept: str, content_type: str, body: str) -> None:
    r = c.get("/sparql", params={"query": SELECT_KNOWS}, headers={"accept": accept})
    assert (r.status_code, r.headers["content-type"], r.text) == (200, content_type, body)


def test_select_xml(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": SELECT_KNOWS}, headers={"accept": "application/sparql-results+xml"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+xml"
    assert f"<uri>{EX}alice</uri>" in r.text and f"<uri>{EX}bob</uri>" in r.text


def test_language_and_datatype_survive(c: TestClient) -> None:
    r = c.post("/sparql", data={"query": f"SELECT ?n ?a WHERE {{ ?b <{EX}name> ?n . ?c <{EX}age> ?a }}"})
    assert r.json()["results"]["bindings"] == [
        {
            "n": {"type": "literal", "value": "Bob", "xml:lang": "en"},
            "a": {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        }
    ]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(c: TestClient, accept: str) -> None:
    r = c.post(
        "/sparql",
        content=f"ASK {{ <{EX}alice> ?p ?o }}",
        headers={"content-type": "application/sparql-query", "accept": accept},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == accept
    assert (r.json()["boolean"] is True) if "json" in accept else ("<boolean>true</boolean>" in r.text)


@pytest.mark.parametrize(
    ("accept", "content_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
    ],
)
def test_construct_formats(c: TestClient, accept: str, content_type: str, rdflib_format: str) -> None:
    r = c.get("/sparql", params={"query": CONSTRUCT_ALL}, headers={"accept": accept})
    assert (r.status_code, r.headers["content-type"]) == (200, content_type)
    if rdflib_format in ("trig", "nquads"):
        from rdflib import Dataset

        d = Dataset()
        d.parse(data=r.content, format=rdflib_format)
        assert {(s, p, o) for s, p, o, _ in d.quads()} == ALL_TRIPLES
    else:
        assert set(Graph().parse(data=r.content, format=rdflib_format)) == ALL_TRIPLES


def test_describe(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": f"DESCRIBE <{EX}alice>", "format": "ntriples"})
    assert r.status_code == 200
    assert set(Graph().parse(data=r.content, format="nt")) == {(ex("alice"), ex("knows"), ex("bob"))}


def test_format_parameter_overrides_accept(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": SELECT_KNOWS, "format": "csv"}, headers={"accept": "application/json"})
    assert r.headers["content-type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT_KNOWS, "text/turtle"), ("ASK {}", "text/csv"), (CONSTRUCT_ALL, "application/sparql-results+json")],
)
def test_406_when_nothing_fits(c: TestClient, query: str, accept: str) -> None:
    r = c.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert r.status_code == 406
    assert r.json()["detail"].startswith("no acceptable format for a ")


# --- dataset ----------------------------------------------------------------------
def test_default_graph_is_the_union(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_default_graph_uri(c: TestClient) -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o }"
    r = c.get("/sparql", params={"query": q, "default-graph-uri": G2})
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == [EX + "carol"]


def test_named_graph_uri(c: TestClient) -> None:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = c.post(
        "/sparql", params={"named-graph-uri": G1}, content=q, headers={"content-type": "application/sparql-query"}
    )
    assert [(b["g"]["value"], b["n"]["value"]) for b in r.json()["results"]["bindings"]] == [(G1, "2")]


# --- bad requests -------------------------------------------------------------------
def test_malformed_query_400_with_position(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.json() == {"detail": "error at 1:23: expected one of LATERAL, SERVICE, [_]"} or r.json()[
        "detail"
    ].startswith("error at 1:")


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_unsupported_media_type_415(c: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    r = c.post("/sparql", content=b"ASK {}", headers=headers)
    assert r.status_code == 415
    assert "unsupported Content-Type" in r.json()["detail"]


def test_non_utf8_charset_415(c: TestClient) -> None:
    r = c.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert r.status_code == 415


def test_two_queries_400(c: TestClient) -> None:
    r = c.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert (r.status_code, r.json()) == (400, {"detail": "the request has 2 'query' parameters; send exactly one"})


def test_update_by_get_400(c: TestClient) -> None:
    r = c.get("/sparql", params={"update": "CLEAR ALL"})
    assert r.status_code == 400


def test_unknown_route_has_detail(c: TestClient) -> None:
    assert c.get("/nope").json() == {"detail": "Not Found"}


def test_wrong_method_405(c: TestClient) -> None:
    assert c.put("/sparql", content=b"x").status_code == 405


# --- service description ------------------------------------------------------------
def test_service_description(c: TestClient) -> None:
    r = c.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = next(g.subjects(RDF.type, URIRef(sd + "Service")))
    assert g.value(service, URIRef(sd + "endpoint")) == URIRef("http://testserver/sparql")
    assert set(g.objects(service, URIRef(sd + "supportedLanguage"))) == {
        URIRef(sd + "SPARQL11Query"),
        URIRef(sd + "SPARQL11Update"),
    }
    assert URIRef(sd + "UnionDefaultGraph") in set(g.objects(service, URIRef(sd + "feature")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in set(
        g.objects(service, URIRef(sd + "resultFormat"))
    )
    assert g.value(service, URIRef(sd + "defaultDataset")) is not None


def test_service_description_without_update() -> None:
    with client(update_enabled=False, update_token=None) as c:
        g = Graph().parse(data=c.get("/sparql").content, format="turtle")
        sd = "http://www.w3.org/ns/sparql-service-description#"
        assert set(g.objects(None, URIRef(sd + "supportedLanguage"))) == {URIRef(sd + "SPARQL11Query")}


# --- limits -------------------------------------------------------------------------
def test_query_too_long() -> None:
    with client(max_query_length=40) as c:
        long_query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 40
        r = c.get("/sparql", params={"query": long_query})
        assert (r.status_code, r.json()) == (414, {"detail": "the query is 70 characters long; the limit is 40"})
        r = c.post("/sparql", content=long_query, headers={"content-type": "application/sparql-query"})
        assert r.status_code == 413
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_body_too_large() -> None:
    with client(max_body_bytes=64) as c:
        r = c.post("/sparql", content=b"ASK {} #" + b"x" * 100, headers={"content-type": "application/sparql-query"})
        assert (r.status_code, r.json()) == (413, {"detail": "the request body is 108 bytes; the limit is 64"})


def test_too_many_rows_is_a_clear_400() -> None:
    with client(max_result_rows=2) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert (r.status_code, r.json()) == (400, {"detail": "the query returns more than 2 rows; add a LIMIT"})
        assert c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}).status_code == 200
        r = c.get("/sparql", params={"query": CONSTRUCT_ALL})
        assert r.status_code == 400


# --- SERVICE and LOAD ---------------------------------------------------------------
def test_service_refused_by_default(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"})
    assert (r.status_code, r.json()) == (403, {"detail": "SERVICE (federated query) is disabled on this server"})


def test_service_allow_list() -> None:
    with client(service_enabled=True, service_allow=("http://127.0.0.1:1/",)) as c:
        refused = c.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:1.evil/x> { ?s ?p ?o } }"})
        assert (refused.status_code, refused.json()) == (
            403,
            {"detail": "SERVICE <http://127.0.0.1:1.evil/x> is not in the allow-list"},
        )
        variable = c.get("/sparql", params={"query": "SELECT * { SERVICE ?x { ?s ?p ?o } }"})
        assert variable.status_code == 403
        # Allowed: it reaches the engine (port 1 is on the engine's blocked-ports list, so
        # nothing leaves the machine; SILENT turns the failure into one empty solution).
        ok = c.get("/sparql", params={"query": "SELECT * { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"})
        assert ok.status_code == 200
        assert ok.json()["results"]["bindings"] == [{}]


def test_service_inside_update_refused(c: TestClient) -> None:
    r = c.post(
        "/sparql",
        content="INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        headers={"content-type": "application/sparql-update", **AUTH},
    )
    assert r.status_code == 403


@pytest.mark.parametrize("iri", ["http://127.0.0.1:1/data.ttl", "file:///etc/passwd"])
def test_load_refused(c: TestClient, iri: str) -> None:
    r = c.post("/sparql", data={"update": f"LOAD <{iri}>"}, headers=AUTH)
    assert (r.status_code, r.json()) == (
        403,
        {"detail": f"LOAD <{iri}>: the server does not fetch data from arbitrary addresses"},
    )


# --- update and its token -----------------------------------------------------------
INSERT = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}dave> <{EX}knows> <{EX}alice> }} }}"


def test_update_disabled_403() -> None:
    with client(update_enabled=False, update_token=None) as c:
        r = c.post("/sparql", content=INSERT, headers={"content-type": "application/sparql-update", **AUTH})
        assert (r.status_code, r.json()) == (
            403,
            {"detail": "updates are disabled on this server (KG_UPDATE_ENABLED is off)"},
        )


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "updates need an 'Authorization: Bearer <token>' header"),
        ({"authorization": "Basic abc"}, 401, "updates need an 'Authorization: Bearer <token>' header"),
        ({"authorization": "Bearer wrong-token-0123456789"}, 403, "the update token is wrong"),
        ({"authorization": f"Bearer {TOKEN}x"}, 403, "the update token is wrong"),
    ],
)
def test_update_token_refused(headers: dict[str, str], status: int, detail: str) -> None:
    store = known_store()
    before = set(store.quads())
    with client(store) as c:
        r = c.post("/sparql", content=INSERT, headers={"content-type": "application/sparql-update", **headers})
        assert (r.status_code, r.json()) == (status, {"detail": detail})
        if status == 401:
            assert r.headers["www-authenticate"].startswith("Bearer")
        form = c.post("/sparql", data={"update": INSERT}, headers=headers)
        assert form.status_code == status
    assert set(store.quads()) == before


def test_update_with_token_applies_and_bumps_generation() -> None:
    with client() as c:
        engine = c.app.state.engine  # type: ignore[attr-defined]
        generation = engine.generation
        r = c.post("/sparql", content=INSERT, headers={"content-type": "application/sparql-update", **AUTH})
        assert r.status_code == 204
        assert engine.generation == generation + 1
        r = c.get("/sparql", params={"query": f"ASK {{ <{EX}dave> <{EX}knows> <{EX}alice> }}"})
        assert r.json()["boolean"] is True


def test_failed_update_changes_nothing() -> None:
    store = known_store()
    before = set(store.quads())
    with client(store) as c:
        # The first operation is fine; the second fails at run time (the graph exists).
        update = f"{INSERT} ; DROP GRAPH <{G2}> ; CREATE GRAPH <{G1}>"
        r = c.post("/sparql", content=update, headers={"content-type": "application/sparql-update", **AUTH})
        assert r.status_code == 400
        assert r.json() == {"detail": f"update failed: The graph <{G1}> already exists"}
        assert set(store.quads()) == before
        ask = c.get("/sparql", params={"query": f"ASK {{ <{EX}dave> ?p ?o }}"})
        assert ask.json()["boolean"] is False
        count = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
        assert count.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_malformed_update_400(c: TestClient) -> None:
    r = c.post("/sparql", data={"update": "CLEAR XYZ"}, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("error at 1:")


# --- configuration, CORS, health, metrics --------------------------------------------
def test_update_without_token_refuses_to_start() -> None:
    with pytest.raises(KgError, match="no token"):
        create_app(settings(update_token=None), store=Store())


def test_cors_star_refused() -> None:
    with pytest.raises(KgError, match="CORS"):
        create_app(settings(cors_origins=("*",)), store=Store())


def test_cors_off_by_default(c: TestClient) -> None:
    r = c.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "http://dash.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_allow_list() -> None:
    with client(cors_origins=("http://dash.example",)) as c:
        ok = c.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "http://dash.example"})
        assert ok.headers["access-control-allow-origin"] == "http://dash.example"
        assert "access-control-allow-credentials" not in ok.headers
        other = c.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_health_and_readiness(c: TestClient) -> None:
    assert (c.get("/healthz").status_code, c.get("/healthz").json()) == (200, {"status": "ok"})
    ready = c.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_readyz_503_when_engine_is_down() -> None:
    with client() as c:
        c.app.state.engine.close()  # type: ignore[attr-defined]
        r = c.get("/readyz")
        assert r.status_code == 503
        assert "detail" in r.json()


def test_metrics_need_their_token() -> None:
    with client(metrics_token="metrics-token-0123456789") as m:
        m.get("/sparql", params={"query": "ASK {}"})
        assert m.get("/metrics").status_code == 401
        assert m.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
        text = m.get("/metrics", headers={"authorization": "Bearer metrics-token-0123456789"}).text
        assert 'kg_http_requests_total{method="GET",route="/sparql",status="200"}' in text
        assert "kg_http_request_duration_seconds_bucket" in text
        assert "kg_query_duration_seconds_count" in text
        assert "kg_query_timeouts_total 0.0" in text
        assert "kg_query_worker_restarts_total" in text


def test_metrics_without_a_token_answer_this_machine_only(c: TestClient) -> None:
    r = c.get("/metrics")  # the test client is not a loopback peer
    assert r.status_code == 403
    assert r.json() == {
        "detail": "/metrics answers clients on this machine only; set KG_METRICS_TOKEN to read it remotely"
    }


def test_error_bodies_are_json_detail(c: TestClient) -> None:
    for r in (
        c.get("/sparql", params={"query": "ASK {"}),
        c.post("/sparql", content=b"x"),
        c.get("/store", params={"graph": EX + "missing"}),
    ):
        assert set(json.loads(r.content)) == {"detail"}
