"""Overviews for dashboards: counts by kind, an entity's neighbourhood graph, the agreement timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import URIRef

from kg.errors import NotFound
from kg.queries.agreements import AGREEMENT_HEAD, heads_from_rows, list_agreements
from kg.queries.base import (
    _PREFIXES,
    _RELATION_PREDICATES,
    EntityIndex,
    Select,
    iri_of,
    local_name,
    public_id,
)

# --- statistics ----------------------------------------------------------------------------
COUNT_DOCUMENTS = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a/rdfs:subClassOf* dk:Document }"""
)

COUNT_RELATIONS = (
    _PREFIXES
    + f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
    {_RELATION_PREDICATES}
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
  }} }}
}} GROUP BY ?p"""
)
"""Binary facts some document states (they carry evidence); reference-base facts are not counted."""

COUNT_POSITIONS = (
    _PREFIXES
    + """
SELECT (COUNT(DISTINCT ?pos) AS ?n) WHERE { ?pos a dk:Position }"""
)

COUNT_TRIPLES = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"""


async def stats(select: Select, index: EntityIndex) -> dict[str, Any]:
    """Counts: documents, entities by kind, agreements by kind and status, relations, positions.

    Entities are those some document mentions and relations those some document states.
    """
    by_kind: dict[str, int] = defaultdict(int)
    for iri in index.mentioned:
        by_kind[index.refs[iri].kind] += 1
    heads = heads_from_rows(await select(AGREEMENT_HEAD))
    ag_kind: dict[str, int] = defaultdict(int)
    ag_status: dict[str, int] = defaultdict(int)
    for h in heads.values():
        ag_kind[h["kind"]] += 1
        ag_status[h["status"] or "Unknown"] += 1
    relations = {local_name(r["p"]): int(r["n"]) for r in await select(COUNT_RELATIONS)}
    return {
        "documents": int((await select(COUNT_DOCUMENTS))[0]["n"]),
        "entities": len(index.mentioned),
        "entitiesByKind": dict(sorted(by_kind.items())),
        "agreements": len(heads),
        "agreementsByKind": dict(sorted(ag_kind.items())),
        "agreementsByStatus": dict(sorted(ag_status.items())),
        "relations": sum(relations.values()),
        "relationsByPredicate": dict(sorted(relations.items())),
        "positions": int((await select(COUNT_POSITIONS))[0]["n"]),
        "triples": int((await select(COUNT_TRIPLES))[0]["n"]),
    }


# --- neighbourhood graph -----------------------------------------------------------------------
Neighbour = tuple[str, str, str, str | None]
"""An edge at a node: subject IRI, predicate local name (``holds`` for a post), object IRI, and
the post's role title."""

# Bound patterns first, the VALUES after them, and each position step DISTINCT: a
# position's IRI is stated in every document that names it (see ENTITY_POSITIONS).
NEIGHBOURS = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?s ?p ?o ?title WHERE {{
  {{ ?e ?p ?o . {_RELATION_PREDICATES} BIND(?e AS ?s) }}
  UNION {{ ?s ?p ?e . {_RELATION_PREDICATES} BIND(?e AS ?o) }}
  UNION {{ {{ SELECT DISTINCT ?e ?pos ?o WHERE {{
             {{ SELECT DISTINCT ?e ?pos WHERE {{ ?pos dk:holder ?e }} }} ?pos dk:organization ?o .
             FILTER EXISTS {{ ?pos a dk:Position }} }} }}
           BIND(?e AS ?s) BIND(dk:holds AS ?p) OPTIONAL {{ ?pos dk:roleTitle ?title }} }}
  UNION {{ {{ SELECT DISTINCT ?e ?pos ?s WHERE {{
             {{ SELECT DISTINCT ?e ?pos WHERE {{ ?pos dk:organization ?e }} }} ?pos dk:holder ?s .
             FILTER EXISTS {{ ?pos a dk:Position }} }} }}
           BIND(?e AS ?o) BIND(dk:holds AS ?p) OPTIONAL {{ ?pos dk:roleTitle ?title }} }}
  UNION {{ ?s ?p ?e . VALUES ?p {{ dk:party dk:subject dk:site }} BIND(?e AS ?o)
           FILTER EXISTS {{ ?s a/rdfs:subClassOf* dk:Agreement }} }}
  UNION {{ ?e ?p ?o . VALUES ?p {{ dk:party dk:subject dk:site }} BIND(?e AS ?s)
           FILTER EXISTS {{ ?e a/rdfs:subClassOf* dk:Agreement }} }}
}}"""
)


async def neighbourhood(
    select: Select,
    index: EntityIndex,
    pid: str,
    *,
    depth: int = 1,
    max_nodes: int = 200,
    agreement_kind: Callable[[str], str | None] | None = None,
    neighbours: Callable[[str], Iterable[Neighbour]] | None = None,
) -> dict[str, Any]:
    """Nodes and edges within ``depth`` hops of an entity; agreements are nodes too.

    An edge's ``predicate`` is the relation's local name, ``holds`` for a position
    (its ``label`` is the role title) and ``party``/``subject``/``site`` for agreements.
    ``agreement_kind(iri)``, if given, tells an agreement's kind (None: not an agreement)
    instead of a query per agreement (the read model's :func:`kg.readmodel.reads.agreement_kind`);
    ``neighbours(iri)``, if given, gives a node's edges instead of :data:`NEIGHBOURS` (the read
    model's :func:`kg.readmodel.reads.neighbours`).
    """
    iri = iri_of(pid)
    if iri is None or str(iri) not in index.refs:
        raise NotFound(f"no entity with id '{pid}'")
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    agreement_kinds: dict[str, str] = {}

    async def node(x: str, hops: int) -> dict[str, Any] | None:
        if x in nodes:
            return nodes[x]
        ref = index.refs.get(x)
        if ref is not None:
            nodes[x] = ref.as_dict() | {"group": "entity"}
        else:
            pid_x = public_id(x)
            if pid_x is None:
                return None
            if x not in agreement_kinds:
                if agreement_kind is not None:
                    agreement_kinds[x] = agreement_kind(x) or ""
                else:
                    heads = heads_from_rows(await select(AGREEMENT_HEAD, substitutions={"ag": URIRef(x)}))
                    agreement_kinds[x] = heads[x]["kind"] if x in heads else ""
            if not agreement_kinds[x]:
                return None
            kind = agreement_kinds[x]
            nodes[x] = {"id": pid_x, "iri": x, "label": kind, "kind": kind, "group": "agreement"}
        nodes[x]["depth"] = hops
        return nodes[x]

    await node(str(iri), 0)
    frontier = [str(iri)]
    truncated = False
    for hops in range(1, depth + 1):
        nxt: list[str] = []
        for x in frontier:
            if neighbours is not None:
                found = set(neighbours(x))
            else:
                found = {
                    (str(r["s"]), local_name(r["p"]), str(r["o"]), str(r["title"]) if "title" in r else None)
                    for r in await select(NEIGHBOURS, substitutions={"e": URIRef(x)})
                }
            # in a fixed order, so that which nodes a truncated answer keeps never varies
            for s, p, o, title in sorted(found, key=lambda r: (r[0], r[1], r[2], r[3] or "")):
                other = o if s == x else s
                if other not in nodes and len(nodes) >= max_nodes:
                    truncated = True
                    continue
                is_new = other not in nodes
                if await node(other, hops) is None or await node(s, hops) is None or await node(o, hops) is None:
                    continue
                if is_new:
                    nxt.append(other)
                key = (nodes[s]["id"], nodes[o]["id"], p)
                edge = edges.setdefault(key, {"source": key[0], "target": key[1], "predicate": p, "label": p})
                if title is not None:
                    edge["label"] = title
        frontier = nxt
    return {
        "center": pid,
        "nodes": sorted(nodes.values(), key=lambda n: (n["depth"], n["group"], n["label"].lower(), n["id"])),
        "edges": sorted(edges.values(), key=lambda e: (e["source"], e["target"], e["predicate"])),
        "truncated": truncated,
    }


# --- timeline -----------------------------------------------------------------------------------
async def timeline(
    select: Select, index: EntityIndex, *, granularity: str = "month", limit: int = 50, offset: int = 0, **filters: Any
) -> dict[str, Any]:
    """A page of the dated agreements in date order, and how many of them all fall in each
    year or month."""
    items, total = await list_agreements(
        select, index, dated_only=True, limit=10**9, offset=0, evidence=False, **filters
    )
    width = 4 if granularity == "year" else 7
    buckets: dict[str, int] = defaultdict(int)
    for a in items:
        buckets[a["date"][:width]] += 1
    return {
        "data": items[offset : offset + limit],
        "count": total,
        "buckets": [{"period": k, "count": n} for k, n in sorted(buckets.items())],
    }
