"""The reference knowledge base: countries from pycountry, curated entities, IRIs, Protégé round trip."""

from __future__ import annotations

import importlib.util
import re
import shutil
import unicodedata
from pathlib import Path
from types import ModuleType

import pycountry
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import vocab
from kg.extract.rulebook import Ontology
from kg.ontology import ONTOLOGY_DIR, ONTOLOGY_OWL, REFERENCE_TTL, load_graph

DK, ID = vocab.DK, vocab.ID


def expected_slug(name: str) -> str:
    """The IRI rule, written out independently of the generator."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.replace("ı", "i").lower()).strip("-")


@pytest.fixture(scope="module")
def ref() -> Graph:
    return load_graph(REFERENCE_TTL)


def _individuals(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}


def country(slug: str) -> URIRef:
    return ID[f"country/{slug}"]


def _strings(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {str(o) for o in g.objects(s, p)}


# --- the file --------------------------------------------------------------------------------


def test_header_imports_the_ontology(ref: Graph) -> None:
    """So Protégé opens the file on its own (ontology/catalog-v001.xml maps the IRI to defence.ttl)."""
    header = URIRef("https://w3id.org/defence-kg/reference")
    assert set(ref.subjects(RDF.type, OWL.Ontology)) == {header}
    assert set(ref.subject_objects(OWL.imports)) == {(header, URIRef(str(vocab.DK).rstrip("#")))}


def test_every_individual_has_exactly_one_english_label(ref: Graph) -> None:
    offenders = sorted(
        str(i)
        for i in _individuals(ref)
        if [(o.language if isinstance(o, Literal) else None) for o in ref.objects(i, RDFS.label)] != ["en"]
    )
    assert offenders == []


def test_every_individual_has_one_dk_class_and_an_iri_minted_from_its_label(ref: Graph) -> None:
    from kg.config import Settings
    from kg.ontology import load_graph

    onto = Ontology.from_graph(load_graph(Settings().ontology))
    offenders = []
    for individual in _individuals(ref):
        classes = [t for t in ref.objects(individual, RDF.type) if t != OWL.NamedIndividual]
        if len(classes) != 1 or not str(classes[0]).startswith(str(DK)):
            offenders.append((str(individual), "classes", [str(c) for c in classes]))
            continue
        coarse = onto.kind_segment(str(classes[0]).removeprefix(str(DK)))
        label = str(ref.value(individual, RDFS.label))
        if individual != ID[f"{coarse}/{expected_slug(label)}"]:
            offenders.append((str(individual), "iri", label))
    assert offenders == []


def test_links_point_to_individuals_in_the_file(ref: Graph) -> None:
    individuals = _individuals(ref)
    dangling = sorted(
        (str(s), str(p), str(o))
        for s, p, o in ref
        if str(p).startswith(str(DK)) and isinstance(o, URIRef) and o not in individuals
    )
    assert dangling == []


def test_acronyms_are_also_alt_labels(ref: Graph) -> None:
    missing = sorted(
        (str(s), str(a))
        for s, a in ref.subject_objects(DK.acronym)
        if str(a) not in _strings(ref, s, SKOS.altLabel) and str(a) != str(ref.value(s, RDFS.label))
    )
    assert missing == []


def test_no_label_repeats_as_an_alt_label(ref: Graph) -> None:
    repeats = sorted(str(s) for s, label in ref.subject_objects(RDFS.label) if (s, SKOS.altLabel, label) in ref)
    assert repeats == []


# --- countries ------------------------------------------------------------------------------------


def test_one_country_per_pycountry_entry(ref: Graph) -> None:
    countries = set(ref.subjects(RDF.type, DK.Country))
    assert len(countries) == len(pycountry.countries)
    codes = {str(ref.value(c, DK.isoCode)) for c in countries}
    assert codes == {c.alpha_3 for c in pycountry.countries}


@pytest.mark.parametrize(
    ("slug", "label", "alt_labels", "demonyms", "iso"),
    [
        ("turkiye", "Türkiye", {"Turkey", "Turkiye", "Republic of Türkiye"}, {"Turkish"}, "TUR"),
        ("united-kingdom", "United Kingdom", {"UK", "Britain", "Great Britain"}, {"British"}, "GBR"),
        (
            "united-states",
            "United States",
            {"US", "USA", "U.S.", "America", "United States of America"},
            {"American"},
            "USA",
        ),
        ("russia", "Russia", {"Russian Federation"}, {"Russian"}, "RUS"),
        ("south-korea", "South Korea", {"Republic of Korea", "Korea, Republic of"}, {"South Korean"}, "KOR"),
        ("iran", "Iran", {"Islamic Republic of Iran"}, {"Iranian"}, "IRN"),
        ("taiwan", "Taiwan", {"Taiwan, Province of China"}, {"Taiwanese"}, "TWN"),
        ("united-arab-emirates", "United Arab Emirates", {"UAE"}, {"Emirati"}, "ARE"),
        ("italy", "Italy", {"Italian Republic"}, {"Italian"}, "ITA"),
        ("netherlands", "Netherlands", {"Holland", "Kingdom of the Netherlands"}, {"Dutch"}, "NLD"),
        ("cote-d-ivoire", "Côte d'Ivoire", {"Ivory Coast"}, {"Ivorian"}, "CIV"),
    ],
)
def test_country(ref: Graph, slug: str, label: str, alt_labels: set[str], demonyms: set[str], iso: str) -> None:
    c = country(slug)
    assert (c, RDF.type, DK.Country) in ref
    assert ref.value(c, RDFS.label) == Literal(label, lang="en")
    assert alt_labels <= _strings(ref, c, SKOS.altLabel)
    assert _strings(ref, c, DK.demonym) == demonyms
    assert str(ref.value(c, DK.isoCode)) == iso


def test_two_letter_codes_are_labels_only_where_news_uses_them(ref: Graph) -> None:
    two_letter = sorted(
        str(label)
        for c in ref.subjects(RDF.type, DK.Country)
        for label in ref.objects(c, SKOS.altLabel)
        if re.fullmatch(r"[A-Z]{2}", str(label))
    )
    assert two_letter == ["UK", "US"]


def test_a_demonym_names_one_country(ref: Graph) -> None:
    owners: dict[str, set[str]] = {}
    for c, d in ref.subject_objects(DK.demonym):
        owners.setdefault(str(d), set()).add(str(c))
    assert {d: cs for d, cs in owners.items() if len(cs) > 1} == {}


def test_native_spellings_that_are_english_words_are_not_labels(ref: Graph) -> None:
    """countryinfo lists 'Island' for Iceland and 'Mann' for the Isle of Man."""
    assert "Island" not in _strings(ref, country("iceland"), SKOS.altLabel)
    assert "Mann" not in _strings(ref, country("isle-of-man"), SKOS.altLabel)


# --- curated entities ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "cls", "alt_labels"),
    [
        (ID["organization/baykar"], DK.Company, {"Baykar Technologies"}),
        (ID["organization/leonardo"], DK.Company, {"Leonardo S.p.A."}),
        (ID["organization/turkish-aerospace"], DK.Company, {"TUSAŞ", "TAI", "Turkish Aerospace Industries"}),
        (
            ID["organization/presidency-of-defense-industries"],
            DK.GovernmentBody,
            {"SSB", "Presidency of the Defense Industry", "Presidency of Defence Industries"},
        ),
        (ID["organization/royal-air-force"], DK.ArmedForce, {"RAF"}),
        (ID["organization/mbda"], DK.JointVenture, {"MBDA Missile Systems"}),
        (ID["aircraft/bayraktar-tb2"], DK.UnmannedCombatAerialVehicle, {"TB2"}),
        (ID["aircraft/bayraktar-akinci"], DK.UnmannedCombatAerialVehicle, {"Akıncı", "Akinci"}),
        (ID["aircraft/bayraktar-kizilelma"], DK.UnmannedCombatAerialVehicle, {"Kızılelma", "Kizilelma"}),
        (ID["aircraft/rq-4-global-hawk"], DK.UnmannedAerialVehicle, {"Global Hawk"}),
        (ID["aircraft/eurofighter-typhoon"], DK.CombatAircraft, {"Eurofighter", "EF-2000"}),
        (ID["aircraft/f-a-18e-f-super-hornet"], DK.CombatAircraft, {"Super Hornet", "F/A-18E/F"}),
        (ID["aircraft/su-30mki"], DK.CombatAircraft, {"Sukhoi Su-30MKI"}),
        (ID["aircraft/a-29-super-tucano"], DK.CombatAircraft, {"Super Tucano", "A-29"}),
        (ID["aircraft/kaan"], DK.CombatAircraft, {"TF-X"}),
        (ID["aircraft/c-390-millennium"], DK.Aircraft, {"C-390"}),
        (ID["programme/global-combat-air-programme"], DK.Programme, {"GCAP", "Global Combat Air Program"}),
        (ID["programme/tempest-programme"], DK.Programme, {"Tempest program"}),
        (ID["organization/general-atomics-aeronautical-systems"], DK.Company, {"GA-ASI"}),
        (ID["organization/finmeccanica"], DK.Company, {"Leonardo-Finmeccanica"}),
        (ID["organization/defense-security-cooperation-agency"], DK.GovernmentBody, {"DSCA"}),
        (ID["organization/royal-australian-air-force"], DK.ArmedForce, {"RAAF"}),
        (ID["organization/indonesian-air-force"], DK.ArmedForce, {"TNI-AU"}),
        (ID["programme/eurodrone"], DK.Programme, {"MALE RPAS"}),
        (ID["programme/kaan-programme"], DK.Programme, {"TF-X programme"}),
    ],
)
def test_curated_entity(ref: Graph, iri: URIRef, cls: URIRef, alt_labels: set[str]) -> None:
    assert (iri, RDF.type, cls) in ref
    assert alt_labels <= _strings(ref, iri, SKOS.altLabel)


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        (ID["aircraft/bayraktar-tb2"], DK.manufacturer, ID["organization/baykar"]),
        (ID["aircraft/kaan"], DK.manufacturer, ID["organization/turkish-aerospace"]),
        (ID["aircraft/f-35-lightning-ii"], DK.manufacturer, ID["organization/lockheed-martin"]),
        (ID["organization/baykar"], DK.country, country("turkiye")),
        (ID["organization/leonardo"], DK.country, country("italy")),
        (ID["organization/bae-systems"], DK.country, country("united-kingdom")),
        (ID["organization/sikorsky"], DK.parentOrganization, ID["organization/lockheed-martin"]),
        (ID["programme/global-combat-air-programme"], DK.participant, country("japan")),
        (
            ID["organization/general-atomics-aeronautical-systems"],
            DK.parentOrganization,
            ID["organization/general-atomics"],
        ),
        (ID["aircraft/mq-9b-skyguardian"], DK.manufacturer, ID["organization/general-atomics-aeronautical-systems"]),
        (ID["organization/rosoboronexport"], DK.parentOrganization, ID["organization/rostec"]),
        (ID["organization/safran-helicopter-engines"], DK.parentOrganization, ID["organization/safran"]),
        (
            ID["organization/eurocopter"],
            DK.parentOrganization,
            ID["organization/european-aeronautic-defence-and-space-company"],
        ),
    ],
)
def test_curated_fact(ref: Graph, s: URIRef, p: URIRef, o: URIRef) -> None:
    assert (s, p, o) in ref


def test_curated_set_is_substantial(ref: Graph) -> None:
    def count(*classes: URIRef) -> int:
        return len({s for c in classes for s in ref.subjects(RDF.type, c)})

    assert count(DK.Company, DK.JointVenture, DK.Division) >= 300
    assert count(DK.GovernmentBody, DK.ArmedForce) >= 120
    assert count(DK.Aircraft, DK.CombatAircraft, DK.UnmannedAerialVehicle, DK.UnmannedCombatAerialVehicle) >= 250
    assert count(DK.Programme) >= 35


def _names(g: Graph, s: URIRef) -> set[str]:
    return {str(o) for p in (RDFS.label, SKOS.altLabel, DK.acronym) for o in g.objects(s, p)}


def test_a_name_names_one_individual(ref: Graph) -> None:
    """No label, alias or acronym is shared by two individuals (case folded): the extractor types a name by its owner."""
    owners: dict[str, set[str]] = {}
    for s in _individuals(ref):
        for name in _names(ref, s):
            owners.setdefault(name.casefold(), set()).add(str(s))
    assert {n: o for n, o in owners.items() if len(o) > 1} == {}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("finmeccanica", "leonardo"),
        ("eurocopter", "airbus-helicopters"),
        ("european-aeronautic-defence-and-space-company", "airbus"),
        ("raytheon-technologies", "rtx"),
        ("dcns", "naval-group"),
        ("israel-aircraft-industries", "israel-aerospace-industries"),
        ("ge-aviation", "ge-aerospace"),
        ("piaggio-aero-industries", "piaggio-aerospace"),
        ("snecma", "safran-aircraft-engines"),
        ("fuji-heavy-industries", "subaru-corporation"),
    ],
)
def test_a_renamed_firm_keeps_its_old_name_apart(ref: Graph, old: str, new: str) -> None:
    """The old name is its own individual, shares no name with the new one, and says what it was renamed."""
    o, n = ID[f"organization/{old}"], ID[f"organization/{new}"]
    assert (o, RDF.type, OWL.NamedIndividual) in ref and (n, RDF.type, OWL.NamedIndividual) in ref
    assert _names(ref, o).isdisjoint(_names(ref, n))
    comment = str(ref.value(o, RDFS.comment))
    assert "renamed" in comment.lower() and str(ref.value(n, RDFS.label)) in comment


def test_a_subsidiary_is_not_an_alias_of_its_parent(ref: Graph) -> None:
    ga, ga_asi = ID["organization/general-atomics"], ID["organization/general-atomics-aeronautical-systems"]
    assert "GA-ASI" not in _names(ref, ga)
    assert (ga_asi, DK.parentOrganization, ga) in ref


# Ordinary English words that prose also writes capitalised, as names of other things ("Hawk" missiles, a
# "Tiger" tank, "Lightning" strikes in a headline, "Mirage" or "Fury" titles), are never a bare name; the aircraft
# keep their full names ("BAE Hawk", "Tiger HAD"). A capitalised name never matches the word in lower case (the
# matcher refuses a match that starts in lower case), so "Typhoon", "Predator", "Reaper", "Raptor", "Chinook",
# "Fennec" and "Chetak", which defence news capitalises only for the aircraft, are kept.
ORDINARY_WORDS = {
    "Typhoons",
    "Tempest",
    "Hawk",
    "Tiger",
    "Puma",
    "Lightning",
    "Meteor",
    "Harrier",
    "Hercules",
    "Hornet",
    "Eagle",
    "Falcon",
    "Fury",
    "Lancet",
    "Tornado",
    "Jaguar",
    "Mirage",
    "Osprey",
    "Viper",
    "Caracal",
    "Neuron",
    "Eitan",
    "Dhruv",
    "Rudra",
    "Kochav",
}


def test_ordinary_words_are_not_names(ref: Graph) -> None:
    names = {str(o) for p in (RDFS.label, SKOS.altLabel) for o in ref.objects(None, p)}
    assert ORDINARY_WORDS & names == set()


# --- the country generator ------------------------------------------------------------------------------


def _generator() -> ModuleType:
    pytest.importorskip("countryinfo", reason="the ontology-tools extra is not installed")
    spec = importlib.util.spec_from_file_location("generate_countries", ONTOLOGY_DIR / "generate_countries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "name",
    [
        "Türkiye",
        "Bayraktar Kızılelma",
        "Côte d'Ivoire",
        "F/A-18 Hornet",
        "TUSAŞ",
        "Direction générale de l'armement",
        "  --Pratt & Whitney--  ",
    ],
)
def test_generator_slug_follows_the_rule(name: str) -> None:
    assert _generator().slug(name) == expected_slug(name)


def test_regeneration_is_idempotent_and_keeps_curated_edits(tmp_path: Path, ref: Graph) -> None:
    generator = _generator()
    copy = tmp_path / "reference.ttl"
    shutil.copy(REFERENCE_TTL, copy)
    edited = load_graph(copy)
    new_firm = ID["organization/example-aero"]
    edited.add((new_firm, RDF.type, OWL.NamedIndividual))
    edited.add((new_firm, RDF.type, DK.Company))
    edited.add((new_firm, RDFS.label, Literal("Example Aero", lang="en")))
    edited.add((new_firm, DK.country, country("turkiye")))
    edited.add((country("turkiye"), SKOS.altLabel, Literal("stale hand edit", lang="en")))
    copy.write_text(edited.serialize(format="turtle"), encoding="utf-8")

    regenerated = generator.regenerate(copy)

    assert (new_firm, DK.country, country("turkiye")) in regenerated
    assert (country("turkiye"), SKOS.altLabel, Literal("stale hand edit", lang="en")) not in regenerated
    regenerated.remove((new_firm, None, None))
    assert isomorphic(regenerated, ref), "ontology/reference.ttl is not what generate_countries.py produces"


# --- Protégé-style editing through owlready2 -------------------------------------------------------------


def test_reference_round_trips_through_owlready2(tmp_path: Path, ref: Graph) -> None:
    import owlready2

    source = tmp_path / "reference.owl"
    source.write_text(ref.serialize(format="xml"), encoding="utf-8")
    world = owlready2.World()
    try:
        # As in Protégé: the ontology is open beside the reference base, edits go to the latter.
        world.get_ontology(ONTOLOGY_OWL.as_uri()).load()
        onto = world.get_ontology(source.as_uri()).load()
        company = world[str(DK.Company)]
        assert isinstance(company, owlready2.ThingClass)
        assert world[str(ID["organization/baykar"])] is not None
        with onto:
            firm = company("example-dynamics", namespace=onto.get_namespace(str(ID) + "organization/"))
            firm.label = [owlready2.locstr("Example Dynamics", lang="en")]
        saved = tmp_path / "edited.owl"
        onto.save(file=str(saved), format="rdfxml")
    finally:
        world.close()

    edited = load_graph(saved)
    firm_iri = ID["organization/example-dynamics"]
    assert (firm_iri, RDF.type, DK.Company) in edited
    assert (firm_iri, RDFS.label, Literal("Example Dynamics", lang="en")) in edited
    # Nothing curated was lost on the way.
    missing = {(s, p, o) for s, p, o in ref if (s, p, o) not in edited}
    assert missing == set()
