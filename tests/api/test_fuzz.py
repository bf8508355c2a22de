"""A bounded, seeded fuzz run: grammar-aware mutations of valid queries and updates,
hostile bytes, and hypothesis over every REST route in /openapi.json.

Asserted for every case: no 5xx, the server still answers, no contact on a local
listener (every mutation may splice in a SERVICE or LOAD aimed at it), and, for the
query phase, the dataset byte-for-byte unchanged.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.apps import AUTH, client
from tests.api.test_hardening import Listener

SEED = 20261202
CASES = 2500
UPDATE_CASES = 250

QUERIES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s HAVING (COUNT(*) > 0) ORDER BY DESC(?n) LIMIT 5",
    "ASK { <http://example.org/alice> <http://example.org/knows> ?x FILTER(isIRI(?x)) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "DESCRIBE <http://example.org/alice>",
    "PREFIX ex: <http://example.org/> SELECT ?n WHERE { ex:bob ex:name ?n FILTER(langMatches(lang(?n), 'en')) }",
    "SELECT ?x WHERE { { ?x ?p 42 } UNION { ?x ?p 'Bob'@en } MINUS { ?x a ?t } }",
    "SELECT ?s WHERE { ?s <http://example.org/knows>+/<http://example.org/name> ?n }",
    "SELECT * WHERE { VALUES (?a ?b) { (1 2) (UNDEF 'x') } BIND(CONCAT(STR(?a), ?b) AS ?c) }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?p ?s } FILTER(REGEX(STR(?o), '^b', 'i')) }",
    "SELECT (SAMPLE(?o) AS ?x) WHERE { ?s ?p ?o } GROUP BY ?p",
    'SELECT * WHERE { ?s ?p """long\nstring""" }',
]
UPDATES = [
    "INSERT DATA { GRAPH <urn:fuzz:g> { <urn:a> <urn:b> 'c' } }",
    "DELETE WHERE { GRAPH <urn:fuzz:g> { ?s ?p ?o } }",
    "WITH <urn:fuzz:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "CLEAR SILENT GRAPH <urn:fuzz:g>",
    "COPY SILENT <urn:fuzz:g> TO <urn:fuzz:h>",
    "PREFIX f: <urn:fuzz:> INSERT { GRAPH f:g { ?s f:seen true } } WHERE { GRAPH f:g { ?s ?p ?o } }",
]
HOSTILE = [
    "\x00",
    "\ufffd",
    "\u2028",
    "\\u0053ERVICE",
    "'''",
    '"""',
    "<",
    ">",
    "{",
    "}",
    "(",
    ")",
    "#",
    ";",
    "\\",
    "%FF",
    "?",
    "$",
    "_:",
    "^^",
    "@en",
    "a",
    "!",
    "|",
    "/",
    "*",
    ".",
]


def _remote(port: int) -> list[str]:
    iri = f"<http://127.0.0.1:{port}/sparql>"
    return [
        f"SERVICE {iri} {{ ?s ?p ?o }}",
        f"SERVICE{iri}{{?s ?p ?o}}",
        f"SERVICESILENT{iri}{{}}",
        f"trueSERVICE {iri} {{ }}",
        f"1SERVICE{iri}{{}}",
        f"LOAD {iri}",
        f"LOADSILENT{iri}",
        f"sErViCe SiLeNt {iri} {{ }}",
        f"LOAD {iri} INTO GRAPH <urn:x>",
    ]


def mutate(rng: random.Random, text: str, remote: list[str]) -> str:
    """One to four edits of a valid request: splice, delete, duplicate, glue, nest, bytes."""
    pieces = re.findall(r"\s+|[A-Za-z_][\w:-]*|<[^>\s]*>|'[^']*'|\"[^\"]*\"|\S", text)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        i = rng.randrange(len(pieces) + 1)
        if op == 0:
            pieces.insert(i, rng.choice(remote))
        elif op == 1 and pieces:
            del pieces[min(i, len(pieces) - 1)]
        elif op == 2 and pieces:
            j = min(i, len(pieces) - 1)
            pieces.insert(j, pieces[j])
        elif op == 3:
            pieces = [p for p in pieces if not p.isspace() or rng.random() < 0.5]  # glue tokens
        elif op == 4:
            depth = rng.choice([3, 50, 300, 3000])
            opener = rng.choice(["{", "(", "!", "[", "OPTIONAL {"])
            pieces.insert(i, opener * depth)
        elif op == 5:
            pieces.insert(i, rng.choice(HOSTILE))
        else:
            pieces.insert(i, "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randint(1, 8))))
    return "".join(pieces)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def c() -> Iterator[TestClient]:
    with client(query_timeout=5) as test_client:
        yield test_client


def _dump(c: TestClient) -> str:
    r = c.get(
        "/sparql",
        params={"query": "SELECT * { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"},
        headers={"accept": "text/csv"},
    )
    assert r.status_code == 200
    return r.text


def test_mutated_queries(c: TestClient, listener: Listener) -> None:
    rng = random.Random(SEED)
    remote = _remote(listener.port)
    before = _dump(c)
    statuses: dict[int, int] = {}
    for n in range(CASES):
        query = mutate(rng, rng.choice(QUERIES), remote)
        how = n % 3
        if how == 0:
            r = c.get("/sparql", params={"query": query})
        elif how == 1:
            r = c.post("/sparql", data={"query": query})
        else:
            r = c.post(
                "/sparql",
                content=query.encode("utf-8", "surrogatepass"),
                headers={"content-type": "application/sparql-query"},
            )
        assert r.status_code < 500, (query, r.status_code, r.text)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
    assert listener.contacts == 0
    assert _dump(c) == before
    assert statuses.get(200, 0) > 0 and statuses.get(400, 0) > 0 and statuses.get(403, 0) > 0  # all three reached


def test_mutated_updates(c: TestClient, listener: Listener) -> None:
    rng = random.Random(SEED + 1)
    remote = _remote(listener.port)
    for _ in range(UPDATE_CASES):
        update = mutate(rng, rng.choice(UPDATES), remote)
        r = c.post("/sparql", data={"update": update}, headers=AUTH)
        assert r.status_code < 500, (update, r.status_code, r.text)
    assert listener.contacts == 0
    assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_hostile_bytes(c: TestClient) -> None:
    rng = random.Random(SEED + 2)
    before = _dump(c)
    for _ in range(300):
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
        media = rng.choice(
            [
                "application/sparql-query",
                "application/sparql-update",
                "application/x-www-form-urlencoded",
                "text/turtle",
                "",
            ]
        )
        path = rng.choice(["/sparql", "/store?default", "/store?graph=urn:fuzz:g"])
        method = rng.choice(["POST", "PUT"]) if path.startswith("/store") else "POST"
        r = c.request(method, path, content=body, headers={"content-type": media, **AUTH})
        assert r.status_code < 500, (path, media, body, r.status_code, r.text)
    for _ in range(200):
        raw = "".join(
            rng.choice(["%FF", "%C3", "%00", "&", "=", "query", "a", "%7B", "+", ";"])
            for _ in range(rng.randint(1, 30))
        )
        assert c.get("/sparql?" + raw).status_code < 500
    assert _dump(c) == before


@pytest.fixture(scope="module")
def rest_routes(c: TestClient) -> list[tuple[str, list[str], list[str]]]:
    spec = c.get("/openapi.json").json()
    routes = []
    for path, item in spec["paths"].items():
        if "get" not in item or not path.startswith("/api/"):
            continue
        params = item["get"].get("parameters", [])
        routes.append(
            (path, [p["name"] for p in params if p["in"] == "path"], [p["name"] for p in params if p["in"] == "query"])
        )
    assert len(routes) >= 8
    return routes


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rest_routes_from_openapi(
    c: TestClient, rest_routes: list[tuple[str, list[str], list[str]]], data: st.DataObject
) -> None:
    path, in_path, in_query = data.draw(st.sampled_from(rest_routes))
    text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    for name in in_path:
        value = data.draw(text.filter(lambda s: s not in ("", ".", "..")))
        path = path.replace("{" + name + "}", quote(value, safe=""))
    query = {name: data.draw(text) for name in in_query if data.draw(st.booleans())}
    r = c.get(path, params=query)
    assert r.status_code < 500, (path, query, r.status_code, r.text)
