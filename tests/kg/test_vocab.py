"""Every term constant in kg.vocab is declared in ontology/defence.ttl, with the right kind."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from kg import vocab
from kg.ontology import ONTOLOGY_TTL, load_graph

CLASSES = {
    "Organization",
    "Company",
    "JointVenture",
    "Division",
    "GovernmentBody",
    "ArmedForce",
    "Country",
    "Place",
    "Person",
    "Aircraft",
    "UnmannedAerialVehicle",
    "CombatAircraft",
    "UnmannedCombatAerialVehicle",
    "Programme",
    "Agreement",
    "MemorandumOfUnderstanding",
    "JointVentureAgreement",
    "Acquisition",
    "Procurement",
    "Partnership",
    "AgreementStatus",
    "Position",
    "Document",
    "NewsArticle",
    "Evidence",
    "MonetaryAmount",
}
INDIVIDUALS = {"Proposed", "Signed", "Completed", "Cancelled"}
OBJECT_PROPERTIES = {
    "party",
    "buyer",
    "seller",
    "acquiredOrganization",
    "jointVenture",
    "previousOwner",
    "manufacturer",
    "operator",
    "country",
    "parentOrganization",
    "subOrganization",
    "supplier",
    "participant",
    "holder",
    "organization",
    "status",
    "subject",
    "site",
    "value",
    "evidence",
    "document",
    "mentions",
}
DATATYPE_PROPERTIES = {
    "roleTitle",
    "date",
    "amount",
    "currency",
    "confidence",
    "extractionRule",
    "sentenceText",
    "charStart",
    "charEnd",
    "title",
    "sourceFile",
    "sha256",
    "ingestedAt",
    "publishedDate",
    "acronym",
    "demonym",
    "isoCode",
}
EXPECTED_KIND = (
    {n: OWL.Class for n in CLASSES}
    | {n: OWL.NamedIndividual for n in INDIVIDUALS}
    | {n: OWL.ObjectProperty for n in OBJECT_PROPERTIES}
    | {n: OWL.DatatypeProperty for n in DATATYPE_PROPERTIES}
)


def _vocab_terms() -> dict[str, URIRef]:
    return {
        name: value
        for name, value in vars(vocab).items()
        if isinstance(value, URIRef) and str(value).startswith(str(vocab.DK)) and not name.startswith("_")
    }


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph(ONTOLOGY_TTL)


def test_every_vocab_term_is_classified_by_this_test() -> None:
    assert set(_vocab_terms()) == set(EXPECTED_KIND)


def test_constant_names_are_the_local_names() -> None:
    mismatched = {name: str(iri) for name, iri in _vocab_terms().items() if str(iri) != str(vocab.DK) + name}
    assert mismatched == {}


@pytest.mark.parametrize("name", sorted(EXPECTED_KIND))
def test_vocab_term_is_declared_with_its_kind(ontology: Graph, name: str) -> None:
    iri = vocab.DK[name]
    kinds = set(ontology.objects(iri, RDF.type)) & {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
    }
    assert kinds == {EXPECTED_KIND[name]}


def test_graph_names_are_outside_the_ontology_namespace() -> None:
    assert str(vocab.ONTOLOGY_GRAPH) == "https://w3id.org/defence-kg/graph/ontology"
    assert vocab.ONTOLOGY_IRI == "https://w3id.org/defence-kg/ontology"
