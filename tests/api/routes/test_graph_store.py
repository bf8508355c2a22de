"""The Graph Store HTTP Protocol at /store: reads, writes, statuses, token, upload guards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal

from tests.api.apps import AUTH, EX, G1, G2, client, ex, known_store

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ELEMENT lolz (#PCDATA)>
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/lol"><ex:says>&lol9;</ex:says></rdf:Description>
</rdf:RDF>
"""
TURTLE = {"content-type": "text/turtle", **AUTH}
DAVE = f"<{EX}dave> <{EX}knows> <{EX}carol> .\n"


@pytest.fixture()
def c() -> Iterator[TestClient]:
    with client() as test_client:
        yield test_client


def _graph(response: object) -> set[tuple[object, ...]]:
    return set(Graph().parse(data=response.content, format="nt"))  # type: ignore[attr-defined]


def test_get_named_graph(c: TestClient) -> None:
    r = c.get("/store", params={"graph": G1}, headers={"accept": "application/n-triples"})
    assert r.status_code == 200
    assert _graph(r) == {(ex("alice"), ex("knows"), ex("bob")), (ex("bob"), ex("name"), Literal("Bob", lang="en"))}
    assert r.headers["etag"].startswith('"g')


def test_get_default_graph_is_the_real_default_graph(c: TestClient) -> None:
    r = c.get("/store?default", headers={"accept": "application/n-triples"})
    assert (r.status_code, r.content) == (200, b"")


def test_get_and_head_missing_graph_404(c: TestClient) -> None:
    r = c.get("/store", params={"graph": EX + "missing"})
    assert (r.status_code, r.json()) == (404, {"detail": f"no graph <{EX}missing> in the store"})
    assert c.head("/store", params={"graph": EX + "missing"}).status_code == 404
    head = c.head("/store", params={"graph": G1})
    assert (head.status_code, head.content) == (200, b"")


def test_get_without_target_400(c: TestClient) -> None:
    assert c.get("/store").status_code == 400
    assert c.get("/store", params={"graph": G1, "default": ""}).status_code == 400


def test_put_creates_then_replaces(c: TestClient) -> None:
    target = {"graph": EX + "new"}
    assert c.put("/store", params=target, content=DAVE, headers=TURTLE).status_code == 201
    again = f"<{EX}erin> <{EX}knows> <{EX}dave> .\n"
    assert c.put("/store", params=target, content=again, headers=TURTLE).status_code == 204
    r = c.get("/store", params=target, headers={"accept": "application/n-triples"})
    assert _graph(r) == {(ex("erin"), ex("knows"), ex("dave"))}


def test_put_default_graph(c: TestClient) -> None:
    assert c.put("/store?default", content=DAVE, headers=TURTLE).status_code == 204
    r = c.get("/store?default", headers={"accept": "application/n-triples"})
    assert _graph(r) == {(ex("dave"), ex("knows"), ex("carol"))}


def test_post_adds(c: TestClient) -> None:
    assert c.post("/store", params={"graph": G2}, content=DAVE, headers=TURTLE).status_code == 204
    r = c.get("/store", params={"graph": G2}, headers={"accept": "application/n-triples"})
    assert _graph(r) == {(ex("carol"), ex("age"), Literal(42)), (ex("dave"), ex("knows"), ex("carol"))}
    assert c.post("/store", params={"graph": EX + "g3"}, content=DAVE, headers=TURTLE).status_code == 201


def test_post_to_the_store_creates_a_graph(c: TestClient) -> None:
    r = c.post("/store", content=DAVE, headers=TURTLE)
    assert r.status_code == 201
    location = r.headers["location"]
    assert location.startswith("http://testserver/store/")
    assert c.get(location.removeprefix("http://testserver"), headers={"accept": "text/turtle"}).status_code == 200
    assert c.get("/store", params={"graph": location}).status_code == 200


def test_delete(c: TestClient) -> None:
    assert c.delete("/store", params={"graph": G1}, headers=AUTH).status_code == 204
    assert c.get("/store", params={"graph": G1}).status_code == 404
    assert c.delete("/store", params={"graph": G1}, headers=AUTH).status_code == 404


def test_direct_identification(c: TestClient) -> None:
    assert c.put("/store/people/1", content=DAVE, headers=TURTLE).status_code == 201
    r = c.get("/store", params={"graph": "http://testserver/store/people/1"}, headers={"accept": "text/turtle"})
    assert r.status_code == 200
    assert c.delete("/store/people/1", headers=AUTH).status_code == 204


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"content-type": "text/turtle"}, 401),
        ({"content-type": "text/turtle", "authorization": "Bearer not-the-token-at-all"}, 403),
    ],
)
def test_writes_need_the_token(c: TestClient, headers: dict[str, str], status: int) -> None:
    engine = c.app.state.engine  # type: ignore[attr-defined]
    generation = engine.generation
    assert c.put("/store", params={"graph": G1}, content=DAVE, headers=headers).status_code == status
    assert c.post("/store", params={"graph": G1}, content=DAVE, headers=headers).status_code == status
    assert c.delete("/store", params={"graph": G1}, headers=headers).status_code == status
    assert engine.generation == generation


def test_writes_refused_when_update_disabled() -> None:
    with client(update_enabled=False, update_token=None) as c:
        r = c.put("/store", params={"graph": G1}, content=DAVE, headers=TURTLE)
        assert r.status_code == 403
        assert c.get("/store", params={"graph": G1}).status_code == 200


def test_unsupported_content_type_415(c: TestClient) -> None:
    r = c.put("/store", params={"graph": G1}, content=b"{}", headers={"content-type": "application/x-foo", **AUTH})
    assert r.status_code == 415
    assert r.json()["detail"].startswith("unsupported Content-Type 'application/x-foo'")


def test_malformed_turtle_400_changes_nothing(c: TestClient) -> None:
    r = c.put("/store", params={"graph": G1}, content=b"<a> <b> .", headers=TURTLE)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("cannot parse the turtle data")
    assert len(_graph(c.get("/store", params={"graph": G1}, headers={"accept": "application/n-triples"}))) == 2


@pytest.mark.parametrize("content_type", ["application/rdf+xml", "application/trix", "application/xml"])
def test_billion_laughs_refused_before_parsing(
    c: TestClient, content_type: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.store import Store

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not run")

    monkeypatch.setattr(Store, "parse_triples", no_parsing)
    engine = c.app.state.engine  # type: ignore[attr-defined]
    generation = engine.generation
    r = c.put("/store", params={"graph": G1}, content=BILLION_LAUGHS, headers={"content-type": content_type, **AUTH})
    assert (r.status_code, r.json()) == (
        400,
        {"detail": "XML with DOCTYPE or ENTITY declarations is refused (entity expansion is not allowed)"},
    )
    assert engine.generation == generation


def test_xml_in_another_encoding_refused(c: TestClient) -> None:
    r = c.post(
        "/store",
        params={"graph": G1},
        content=BILLION_LAUGHS.decode().encode("utf-16"),
        headers={"content-type": "application/rdf+xml", **AUTH},
    )
    assert (r.status_code, r.json()) == (400, {"detail": "XML bodies must be UTF-8"})


def test_plain_rdf_xml_accepted(c: TestClient) -> None:
    body = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/x">'
        b"<ex:p>v</ex:p></rdf:Description></rdf:RDF>"
    )
    headers = {"content-type": "application/rdf+xml", **AUTH}
    r = c.put("/store", params={"graph": EX + "x"}, content=body, headers=headers)
    assert r.status_code == 201
    got = _graph(c.get("/store", params={"graph": EX + "x"}, headers={"accept": "application/n-triples"}))
    assert got == {(ex("x"), ex("p"), Literal("v"))}


def test_body_limit_413() -> None:
    with client(max_body_bytes=100) as c:
        r = c.put("/store", params={"graph": G1}, content=DAVE * 5, headers=TURTLE)
        assert r.status_code == 413


def test_write_is_visible_to_every_worker() -> None:
    store = known_store()
    with client(store, query_workers=2) as c:
        assert c.put("/store", params={"graph": G1}, content=DAVE, headers=TURTLE).status_code == 204
        for _ in range(4):  # whichever worker answers sees the new graph
            r = c.get("/store", params={"graph": G1}, headers={"accept": "application/n-triples"})
            assert _graph(r) == {(ex("dave"), ex("knows"), ex("carol"))}
