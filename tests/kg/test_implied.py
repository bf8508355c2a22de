"""Implied facts (ontology/rules/implied/*.rq): what a stated agreement implies, in the same document graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import vocab as v
from kg.config import Settings
from kg.pipeline import build
from kg.store import Store

ID = str(v.ID)
DOC = f"{ID}document/deals"
TEXT = (
    "Peru's order for 24 AR-8 jets from Arcturus Aviation was confirmed on Monday.\n"
    "Harwick Industries acquired Pinecrest Robotics for $120 million in 2023.\n"
    "Ferro Aerospace and Halden Systems formed a joint venture, Skyline Dynamics, in June 2024.\n"
)
IMPLIED = """PREFIX dk: <https://w3id.org/defence-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o ?rule ?sentence WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
  ?ev dk:extractionRule ?rule ; dk:sentenceText ?sentence ; dk:document ?g .
  FILTER(STRSTARTS(?rule, "implied/")) ?s ?p ?o } }"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    doc = tmp_path_factory.mktemp("implied") / "deals.txt"
    doc.write_text(TEXT)
    s = Store()
    build([doc], store=s, settings=Settings(store_path=None, use_reference=False), workers=1)
    return s


def test_each_rule_adds_its_facts_with_the_sentence_they_come_from(store: Store) -> None:
    lines = TEXT.splitlines()
    rows = {(str(r["s"]), str(r["p"]), str(r["o"]), str(r["rule"]), str(r["sentence"])) for r in store.select(IMPLIED)}
    # Peru's operating the AR-8 is read from the sentence itself (operator.yaml:owner-path), so no rule adds it
    assert rows == {
        (
            f"{ID}organization/pinecrest-robotics",
            str(v.parentOrganization),
            f"{ID}organization/harwick-industries",
            "implied/acquisition-parent.rq",
            lines[1],
        ),
        (
            f"{ID}organization/skyline-dynamics",
            str(v.parentOrganization),
            f"{ID}organization/ferro-aerospace",
            "implied/joint-venture-parents.rq",
            lines[2],
        ),
        (
            f"{ID}organization/skyline-dynamics",
            str(v.parentOrganization),
            f"{ID}organization/halden-systems",
            "implied/joint-venture-parents.rq",
            lines[2],
        ),
    }


def test_an_implied_fact_is_less_sure_than_the_fact_it_comes_from(store: Store) -> None:
    rows = store.select("""PREFIX dk: <https://w3id.org/defence-kg/ontology#>
        SELECT ?implied ?stated WHERE { GRAPH ?g {
          ?deal a dk:Acquisition ; dk:evidence ?source . ?source dk:confidence ?stated .
          ?ev dk:extractionRule "implied/acquisition-parent.rq" ; dk:confidence ?implied } }""")
    assert [(float(r["implied"]), float(r["stated"])) for r in rows] == [(0.64, 0.8)]


def test_the_joint_venture_is_typed_a_joint_venture(store: Store) -> None:
    graph = store.graph(DOC)
    assert (URIRef(f"{ID}organization/skyline-dynamics"), v.RDF.type, v.JointVenture) in graph
    assert (URIRef(f"{ID}organization/skyline-dynamics"), v.RDFS.label, Literal("Skyline Dynamics", lang="en")) in graph


def test_rules_write_only_into_the_document_graph(store: Store, tmp_path: Path) -> None:
    rows = store.select("""PREFIX dk: <https://w3id.org/defence-kg/ontology#>
        SELECT DISTINCT ?g WHERE { GRAPH ?g { ?ev dk:extractionRule ?rule FILTER(STRSTARTS(?rule, "implied/")) } }""")
    assert [str(r["g"]) for r in rows] == [DOC]


HAND_MADE = """@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix d: <https://w3id.org/defence-kg/id/document/hand#> .
@prefix country: <https://w3id.org/defence-kg/id/country/> .
@prefix org: <https://w3id.org/defence-kg/id/organization/> .
@prefix aircraft: <https://w3id.org/defence-kg/id/aircraft/> .
@prefix programme: <https://w3id.org/defence-kg/id/programme/> .
d:deal a dk:Procurement ; dk:buyer country:peru ; dk:party country:peru, org:orvik ;
    dk:subject aircraft:ar-8, programme:hx-5 ; dk:evidence d:ev .
d:mou a dk:MemorandumOfUnderstanding ; dk:party org:orvik, org:vantor ; dk:subject programme:hx-5 ;
    dk:evidence d:ev .
d:ev a dk:Evidence ; dk:document <https://w3id.org/defence-kg/id/document/hand> ; dk:sentenceText "S." ;
    dk:charStart 0 ; dk:charEnd 2 ; dk:confidence 0.75 .
aircraft:ar-8 a dk:CombatAircraft .
programme:hx-5 a dk:Programme .
"""


def test_rules_over_a_graph_that_states_only_agreements() -> None:
    from rdflib import Graph

    from kg.extract.rulebook import Rulebook
    from kg.implied import ImpliedFacts
    from kg.ontology import load_graph

    settings = Settings(store_path=None)
    ontology = load_graph(settings.ontology)
    rules = ImpliedFacts(Rulebook.load(settings.rules, ontology).implied, ontology)
    added = rules.apply(f"{ID}document/hand", list(Graph().parse(data=HAND_MADE, format="turtle")))
    facts = {(str(s), str(o)) for s, p, o in added if p == v.operator or p == v.participant}
    assert facts == {
        (f"{ID}aircraft/ar-8", f"{ID}country/peru"),
        (f"{ID}programme/hx-5", f"{ID}country/peru"),
        (f"{ID}programme/hx-5", f"{ID}organization/orvik"),
        (f"{ID}programme/hx-5", f"{ID}organization/vantor"),
    }
    rules_used = {str(o) for _, p, o in added if p == v.DK.extractionRule}
    assert rules_used == {"implied/procurement-buyer-operates.rq", "implied/agreement-programme-participants.rq"}
    assert {float(o) for _, p, o in added if p == v.DK.confidence} == {0.6}
