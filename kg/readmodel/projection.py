"""What the read model holds, read from the store with bound SPARQL queries.

Each function takes ``select_sync``, a query's rows as an iterable (``Store.rows`` streams
them, so a full pass reduces each answer row by row instead of holding it whole).
The rows are computed by the same code that answers REST over SPARQL (:mod:`kg.queries`):
the entity index's label and kind rules, the agreement heads and records. Each function
takes the IRIs to project and reads only their neighbourhood (every query binds a
variable), so re-projecting what one document touched costs what that document holds,
not what the store holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg import vocab as v
from kg.queries import entities as detail
from kg.queries.agreements import (
    AGREEMENT_HEAD,
    agreement_heads,
    agreement_records,
    agreement_records_lazily,
    date_bounds,
    heads_from_rows,
)
from kg.queries.base import (
    _ENTITY_TYPES,
    _EVIDENCE_FIELDS,
    _PREFIXES,
    _RELATION_PREDICATES,
    ENTITY_INDEX,
    EntityIndex,
    Ref,
    Rows,
    _sorted_evidence,
    evidence_reader,
    local_name,
    public_id,
)
from kg.queries.overview import COUNT_DOCUMENTS, COUNT_POSITIONS
from kg.queries.resources import DOCUMENT_COUNTS, DOCUMENT_LIST, LINKS_OF, document_record

_ENTITIES = f"{{ SELECT DISTINCT ?e WHERE {{ {_ENTITY_TYPES} ?e a ?type }} }}"  # each entity once, not once per graph
ENTITY_TYPES = _PREFIXES + f"SELECT DISTINCT ?e ?t WHERE {{ {_ENTITIES} ?e a ?t }}"
SUPERCLASSES = (
    _PREFIXES
    + "SELECT DISTINCT ?t ?class WHERE { { SELECT DISTINCT ?t WHERE { ?x a ?t } } ?t rdfs:subClassOf* ?class }"
)
"""Every class in use with each of its superclasses (itself included): an entity's classes
are those of its types (``?e a/rdfs:subClassOf* ?class``, evaluated once per type)."""
ENTITY_NAMES = _PREFIXES + f"SELECT DISTINCT ?e ?name WHERE {{ {_ENTITIES} ?e rdfs:label|skos:altLabel ?name }}"
ENTITY_DOCUMENTS = _PREFIXES + "SELECT ?e (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc dk:mentions ?e } GROUP BY ?e"

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

RELATION_EVIDENCE = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?s ?p ?o ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  {_RELATION_PREDICATES}
  ?st rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o ; dk:evidence ?ev .
  {_EVIDENCE_FIELDS}
}}"""
)
"""The evidence of every stated relation, each once (:data:`kg.queries.entities.ENTITY_RELATION_EVIDENCE`
gives it from one end)."""

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
GRAPH_NODES = "SELECT DISTINCT ?g ?x WHERE { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } FILTER(isIRI(?x)) }"

_CHUNK = 16  # agreements per agreement_records call: each is then read with bound queries


@dataclass
class EntityRow:
    ref: Ref
    mentioned: bool
    documents: int
    classes: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)  # its asserted classes of the ontology (local names)


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


def _bound(
    select_sync: Callable[..., Iterable[dict[str, Any]]], query: str, name: str, iri: str
) -> list[dict[str, Any]]:
    return list(select_sync(query, substitutions={name: URIRef(iri)}))


def _grouped(select_sync: Any, query: str, iris: list[str] | None, var: str = "e") -> dict[str, list[dict[str, Any]]]:
    """Rows of ``query`` by their ``?var``: one bound query per IRI, or one pass (``iris`` None)."""
    rows = select_sync(query) if iris is None else [r for iri in iris for r in _bound(select_sync, query, var, iri)]
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[str(r[var])].append(r)
    return out


def entity_rows(select_sync: Any, iris: Iterable[str] | None) -> Iterator[tuple[str, EntityRow | None]]:
    """Each IRI with its row, or None when it is not (or no longer) a typed entity; ``None``:
    every entity, read in one pass per query."""
    wanted = None if iris is None else [i for i in iris if public_id(i) is not None]
    if iris is not None:
        for iri in set(iris) - set(wanted or ()):
            yield iri, None
    index = EntityIndex(_rows(select_sync, ENTITY_INDEX, wanted))
    documents = {str(r["e"]): int(r["n"]) for r in _rows(select_sync, ENTITY_DOCUMENTS, wanted)}
    types: dict[str, set[str]] = defaultdict(set)
    for r in _rows(select_sync, ENTITY_TYPES, wanted):
        types[str(r["e"])].add(str(r["t"]))
    supers: dict[str, set[str]] = defaultdict(set)
    for r in select_sync(SUPERCLASSES):
        if str(r["class"]).startswith(str(v.DK)):
            supers[str(r["t"])].add(local_name(r["class"]))
    names: dict[str, set[str]] = defaultdict(set)
    for r in _rows(select_sync, ENTITY_NAMES, wanted):
        names[str(r["e"])].add(str(r["name"]))
    for iri in list(index.refs) if wanted is None else wanted:
        ref = index.refs.get(iri)
        if ref is None:
            yield iri, None
            continue
        n = documents.get(iri, 0)
        row = EntityRow(ref, n > 0, n)
        row.classes = {c for t in types.get(iri, ()) for c in supers[t]}
        row.types = {local_name(t) for t in types.get(iri, ()) if t.startswith(str(v.DK))}
        row.names = names.get(iri, set())
        yield iri, row


async def agreement_rows(
    select: Rows, index: EntityIndex, iris: Iterable[str] | None
) -> Iterator[tuple[str, AgreementRow | None]]:
    """Each IRI with its row (the record as :func:`kg.queries.get_agreement` gives it), or
    None when it is not an agreement; ``None``: every agreement, read in one pass per query
    and each row made as it is taken."""
    if iris is None:
        heads = {iri: h for iri, h in heads_from_rows(await select(AGREEMENT_HEAD)).items() if h["kinds"]}
        countries: dict[str, set[str]] = defaultdict(set)
        for r in await select(AGREEMENT_COUNTRIES):
            countries[str(r["ag"])].add(str(r["country"]))
        records = await agreement_records_lazily(select, index, heads, evidence=True)
        return ((r["iri"], _agreement_row(heads[r["iri"]], r, countries.pop(r["iri"], set()))) for r in records)
    out: list[tuple[str, AgreementRow | None]] = []
    todo = list(iris)
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i : i + _CHUNK]
        heads = {iri: h for iri, h in (await agreement_heads(select, chunk)).items() if h["kinds"]}
        found = {r["iri"]: r for r in await agreement_records(select, index, heads, evidence=True)}
        for iri in chunk:
            if iri not in heads:
                out.append((iri, None))
                continue
            rows = await select(AGREEMENT_COUNTRIES, substitutions={"ag": URIRef(iri)})
            out.append((iri, _agreement_row(heads[iri], found[iri], {str(r["country"]) for r in rows})))
    return iter(out)


def _agreement_row(head: dict[str, Any], record: dict[str, Any], countries: set[str]) -> AgreementRow:
    links = {
        (role, ref["iri"])
        for role, key in (("party", "parties"), ("subject", "subjects"), ("site", "sites"))
        for ref in record[key]
    }
    links |= {("country", c) for c in countries}
    return AgreementRow(record["iri"], set(head["kinds"]), record, links)


def entity_details(select_sync: Any, iris: list[str] | None) -> Callable[[str], dict[str, Any]]:
    """What :func:`kg.queries.get_entity` reads over SPARQL about each entity's relations,
    posts and documents (``None``: of every node, one pass per query), as a function that
    gives one entity's detail (empty lists for a node the pass did not meet) as JSON-ready lists:
    relations as ``[predicate, direction, other IRI, evidence]``, posts as ``[direction,
    other IRI, title, evidence]``. The other entity is named by IRI: its label and kind are
    read from the ``entity`` table when answering, so they follow its own projection.

    Each query's rows are reduced to these lists as they come, and an evidence (the same
    sentence of the same document) is one dict shared by every relation and post it supports
    (a relation is read from both of its ends), so a full pass holds the lists, not the rows."""
    evidence = evidence_reader()
    rels: dict[str, dict[tuple[str, str, str], list[dict[str, Any]]]] = defaultdict(dict)
    for r in _rows(select_sync, detail.ENTITY_RELATIONS, iris):
        rels[str(r["e"])].setdefault((local_name(r["p"]), str(r["dir"]), str(r["other"])), [])
    for e, key, r in _relation_evidence(select_sync, iris):
        found = rels.get(e, {}).get(key)
        if found is not None:
            found.append(evidence(r))
    evidence_of: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(select_sync, detail.ENTITY_POSITION_EVIDENCE, iris):
        evidence_of[str(r["e"]), str(r["pos"])].append(evidence(r))
    posts: dict[str, dict[tuple[str, str, str], tuple[str | None, list[dict[str, Any]]]]] = defaultdict(dict)
    for r in _rows(select_sync, detail.ENTITY_POSITIONS, iris):
        title = str(r["title"]) if "title" in r else None
        post = posts[str(r["e"])].setdefault((str(r["dir"]), str(r["other"]), title or ""), (title, []))
        post[1].extend(evidence_of.get((str(r["e"]), str(r["pos"])), ()))
    del evidence_of
    docs: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in _rows(select_sync, detail.ENTITY_DOCUMENTS, iris):
        did = public_id(r["doc"])
        if did is not None:
            docs[str(r["e"])][did] = {"id": did, "title": str(r["title"]) if "title" in r else None}

    def body(iri: str) -> dict[str, Any]:
        """The detail of ``iri``, taken once: what the pass held for it is let go."""
        found = docs.pop(iri, {})
        return {
            "relations": [[p, d, o, _sorted_evidence(evs)] for (p, d, o), evs in sorted(rels.pop(iri, {}).items())],
            "positions": [
                [d, o, title, _sorted_evidence(evs)] for (d, o, _), (title, evs) in posts.pop(iri, {}).items()
            ],
            "documents": [found[k] for k in sorted(found)],
        }

    return body


def _relation_evidence(
    select_sync: Any, iris: list[str] | None
) -> Iterator[tuple[str, tuple[str, str, str], dict[str, Any]]]:
    """Each evidence of a relation, for the entity at each end: ``(entity, (predicate,
    direction, other end), row)``. One bound query per IRI, or one pass that reads each
    statement once and gives it to both ends (the bound query's UNION of the two directions,
    unbound, took four times as long)."""
    if iris is not None:
        for r in _rows(select_sync, detail.ENTITY_RELATION_EVIDENCE, iris):
            yield str(r["e"]), (local_name(r["p"]), str(r["dir"]), str(r["other"])), r
        return
    for r in select_sync(RELATION_EVIDENCE):
        s, pred, o = str(r["s"]), local_name(r["p"]), str(r["o"])
        yield s, (pred, "out", o), r
        yield o, (pred, "in", s), r


def _rows(select_sync: Any, query: str, iris: list[str] | None, var: str = "e") -> Iterator[dict[str, Any]]:
    """The rows of ``query``: one bound query per IRI, or one pass (``iris`` None)."""
    if iris is None:
        yield from select_sync(query)
        return
    for iri in iris:
        yield from _bound(select_sync, query, var, iri)


def document_rows(select_sync: Any, graphs: list[str] | None) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Each graph with its document's list record (as :func:`kg.queries.list_documents` gives
    it), or None when it names no document; ``None``: every document."""
    heads = _grouped(select_sync, DOCUMENT_LIST, graphs, "doc")
    counts = {d: int(rows[0]["mentions"]) for d, rows in _grouped(select_sync, DOCUMENT_COUNTS, graphs, "doc").items()}
    for iri in heads if graphs is None else graphs:
        rows = heads.get(iri)
        yield iri, (document_record(rows[0], counts.get(iri, 0)) if rows and public_id(iri) is not None else None)


def links_of(select_sync: Any, subjects: list[str] | None) -> list[tuple[str, str, str]]:
    """Manufacturer, operator and participant links of ``subjects`` (None: of everything)."""
    return [(str(r["e"]), local_name(r["p"]), str(r["x"])) for r in _rows(select_sync, LINKS_OF, subjects)]


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
        "documents": int(next(iter(select_sync(COUNT_DOCUMENTS)))["n"]),
        "positions": int(next(iter(select_sync(COUNT_POSITIONS)))["n"]),
    }
