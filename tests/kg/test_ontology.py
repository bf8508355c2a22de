"""The ontology file: well-formed OWL 2 DL, documented, aligned, rendered, consistent; and the shapes."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rdflib_namespace
from rdflib.compare import isomorphic

from kg import vocab
from kg.errors import OntologyError
from kg.ontology import (
    ONTOLOGY_OWL,
    ONTOLOGY_TTL,
    REFERENCE_TTL,
    SHAPES_TTL,
    check_consistency,
    load_graph,
    render_rdfxml,
    validate_shapes,
)
from tests.conftest import SHARED, require_shared

DK = vocab.DK
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace(str(rdflib_namespace.XSD))  # a plain namespace: pytest probes module attributes, and rdflib's XSD warns
ID = vocab.ID
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
BUILTIN = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#",
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_graph(ONTOLOGY_TTL)


@pytest.fixture(scope="module")
def reference() -> Graph:
    return load_graph(REFERENCE_TTL)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_graph(SHAPES_TTL)


def _local(iri: URIRef) -> str:
    return str(iri).split("#")[-1]


def _dk_terms(g: Graph) -> set[URIRef]:
    return {t for t in set(g.subjects()) | set(g.objects()) if isinstance(t, URIRef) and t.startswith(str(DK))}


# --- structure -------------------------------------------------------------------------


def test_header(onto: Graph) -> None:
    header = URIRef(vocab.ONTOLOGY_IRI)
    assert set(onto.subjects(RDF.type, OWL.Ontology)) == {header}
    assert onto.value(header, OWL.versionIRI) == URIRef("https://w3id.org/defence-kg/ontology/0.1.0")
    assert list(onto.objects(None, OWL.imports)) == []
    comment = str(onto.value(header, RDFS.comment))
    for phrase in ("rdf:Statement", "dk:evidence", "named graph", "id/document/<file stem>", "dk:charStart"):
        assert phrase in comment


def test_every_dk_term_is_declared(onto: Graph) -> None:
    undeclared = sorted(_local(t) for t in _dk_terms(onto) if not set(onto.objects(t, RDF.type)) & set(KINDS))
    assert undeclared == []


def test_every_referenced_external_term_is_declared(onto: Graph) -> None:
    used = set()
    for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf):
        used |= {o for o in onto.objects(None, p) if isinstance(o, URIRef)}
    used |= {p for _, p, _ in onto}
    external = {t for t in used if not str(t).startswith((str(DK), *BUILTIN))}
    undeclared = sorted(str(t) for t in external if not set(onto.objects(t, RDF.type)) & set(KINDS))
    assert undeclared == []


def test_no_iri_has_two_entity_kinds(onto: Graph) -> None:
    """OWL 2 DL forbids an IRI being two kinds of property, or a class and a property."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    clashes = sorted(str(s) for s in set(onto.subjects()) if len(set(onto.objects(s, RDF.type)) & set(kinds)) > 1)
    assert clashes == []


def test_every_dk_term_has_one_english_label_and_definition(onto: Graph) -> None:
    offenders = []
    for term in sorted(_dk_terms(onto)):
        labels = list(onto.objects(term, RDFS.label))
        definitions = list(onto.objects(term, SKOS.definition))
        if len(labels) != 1 or len(definitions) != 1:
            offenders.append(_local(term))
        elif any(not isinstance(x, Literal) or x.language != "en" for x in labels + definitions):
            offenders.append(_local(term))
    assert offenders == []


def test_properties_have_domain_and_range(onto: Graph) -> None:
    properties = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    dk_properties = {p for p in properties if p.startswith(str(DK))}
    assert sorted(_local(p) for p in dk_properties if onto.value(p, RDFS.range) is None) == []
    # dk:evidence has no domain on purpose: its subjects include rdf:Statement nodes.
    assert sorted(_local(p) for p in dk_properties if onto.value(p, RDFS.domain) is None) == ["evidence"]


def _union(onto: Graph, node: object) -> set[URIRef]:
    assert isinstance(node, BNode)
    return set(onto.items(onto.value(node, OWL.unionOf)))


@pytest.mark.parametrize("prop", ["party", "operator", "participant", "organization"])
def test_properties_taking_organisations_or_countries_use_a_union(onto: Graph, prop: str) -> None:
    assert _union(onto, onto.value(DK[prop], RDFS.range)) == {DK.Organization, DK.Country}


SUBCLASSES = [
    ("Company", "Organization"),
    ("JointVenture", "Company"),
    ("Division", "Company"),
    ("GovernmentBody", "Organization"),
    ("ArmedForce", "GovernmentBody"),
    ("Country", "Place"),
    ("UnmannedAerialVehicle", "Aircraft"),
    ("CombatAircraft", "Aircraft"),
    ("UnmannedCombatAerialVehicle", "UnmannedAerialVehicle"),
    ("UnmannedCombatAerialVehicle", "CombatAircraft"),
    ("MemorandumOfUnderstanding", "Agreement"),
    ("JointVentureAgreement", "Agreement"),
    ("Acquisition", "Agreement"),
    ("Procurement", "Agreement"),
    ("Partnership", "Agreement"),
    ("NewsArticle", "Document"),
]


def test_class_hierarchy_is_exactly_as_designed(onto: Graph) -> None:
    told = {
        (_local(s), _local(o))
        for s, o in onto.subject_objects(RDFS.subClassOf)
        if s.startswith(str(DK)) and isinstance(o, URIRef) and o.startswith(str(DK))
    }
    assert told == set(SUBCLASSES)


ALIGNMENTS = [
    (DK.Organization, RDFS.subClassOf, URIRef("https://schema.org/Organization")),
    (DK.Organization, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")),
    (DK.Organization, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Organization")),
    (DK.Company, RDFS.subClassOf, URIRef("https://schema.org/Corporation")),
    (DK.GovernmentBody, RDFS.subClassOf, URIRef("https://schema.org/GovernmentOrganization")),
    (DK.Person, RDFS.subClassOf, URIRef("https://schema.org/Person")),
    (DK.Person, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Person")),
    (DK.Country, RDFS.subClassOf, URIRef("https://schema.org/Country")),
    (DK.Place, RDFS.subClassOf, URIRef("https://schema.org/Place")),
    (DK.Aircraft, RDFS.subClassOf, URIRef("https://schema.org/ProductModel")),
    (DK.Document, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
    (DK.Document, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Document")),
    (DK.Document, RDFS.subClassOf, URIRef("https://schema.org/CreativeWork")),
    (DK.NewsArticle, RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")),
    (DK.Evidence, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
    (DK.Position, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Membership")),
    (DK.parentOrganization, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#subOrganizationOf")),
    (DK.holder, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#member")),
    (DK.document, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasQuotedFrom")),
    (DK.manufacturer, RDFS.subPropertyOf, URIRef("https://schema.org/manufacturer")),
]


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{_local(t[0])}->{str(t[2])}")
def test_alignment(onto: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in onto


def test_inverses(onto: Graph) -> None:
    pairs = {(_local(s), _local(o)) for s, o in onto.subject_objects(OWL.inverseOf)}
    assert pairs == {
        ("manufacturer", "manufactures"),
        ("operator", "operates"),
        ("parentOrganization", "subOrganization"),
        ("supplier", "suppliedBy"),
        ("holder", "holds"),
        ("participant", "participatesIn"),
        ("party", "partyTo"),
    }


def test_supplier_reads_subject_supplies_object(onto: Graph) -> None:
    definition = str(onto.value(DK.supplier, SKOS.definition))
    assert "subject = supplier, object = customer" in definition


def test_top_classes_are_pairwise_disjoint(onto: Graph) -> None:
    groups = [set(onto.items(onto.value(n, OWL.members))) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    top = {
        DK[n]
        for n in (
            "Organization",
            "Person",
            "Place",
            "Aircraft",
            "Programme",
            "Agreement",
            "Position",
            "Document",
            "Evidence",
            "MonetaryAmount",
        )
    }
    assert any(top <= g for g in groups)


def test_statuses_are_distinct_individuals(onto: Graph) -> None:
    statuses = {DK.Proposed, DK.Signed, DK.Completed, DK.Cancelled}
    assert set(onto.subjects(RDF.type, DK.AgreementStatus)) == statuses
    (node,) = onto.subjects(RDF.type, OWL.AllDifferent)
    assert set(onto.items(onto.value(node, OWL.distinctMembers))) == statuses


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        ("amount", XSD.decimal),
        ("currency", XSD.string),
        ("charStart", XSD.nonNegativeInteger),
        ("charEnd", XSD.nonNegativeInteger),
        ("ingestedAt", XSD.dateTime),
        ("sha256", XSD.string),
        ("isoCode", XSD.string),
        ("date", RDFS.Literal),
        ("publishedDate", RDFS.Literal),
    ],
)
def test_datatype_ranges(onto: Graph, prop: str, datatype: URIRef) -> None:
    assert onto.value(DK[prop], RDFS.range) == datatype


def test_confidence_is_a_decimal_between_0_and_1(onto: Graph) -> None:
    rng = onto.value(DK.confidence, RDFS.range)
    assert onto.value(rng, OWL.onDatatype) == XSD.decimal
    facets = {(p, o) for r in onto.items(onto.value(rng, OWL.withRestrictions)) for p, o in onto.predicate_objects(r)}
    assert facets == {(XSD.minInclusive, Literal(Decimal(0))), (XSD.maxInclusive, Literal(Decimal(1)))}


FACTS_LOCAL_NAMES = [
    "Company",
    "GovernmentBody",
    "Country",
    "Person",
    "Aircraft",
    "Programme",
    "UnmannedAerialVehicle",
    "JointVenture",
    "manufacturer",
    "operator",
    "country",
    "parentOrganization",
    "supplier",
    "participant",
    "party",
    "Position",
    "holder",
    "organization",
    "Agreement",
    "MemorandumOfUnderstanding",
    "JointVentureAgreement",
    "Acquisition",
    "Procurement",
    "Partnership",
    "Document",
]


@pytest.mark.parametrize("name", FACTS_LOCAL_NAMES)
def test_scoring_contract_local_names_exist(onto: Graph, name: str) -> None:
    """/work/shared/eval/FACTS.md reads terms by local name."""
    assert set(onto.objects(DK[name], RDF.type)) & {OWL.Class, OWL.ObjectProperty}


def test_facts_md_names_are_current() -> None:
    facts = SHARED / "eval" / "FACTS.md"
    require_shared(facts, "FACTS.md")
    text = facts.read_text(encoding="utf-8")
    for name in ("MemorandumOfUnderstanding", "JointVentureAgreement", "parentOrganization", "holder"):
        assert name in text


# --- loading and rendering ------------------------------------------------------------------


def test_rdfxml_rendering_is_up_to_date(onto: Graph) -> None:
    assert isomorphic(load_graph(ONTOLOGY_OWL), onto), "run kg.ontology.render_rdfxml() after editing defence.ttl"


def test_render_rdfxml_writes_an_isomorphic_file(tmp_path: Path, onto: Graph) -> None:
    out = tmp_path / "defence.owl"
    render_rdfxml(ONTOLOGY_TTL, out)
    assert isomorphic(load_graph(out), onto)


def test_load_graph_reports_syntax_errors_with_the_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix dk: <https://w3id.org/defence-kg/ontology#> .\ndk:a dk:b .\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"^broken\.ttl: cannot parse as turtle: "):
        load_graph(bad)


def test_load_graph_rejects_unknown_extensions(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"^x\.json: unknown RDF file extension '\.json'$"):
        load_graph(tmp_path / "x.json")


def test_load_graph_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"^absent\.owl: no such file$"):
        load_graph(tmp_path / "absent.owl")


# --- reasoning ------------------------------------------------------------------------------


def test_ontology_and_reference_are_consistent(onto: Graph, reference: Graph) -> None:
    report = check_consistency([onto, reference])
    assert (report.consistent, report.unsatisfiable, report.message) == (True, [], "HermiT: consistent")


def test_an_abox_in_the_provenance_model_is_consistent(onto: Graph, reference: Graph) -> None:
    report = check_consistency([onto, reference, _agreement_abox()])
    assert report.consistent, report.message


def test_person_that_is_an_aircraft_is_inconsistent(onto: Graph) -> None:
    x = ID["person/jane-doe"]
    abox = Graph()
    abox.add((x, RDF.type, DK.Person))
    abox.add((x, RDF.type, DK.UnmannedCombatAerialVehicle))
    report = check_consistency([onto, abox])
    assert report.consistent is False
    assert report.message == (
        f"HermiT: the ontology is inconsistent: {x} is typed both Aircraft and Person, which are disjoint"
    )


def test_agreement_that_is_a_document_is_inconsistent(onto: Graph) -> None:
    x = ID["agreement/x"]
    abox = Graph()
    abox.add((x, RDF.type, DK.Procurement))
    abox.add((x, RDF.type, DK.NewsArticle))
    report = check_consistency([onto, abox])
    assert report.consistent is False
    assert "is typed both Agreement and Document, which are disjoint" in report.message


def test_range_violation_is_inconsistent(onto: Graph) -> None:
    """A party that is a person clashes with party's range (organisation or country) and disjointness."""
    abox = _agreement_abox()
    abox.add((ID["person/jane-doe"], RDF.type, DK.Person))
    abox.add((ID["agreement/a"], DK.party, ID["person/jane-doe"]))
    assert check_consistency([onto, abox]).consistent is False


# --- shapes ------------------------------------------------------------------------------------

DOC = ID["document/000_test"]


def _agreement_abox() -> Graph:
    g = Graph()
    a, ev, money = ID["agreement/a"], BNode("ev"), BNode("money")
    g.add((DOC, RDF.type, DK.NewsArticle))
    g.add((DOC, DK.sha256, Literal("0" * 64)))
    g.add((DOC, DK.sourceFile, Literal("000_test.txt")))
    g.add((DOC, DK.ingestedAt, Literal("2026-01-01T00:00:00", datatype=XSD.dateTime)))
    g.add((a, RDF.type, DK.Procurement))
    g.add((a, DK.party, ID["organization/baykar"]))
    g.add((a, DK.party, ID["country/italy"]))
    g.add((a, DK.status, DK.Signed))
    g.add((a, DK.date, Literal("2025-03", datatype=XSD.gYearMonth)))
    g.add((a, DK.value, money))
    g.add((money, RDF.type, DK.MonetaryAmount))
    g.add((money, DK.amount, Literal(Decimal("1500000000"))))
    g.add((money, DK.currency, Literal("USD")))
    g.add((a, DK.evidence, ev))
    g.add((ev, RDF.type, DK.Evidence))
    g.add((ev, DK.document, DOC))
    g.add((ev, DK.sentenceText, Literal("Italy signed a deal with Baykar.")))
    g.add((ev, DK.charStart, Literal(10, datatype=XSD.nonNegativeInteger)))
    g.add((ev, DK.charEnd, Literal(42, datatype=XSD.nonNegativeInteger)))
    g.add((ev, DK.confidence, Literal(Decimal("0.9"))))
    # a binary fact, reified with its evidence
    st = BNode("st")
    g.add((ID["aircraft/bayraktar-tb2"], DK.manufacturer, ID["organization/baykar"]))
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, ID["aircraft/bayraktar-tb2"]))
    g.add((st, RDF.predicate, DK.manufacturer))
    g.add((st, RDF.object, ID["organization/baykar"]))
    g.add((st, DK.evidence, ev))
    return g


def _results(report_graph: Graph) -> set[tuple[object, object, str]]:
    return {
        (
            report_graph.value(r, SH.focusNode),
            report_graph.value(r, SH.resultPath),
            _local(report_graph.value(r, SH.sourceConstraintComponent)),
        )
        for r in report_graph.objects(None, SH.result)
    }


def test_a_well_formed_agreement_conforms(onto: Graph, shapes: Graph) -> None:
    report = validate_shapes(_agreement_abox(), shapes, onto)
    assert report.conforms, report.text


def test_reference_base_conforms(onto: Graph, reference: Graph, shapes: Graph) -> None:
    report = validate_shapes(reference, shapes, onto)
    assert report.conforms, report.text


def test_shapes_catch_a_broken_agreement(onto: Graph, shapes: Graph) -> None:
    g = _agreement_abox()
    a = ID["agreement/a"]
    money = BNode("money")
    g.remove((a, DK.party, None))
    g.add((a, RDF.type, DK.Partnership))  # two kinds
    g.add((a, DK.status, DK.Proposed))  # two statuses
    g.set((money, DK.currency, Literal("usd")))
    g.add((a, DK.date, Literal("March 2025")))
    report = validate_shapes(g, shapes, onto)
    assert report.conforms is False
    assert _results(report.results) == {
        (a, DK.party, "MinCountConstraintComponent"),
        (a, RDF.type, "QualifiedMaxCountConstraintComponent"),
        (a, DK.status, "MaxCountConstraintComponent"),
        (a, DK.date, "MaxCountConstraintComponent"),
        (a, DK.date, "OrConstraintComponent"),
        (money, DK.currency, "PatternConstraintComponent"),
        (a, DK.value, "NodeConstraintComponent"),
    }


def test_shapes_catch_broken_evidence_and_documents(onto: Graph, shapes: Graph) -> None:
    g = _agreement_abox()
    ev = BNode("ev")
    g.set((ev, DK.charStart, Literal(50, datatype=XSD.nonNegativeInteger)))
    g.set((ev, DK.confidence, Literal(Decimal("1.5"))))
    g.set((DOC, DK.sha256, Literal("not-a-digest")))
    g.remove((DOC, DK.ingestedAt, None))
    report = validate_shapes(g, shapes, onto)
    assert _results(report.results) == {
        (ev, DK.charStart, "LessThanOrEqualsConstraintComponent"),
        (ev, DK.confidence, "MaxInclusiveConstraintComponent"),
        (DOC, DK.sha256, "PatternConstraintComponent"),
        (DOC, DK.ingestedAt, "MinCountConstraintComponent"),
    }


def test_shapes_catch_a_position_without_a_person(onto: Graph, shapes: Graph) -> None:
    g = _agreement_abox()
    pos, ev = ID["position/x"], BNode("ev")
    g.add((pos, RDF.type, DK.Position))
    g.add((pos, DK.holder, ID["organization/baykar"]))
    g.add((pos, DK.evidence, ev))
    g.add((ID["organization/baykar"], RDF.type, DK.Company))
    g.add((ID["organization/baykar"], RDFS.label, Literal("Baykar")))
    report = validate_shapes(g, shapes, onto)
    assert _results(report.results) == {
        (pos, DK.holder, "ClassConstraintComponent"),
        (pos, DK.organization, "MinCountConstraintComponent"),
    }


def test_shapes_catch_an_unlabelled_entity(onto: Graph, shapes: Graph) -> None:
    g = Graph()
    g.add((ID["aircraft/x"], RDF.type, DK.UnmannedAerialVehicle))
    report = validate_shapes(g, shapes, onto)
    assert _results(report.results) == {(ID["aircraft/x"], RDFS.label, "MinCountConstraintComponent")}


def test_shape_messages_are_plain(shapes: Graph) -> None:
    for message in shapes.objects(None, SH.message):
        assert re.fullmatch(r"[A-Z].*\.", str(message)), message
