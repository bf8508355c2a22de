"""The read model answers exactly what the SPARQL queries over the full graph answer,
after a full projection and after a document is replaced or removed incrementally."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest
from rdflib import Literal, URIRef

from kg import queries
from kg.errors import NotFound
from kg.readmodel import ReadModel, StoredIndex, reads
from kg.readmodel.model import SCHEMA_VERSION
from kg.store import Store

FIXTURE = Path(__file__).parent.parent / "resources" / "rest_fixture.trig"
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("stats", {}),
    ("list_entities", {}),
    ("list_entities", {"kind": "Company"}),
    ("list_entities", {"kind": "Organization", "limit": 2, "offset": 1}),
    ("list_entities", {"name": "ba"}),
    ("list_entities", {"name": "bayk", "match": "fuzzy"}),
    ("list_entities", {"name": "bayk", "match": "fuzzy", "kind": "Company"}),
    ("list_entities", {"kind": "Company", "name": "b"}),
    ("list_entities", {"kind": "Organization", "name": "l", "limit": 1, "offset": 1}),
    ("list_with_links", {"kind": "Aircraft", "links": ("manufacturer", "operator")}),
    ("list_with_links", {"kind": "Aircraft", "links": ("manufacturer", "operator"), "name": "b"}),
    ("list_with_links", {"kind": "Programme", "links": ("participant",)}),
    ("list_agreements", {}),
    ("list_agreements", {"party": "organization.baykar"}),
    ("list_agreements", {"date_from": "2023", "limit": 1}),
    ("timeline", {}),
    ("timeline", {"granularity": "year"}),
    ("timeline", {"party": "organization.baykar", "limit": 1, "offset": 1}),
    ("list_agreements", {"status": "Signed", "limit": 1, "offset": 1}),
    ("list_agreements", {"kind": "Procurement"}),
    ("list_agreements", {"kind": "MemorandumOfUnderstanding", "date_from": "2023-03", "date_to": "2025"}),
    ("list_agreements", {"date_to": "2023-06-15"}),
    ("list_agreements", {"dated_only": True, "limit": 2, "offset": 1}),
    ("list_agreements", {"kind": "Procurement", "status": "Signed"}),
    ("list_agreements", {"party": "organization.baykar", "kind": "Procurement"}),
    ("timeline", {"kind": "Procurement", "date_from": "2023"}),
    ("network", {}),
    ("network", {"kind": "Procurement"}),
    ("network", {"date_from": "2024", "date_to": "2025-06"}),
    ("network", {"limit": 2}),
]


def _store() -> Store:
    s = Store()
    s.load(FIXTURE.read_bytes(), format="trig", graph=None)
    return s


def _json(answer: Any) -> Any:
    """An answer as the JSON the API sends (the read model splices JSON it keeps: orjson.Fragment)."""
    return orjson.loads(orjson.dumps(answer))


def _same(store: Store, model: ReadModel) -> None:
    select = queries.selector(store)
    index = asyncio.run(queries.EntityIndex.load(select))
    with model.connect() as conn:
        for name, kwargs in CALLS:
            expected = asyncio.run(getattr(queries, name)(select, index, **kwargs))
            assert _json(getattr(reads, name)(conn, **kwargs)) == _json(expected), (name, kwargs)
        # every entity's detail page (relations, posts and documents are projected per entity)
        assert index.refs
        for ref in index.refs.values():
            expected = asyncio.run(queries.get_entity(select, index, ref.id))
            assert reads.get_entity(conn, ref.id) == expected, ref.id
        with pytest.raises(NotFound):
            reads.get_entity(conn, "organization.no-such-firm")
        # every neighbourhood, out to three hops, and cut short
        stored = StoredIndex(conn)
        for ref in index.refs.values():
            for depth, max_nodes in ((1, 200), (2, 200), (3, 200), (2, 3)):
                expected = asyncio.run(queries.neighbourhood(select, index, ref.id, depth=depth, max_nodes=max_nodes))
                found = asyncio.run(
                    queries.neighbourhood(
                        select,
                        stored,
                        ref.id,
                        depth=depth,
                        max_nodes=max_nodes,
                        agreement_kind=lambda iri: reads.agreement_kind(conn, iri),
                        neighbours=lambda iri: reads.neighbours(conn, iri),
                    )
                )
                assert found == expected, (ref.id, depth, max_nodes)


def test_a_full_projection_answers_as_sparql_does() -> None:
    store = _store()
    model = ReadModel(None)
    model.rebuild(store)
    assert model.current(store.generation)
    _same(store, model)


@pytest.mark.parametrize("action", ["remove", "replace"])
def test_an_incremental_update_answers_as_a_full_projection(action: str) -> None:
    store = _store()
    model = ReadModel(None)
    model.rebuild(store)
    doc = next(g for g in store.graph_names() if "/id/document/" in g)
    kept = list(store.graph(doc))[:5] if action == "replace" else []
    model.begin(store, [doc])
    store.replace_graphs({doc: kept})
    assert not model.current(store.generation)
    model.commit(store, [doc])
    assert model.current(store.generation)
    _same(store, model)


_MORE_PARTICIPANTS = """
@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix id: <https://w3id.org/defence-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:document\\/doc9 {
  id:document\\/doc9 a dk:NewsArticle ; dk:mentions id:organization\\/zeta, id:organization\\/alpha-aero,
    id:organization\\/mid .
  id:organization\\/zeta a dk:Company ; rdfs:label "Zeta Corp"@en .
  id:organization\\/alpha-aero a dk:Company ; rdfs:label "alpha Aero"@en .
  id:organization\\/mid a dk:Company ; rdfs:label "Mid Ltd"@en .
  id:programme\\/kaan dk:participant id:organization\\/zeta, id:organization\\/alpha-aero, id:organization\\/mid,
    id:organization\\/beta-untyped .
}
"""


@pytest.mark.parametrize("link_limit", [0, 1, 2, 3, 4, 5, 20])
def test_a_listing_gives_the_first_links_by_label_and_their_count(link_limit: int) -> None:
    """The read model ranks a list's entities in SQL and keeps only the first ``link_limit``;
    a node that is no typed entity (named by its IRI) is ranked among them as SPARQL's index ranks it."""
    store = _store()
    store.load(_MORE_PARTICIPANTS.encode(), format="trig", graph=None)
    model = ReadModel(None)
    model.rebuild(store)
    select = queries.selector(store)
    index = asyncio.run(queries.EntityIndex.load(select))
    kwargs: dict[str, Any] = {"kind": "Programme", "links": ("participant",), "link_limit": link_limit}
    expected = asyncio.run(queries.list_with_links(select, index, **kwargs))
    with model.connect() as conn:
        found = reads.list_with_links(conn, **kwargs)
    assert _json(found) == _json(expected)
    (kaan,) = found[0]
    labels = ["alpha Aero", "beta-untyped", "Mid Ltd", "Türkiye", "Zeta Corp"]
    assert ([p["label"] for p in kaan["participants"]], kaan["participantCount"]) == (labels[:link_limit], 5)


_LABEL_ELSEWHERE = """
@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix id: <https://w3id.org/defence-kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:document\\/doc8 {
  id:document\\/doc8 a dk:NewsArticle ; dk:mentions id:programme\\/kaan .
  id:programme\\/kaan dk:participant id:organization\\/zeta, id:organization\\/mid .
}
id:document\\/doc9 {
  id:document\\/doc9 a dk:NewsArticle ; dk:mentions id:organization\\/zeta, id:organization\\/mid .
  id:organization\\/zeta a dk:Company ; rdfs:label "Zeta Corp"@en .
  id:organization\\/mid a dk:Company ; rdfs:label "Mid Ltd"@en .
}
"""


def test_a_list_follows_the_label_of_an_entity_another_document_renames() -> None:
    """The link is stated in one document and the participant's name in another: replacing
    the second re-ranks the programme's list (kept order columns follow the entity row), and
    removing it leaves both participants nodes named by their IRIs."""
    store = _store()
    store.load(_LABEL_ELSEWHERE.encode(), format="trig", graph=None)
    model = ReadModel(None)
    model.rebuild(store)
    doc9 = "https://w3id.org/defence-kg/id/document/doc9"
    kwargs: dict[str, Any] = {"kind": "Programme", "links": ("participant",), "link_limit": 2}

    def first_two() -> list[str]:
        select = queries.selector(store)
        index = asyncio.run(queries.EntityIndex.load(select))
        with model.connect() as conn:
            found = reads.list_with_links(conn, **kwargs)
        assert _json(found) == _json(asyncio.run(queries.list_with_links(select, index, **kwargs)))
        return [p["label"] for p in found[0][0]["participants"]]

    assert first_two() == ["Mid Ltd", "Türkiye"]
    renamed = [q for q in store.graph(doc9) if "Zeta Corp" not in str(q)]
    zeta = URIRef("https://w3id.org/defence-kg/id/organization/zeta")
    renamed.append((zeta, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Aardvark Zeta", lang="en")))
    for kept in (renamed, []):
        model.begin(store, [doc9])
        store.replace_graphs({doc9: kept})
        model.commit(store, [doc9])
        assert model.current(store.generation)
        assert first_two() == (["Aardvark Zeta", "Mid Ltd"] if kept else ["mid", "Türkiye"])


def test_each_document_removed_and_added_back_incrementally_answers_as_sparql() -> None:
    """Entity details, the network and the listings follow a document's removal and its return,
    document by document (the projection re-reads only what the document touches)."""
    store = _store()
    model = ReadModel(None)
    model.rebuild(store)
    documents = [g for g in store.graph_names() if "/id/document/" in g]
    assert len(documents) >= 2
    for doc in documents:
        quads = list(store.graph(doc))
        for content in ([], quads):
            model.begin(store, [doc])
            store.replace_graphs({doc: content})
            model.commit(store, [doc])
            assert model.current(store.generation)
            _same(store, model)


def test_fuzzy_search_tolerates_typos_and_accents() -> None:
    store = Store()
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    a = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dk = "https://w3id.org/defence-kg/ontology#"
    doc = URIRef("https://w3id.org/defence-kg/id/document/d1")
    triples = [(doc, a, URIRef(dk + "NewsArticle"))]
    from rdflib import Literal

    for slug, name, kind in [
        ("lockheed-martin", "Lockheed Martin", "Company"),
        ("turkish-aerospace", "Turkish Aerospace", "Company"),
        ("selcuk-bayraktar", "Selçuk Bayraktar", "Person"),
    ]:
        e = URIRef(f"https://w3id.org/defence-kg/id/{'person' if kind == 'Person' else 'organization'}/{slug}")
        triples += [(e, a, URIRef(dk + kind)), (e, label, Literal(name)), (doc, URIRef(dk + "mentions"), e)]
    store.replace_graphs({str(doc): triples})
    model = ReadModel(None)
    model.rebuild(store)
    with model.connect() as conn:

        def found(text: str) -> list[str]:
            return [r["label"] for r in reads.list_entities(conn, name=text, match="fuzzy")[0]]

        assert found("lockhed") == ["Lockheed Martin"]
        assert found("aero") == ["Turkish Aerospace"]
        assert found("selcuk") == ["Selçuk Bayraktar"]
        assert found('" OR * NEAR(') == []


def test_a_read_model_of_another_schema_version_is_projected_anew(tmp_path: Path) -> None:
    store = _store()
    path = tmp_path / "rm.sqlite"
    model = ReadModel(path)
    model.rebuild(store)
    with model.connect() as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        conn.execute("CREATE TABLE leftover (x)")
    again = ReadModel(path)
    assert again.generation() is None
    with again.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM entity").fetchone()[0] == 0
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'leftover'").fetchone() is None
    again.refresh(store)
    _same(store, again)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, "SCAN a USING COVERING INDEX agreement_network"),
        ({"date_from": "2024"}, "SEARCH a USING COVERING INDEX agreement_network (<expr>=? AND <expr>>?)"),
        ({"date_to": "2024-06"}, "SEARCH a USING COVERING INDEX agreement_network (<expr>=? AND <expr><?)"),
    ],
)
def test_the_network_page_is_read_from_its_covering_index_alone(filters: dict[str, str], expected: str) -> None:
    """The agreement records (with their evidence) make the table's rows large: the network
    view reads its page from ``agreement_network`` and never visits them, with a date
    range too (the index holds the bounds it checks)."""
    model = ReadModel(None)
    model.rebuild(_store())
    with model.connect() as conn:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        reads.network(conn, **filters)
        conn.set_trace_callback(None)
        (page,) = [s for s in statements if "a.edges" in s]
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + page)]  # (the trace has the values in)
    assert plan == [expected]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kind": "Procurement"},
        {"date_from": "2024"},
        {"date_to": "2023"},
        {"kind": "Procurement", "date_from": "2023"},
    ],
)
def test_a_filtered_agreement_page_is_found_on_an_index_alone(filters: dict[str, str]) -> None:
    """A page's agreements are found on a covering index, in order (no sort), and only the
    page's records are read: visiting each candidate's row (its record holds the evidence)
    had a filtered page cost the whole table (230 ms for a kind at 10,000 documents)."""
    model = ReadModel(None)
    model.rebuild(_store())
    with model.connect() as conn:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        page, total = reads.list_agreements(conn, **filters)
        conn.set_trace_callback(None)
        (keys,) = [s for s in statements if s.startswith("SELECT a.iri FROM agreement a")]
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + keys)]
        (records,) = [s for s in statements if "record FROM agreement" in s]
    assert "COVERING INDEX" in plan[0]
    assert not any("TEMP B-TREE" in step for step in plan)
    assert records.count("'https://w3id.org/defence-kg/id/") == len(page) > 0


def test_a_read_model_projected_before_the_kept_timeline_gets_it_when_opened(tmp_path: Path) -> None:
    model = ReadModel(tmp_path / "rm.sqlite")
    model.rebuild(_store())
    with model.connect() as conn:
        whole = reads.timeline(conn, granularity="year")
        conn.execute("DELETE FROM meta WHERE key = 'timeline'")
        conn.execute("DROP TABLE sqlite_stat1")
    again = ReadModel(tmp_path / "rm.sqlite")
    with again.connect() as conn:
        assert reads.meta_value(conn, "timeline") is not None
        assert conn.execute("SELECT COUNT(*) FROM sqlite_stat1").fetchone()[0] > 0
        assert reads.timeline(conn, granularity="year") == whole
    assert whole["buckets"] and sum(b["count"] for b in whole["buckets"]) == whole["count"]
