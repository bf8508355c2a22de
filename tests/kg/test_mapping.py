"""Extraction → RDF: exact triples, deterministic IRIs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import vocab as v
from kg.documents import Document
from kg.extract.model import Agreement, Entity, Evidence, Extraction, Money, Position, Ref, Relation
from kg.mapping import agreement_iri, document_iri, entity_iri, slug, to_triples

AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
DOC = Document(path=Path("/x/news_1.txt"), text="Acme Aero builds the Hawk-7.", sha256="ab" * 32)
EV = Evidence("Acme Aero builds the Hawk-7.", 0, 28, 0.9)
ACME = Ref("organization", "Acme Aero")
HAWK = Ref("aircraft", "Hawk-7")


def test_slugs_and_iris_are_deterministic() -> None:
    assert slug("Selçuk Bayraktar") == "selcuk-bayraktar"
    assert slug("  ") == "unnamed"
    assert entity_iri(Ref("organization", "TUSAŞ")) == URIRef("https://w3id.org/defence-kg/id/organization/tusas")
    assert document_iri("000_8b7e") == URIRef("https://w3id.org/defence-kg/id/document/000_8b7e")
    assert document_iri("my news") == URIRef("https://w3id.org/defence-kg/id/document/my-news")
    a = Agreement("Partnership", (Ref("country", "Italy"), Ref("country", "Ukraine")), EV)
    b = Agreement("Partnership", (Ref("country", "Ukraine"), Ref("country", "Italy")), EV)
    assert agreement_iri(a) == agreement_iri(b) == v.ID["agreement/partnership/country-italy--country-ukraine"]


def test_relation_is_stated_and_reified_with_evidence() -> None:
    ex = Extraction(
        title="Acme",
        body_end=28,
        entities=(
            Entity("Company", "Acme Aero", frozenset({"Acme Aero", "Acme"})),
            Entity("UnmannedAerialVehicle", "Hawk-7", frozenset({"Hawk-7"}), coarse="aircraft"),
        ),
        relations=(Relation("manufacturer", HAWK, ACME, EV),),
    )
    g = Graph()
    for t in to_triples(DOC, ex, ingested_at=AT):
        g.add(t)
    doc, acme, hawk = document_iri("news_1"), entity_iri(ACME), entity_iri(HAWK)
    expected = Graph()
    ev = next(g.objects(None, v.evidence))
    st = next(g.subjects(v.RDF.type, v.RDF.Statement))
    for t in [
        (doc, v.RDF.type, v.NewsArticle),
        (doc, v.RDFS.label, Literal("Acme", lang="en")),
        (doc, v.title, Literal("Acme", lang="en")),
        (doc, v.sourceFile, Literal("news_1.txt")),
        (doc, v.sha256, Literal("ab" * 32)),
        (doc, v.ingestedAt, Literal("2025-06-01T12:00:00+00:00", datatype=v.XSD.dateTime)),
        (acme, v.RDF.type, v.Company),
        (acme, v.RDFS.label, Literal("Acme Aero", lang="en")),
        (acme, v.SKOS.altLabel, Literal("Acme", lang="en")),
        (doc, v.mentions, acme),
        (hawk, v.RDF.type, v.UnmannedAerialVehicle),
        (hawk, v.RDFS.label, Literal("Hawk-7", lang="en")),
        (doc, v.mentions, hawk),
        (hawk, v.manufacturer, acme),
        (st, v.RDF.type, v.RDF.Statement),
        (st, v.RDF.subject, hawk),
        (st, v.RDF.predicate, v.manufacturer),
        (st, v.RDF.object, acme),
        (st, v.evidence, ev),
        (ev, v.RDF.type, v.Evidence),
        (ev, v.document, doc),
        (ev, v.sentenceText, Literal(EV.sentence)),
        (ev, v.charStart, Literal(0, datatype=v.XSD.nonNegativeInteger)),
        (ev, v.charEnd, Literal(28, datatype=v.XSD.nonNegativeInteger)),
        (ev, v.confidence, Literal(Decimal("0.9"), datatype=v.XSD.decimal)),
    ]:
        expected.add(t)
    assert isomorphic(g, expected)
    assert str(st).startswith(str(doc) + "#statement-") and str(ev).startswith(str(doc) + "#evidence-")


def test_agreement_position_and_reference_iri() -> None:
    leo = Entity("Company", "Leonardo", frozenset({"Leonardo"}), iri="https://w3id.org/defence-kg/id/organization/leo")
    person = Ref("person", "Ada Lovelace")
    ex = Extraction(
        title="t",
        body_end=1,
        entities=(leo,),
        positions=(Position(person, leo.ref, "CEO", EV),),
        agreements=(
            Agreement(
                "Procurement",
                (leo.ref, Ref("country", "Italy")),
                EV,
                status="Signed",
                date="2025-06",
                value=Money(Decimal("5400000000"), "GBP"),
                subjects=(HAWK,),
            ),
        ),
    )
    g = Graph()
    for t in to_triples(DOC, ex, ingested_at=AT):
        g.add(t)
    leo_iri = URIRef(leo.iri)
    pos = next(g.subjects(v.RDF.type, v.Position))
    assert set(g.predicate_objects(pos)) >= {
        (v.holder, entity_iri(person)),
        (v.organization, leo_iri),
        (v.roleTitle, Literal("CEO")),
    }
    ag = next(g.subjects(v.RDF.type, v.Procurement))
    assert set(g.objects(ag, v.party)) == {leo_iri, entity_iri(Ref("country", "Italy"))}
    assert next(g.objects(ag, v.status)) == v.Signed
    assert next(g.objects(ag, v.date)) == Literal("2025-06", datatype=v.XSD.gYearMonth)
    assert next(g.objects(ag, v.subject)) == entity_iri(HAWK)
    money = next(g.objects(ag, v.value))
    assert (next(g.objects(money, v.amount)), next(g.objects(money, v.currency))) == (
        Literal(Decimal("5400000000"), datatype=v.XSD.decimal),
        Literal("GBP"),
    )


def test_a_document_names_a_reference_entity_with_the_reference_base_s_literal() -> None:
    """Regression (issue 11, item 3): documents wrote plain labels and the reference base
    ``@en`` ones, so over the union every name was two literals and party lists read
    "BAE Systems, BAE Systems". Names and titles are English-tagged everywhere; evidence
    sentences and role titles stay plain."""
    reference = Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "reference.ttl")
    baykar = URIRef("https://w3id.org/defence-kg/id/organization/baykar")
    named = Entity("Company", "Baykar", frozenset({"Baykar", "Baykar Technologies"}), iri=str(baykar))
    ex = Extraction(
        title="Baykar signs",
        body_end=1,
        entities=(named,),
        positions=(Position(Ref("person", "Selçuk Bayraktar"), named.ref, "CTO", EV),),
    )
    g = Graph()
    for t in to_triples(DOC, ex, ingested_at=AT):
        g.add(t)
    union = reference + g
    assert set(union.objects(baykar, v.RDFS.label)) == {Literal("Baykar", lang="en")}
    assert Literal("Baykar Technologies", lang="en") in set(union.objects(baykar, v.SKOS.altLabel))
    labels = {o for p in (v.RDFS.label, v.SKOS.altLabel, v.SKOS.prefLabel, v.title) for o in g.objects(None, p)}
    assert labels and {o.language for o in labels if isinstance(o, Literal)} == {"en"}
    plain = {o for p in (v.sentenceText, v.roleTitle, v.sourceFile) for o in g.objects(None, p)}
    assert plain and {o.language for o in plain if isinstance(o, Literal)} == {None}
