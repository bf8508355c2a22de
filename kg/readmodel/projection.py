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

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from rdflib import URIRef

from kg import vocab as v
from kg.queries import entities as detail
from kg.queries.agreements import (
    AGREEMENT_DETAIL,
    AGREEMENT_EVIDENCE,
    AGREEMENT_HEAD,
    agreement_heads,
    agreement_record,
    agreement_records,
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
    _evidence,
    _sorted_evidence,
    local_name,
    public_id,
)
from kg.queries.overview import COUNT_DOCUMENTS, COUNT_POSITIONS
from kg.queries.resources import DOCUMENT_COUNTS, DOCUMENT_LIST, LINKS_OF, document_record
from kg.readmodel import staging

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
        types[str(r["e"])].add(sys.intern(str(r["t"])))  # (a few classes, named by every entity)
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
        n = documents.pop(iri, 0)  # (popped: what is yielded is let go here)
        asserted = types.pop(iri, ())
        row = EntityRow(ref, n > 0, n)
        row.classes = {c for t in asserted for c in supers[t]}
        row.types = {local_name(t) for t in asserted if t.startswith(str(v.DK))}
        row.names = names.pop(iri, set())
        yield iri, row


async def agreement_rows(
    select: Rows, index: EntityIndex, stage: staging.Staging, iris: Iterable[str] | None
) -> Iterator[tuple[str, AgreementRow | None]]:
    """Each IRI with its row (the record as :func:`kg.queries.get_agreement` gives it), or
    None when it is not an agreement; ``None``: every agreement, each query's answer set down
    in ``stage`` as it streams and each row made from what is read back for it."""
    if iris is None:
        await _stage_agreements(select, stage)
        return _staged_agreements(index, stage)
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


async def _stage_agreements(select: Rows, stage: staging.Staging) -> None:
    def text(r: dict[str, Any], name: str) -> str | None:
        return str(r[name]) if name in r else None

    stage.load(
        "report",
        (
            (str(r["ag"]), str(r["kind"]), *(text(r, k) for k in ("status", "date", "g", "published")))
            for r in await select(AGREEMENT_HEAD)
        ),
    )
    stage.load("agreement_country", ((str(r["ag"]), str(r["country"])) for r in await select(AGREEMENT_COUNTRIES)))
    stage.load(
        "agreement_detail",
        (
            (str(r["ag"]), str(r["rel"]), str(r["x"]), text(r, "amount"), text(r, "currency"))
            for r in await select(AGREEMENT_DETAIL)
        ),
    )
    stage.load("agreement_evidence", ((str(r["ag"]), _evidence_json(r)) for r in await select(AGREEMENT_EVIDENCE)))


def _staged_agreements(index: EntityIndex, stage: staging.Staging) -> Iterator[tuple[str, AgreementRow | None]]:
    """Every staged agreement's row, in IRI order: its report rows reduced to its head as
    :func:`heads_from_rows` does over the whole answer."""
    for iri in stage.keys("report", "ag"):
        reports = [_present(staging.columns("report"), r) for r in stage.rows("report", "ag", iri)]
        head = heads_from_rows(reports)[iri]
        if not head["kinds"]:
            continue
        detail = [_present(staging.columns("agreement_detail"), r) for r in stage.rows("agreement_detail", "ag", iri)]
        record = agreement_record(iri, head, detail, index)
        record["evidence"] = _sorted_evidence(orjson.loads(ev) for _, ev in stage.rows("agreement_evidence", "ag", iri))
        countries = {c for _, c in stage.rows("agreement_country", "ag", iri)}
        yield iri, _agreement_row(head, record, countries)


def _present(columns: tuple[str, ...], row: tuple[Any, ...]) -> dict[str, Any]:
    """A staged row as a query's row: its bound columns only."""
    return {c: x for c, x in zip(columns, row, strict=True) if x is not None}


def _agreement_row(head: dict[str, Any], record: dict[str, Any], countries: set[str]) -> AgreementRow:
    links = {
        (role, ref["iri"])
        for role, key in (("party", "parties"), ("subject", "subjects"), ("site", "sites"))
        for ref in record[key]
    }
    links |= {("country", c) for c in countries}
    return AgreementRow(record["iri"], set(head["kinds"]), record, links)


def entity_details(select_sync: Any, stage: staging.Staging, iris: list[str] | None) -> Callable[[str], dict[str, Any]]:
    """What :func:`kg.queries.get_entity` reads over SPARQL about each entity's relations,
    posts and documents (``None``: of every node, one pass per query), as a function that
    gives one entity's detail (empty lists for a node the pass did not meet) as JSON-ready lists:
    relations as ``[predicate, direction, other IRI, evidence]``, posts as ``[direction,
    other IRI, title, evidence]``. The other entity is named by IRI: its label and kind are
    read from the ``entity`` table when answering, so they follow its own projection.

    Each answer is set down in ``stage`` as it streams (an evidence as its JSON) and each
    entity's rows are read back when its detail is asked for: a full pass holds one entity's
    detail at a time, whatever the size of the store."""
    stage.load(
        "relation",
        (
            (str(r["e"]), local_name(r["p"]), str(r["dir"]), str(r["other"]))
            for r in _rows(select_sync, detail.ENTITY_RELATIONS, iris)
        ),
    )
    stage.load("relation_evidence", _relation_evidence(select_sync, iris))
    stage.load(
        "post_evidence",
        (
            (str(r["e"]), str(r["pos"]), _evidence_json(r))
            for r in _rows(select_sync, detail.ENTITY_POSITION_EVIDENCE, iris)
        ),
    )
    stage.load(
        "post",
        (
            (str(r["e"]), str(r["dir"]), str(r["other"]), str(r["title"]) if "title" in r else None, str(r["pos"]))
            for r in _rows(select_sync, detail.ENTITY_POSITIONS, iris)
        ),
    )
    stage.load(
        "mention",
        (
            (str(r["e"]), did, str(r["title"]) if "title" in r else None)
            for r in _rows(select_sync, detail.ENTITY_DOCUMENTS, iris)
            if (did := public_id(r["doc"])) is not None
        ),
    )

    def body(iri: str) -> dict[str, Any]:
        """The detail of ``iri``, read back from the staging tables."""
        evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for _, pred, o, ev in stage.rows("relation_evidence", "s", iri):
            evidence[pred, "out", o].append(orjson.loads(ev))
        for s, pred, _, ev in stage.rows("relation_evidence", "o", iri):
            evidence[pred, "in", s].append(orjson.loads(ev))
        relations = sorted({(pred, d, o) for _, pred, d, o in stage.rows("relation", "e", iri)})
        of_post: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, pos, ev in stage.rows("post_evidence", "e", iri):
            of_post[pos].append(orjson.loads(ev))
        posts: dict[tuple[str, str, str], tuple[str | None, list[dict[str, Any]]]] = {}
        for _, d, o, title, pos in stage.rows("post", "e", iri):
            posts.setdefault((d, o, title or ""), (title, []))[1].extend(of_post.get(pos, ()))
        documents = {did: {"id": did, "title": title} for _, did, title in stage.rows("mention", "e", iri)}
        return {
            "relations": [[pred, d, o, _sorted_evidence(evidence.get((pred, d, o), ()))] for pred, d, o in relations],
            "positions": [[d, o, title, _sorted_evidence(evs)] for (d, o, _), (title, evs) in posts.items()],
            "documents": [documents[k] for k in sorted(documents)],
        }

    return body


def _relation_evidence(select_sync: Any, iris: list[str] | None) -> Iterator[tuple[str, str, str, str]]:
    """Each evidence of a stated relation as ``(subject, predicate, object, evidence JSON)``:
    one bound query per IRI (from either end), or one pass that reads each statement once
    (the bound query's UNION of the two directions, unbound, took four times as long)."""
    if iris is not None:
        for r in _rows(select_sync, detail.ENTITY_RELATION_EVIDENCE, iris):
            e, pred, other = str(r["e"]), local_name(r["p"]), str(r["other"])
            yield (e, pred, other, _evidence_json(r)) if str(r["dir"]) == "out" else (other, pred, e, _evidence_json(r))
        return
    for r in select_sync(RELATION_EVIDENCE):
        yield str(r["s"]), local_name(r["p"]), str(r["o"]), _evidence_json(r)


def _evidence_json(row: dict[str, Any]) -> str:
    return orjson.dumps(_evidence(row)).decode()


def _rows(select_sync: Any, query: str, iris: list[str] | None, var: str = "e") -> Iterator[dict[str, Any]]:
    """The rows of ``query``: one bound query per IRI, or one pass (``iris`` None)."""
    if iris is None:
        yield from select_sync(query)
        return
    for iri in iris:
        yield from _bound(select_sync, query, var, iri)


def document_rows(select_sync: Any, graphs: list[str] | None) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Each graph with its document's list record (as :func:`kg.queries.list_documents` gives
    it), or None when it names no document; ``None``: every document, each record made as
    its first row streams by."""
    counts = {d: int(rows[0]["mentions"]) for d, rows in _grouped(select_sync, DOCUMENT_COUNTS, graphs, "doc").items()}
    if graphs is None:
        seen: set[str] = set()
        for r in select_sync(DOCUMENT_LIST):
            if (iri := str(r["doc"])) not in seen:
                seen.add(iri)
                yield iri, (document_record(r, counts.get(iri, 0)) if public_id(iri) is not None else None)
        return
    heads = _grouped(select_sync, DOCUMENT_LIST, graphs, "doc")
    for iri in graphs:
        rows = heads.get(iri)
        yield iri, (document_record(rows[0], counts.get(iri, 0)) if rows and public_id(iri) is not None else None)


def links_of(select_sync: Any, subjects: list[str] | None) -> Iterator[tuple[str, str, str]]:
    """Manufacturer, operator and participant links of ``subjects`` (None: of everything), as they stream."""
    return ((str(r["e"]), local_name(r["p"]), str(r["x"])) for r in _rows(select_sync, LINKS_OF, subjects))


def facts_of(select_sync: Any, subjects: list[str] | None) -> Iterator[tuple[str, str, str]]:
    """Stated facts whose subject is one of ``subjects`` (None: every fact), as they stream."""
    return ((str(r["s"]), local_name(r["p"]), str(r["o"])) for r in _rows(select_sync, FACTS, subjects, "s"))


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
