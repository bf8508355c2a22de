"""kg.vocab: every term constant is declared in ontology/defence.ttl with the right kind, and the
structure read from it (hierarchy, depth, kinds, domains and ranges, relations) is exactly the ontology's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg import vocab
from kg.errors import OntologyError
from kg.ontology import ONTOLOGY_TTL, load_graph
from tests.conftest import ROOT

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


# --- the structure read from the ontology ------------------------------------------------
V = vocab.VOCABULARY
ORGANIZATIONS = {"Organization", "Company", "JointVenture", "Division", "GovernmentBody", "ArmedForce"}
AIRCRAFT = {"Aircraft", "UnmannedAerialVehicle", "CombatAircraft", "UnmannedCombatAerialVehicle"}
PARTIES = ORGANIZATIONS | {"Country"}


def test_the_entity_classes_are_the_range_of_mentions() -> None:
    assert V.entity_classes == ORGANIZATIONS | AIRCRAFT | {"Person", "Place", "Country", "Programme"}


def test_the_entity_kinds_put_every_class_before_its_super_classes() -> None:
    assert vocab.ENTITY_KINDS == (
        "UnmannedCombatAerialVehicle",
        "UnmannedAerialVehicle",
        "CombatAircraft",
        "Aircraft",
        "JointVenture",
        "Division",
        "ArmedForce",
        "GovernmentBody",
        "Company",
        "Organization",
        "Person",
        "Country",
        "Place",
        "Programme",
    )


def test_agreement_kinds_and_statuses_keep_the_ontology_order() -> None:
    assert vocab.AGREEMENT_KINDS == (
        "MemorandumOfUnderstanding",
        "JointVentureAgreement",
        "Acquisition",
        "Procurement",
        "Partnership",
    )
    assert vocab.STATUSES == ("Proposed", "Signed", "Completed", "Cancelled")


@pytest.mark.parametrize(
    ("cls", "supers", "depth"),
    [
        ("Organization", ("Organization",), 0),
        ("ArmedForce", ("ArmedForce", "GovernmentBody", "Organization"), 2),
        ("Country", ("Country", "Place"), 1),
        (
            "UnmannedCombatAerialVehicle",
            ("UnmannedCombatAerialVehicle", "CombatAircraft", "UnmannedAerialVehicle", "Aircraft"),
            2,
        ),
        ("NewsArticle", ("NewsArticle", "Document"), 1),
    ],
)
def test_super_classes_nearest_first_and_depth(cls: str, supers: tuple[str, ...], depth: int) -> None:
    assert V.super_classes[cls] == supers
    assert V.depth[cls] == depth


def test_sub_classes() -> None:
    assert V.sub_classes["Organization"] == ORGANIZATIONS
    assert V.sub_classes["Aircraft"] == AIRCRAFT
    assert V.sub_classes["Place"] == {"Place", "Country"}
    assert V.sub_classes["Person"] == {"Person"}


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        ("manufacturer", AIRCRAFT, ORGANIZATIONS),
        ("operator", AIRCRAFT, PARTIES),
        ("country", ORGANIZATIONS | {"Place", "Country"}, {"Country"}),
        ("parentOrganization", ORGANIZATIONS, ORGANIZATIONS),
        ("supplier", ORGANIZATIONS, PARTIES),
        ("participant", {"Programme"}, PARTIES),
        (
            "subject",
            {
                "Agreement",
                "MemorandumOfUnderstanding",
                "JointVentureAgreement",
                "Acquisition",
                "Procurement",
                "Partnership",
            },
            AIRCRAFT | {"Programme"},
        ),
        ("evidence", set(), {"Evidence"}),
    ],
)
def test_domains_and_ranges_with_unions_and_sub_classes(prop: str, domain: set[str], range_: set[str]) -> None:
    assert V.domains[prop] == domain
    assert V.ranges[prop] == range_


def test_relations_between_entities() -> None:
    assert set(vocab.FACT_RELATIONS) == {
        "manufacturer",
        "operator",
        "country",
        "parentOrganization",
        "supplier",
        "participant",
    }
    assert set(vocab.ENTITY_RELATIONS) == set(vocab.FACT_RELATIONS) | {
        "manufactures",
        "operates",
        "subOrganization",
        "suppliedBy",
        "participatesIn",
    }


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        ("ArmedForce", "organization"),
        ("Country", "country"),
        ("Place", "place"),
        ("CombatAircraft", "aircraft"),
        ("Person", "person"),
        ("Programme", "programme"),
    ],
)
def test_kind_segment_is_the_nearest_class_with_an_iri_kind(cls: str, kind: str) -> None:
    assert V.kind_segment(cls) == kind


def test_kind_segment_refuses_a_class_with_no_iri_kind() -> None:
    with pytest.raises(OntologyError, match="'Evidence' is not under any of"):
        V.kind_segment("Evidence")


def test_an_edited_ontology_gives_its_own_vocabulary() -> None:
    graph = load_graph(ONTOLOGY_TTL)
    graph.add((vocab.DK.Helicopter, RDF.type, OWL.Class))
    graph.add((vocab.DK.Helicopter, RDFS.subClassOf, vocab.DK.Aircraft))
    edited = vocab.Vocabulary.from_graph(graph)
    assert edited.super_classes["Helicopter"] == ("Helicopter", "Aircraft")
    assert "Helicopter" in edited.ranges["operates"] and edited.entity_kinds.index("Helicopter") < 5
    assert "Helicopter" not in V.classes


def test_a_constant_the_ontology_does_not_declare_fails_at_import(tmp_path: Path) -> None:
    code = (
        "import kg.vocab as v, rdflib\n"
        "v.Helicopter = v.DK.Helicopter\n"
        "v._check_terms(rdflib.Graph().parse(v.ONTOLOGY_FILE))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"kg.errors.OntologyError: kg.vocab names terms {vocab.ONTOLOGY_FILE} does not declare: Helicopter"
    )
