"""Real SPARQL clients against a real server.

A uvicorn subprocess (``api.main:app_from_env``, settings from ``KG_*``) serves an
on-disk store with known triples on 127.0.0.1; SPARQLWrapper and rdflib's SPARQLStore
query it over HTTP, and SPARQLWrapper sends an authenticated update (which exercises
the on-disk write path: readers released, write, readers reopened).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from kg.store import Store
from tests.api.apps import EX, G1, G2, TOKEN, ex
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("live")
    path = tmp / "store"
    store = Store(path)
    store.replace_graphs(
        {
            G1: [(ex("alice"), ex("knows"), ex("bob")), (ex("bob"), ex("name"), Literal("Bob", lang="en"))],
            G2: [(ex("carol"), ex("age"), Literal(42))],
        }
    )
    store.flush()
    store.close()
    env = {
        "KG_STORE": str(path),
        "KG_QUERY_WORKERS": "1",
        "KG_UPDATE_ENABLED": "1",
        "KG_UPDATE_TOKEN": TOKEN,
        "KG_QUERY_TIMEOUT": "10",
    }
    with live_server(env, tmp / "server.log") as base:
        yield base + "/sparql"


def _wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    w = SPARQLWrapper(endpoint)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


def test_sparqlwrapper_select_json(endpoint: str) -> None:
    w = _wrapper(endpoint, f"SELECT ?s ?o WHERE {{ ?s <{EX}knows> ?o }}", JSON)
    result = w.queryAndConvert()
    assert result["head"]["vars"] == ["s", "o"]
    assert result["results"]["bindings"] == [
        {"s": {"type": "uri", "value": EX + "alice"}, "o": {"type": "uri", "value": EX + "bob"}}
    ]


def test_sparqlwrapper_select_xml_by_post(endpoint: str) -> None:
    w = _wrapper(endpoint, f"SELECT ?n WHERE {{ <{EX}bob> <{EX}name> ?n }}", XML)
    w.setMethod(POST)
    doc = w.queryAndConvert()
    literals = doc.getElementsByTagName("literal")
    assert [(n.firstChild.data, n.getAttribute("xml:lang")) for n in literals] == [("Bob", "en")]


def test_sparqlwrapper_ask(endpoint: str) -> None:
    assert _wrapper(endpoint, f"ASK {{ <{EX}carol> <{EX}age> 42 }}", JSON).queryAndConvert()["boolean"] is True
    assert _wrapper(endpoint, f"ASK {{ <{EX}carol> <{EX}age> 43 }}", JSON).queryAndConvert()["boolean"] is False


def test_sparqlwrapper_construct(endpoint: str) -> None:
    w = _wrapper(endpoint, f"CONSTRUCT WHERE {{ ?s <{EX}knows> ?o }}", TURTLE)
    data = w.queryAndConvert()
    g = Graph().parse(data=data, format="turtle")
    assert set(g) == {(ex("alice"), ex("knows"), ex("bob"))}


def test_rdflib_sparqlstore(endpoint: str) -> None:
    # The default return format (xml) accepts SPARQL XML results and RDF/XML, so one
    # store serves SELECT, ASK and CONSTRUCT (with "json" rdflib accepts no RDF syntax,
    # and the server rightly answers 406 to a CONSTRUCT).
    store = SPARQLStore(query_endpoint=endpoint)
    rows = list(
        store.query(
            f"SELECT ?s ?a WHERE {{ ?s <{EX}age> ?a }}", initNs={}, initBindings={}, queryGraph="__UNION__", DEBUG=False
        )
    )
    assert [(r.s, r.a) for r in rows] == [(ex("carol"), Literal(42))]
    g = Graph(store=store)
    answer = g.query(f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}")
    assert answer.askAnswer is True
    constructed = g.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert set(constructed.graph) == {(ex("carol"), ex("age"), Literal(42))}


def test_sparqlwrapper_update_with_token(endpoint: str) -> None:
    insert = f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}dave> <{EX}age> 7 }} }}"
    refused = SPARQLWrapper(endpoint)
    refused.setMethod(POST)
    refused.setQuery(insert)
    with pytest.raises(Exception, match="401|Unauthorized"):
        refused.query()

    w = SPARQLWrapper(endpoint)
    w.setMethod(POST)
    w.setQuery(insert)
    w.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert w.query().response.status == 204
    check = _wrapper(endpoint, f"SELECT ?a WHERE {{ <{EX}dave> <{EX}age> ?a }}", JSON).queryAndConvert()
    assert [b["a"]["value"] for b in check["results"]["bindings"]] == ["7"]
