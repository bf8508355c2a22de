"""kg.queries over a hand-made graph (tests/resources/rest_fixture.trig): exact answers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rdflib import Literal, URIRef

from kg import queries as Q
from kg.queries import agreements as agreements_module
from kg.store import Store
from tests.rest_fixture import FIXTURE_STATS, fixture_store


@pytest.fixture(scope="module")
def select() -> Q.Select:
    return Q.selector(fixture_store())


@pytest.fixture(scope="module")
def index(select: Q.Select) -> Q.EntityIndex:
    return run(Q.EntityIndex.load(select))


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


# --- ids ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("iri", "pid"),
    [
        ("https://w3id.org/defence-kg/id/organization/bae-systems", "organization.bae-systems"),
        ("https://w3id.org/defence-kg/id/country/georgia", "country.georgia"),
        ("https://w3id.org/defence-kg/id/document/000_8b7e041c7c2624cb", "document.000_8b7e041c7c2624cb"),
        ("https://w3id.org/defence-kg/id/document/a.b", "document.a%2Eb"),
        (
            "https://w3id.org/defence-kg/id/agreement/partnership/country-turkiye--organization-georgia",
            "agreement.partnership.country-turkiye--organization-georgia",
        ),
    ],
)
def test_public_id_round_trips(iri: str, pid: str) -> None:
    assert Q.public_id(iri) == pid
    assert Q.iri_of(pid) == URIRef(iri)


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.org/x",
        "https://w3id.org/defence-kg/id/",
        "https://w3id.org/defence-kg/id/document/doc0#evidence-1",
        "https://w3id.org/defence-kg/graph/ontology",
    ],
)
def test_public_id_of_foreign_or_inner_nodes_is_none(iri: str) -> None:
    assert Q.public_id(iri) is None


@pytest.mark.parametrize(
    "pid",
    [
        "",
        "nope",
        "organization.",
        ".x",
        "organization.a b",
        "x> } DROP ALL",
        "organization.a/b",
        'organization.a"',
        "Organization.x",
        "organization.x#y",
    ],
)
def test_malformed_ids_make_no_iri(pid: str) -> None:
    assert Q.iri_of(pid) is None


# --- helpers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Türkiye", "turkiye"),
        ("Akıncı", "akinci"),
        ("TUSAŞ", "tusas"),
        ("Leonardo S.p.A.", "leonardo spa"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert Q.fold(text) == folded


@pytest.mark.parametrize(
    ("query", "names", "low", "high"),
    [
        ("Baykar", ["Baykar"], 1.0, 1.0),
        ("leonrdo", ["Leonardo"], 0.9, 0.95),
        ("akinci", ["Akıncı"], 1.0, 1.0),
        ("tb2", ["Bayraktar TB2"], 0.9, 0.99),
        ("zzzz", ["Baykar"], 0.0, 0.2),
        ("", ["Baykar"], 0.0, 0.0),
    ],
)
def test_fuzzy_score(query: str, names: list[str], low: float, high: float) -> None:
    assert low <= Q.fuzzy_score(query, names) <= high


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2024", ("2024-01-01", "2024-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-31")),
        ("2024-02-03", ("2024-02-03", "2024-02-03")),
    ],
)
def test_date_bounds(text: str, bounds: tuple[str, str]) -> None:
    assert Q.date_bounds(text) == bounds


# --- entities ------------------------------------------------------------------------------------
def test_index_kinds_and_labels(index: Q.EntityIndex) -> None:
    tb2 = index.refs["https://w3id.org/defence-kg/id/aircraft/bayraktar-tb2"]
    assert (tb2.id, tb2.label, tb2.kind) == ("aircraft.bayraktar-tb2", "Bayraktar TB2", "UnmannedCombatAerialVehicle")
    assert len(index.mentioned) == 13


def test_list_all_entities_sorted_by_label(select: Q.Select, index: Q.EntityIndex) -> None:
    page, total = run(Q.list_entities(select, index))
    assert total == 13
    assert ids(page) == [
        "aircraft.akinci",
        "organization.baykar",
        "aircraft.bayraktar-tb2",
        "country.georgia",
        "organization.georgia",
        "country.italy",
        "programme.kaan",
        "organization.lba-systems",
        "organization.leonardo",
        "country.pakistan",
        "person.roberto-cingolani",
        "place.turin",
        "country.turkiye",
    ]


ORGANIZATIONS = ["organization.baykar", "organization.georgia", "organization.lba-systems", "organization.leonardo"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Organization", ORGANIZATIONS),
        ("Company", ORGANIZATIONS),
        ("JointVenture", ["organization.lba-systems"]),
        ("Aircraft", ["aircraft.akinci", "aircraft.bayraktar-tb2"]),
        ("UnmannedAerialVehicle", ["aircraft.akinci", "aircraft.bayraktar-tb2"]),
        ("Country", ["country.georgia", "country.italy", "country.pakistan", "country.turkiye"]),
        ("Person", ["person.roberto-cingolani"]),
        ("GovernmentBody", []),
    ],
)
def test_kind_filter_includes_subclasses(
    select: Q.Select, index: Q.EntityIndex, kind: str, expected: list[str]
) -> None:
    page, total = run(Q.list_entities(select, index, kind=kind))
    assert (ids(page), total) == (expected, len(expected))


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("ba", None, ["organization.baykar", "aircraft.bayraktar-tb2"]),
        ("BA", None, ["organization.baykar", "aircraft.bayraktar-tb2"]),
        ("ba", "Organization", ["organization.baykar"]),
        ("turk", None, ["country.turkiye"]),  # an alternative label ("Turkey") matches
        ("tb", None, ["aircraft.bayraktar-tb2"]),
        ("georgia", None, ["country.georgia", "organization.georgia"]),
        ("x", None, []),
    ],
)
def test_prefix_search(
    select: Q.Select, index: Q.EntityIndex, name: str, kind: str | None, expected: list[str]
) -> None:
    page, total = run(Q.list_entities(select, index, name=name, kind=kind))
    assert (ids(page), total) == (expected, len(expected))


def test_fuzzy_search_ranks_by_score(select: Q.Select, index: Q.EntityIndex) -> None:
    page, total = run(Q.list_entities(select, index, name="leonrdo", match="fuzzy"))
    assert ids(page) == ["organization.leonardo"] and total == 1
    assert page[0]["score"] == pytest.approx(0.933, abs=0.001)
    page, _ = run(Q.list_entities(select, index, name="akinci", match="fuzzy", kind="Aircraft"))
    assert ids(page) == ["aircraft.akinci"]
    assert page[0]["score"] == 1.0


def test_pagination(select: Q.Select, index: Q.EntityIndex) -> None:
    page, total = run(Q.list_entities(select, index, limit=3, offset=2))
    assert total == 13
    assert ids(page) == ["aircraft.bayraktar-tb2", "country.georgia", "organization.georgia"]
    page, total = run(Q.list_entities(select, index, limit=3, offset=13))
    assert (page, total) == ([], 13)


def test_entity_detail(select: Q.Select, index: Q.EntityIndex) -> None:
    e = run(Q.get_entity(select, index, "organization.leonardo"))
    assert e["labels"] == ["Leonardo", "Leonardo S.p.A."]
    assert e["types"] == ["Company"]
    assert [(r["predicate"], r["direction"], r["other"]["id"]) for r in e["relations"]] == [
        ("country", "out", "country.italy"),
        ("parentOrganization", "in", "organization.lba-systems"),
        ("supplier", "out", "organization.baykar"),
    ]
    supplier = e["relations"][2]
    assert supplier["evidence"] == [
        {
            "document": "document.doc0",
            "documentTitle": "Leonardo and Baykar form LBA Systems",
            "sentence": "Leonardo will supply avionics to Baykar under a memorandum.",
            "start": 129,
            "end": 188,
            "confidence": 0.7,
        }
    ]
    assert [(p["direction"], p["title"], p["person"]["id"]) for p in e["positions"]] == [
        ("in", "CEO", "person.roberto-cingolani")
    ]
    assert [(a["id"], a["roles"]) for a in e["agreements"]] == [
        ("agreement.doc0-1", ["party"]),
        ("agreement.doc0-2", ["party"]),
    ]
    assert e["documents"] == [{"id": "document.doc0", "title": "Leonardo and Baykar form LBA Systems"}]


def test_entity_detail_unknown(select: Q.Select, index: Q.EntityIndex) -> None:
    with pytest.raises(Q.NotFound, match="no entity with id 'organization.nobody'"):
        run(Q.get_entity(select, index, "organization.nobody"))


# --- agreements --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["agreement.doc1-2", "agreement.doc1-1", "agreement.doc0-1", "agreement.doc0-2"]),
        ({"party": "organization.leonardo"}, ["agreement.doc0-1", "agreement.doc0-2"]),
        ({"party": "country.pakistan"}, ["agreement.doc1-1"]),
        ({"party": "organization.nobody"}, []),
        ({"kind": "Procurement"}, ["agreement.doc1-1"]),
        ({"status": "Signed"}, ["agreement.doc0-1"]),
        ({"status": "Cancelled"}, []),
        ({"country": "country.italy"}, ["agreement.doc0-1", "agreement.doc0-2"]),
        (
            {"country": "country.turkiye"},
            ["agreement.doc1-2", "agreement.doc1-1", "agreement.doc0-1", "agreement.doc0-2"],
        ),
        ({"country": "country.georgia"}, []),  # the firm Georgia is a party, not the country
        ({"subject": "aircraft.bayraktar-tb2"}, ["agreement.doc1-1"]),
        ({"date_from": "2024"}, ["agreement.doc1-1", "agreement.doc0-1"]),
        ({"date_to": "2024-10"}, ["agreement.doc1-2"]),
        ({"date_from": "2024-11-05", "date_to": "2024-11-05"}, ["agreement.doc1-1"]),
        ({"date_from": "2023-06", "date_to": "2023-06"}, ["agreement.doc1-2"]),  # a year overlaps its months
        ({"date_from": "2025-03-10"}, ["agreement.doc0-1"]),
        ({"date_from": "2026"}, []),
        (
            {"party": "organization.baykar", "kind": "MemorandumOfUnderstanding", "status": "Proposed"},
            ["agreement.doc0-2"],
        ),
    ],
)
def test_agreement_filters(
    select: Q.Select, index: Q.EntityIndex, filters: dict[str, str], expected: list[str]
) -> None:
    page, total = run(Q.list_agreements(select, index, **filters))
    assert (ids(page), total) == (expected, len(expected))


def test_agreement_detail(select: Q.Select, index: Q.EntityIndex) -> None:
    a = run(Q.get_agreement(select, index, "agreement.doc1-1"))
    assert a["kind"] == "Procurement" and a["status"] == "Completed" and a["date"] == "2024-11-05"
    assert a["value"] == {"amount": 1200000000.0, "currency": "USD"}
    assert ids(a["parties"]) == ["organization.baykar", "country.pakistan"]
    assert ids(a["subjects"]) == ["aircraft.bayraktar-tb2"]
    assert a["sites"] == []
    assert [e["start"] for e in a["evidence"]] == [0]
    with pytest.raises(Q.NotFound, match="no agreement with id 'organization.baykar'"):
        run(Q.get_agreement(select, index, "organization.baykar"))


# --- the rest ---------------------------------------------------------------------------------------------
def test_aircraft_with_links(select: Q.Select, index: Q.EntityIndex) -> None:
    page, total = run(Q.list_with_links(select, index, kind="Aircraft", links=("manufacturer", "operator")))
    assert total == 2
    assert [(a["id"], ids(a["manufacturers"]), ids(a["operators"])) for a in page] == [
        ("aircraft.akinci", ["organization.baykar"], []),
        ("aircraft.bayraktar-tb2", ["organization.baykar"], ["country.pakistan"]),
    ]


def test_document_detail_states_only_its_own_facts(select: Q.Select, index: Q.EntityIndex) -> None:
    d = run(Q.get_document(select, index, "document.doc1"))
    assert [(r["predicate"], r["subject"]["id"], r["object"]["id"]) for r in d["relations"]] == [
        ("country", "organization.baykar", "country.turkiye"),
        ("manufacturer", "aircraft.akinci", "organization.baykar"),
        ("manufacturer", "aircraft.bayraktar-tb2", "organization.baykar"),
        ("operator", "aircraft.bayraktar-tb2", "country.pakistan"),
        ("participant", "programme.kaan", "country.turkiye"),
    ]
    assert d["positions"] == []
    assert ids(d["agreements"]) == ["agreement.doc1-2", "agreement.doc1-1"]
    assert len(d["mentions"]) == 8
    with pytest.raises(Q.NotFound):
        run(Q.get_document(select, index, "document.nope"))


def test_stats(select: Q.Select, index: Q.EntityIndex) -> None:
    assert run(Q.stats(select, index)) == FIXTURE_STATS


def test_neighbourhood_depth(select: Q.Select, index: Q.EntityIndex) -> None:
    g = run(Q.neighbourhood(select, index, "person.roberto-cingolani"))
    assert ids(g["nodes"]) == ["person.roberto-cingolani", "organization.leonardo"]
    assert g["edges"] == [
        {"source": "person.roberto-cingolani", "target": "organization.leonardo", "predicate": "holds", "label": "CEO"}
    ]
    g2 = run(Q.neighbourhood(select, index, "person.roberto-cingolani", depth=2))
    assert {n["id"]: n["depth"] for n in g2["nodes"]} == {
        "person.roberto-cingolani": 0,
        "organization.leonardo": 1,
        "agreement.doc0-1": 2,
        "agreement.doc0-2": 2,
        "organization.baykar": 2,
        "country.italy": 2,
        "organization.lba-systems": 2,
    }
    g3 = run(Q.neighbourhood(select, index, "person.roberto-cingolani", depth=2, max_nodes=3))
    assert len(g3["nodes"]) == 3 and g3["truncated"] is True


def test_timeline(select: Q.Select, index: Q.EntityIndex) -> None:
    t = run(Q.timeline(select, index, granularity="year"))
    assert [(a["id"], a["date"]) for a in t["data"]] == [
        ("agreement.doc1-2", "2023"),
        ("agreement.doc1-1", "2024-11-05"),
        ("agreement.doc0-1", "2025-03"),
    ]
    assert t["count"] == 3
    assert t["buckets"] == [
        {"period": "2023", "count": 1},
        {"period": "2024", "count": 1},
        {"period": "2025", "count": 1},
    ]


def _reported(*reports: tuple[str, str | None, str | None, str | None]) -> Store:
    """One agreement, reported by each (document, status, date, published) in its own graph."""
    dk = "https://w3id.org/defence-kg/ontology#"
    ag = URIRef("https://w3id.org/defence-kg/id/agreement/partnership/a--b")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    graphs: dict[str, list[Any]] = {
        "https://w3id.org/defence-kg/graph/ontology": [
            (
                URIRef(dk + "Partnership"),
                URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                URIRef(dk + "Agreement"),
            )
        ]
    }
    for doc, status, date, published in reports:
        iri = f"https://w3id.org/defence-kg/id/document/{doc}"
        triples: list[Any] = [
            (ag, rdf_type, URIRef(dk + "Partnership")),
            (ag, URIRef(dk + "party"), URIRef("https://w3id.org/defence-kg/id/organization/a")),
        ]
        if status:
            triples.append((ag, URIRef(dk + "status"), URIRef(dk + status)))
        if date:
            triples.append((ag, URIRef(dk + "date"), Literal(date)))
        if published:
            triples.append((URIRef(iri), URIRef(dk + "publishedDate"), Literal(published)))
        graphs[iri] = triples
    store = Store()
    store.replace_graphs(graphs)
    return store


def test_an_agreement_takes_the_status_and_date_of_its_latest_report_and_keeps_every_report() -> None:
    store = _reported(("d1", "Signed", "2025-06", None), ("d2", "Proposed", "2024", None))
    select = Q.selector(store)
    a = run(Q.get_agreement(select, run(Q.EntityIndex.load(select)), "agreement.partnership.a--b"))
    assert (a["kind"], a["status"], a["date"]) == ("Partnership", "Signed", "2025-06")
    assert a["reports"] == [
        {"document": "document.d2", "status": "Proposed", "date": "2024", "published": None},
        {"document": "document.d1", "status": "Signed", "date": "2025-06", "published": None},
    ]


def test_a_later_report_that_gives_no_date_is_placed_by_its_publication_date() -> None:
    # talks in 2023, a signature reported in an article of March 2025 that gives no date of its own
    store = _reported(("d1", "Proposed", "2023-05", "2023-05-02"), ("d2", "Signed", None, "2025-03-01"))
    select = Q.selector(store)
    a = run(Q.get_agreement(select, run(Q.EntityIndex.load(select)), "agreement.partnership.a--b"))
    assert (a["status"], a["date"]) == ("Signed", "2023-05")
    assert [r["document"] for r in a["reports"]] == ["document.d1", "document.d2"]


def test_agreements_read_in_one_pass_equal_those_read_one_by_one(
    select: Q.Select, index: Q.EntityIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = run(Q.list_agreements(select, index))
    timeline = run(Q.timeline(select, index))
    monkeypatch.setattr(agreements_module, "_PER_ITEM_LIMIT", 0)
    assert run(Q.list_agreements(select, index)) == one_by_one
    assert run(Q.timeline(select, index)) == timeline
