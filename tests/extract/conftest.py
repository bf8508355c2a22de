"""Lexicons for the extractor tests: a small reference graph, and countries only."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.extract import Lexicon, extract
from kg.extract.model import Extraction

FIXTURE_TTL = """
@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/ref/> .

dk:NavalDrone rdfs:subClassOf dk:UnmannedAerialVehicle .

ex:acme a dk:Company ; rdfs:label "Acme Aerodynamics"@en ; skos:altLabel "Acme" ; dk:acronym "AAD" .
ex:hawk a dk:UnmannedAerialVehicle ; rdfs:label "Hawkeye X1"@en ; skos:altLabel "Hawkeye" .
ex:seaglider a dk:NavalDrone ; rdfs:label "Seaglider"@en .
ex:procure a dk:GovernmentBody ; rdfs:label "Defence Procurement Office"@en ; skos:altLabel "DPO" .
ex:ruritania a dk:Country ; rdfs:label "Ruritania"@en ; dk:demonym "Ruritanian" ; dk:isoCode "RUR" .
ex:italy a dk:Country ; rdfs:label "Italy"@en ; dk:demonym "Italian" ; dk:isoCode "ITA" .
ex:skyprog a dk:Programme ; rdfs:label "Skyshield programme"@en ; skos:altLabel "Skyshield program" .
ex:jane a dk:Person ; rdfs:label "Jane Roe"@en .
"""


@pytest.fixture(scope="session")
def fixture_graph() -> Graph:
    g = Graph()
    g.parse(data=FIXTURE_TTL, format="turtle")
    return g


@pytest.fixture(scope="session")
def lexicon(fixture_graph: Graph) -> Lexicon:
    return Lexicon.from_graph(fixture_graph)


@pytest.fixture(scope="session")
def open_lexicon() -> Lexicon:
    """Built-in countries only: every firm, aircraft and person must be recognised from the text."""
    return Lexicon.from_graph(Graph())


@pytest.fixture(scope="session")
def read(open_lexicon: Lexicon):  # type: ignore[no-untyped-def]
    def _read(text: str, published: str | None = None) -> Extraction:
        return extract(text, lexicon=open_lexicon, published=published)

    return _read


def rels(x: Extraction, key: str | None = None) -> set[tuple[str, str, str]]:
    return {(r.key, r.subject.name, r.object.name) for r in x.relations if key is None or r.key == key}


def positions(x: Extraction) -> set[tuple[str, str, str]]:
    return {(p.holder.name, p.organization.name, p.title) for p in x.positions}


def agreements(x: Extraction) -> set[tuple[str, frozenset[str]]]:
    return {(a.kind, frozenset(p.name for p in a.parties)) for a in x.agreements}


def kinds(x: Extraction) -> dict[str, str]:
    return {e.name: e.kind for e in x.entities}
