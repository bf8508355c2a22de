"""Regression: over the union default graph, a triple stated in several graphs came back once per graph
in CONSTRUCT and DESCRIBE results, which are graphs (sets of triples)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import URIRef

from api.main import create_app
from kg.config import Settings
from kg.store import Store

A, P, B = URIRef("http://ex.org/a"), URIRef("http://ex.org/p"), URIRef("http://ex.org/b")


def test_a_triple_in_two_graphs_is_constructed_once() -> None:
    store = Store()
    store.replace_graphs({"http://ex.org/g1": [(A, P, B)], "http://ex.org/g2": [(A, P, B)]})
    with TestClient(create_app(Settings(store_path=None), store=store)) as client:
        for query in ("CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://ex.org/a>"):
            r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
            assert r.status_code == 200
            assert r.text.splitlines() == ["<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> ."]
