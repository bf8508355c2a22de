"""Linked Data (issue 11): entity and document IRIs dereference at /id/… by content
negotiation, over the REST fixture graph: the exact triples of a description in every RDF
format, the explorer's page for a browser, 404, 406, ETag/304, Vary and HEAD."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg import vocab
from kg.queries.descriptions import ENTITY_DESCRIPTION
from tests.rest_fixture import FIXTURE, ID

IDS = Namespace(ID)
DK = vocab.DK
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

CINGOLANI = IDS["person/roberto-cingolani"]
EVIDENCE_2 = IDS["evidence/doc0-2"]
CINGOLANI_DESCRIPTION = {
    # its own triples and labels
    (CINGOLANI, RDF.type, DK.Person),
    (CINGOLANI, RDFS.label, Literal("Roberto Cingolani", lang="en")),
    (CINGOLANI, SKOS.altLabel, Literal("Cingolani", lang="en")),
    # the triples that name it
    (IDS["document/doc0"], DK.mentions, CINGOLANI),
    # the fact it takes part in (its post), whole
    (IDS["position/doc0-1"], RDF.type, DK.Position),
    (IDS["position/doc0-1"], DK.holder, CINGOLANI),
    (IDS["position/doc0-1"], DK.organization, IDS["organization/leonardo"]),
    (IDS["position/doc0-1"], DK.roleTitle, Literal("CEO")),
    (IDS["position/doc0-1"], DK.evidence, EVIDENCE_2),
    # and that fact's evidence
    (EVIDENCE_2, RDF.type, DK.Evidence),
    (EVIDENCE_2, DK.document, IDS["document/doc0"]),
    (EVIDENCE_2, DK.sentenceText, Literal("Roberto Cingolani, CEO of the Italian group Leonardo, signed.")),
    (EVIDENCE_2, DK.charStart, Literal(67)),
    (EVIDENCE_2, DK.charEnd, Literal(128)),
    (EVIDENCE_2, DK.confidence, Literal("0.8", datatype=XSD.decimal)),
}

PROCUREMENT = IDS["agreement/doc1-1"]
EVIDENCE_11 = IDS["evidence/doc1-1"]
VALUE = IDS["value/doc1-1"]
PROCUREMENT_DESCRIPTION = {
    (PROCUREMENT, RDF.type, DK.Procurement),
    (PROCUREMENT, DK.party, IDS["country/pakistan"]),
    (PROCUREMENT, DK.party, IDS["organization/baykar"]),
    (PROCUREMENT, DK.status, DK.Completed),
    (PROCUREMENT, DK.date, Literal("2024-11-05", datatype=XSD.date)),
    (PROCUREMENT, DK.subject, IDS["aircraft/bayraktar-tb2"]),
    (PROCUREMENT, DK.value, VALUE),
    (PROCUREMENT, DK.evidence, EVIDENCE_11),
    (VALUE, RDF.type, DK.MonetaryAmount),
    (VALUE, DK.amount, Literal("1200000000", datatype=XSD.decimal)),
    (VALUE, DK.currency, Literal("USD")),
    (EVIDENCE_11, RDF.type, DK.Evidence),
    (EVIDENCE_11, DK.document, IDS["document/doc1"]),
    (
        EVIDENCE_11,
        DK.sentenceText,
        Literal("Pakistan took delivery of Bayraktar TB2 drones built by Baykar in a $1.2 billion deal."),
    ),
    (EVIDENCE_11, DK.charStart, Literal(0)),
    (EVIDENCE_11, DK.charEnd, Literal(86)),
    (EVIDENCE_11, DK.confidence, Literal("0.9", datatype=XSD.decimal)),
}


def triples(text: str, media: str) -> set[tuple[object, object, object]]:
    return set(Graph().parse(data=text, format=RDF_TYPES[media]))


def declared(turtle: str) -> dict[str, str]:
    return dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", turtle, flags=re.M))


@pytest.mark.parametrize("media", list(RDF_TYPES))
def test_an_entity_iri_answers_its_description_in_every_rdf_format(client: TestClient, media: str) -> None:
    r = client.get("/id/person/roberto-cingolani", headers={"accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"] == media + ("; charset=utf-8" if media.startswith("text/") else "")
    assert r.headers["vary"] == "Accept"
    assert triples(r.text, media) == CINGOLANI_DESCRIPTION


def test_the_turtle_declares_the_projects_prefixes_it_uses(client: TestClient) -> None:
    text = client.get("/id/person/roberto-cingolani", headers={"accept": "text/turtle"}).text
    prefixes = declared(text)
    assert set(prefixes.items()) <= set(vocab.PREFIXES.items())
    assert {"dk", "person", "position", "organization", "document", "rdfs", "skos"} <= set(prefixes)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix "))
    assert "person:roberto-cingolani" in body and "<https://w3id.org/defence-kg/ontology#" not in body


def test_an_agreement_iri_holds_its_evidence_and_its_amount(client: TestClient) -> None:
    r = client.get("/id/agreement/doc1-1", headers={"accept": "application/n-triples"})
    assert r.status_code == 200
    assert triples(r.text, "application/n-triples") == PROCUREMENT_DESCRIPTION


def test_an_entity_that_two_documents_describe_has_each_triple_once(client: TestClient) -> None:
    baykar = IDS["organization/baykar"]
    r = client.get("/id/organization/baykar", headers={"accept": "application/n-triples"})
    lines = r.text.splitlines()
    assert len(lines) == len(set(lines))
    got = triples(r.text, "application/n-triples")
    assert {o for s, p, o in got if (s, p) == (baykar, RDFS.label)} == {Literal("Baykar", lang="en")}
    assert {o for s, p, o in got if (s, p) == (baykar, SKOS.altLabel)} == {
        Literal("Baykar", lang="en"),
        Literal("Baykar Technologies", lang="en"),
    }
    assert {s for s, p, o in got if (p, o) == (DK.mentions, baykar)} == {IDS["document/doc0"], IDS["document/doc1"]}
    statements = {s for s, p, o in got if p in (RDF.subject, RDF.object) and o == baykar}
    assert statements == {
        IDS["statement/doc0-2"],
        IDS["statement/doc0-4"],
        IDS["statement/doc1-1"],
        IDS["statement/doc1-3"],
        IDS["statement/doc1-4"],
    }
    for fact in (*statements, IDS["agreement/doc0-1"], IDS["agreement/doc0-2"], PROCUREMENT):
        (evidence,) = {o for s, p, o in got if (s, p) == (fact, DK.evidence)}
        assert {p for s, p, o in got if s == evidence} == {
            RDF.type,
            DK.document,
            DK.sentenceText,
            DK.charStart,
            DK.charEnd,
            DK.confidence,
        }
    assert got == described(baykar) and len(got) == 83


def described(entity: URIRef) -> set[tuple[object, object, object]]:
    """The description rule restated over the fixture file with rdflib: an oracle for a large entity."""
    fixture = Dataset()
    fixture.parse(FIXTURE, format="trig")
    union = Graph()
    for s, p, o, _ in fixture.quads((None, None, None, None)):
        union.add((s, p, o))
    found = set(union.triples((entity, None, None))) | set(union.triples((None, None, entity)))
    facts = {s for s, _, _ in union.triples((None, None, entity)) if (s, DK.evidence, None) in union}
    for fact in facts:
        found |= set(union.triples((fact, None, None)))
    for node in (*facts, entity):
        for predicate in (DK.evidence, DK.value):
            for part in union.objects(node, predicate):
                found |= set(union.triples((part, None, None)))
    return found


def test_a_document_iri_answers_its_named_graph(client: TestClient) -> None:
    fixture = Dataset()
    fixture.parse(FIXTURE, format="trig")
    r = client.get("/id/document/doc1", headers={"accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/turtle; charset=utf-8"
    assert triples(r.text, "text/turtle") == set(fixture.graph(IDS["document/doc1"]))
    assert {"dk", "document", "aircraft", "xsd"} <= set(declared(r.text))


@pytest.mark.parametrize("path", ["/id/person/roberto-cingolani", "/id/document/doc0"])
def test_a_browser_gets_the_explorer_page(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"accept": BROWSER})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["vary"] == "Accept" and "etag" not in r.headers
    assert '<base href="/">' in r.text and '<script type="module" src="static/explorer/app.js"></script>' in r.text
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]+)'", r.headers["content-security-policy"])
    assert nonce and f'<meta name="csp-nonce" content="{nonce.group(1)}">' in r.text


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle; charset=utf-8"),
        ("*/*", "text/turtle; charset=utf-8"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json"),
        ("application/xhtml+xml", "text/html; charset=utf-8"),
    ],
)
def test_negotiation(client: TestClient, accept: str | None, expected: str) -> None:
    r = client.get("/id/person/roberto-cingolani", headers={"accept": accept} if accept else {})
    assert (r.status_code, r.headers["content-type"]) == (200, expected)


def test_format_overrides_accept(client: TestClient) -> None:
    r = client.get("/id/person/roberto-cingolani", params={"format": "ntriples"}, headers={"accept": BROWSER})
    assert (r.status_code, r.headers["content-type"]) == (200, "application/n-triples")
    assert triples(r.text, "application/n-triples") == CINGOLANI_DESCRIPTION


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/id/person/nobody", f"no entity <{ID}person/nobody> in the graph"),
        ("/id/document/nothing", f"no document <{ID}document/nothing> in the graph"),
        (
            "/id/spaceship/x",
            "no kind 'spaceship' under /id/: the kinds are organization, person, country, place, "
            "aircraft, programme, agreement, position, and document",
        ),
        (
            "/id/statement/doc0-1",
            "no kind 'statement' under /id/: the kinds are organization, person, country, place, "
            "aircraft, programme, agreement, position, and document",
        ),
        ("/id/person/a%20b", "no entity at /id/person/a b: a slug is made of letters, digits and '_.~-'"),
        (
            "/id/person/x%3E%20%7D%20DROP%20ALL",
            "no entity at /id/person/x> } DROP ALL: a slug is made of letters, digits and '_.~-'",
        ),
        (
            "/id/person/roberto-cingolani/",
            "no entity at /id/person/roberto-cingolani/: a slug is made of letters, digits and '_.~-'",
        ),
    ],
)
@pytest.mark.parametrize("accept", ["text/turtle", BROWSER])
def test_unknown_iris_are_404(client: TestClient, path: str, detail: str, accept: str) -> None:
    r = client.get(path, headers={"accept": accept})
    assert (r.status_code, r.headers["content-type"], r.json()) == (404, "application/json", {"detail": detail})


@pytest.mark.parametrize(
    ("headers", "params"),
    [({"accept": "image/png"}, {}), ({"accept": "application/sparql-results+json"}, {}), ({}, {"format": "nquads"})],
)
def test_nothing_acceptable_is_406(client: TestClient, headers: dict[str, str], params: dict[str, str]) -> None:
    r = client.get("/id/organization/baykar", headers=headers, params=params)
    assert r.status_code == 406
    assert r.json() == {
        "detail": f"<{ID}organization/baykar> is available as text/turtle, text/html, "
        "application/ld+json, application/n-triples, application/rdf+xml"
    }


def test_etag_per_format_and_304(client: TestClient) -> None:
    turtle = client.get("/id/organization/baykar", headers={"accept": "text/turtle"})
    ntriples = client.get("/id/organization/baykar", headers={"accept": "application/n-triples"})
    tag = turtle.headers["etag"]
    assert tag.startswith('W/"') and tag != ntriples.headers["etag"]
    assert turtle.headers["cache-control"] == "public, max-age=60"
    again = client.get("/id/organization/baykar", headers={"accept": "text/turtle", "if-none-match": tag})
    assert (again.status_code, again.content, again.headers["etag"], again.headers["vary"]) == (304, b"", tag, "Accept")
    other = client.get("/id/organization/baykar", headers={"accept": "application/n-triples", "if-none-match": tag})
    assert other.status_code == 200


@pytest.mark.parametrize("path", ["/id/organization/baykar", "/id/document/doc0"])
def test_head_sends_the_headers_of_get(client: TestClient, path: str) -> None:
    get = client.get(path, headers={"accept": "text/turtle"})
    head = client.head(path, headers={"accept": "text/turtle"})
    assert (head.status_code, head.content) == (200, b"")
    for name in ("content-type", "content-length", "etag", "vary", "cache-control"):
        assert head.headers[name] == get.headers[name]


def test_head_of_an_unknown_iri_is_404(client: TestClient) -> None:
    assert client.head("/id/person/nobody", headers={"accept": "text/turtle"}).status_code == 404
    assert client.head("/id/person/roberto-cingolani", headers={"accept": "image/png"}).status_code == 406


def test_a_description_is_an_rdf_answer_the_sparql_endpoint_gives_too(client: TestClient) -> None:
    """The same workers write both: the CONSTRUCT of /sparql over the description query gives the same triples."""
    query = ENTITY_DESCRIPTION.replace("?e", f"<{CINGOLANI}>")  # a test may paste; the route binds
    r = client.get("/sparql", params={"query": query}, headers={"accept": "text/turtle"})
    assert triples(r.text, "text/turtle") == CINGOLANI_DESCRIPTION
    assert declared(r.text) == declared(client.get("/id/person/roberto-cingolani").text)
