"""What the read model holds, read from the store with bound SPARQL queries.

The rows are computed by the same code that answers REST over SPARQL (:mod:`kg.queries`):
the entity index's label and kind rules, the agreement heads and records. Each function
takes the IRIs to project and reads only their neighbourhood (every query binds a
variable), so re-projecting what one document touched costs what that document holds,
not what the store holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg import vocab as v
from kg.queries.agreements import agreement_heads, agreement_records, date_bounds
from kg.queries.base import (
    _ENTITY_TYPES,
    _PREFIXES,
    _RELATION_PREDICATES,
    EntityIndex,
    Ref,
    Select,
    local_name,
    public_id,
)
from kg.queries.overview import COUNT_DOCUMENTS, COUNT_POSITIONS

ENTITY_ROWS = (
    _PREFIXES
    + f"""
SELECT ?e ?type ?label ?inDoc WHERE {{
  {_ENTITY_TYPES} ?e a ?type .
  OPTIONAL {{ GRAPH ?lg {{ ?e rdfs:label ?label }} BIND(EXISTS {{ GRAPH ?lg {{ ?lg a dk:NewsArticle }} }} AS ?inDoc) }}
}}"""
)
ENTITY_CLASSES = _PREFIXES + "SELECT DISTINCT ?e ?class WHERE { ?e a/rdfs:subClassOf* ?class }"
ENTITY_NAMES = _PREFIXES + "SELECT DISTINCT ?e ?name WHERE { ?e rdfs:label|skos:altLabel ?name }"
ENTITY_DOCUMENTS = _PREFIXES + "SELECT ?e (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc dk:mentions ?e } GROUP BY ?e"
ALL_ENTITIES = _PREFIXES + f"SELECT DISTINCT ?e WHERE {{ {_ENTITY_TYPES} ?e a ?type }}"

ALL_AGREEMENTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?ag WHERE {
  GRAPH ?g { ?ag a ?kind } ?kind rdfs:subClassOf* dk:Agreement . FILTER(?kind != dk:Agreement)
}"""
)
AGREEMENT_COUNTRIES = (
    _PREFIXES
    + "SELECT DISTINCT ?ag ?country WHERE { { ?ag dk:party ?country } UNION { ?ag dk:party ?cp . ?cp dk:country ?country } }"
)

FACTS = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  {_RELATION_PREDICATES}
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
}}"""
)
"""As :data:`kg.queries.overview.COUNT_RELATIONS` counts them."""

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
GRAPH_NODES = "SELECT DISTINCT ?g ?x WHERE { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } FILTER(isIRI(?x)) }"
ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

_CHUNK = 16  # agreements per agreement_records call: each is then read with bound queries


@dataclass
class EntityRow:
    ref: Ref
    mentioned: bool
    documents: int
    classes: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


@dataclass
class AgreementRow:
    iri: str
    kinds: set[str]
    record: dict[str, Any]
    links: set[tuple[str, str]]  # (role, entity IRI)

    @property
    def bounds(self) -> tuple[str | None, str | None]:
        date = self.record["date"]
        return date_bounds(date) if date else (None, None)


def _bound(select_sync: Any, query: str, name: str, iri: str) -> list[dict[str, Any]]:
    return select_sync(query, substitutions={name: URIRef(iri)})  # type: ignore[no-any-return]


def entity_rows(select_sync: Any, iris: Iterable[str]) -> Iterator[tuple[str, EntityRow | None]]:
    """Each IRI with its row, or None when it is not (or no longer) a typed entity."""
    for iri in iris:
        if public_id(iri) is None:
            yield iri, None
            continue
        index = EntityIndex(_bound(select_sync, ENTITY_ROWS, "e", iri))
        ref = index.refs.get(iri)
        if ref is None:
            yield iri, None
            continue
        counted = _bound(select_sync, ENTITY_DOCUMENTS, "e", iri)
        documents = int(counted[0]["n"]) if counted else 0
        row = EntityRow(ref, documents > 0, documents)
        row.classes = {
            local_name(r["class"]) for r in _bound(select_sync, ENTITY_CLASSES, "e", iri)
            if str(r["class"]).startswith(str(v.DK))
        }
        row.names = {str(r["name"]) for r in _bound(select_sync, ENTITY_NAMES, "e", iri)}
        yield iri, row


async def agreement_rows(select: Select, index: EntityIndex, iris: Iterable[str]) -> list[tuple[str, AgreementRow | None]]:
    """Each IRI with its row (the record as :func:`kg.queries.get_agreement` gives it), or
    None when it is not an agreement."""
    out: list[tuple[str, AgreementRow | None]] = []
    todo = list(iris)
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i : i + _CHUNK]
        heads = {iri: h for iri, h in (await agreement_heads(select, chunk)).items() if h["kinds"]}
        records = {r["iri"]: r for r in await agreement_records(select, index, heads, evidence=True)}
        for iri in chunk:
            if iri not in heads:
                out.append((iri, None))
                continue
            record = records[iri]
            links = {(role, ref["iri"]) for role, key in (("party", "parties"), ("subject", "subjects"),
                                                         ("site", "sites")) for ref in record[key]}
            for r in await select(AGREEMENT_COUNTRIES, substitutions={"ag": URIRef(iri)}):
                links.add(("country", str(r["country"])))
            out.append((iri, AgreementRow(iri, set(heads[iri]["kinds"]), record, links)))
    return out


def facts_of(select_sync: Any, subjects: Iterable[str] | None) -> list[tuple[str, str, str]]:
    """Stated facts whose subject is one of ``subjects`` (None: every fact)."""
    if subjects is None:
        rows = select_sync(FACTS)
    else:
        rows = [r for s in subjects for r in _bound(select_sync, FACTS, "s", s)]
    return [(str(r["s"]), local_name(r["p"]), str(r["o"])) for r in rows]


def graph_sizes(select_sync: Any, graphs: Iterable[str] | None) -> dict[str, int]:
    """Triples in each named graph (None: every graph); a graph that is gone has none."""
    if graphs is None:
        return {str(r["g"]): int(r["n"]) for r in select_sync(GRAPH_SIZES)}
    sizes = {}
    for g in graphs:
        rows = _bound(select_sync, GRAPH_SIZES, "g", g)
        sizes[g] = int(rows[0]["n"]) if rows else 0
    return sizes


def graph_nodes(select_sync: Any, graphs: Iterable[str]) -> set[str]:
    """Every IRI a subject or object in the given graphs."""
    return {str(r["x"]) for g in graphs for r in _bound(select_sync, GRAPH_NODES, "g", g)}


def counters(select_sync: Any) -> dict[str, int]:
    """Documents and positions (read from type indexes: cheap)."""
    return {
        "documents": int(select_sync(COUNT_DOCUMENTS)[0]["n"]),
        "positions": int(select_sync(COUNT_POSITIONS)[0]["n"]),
    }


def every_entity(select_sync: Any) -> list[str]:
    return sorted({str(r["e"]) for r in select_sync(ALL_ENTITIES)})


def every_agreement(select_sync: Any) -> list[str]:
    return sorted({str(r["ag"]) for r in select_sync(ALL_AGREEMENTS)})


def every_graph(select_sync: Any) -> list[str]:
    return sorted({str(r["g"]) for r in select_sync(ALL_GRAPHS)})
