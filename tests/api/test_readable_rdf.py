"""Readable RDF (issue 11, item 3): Turtle and TriG answers declare the project's prefixes
(``kg.vocab.PREFIXES``, the ones they use), DESCRIBE over the union holds each triple once,
and a name stated by two documents is one literal."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef

from kg import vocab
from tests.rest_fixture import ID

BAYKAR = URIRef(f"{ID}organization/baykar")
DESCRIBE = f"DESCRIBE <{BAYKAR}>"


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("@prefix "))


def _declared(text: str, keyword: str = "@prefix") -> dict[str, str]:
    return dict(re.findall(rf"^{keyword} (\w*): <([^>]*)> \.$", text, flags=re.M))


def test_describe_in_turtle_declares_the_prefixes_it_uses_and_holds_each_triple_once(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": DESCRIBE}, headers={"accept": "text/turtle"})
    assert r.status_code == 200
    assert _declared(r.text) == {k: vocab.PREFIXES[k] for k in ("dk", "organization", "country", "rdf", "rdfs", "skos")}
    assert "organization:baykar dk:country country:turkiye" in r.text and "<" not in _body(r.text)
    nt = client.get("/sparql", params={"query": DESCRIBE}, headers={"accept": "application/n-triples"}).text
    lines = nt.splitlines()
    assert len(lines) == len(set(lines)) == 5  # baykar is in both documents: 5 distinct triples, not 8
    assert set(Graph().parse(data=r.text, format="turtle")) == set(Graph().parse(data=nt, format="nt"))


def test_a_name_two_documents_state_is_one_literal(client: TestClient) -> None:
    rows = client.get(
        "/sparql",
        params={"query": f"SELECT ?l WHERE {{ <{BAYKAR}> <{vocab.RDFS.label}> ?l }}"},
        headers={"accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert {(b["l"]["value"], b["l"].get("xml:lang")) for b in rows} == {("Baykar", "en")}
    r = client.get("/sparql", params={"query": DESCRIBE}, headers={"accept": "application/n-triples"})
    labels = set(Graph().parse(data=r.text, format="nt").objects(BAYKAR, vocab.RDFS.label))
    assert labels == {Literal("Baykar", lang="en")}


@pytest.mark.parametrize(("accept", "keyword"), [("application/trig", "@prefix"), ("text/turtle", "@prefix")])
def test_the_graph_store_writes_a_document_graph_with_prefixes(client: TestClient, accept: str, keyword: str) -> None:
    r = client.get("/store", params={"graph": f"{ID}document/doc1"}, headers={"accept": accept})
    assert r.status_code == 200
    declared = _declared(r.text, keyword)
    assert {"dk", "organization", "aircraft", "country", "document", "programme", "xsd"} <= set(declared)
    assert "<https://w3id.org/defence-kg/" not in _body(r.text) and '"2023"^^xsd:gYear' in r.text
    assert set(declared.items()) <= set(vocab.PREFIXES.items())
    parsed = Dataset().parse(data=r.text, format="trig") if accept == "application/trig" else None
    if parsed is not None:
        assert len(parsed) > 0


def test_rdfxml_declares_the_prefixes_as_namespaces(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": DESCRIBE}, headers={"accept": "application/rdf+xml"})
    assert r.status_code == 200
    assert f'xmlns:dk="{vocab.DK}"' in r.text and f'xmlns:skos="{vocab.SKOS}"' in r.text
