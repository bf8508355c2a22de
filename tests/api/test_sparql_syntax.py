"""The policy lexer: SERVICE/LOAD targets, query forms and USING rewriting."""

from __future__ import annotations

import pytest

from api.sparql_syntax import DatasetConflict, add_using, query_form, targets


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { SERVICE <http://a.org/sparql> { ?s ?p ?o } }", ["http://a.org/sparql"]),
        ("select * { service silent <http://a.org/s> { } }", ["http://a.org/s"]),
        ("SELECT * { sErViCe<http://a.org/s>{} }", ["http://a.org/s"]),
        ("PREFIX e: <http://a.org/> SELECT * { SERVICE e:s { } }", ["http://a.org/s"]),
        ("SELECT * { SERVICE ?endpoint { } }", [None]),
        ("BASE <http://a.org/x/> SELECT * { SERVICE <s> { } }", ["http://a.org/x/s"]),
        ("SELECT * { SERVICE <s> { } }", [None]),
        (r"SELECT * { SERVICE <http://a.org\u002Fs> { } }", ["http://a.org/s"]),
        ("SELECT * { ?s ?p 'SERVICE <http://a.org/>' }", []),
        ('SELECT * { ?s ?p """x\nSERVICE <http://a.org/>""" }', []),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://a.org/>", []),
        ("SELECT ?service { ?service ex:service <http://a.org/service> }", []),
        ("SELECT * { ?s ?p ?o FILTER(?o < 3) SERVICE <http://b.org/> { } }", ["http://b.org/"]),
    ],
)
def test_service_targets(query: str, expected: list[str | None]) -> None:
    assert [t.iri for t in targets(query, "SERVICE")] == expected


def test_load_targets() -> None:
    assert [t.iri for t in targets("LOAD SILENT <http://a.org/d.ttl> INTO GRAPH <http://g>", "LOAD")] == [
        "http://a.org/d.ttl"
    ]


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX select: <x:> ASK {}", "ASK"),
        ("# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <x:a>", "DESCRIBE"),
        ("SELECT * {}", "SELECT"),
        ("nonsense", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert query_form(query) == form


def test_add_using_puts_clauses_before_where_of_modify_operations_only() -> None:
    update = "INSERT DATA { <a:s> <a:p> 1 } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert add_using(update, ["http://d"], ["http://n"]) == (
        "INSERT DATA { <a:s> <a:p> 1 } ; DELETE { ?s ?p ?o } USING <http://d> USING NAMED <http://n> WHERE { ?s ?p ?o }"
    )


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }",
    ],
)
def test_add_using_refuses_a_dataset_named_twice(update: str) -> None:
    with pytest.raises(DatasetConflict):
        add_using(update, ["http://d"], [])
