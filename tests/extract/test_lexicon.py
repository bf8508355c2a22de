from __future__ import annotations

from rdflib import Graph

from kg.extract import Lexicon, extract


def test_reference_individuals_are_read(lexicon: Lexicon) -> None:
    entry, demonym = lexicon.lookup("AAD")  # type: ignore[misc]
    assert (entry.kind, entry.name, entry.iri, demonym) == (
        "Company",
        "Acme Aerodynamics",
        "https://example.org/ref/acme",
        False,
    )
    assert lexicon.lookup("Acme")[0].name == "Acme Aerodynamics"  # type: ignore[index]
    assert lexicon.lookup("Hawkeye")[0].kind == "UnmannedAerialVehicle"  # type: ignore[index]


def test_unknown_subclass_is_typed_by_its_superclass(lexicon: Lexicon) -> None:
    assert lexicon.lookup("Seaglider")[0].kind == "UnmannedAerialVehicle"  # type: ignore[index]


def test_demonyms_and_builtin_countries(lexicon: Lexicon) -> None:
    entry, demonym = lexicon.lookup("Ruritanian")  # type: ignore[misc]
    assert (entry.name, entry.iri, demonym) == ("Ruritania", "https://example.org/ref/ruritania", True)
    # the graph's Italy keeps its IRI and gains built-in aliases by ISO code
    italy, _ = lexicon.lookup("Italian")  # type: ignore[misc]
    assert (italy.name, italy.iri) == ("Italy", "https://example.org/ref/italy")
    assert lexicon.lookup("Britain")[0].name == "United Kingdom"  # type: ignore[index]
    assert lexicon.lookup("Turkish")[0].name == "Türkiye"  # type: ignore[index]
    assert lexicon.lookup("U.S.")[0].name == "United States"  # type: ignore[index]


def test_countries_only_drops_everything_else(fixture_graph: Graph) -> None:
    lex = Lexicon.from_graph(fixture_graph, countries_only=True)
    assert lex.lookup("Acme") is None
    assert lex.lookup("Ruritania")[0].iri == "https://example.org/ref/ruritania"  # type: ignore[index]


def test_known_names_become_entities_with_iris(lexicon: Lexicon) -> None:
    x = extract("Ruritania ordered the Hawkeye from Acme Aerodynamics (AAD).", lexicon=lexicon)
    by_name = {e.name: e for e in x.entities}
    assert by_name["Hawkeye X1"].iri == "https://example.org/ref/hawk"
    assert by_name["Acme Aerodynamics"].labels == frozenset({"Acme Aerodynamics", "AAD"})
    assert ("operator", "Hawkeye X1", "Ruritania") in {(r.key, r.subject.name, r.object.name) for r in x.relations}
    assert ("manufacturer", "Hawkeye X1", "Acme Aerodynamics") in {
        (r.key, r.subject.name, r.object.name) for r in x.relations
    }


def test_known_programme_wins_over_aircraft_of_the_same_name(lexicon: Lexicon) -> None:
    x = extract("Acme joined the Skyshield programme in 2024.", lexicon=lexicon)
    assert {(r.key, r.subject.name, r.object.name) for r in x.relations} == {
        ("participant", "Skyshield programme", "Acme Aerodynamics")
    }


def test_lexicon_tables_are_built_once_and_reused(lexicon: Lexicon) -> None:
    tables = (lexicon.exact, lexicon.folded)
    extract("Acme builds drones.", lexicon=lexicon)
    extract("Acme builds more drones.", lexicon=lexicon)
    assert (lexicon.exact, lexicon.folded) == tables
    assert lexicon.exact is tables[0]


def test_matching_is_leftmost_longest_and_case_aware(lexicon: Lexicon) -> None:
    text = "The acme of Acme Aerodynamics, not aad but AAD, met Italian and Turkish officials in the U.S."
    assert [text[s:e] for s, e, _ in lexicon.match(text)] == ["Acme Aerodynamics", "AAD", "Italian", "Turkish", "U.S."]
