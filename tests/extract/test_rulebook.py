"""Rule files are data checked against the ontology: a bad file stops the build with its name in the message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.config import Settings
from kg.errors import OntologyError
from kg.extract import Extractor
from kg.extract.language import ModelMissing
from kg.extract.rulebook import Ontology, Rulebook
from kg.ontology import load_graph

RULES = Settings().rules


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph(Settings().ontology)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


def test_the_project_rules_load(ontology: Graph) -> None:
    book = Rulebook.load(RULES, ontology)
    assert {r.key for r in book.relations} == {
        "manufacturer",
        "operator",
        "country",
        "parentOrganization",
        "supplier",
        "participant",
    }
    assert set(book.agreements) == {
        "MemorandumOfUnderstanding",
        "JointVentureAgreement",
        "Acquisition",
        "Procurement",
        "Partnership",
    }
    assert [name for name, _ in book.implied] == [
        "acquisition-parent.rq",
        "agreement-programme-participants.rq",
        "joint-venture-parents.rq",
        "procurement-buyer-operates.rq",
    ]


def test_domain_and_range_come_from_the_ontology(ontology: Graph) -> None:
    onto = Ontology.from_graph(ontology)
    book = Rulebook.load(RULES, ontology)
    manufacturer = next(r for r in book.relations if r.key == "manufacturer")
    assert manufacturer.domain == onto.sub_classes["Aircraft"]
    assert manufacturer.range == onto.sub_classes["Organization"]
    operator = next(r for r in book.relations if r.key == "operator")
    assert operator.range == onto.sub_classes["Organization"] | onto.sub_classes["Country"]


def test_a_relation_the_ontology_lacks_is_refused(rules: Path, ontology: Graph) -> None:
    (rules / "relations" / "sponsor.yaml").write_text("relation: sponsor\nrules: []\n")
    with pytest.raises(OntologyError, match=r"sponsor.yaml: 'sponsor' is not an object property of the ontology"):
        Rulebook.load(rules, ontology)


def test_a_class_the_ontology_lacks_is_refused(rules: Path, ontology: Graph) -> None:
    path = rules / "lexicon.yaml"
    path.write_text(path.read_text().replace("  Company:\n", "  Firm:\n", 1))
    with pytest.raises(OntologyError, match=r"lexicon.yaml: 'Firm' is not a class of the ontology"):
        Rulebook.load(rules, ontology)


def test_broken_yaml_is_refused(rules: Path, ontology: Graph) -> None:
    (rules / "relations" / "operator.yaml").write_text("relation: operator\nrules: [\n")
    with pytest.raises(OntologyError, match=r"operator.yaml: not valid YAML"):
        Rulebook.load(rules, ontology)


def test_an_unknown_word_list_is_refused(rules: Path, ontology: Graph) -> None:
    (rules / "relations" / "operator.yaml").write_text(
        "relation: operator\nrules:\n  - id: x\n    dependency:\n"
        "      - {RIGHT_ID: s, RIGHT_ATTRS: {LEMMA: {IN: $no_such_list}}}\n"
    )
    with pytest.raises(OntologyError, match=r"\$no_such_list is not a word list of lexicon.yaml"):
        Rulebook.load(rules, ontology)


def test_an_unknown_unless_condition_is_refused(rules: Path, ontology: Graph) -> None:
    (rules / "relations" / "operator.yaml").write_text("relation: operator\nunless: [maker, weather]\nrules: []\n")
    with pytest.raises(
        OntologyError, match=r"operator.yaml: unknown condition 'weather' in unless \(known: maker, maker-country\)"
    ):
        Rulebook.load(rules, ontology)


def test_a_pattern_spacy_refuses_names_the_rule(rules: Path, ontology: Graph) -> None:
    (rules / "relations" / "operator.yaml").write_text(
        "relation: operator\nrules:\n  - id: broken\n    sequence:\n      - {ROLE: s, NOT_AN_ATTRIBUTE: 1}\n"
    )
    with pytest.raises(OntologyError, match=r"operator.yaml: rule 'broken' is not a valid spaCy pattern"):
        Extractor.load(ontology=ontology, reference=Graph(), rules=rules)


def test_an_implied_rule_that_does_not_parse_is_refused(rules: Path, ontology: Graph) -> None:
    from kg.implied import ImpliedFacts

    (rules / "implied" / "broken.rq").write_text("CONSTRUCT { ?s ?p } WHERE {")
    book = Rulebook.load(rules, ontology)
    with pytest.raises(OntologyError, match=r"implied/broken.rq: not a valid SPARQL CONSTRUCT rule"):
        ImpliedFacts(book.implied, ontology)


def test_a_missing_model_names_the_setting_and_the_package(ontology: Graph) -> None:
    with pytest.raises(ModelMissing) as err:
        Extractor.load(ontology=ontology, reference=Graph(), rules=RULES, model="en_no_such_model")
    assert str(err.value) == (
        "spaCy model 'en_no_such_model' is not installed (KG_SPACY_MODEL=en_no_such_model): "
        "install the package that ships it, e.g. pip install -c constraints.txt en-no-such-model"
    )


def _path_rule(rules: Path, path: str) -> None:
    (rules / "relations" / "operator.yaml").write_text(
        "relation: operator\nrules:\n  - id: p\n    path: " + path + "\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("{max_arcs: 3}", r"operator.yaml \(rule 1\) 'p': a path needs a word list in through"),
        ("{through: [buy], max_arcs: 12}", r"'p': max_arcs is a whole number from 2 to 8"),
        ("{through: [buy], max_arcs: true}", r"'p': max_arcs is a whole number from 2 to 8"),
        (
            "{through: [buy], via: [x]}",
            r"'p': unknown path key 'via' \(known: across_names, classes, max_arcs, not_of, not_through, roles, through\)",
        ),
        ("{through: [buy], across_names: 1}", r"'p': across_names is true or false"),
        ("{through: $no_such_words}", r"'p': \$no_such_words is not a word list of lexicon.yaml"),
        ("{through: [buy], classes: {o: [Warship]}}", r"'p': 'Warship' is not a class of the ontology"),
        ("{through: [buy], classes: {x: [Country]}}", r"'p': classes names role 'x', which the path does not bind"),
        ("{through: [buy], roles: [s, s]}", r"'p': a path binds two different roles"),
        ("[buy]", r"'p': a path pattern is a mapping"),
    ],
)
def test_a_bad_path_rule_is_refused(rules: Path, ontology: Graph, path: str, message: str) -> None:
    _path_rule(rules, path)
    with pytest.raises(OntologyError, match=message):
        Rulebook.load(rules, ontology)


@pytest.mark.parametrize("possessed", ["[x]", "s"])
def test_possessed_names_only_the_rules_roles(rules: Path, ontology: Graph, possessed: str) -> None:
    (rules / "relations" / "operator.yaml").write_text(
        "relation: operator\nrules:\n  - id: d\n    possessed: " + possessed + "\n    dependency:\n"
        "      - {RIGHT_ID: s, RIGHT_ATTRS: {}}\n"
        "      - {LEFT_ID: s, REL_OP: '>', RIGHT_ID: o, RIGHT_ATTRS: {DEP: poss}}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        OntologyError, match=r"operator.yaml \(rule 1\) 'd': possessed is a list of the rule's roles \(s, o\)$"
    ):
        Rulebook.load(rules, ontology)


def test_a_path_rule_reads_its_words_classes_and_length(rules: Path, ontology: Graph) -> None:
    _path_rule(rules, "{through: [Buy, $own_verbs], max_arcs: 3, classes: {o: [GovernmentBody]}, not_through: [than]}")
    book = Rulebook.load(rules, ontology)
    (rule,) = next(r for r in book.relations if r.key == "operator").rules
    assert rule.style == "path" and rule.roles == ("s", "o") and rule.options == {"conjuncts": False}
    assert rule.path is not None
    assert rule.path.max_arcs == 3 and rule.path.not_through == frozenset({"than"}) and not rule.path.across_names
    assert {"buy", "operate", "fly"} <= rule.path.through
    assert rule.path.classes == (("o", Ontology.from_graph(ontology).sub_classes["GovernmentBody"]),)
