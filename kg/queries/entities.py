"""Entities: listing with kind filter, prefix and fuzzy name search, and detail with relations and evidence."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import Literal, URIRef

from kg import vocab as v
from kg.errors import NotFound
from kg.queries.agreements import agreement_heads, agreement_order, agreement_records
from kg.queries.base import (
    _ENTITY_TYPES,
    _EVIDENCE_FIELDS,
    _PREFIXES,
    _RELATION_PREDICATES,
    EntityIndex,
    Select,
    _evidence,
    _sorted_evidence,
    fold,
    iri_of,
    local_name,
    public_id,
)


# --- entities ----------------------------------------------------------------------------
def _entity_list_query(*, kind: bool, prefix: bool) -> str:
    projection = "?e" + (" ?kind" if kind else "") + (" ?q" if prefix else "")
    body = [_ENTITY_TYPES, "?e a ?type ."]
    if kind:
        body.append("?e a/rdfs:subClassOf* ?kind .")
    if prefix:
        body.append("?e rdfs:label|skos:altLabel ?name .")
        body.append("FILTER(STRSTARTS(LCASE(STR(?name)), ?q))")
    return _PREFIXES + f"SELECT DISTINCT {projection} WHERE {{\n  " + "\n  ".join(body) + "\n}"


ENTITY_NAMES = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?name WHERE {{
  {_ENTITY_TYPES}
  ?e a ?type .
  ?e rdfs:label|skos:altLabel ?name .
}}"""
)

ENTITY_NAMES_OF_KIND = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?name ?kind WHERE {{
  {_ENTITY_TYPES}
  ?e a ?type .
  ?e a/rdfs:subClassOf* ?kind .
  ?e rdfs:label|skos:altLabel ?name .
}}"""
)

FUZZY_THRESHOLD = 0.75


def fuzzy_score(query: str, names: Iterable[str]) -> float:
    """How well ``query`` matches the best of ``names`` (0..1), after folding.

    A substring scores 0.9 plus a share for covering more of the name; otherwise the
    best difflib ratio against the whole name or a same-length run of its words.

    >>> round(fuzzy_score("leonrdo", ["Leonardo S.p.A."]), 2)
    0.93
    >>> fuzzy_score("tb2", ["Bayraktar TB2"]) > 0.9
    True
    """
    q = fold(query)
    if not q:
        return 0.0
    best = 0.0
    width = len(q.split())
    for name in names:
        n = fold(name)
        if not n:
            continue
        if q == n:
            return 1.0
        if q in n:
            best = max(best, 0.9 + 0.09 * len(q) / len(n))
            continue
        words = n.split()
        candidates = [n] + [" ".join(words[i : i + width]) for i in range(len(words) - width + 1)]
        for c in candidates:
            best = max(best, difflib.SequenceMatcher(None, q, c).ratio())
    return best


async def list_entities(
    select: Select,
    index: EntityIndex,
    *,
    kind: str | None = None,
    name: str | None = None,
    match: str = "prefix",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Entities of a kind (subclasses included) whose names match; (page, total)."""
    subs: dict[str, Any] = {}
    if kind is not None:
        subs["kind"] = v.DK[kind]
    scores: dict[str, float] = {}
    if name is not None and match == "fuzzy":
        query = ENTITY_NAMES_OF_KIND if kind is not None else ENTITY_NAMES
        names: dict[str, list[str]] = defaultdict(list)
        for r in await select(query, substitutions=subs or None):
            names[str(r["e"])].append(str(r["name"]))
        for iri, ns in names.items():
            score = fuzzy_score(name, ns)
            if score >= FUZZY_THRESHOLD:
                scores[iri] = score
        iris: Iterable[str] = scores
    else:
        if name is not None:
            subs["q"] = Literal(name.lower())
        rows = await select(
            _entity_list_query(kind=kind is not None, prefix=name is not None), substitutions=subs or None
        )
        iris = {str(r["e"]) for r in rows}
    refs = [index.refs[i] for i in iris if i in index.mentioned]
    if scores:
        refs.sort(key=lambda r: (-scores[r.iri], r.label.lower(), r.id))
    else:
        refs.sort(key=lambda r: (r.label.lower(), r.id))
    page = []
    for ref in refs[offset : offset + limit]:
        d: dict[str, Any] = ref.as_dict()
        d["score"] = round(scores[ref.iri], 3) if scores else None
        page.append(d)
    return page, len(refs)


async def entity_agreements(select: Select, index: EntityIndex, iri: URIRef) -> list[dict[str, Any]]:
    """The agreements ``iri`` is a party, subject or site of, with its roles, without evidence."""
    roles: dict[str, set[str]] = defaultdict(set)
    for r in await select(ENTITY_AGREEMENTS, substitutions={"e": iri}):
        roles[str(r["ag"])].add(str(r["role"]))
    agreements = [
        a | {"roles": sorted(roles[a["iri"]])}
        for a in await agreement_records(select, index, await agreement_heads(select, roles), evidence=False)
    ]
    agreements.sort(key=agreement_order)
    return agreements


ENTITY_LABELS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?name WHERE { ?e rdfs:label|skos:altLabel ?name . }"""
)

ENTITY_TYPES = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?type WHERE { ?e a ?type . }"""
)

ENTITY_RELATIONS = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?p ?dir ?other WHERE {{
  {_RELATION_PREDICATES}
  {{ ?e ?p ?other . BIND("out" AS ?dir) }} UNION {{ ?other ?p ?e . BIND("in" AS ?dir) }}
}}"""
)

ENTITY_RELATION_EVIDENCE = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?p ?dir ?other ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  {{ ?st rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?other . BIND("out" AS ?dir) }}
  UNION
  {{ ?st rdf:object ?e ; rdf:predicate ?p ; rdf:subject ?other . BIND("in" AS ?dir) }}
  {_RELATION_PREDICATES}
  ?st dk:evidence ?ev .
  {_EVIDENCE_FIELDS}
}}"""
)

# A position's IRI is the same in every document that names it, and the default graph is
# the union of the graphs: each pattern about it matches once per document, so each step
# is made DISTINCT before the next joins (else the rows grow as a power of the mentions).
ENTITY_POSITIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?pos ?dir ?other ?title WHERE {
  { SELECT DISTINCT ?e ?pos ?dir ?other WHERE {
      { { SELECT DISTINCT ?e ?pos WHERE { ?pos dk:holder ?e } } ?pos dk:organization ?other . BIND("out" AS ?dir) }
      UNION
      { { SELECT DISTINCT ?e ?pos WHERE { ?pos dk:organization ?e } } ?pos dk:holder ?other . BIND("in" AS ?dir) }
      FILTER EXISTS { ?pos a dk:Position }
  } }
  OPTIONAL { ?pos dk:roleTitle ?title }
}"""
)

ENTITY_POSITION_EVIDENCE = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?pos ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  {{ GRAPH ?g {{ ?pos dk:holder ?e ; dk:evidence ?ev }} }} UNION {{ GRAPH ?g {{ ?pos dk:organization ?e ; dk:evidence ?ev }} }}
  {_EVIDENCE_FIELDS}
}}"""
)
"""Within each graph: the document that names a position states its evidence beside it, and
each graph states the holder once (over the union, every holder triple would meet every
evidence triple)."""

ENTITY_AGREEMENTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?ag ?role WHERE {
  VALUES (?rp ?role) { (dk:party "party") (dk:subject "subject") (dk:site "site") }
  ?ag ?rp ?e .
  ?ag a/rdfs:subClassOf* dk:Agreement .
}"""
)

ENTITY_DOCUMENTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?doc ?title WHERE {
  ?doc dk:mentions ?e .
  OPTIONAL { ?doc dk:title ?title }
}"""
)


async def get_entity(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    """One entity with its labels, types, relations both ways, positions, agreements, documents
    (the read model's :func:`kg.readmodel.reads.get_entity` answers the same from its tables)."""
    iri = iri_of(pid)
    ref = index.refs.get(str(iri)) if iri is not None else None
    if iri is None or ref is None:
        raise NotFound(f"no entity with id '{pid}'")
    subs = {"e": iri}
    labels = sorted({str(r["name"]) for r in await select(ENTITY_LABELS, substitutions=subs)})
    types = sorted(
        {
            local_name(r["type"])
            for r in await select(ENTITY_TYPES, substitutions=subs)
            if str(r["type"]).startswith(str(v.DK))
        }
    )

    relations: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in await select(ENTITY_RELATIONS, substitutions=subs):
        relations.setdefault((local_name(r["p"]), str(r["dir"]), str(r["other"])), [])
    for r in await select(ENTITY_RELATION_EVIDENCE, substitutions=subs):
        key = (local_name(r["p"]), str(r["dir"]), str(r["other"]))
        if key in relations:
            relations[key].append(_evidence(r))
    rel_list: list[dict[str, Any]] = []
    for (pred, direction, other), evs in relations.items():
        other_ref = index.ref_dict(other)
        if other_ref is None:
            continue
        rel_list.append(
            {"predicate": pred, "direction": direction, "other": other_ref, "evidence": _sorted_evidence(evs)}
        )
    rel_list.sort(key=lambda x: (x["predicate"], x["direction"], x["other"]["label"].lower(), x["other"]["id"]))

    positions: dict[tuple[str, str, str], dict[str, Any]] = {}
    evidence_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in await select(ENTITY_POSITION_EVIDENCE, substitutions=subs):
        evidence_of[str(r["pos"])].append(_evidence(r))
    for r in await select(ENTITY_POSITIONS, substitutions=subs):
        other_ref = index.ref_dict(r["other"])
        if other_ref is None:
            continue
        title = str(r["title"]) if "title" in r else None
        direction = str(r["dir"])
        entry = positions.setdefault(
            (direction, str(r["other"]), title or ""),
            {
                "direction": direction,
                "title": title,
                "person": ref.as_dict() if direction == "out" else other_ref,
                "organization": other_ref if direction == "out" else ref.as_dict(),
                "evidence": [],
            },
        )
        entry["evidence"] += evidence_of[str(r["pos"])]
    pos_list = sorted(
        positions.values(),
        key=lambda p: (
            p["direction"],
            p["person"]["label"].lower(),
            p["organization"]["label"].lower(),
            p["title"] or "",
        ),
    )
    for p in pos_list:
        p["evidence"] = _sorted_evidence(p["evidence"])

    agreements = await entity_agreements(select, index, iri)

    docs = {}
    for r in await select(ENTITY_DOCUMENTS, substitutions=subs):
        did = public_id(r["doc"])
        if did is not None:
            docs[did] = {"id": did, "title": str(r["title"]) if "title" in r else None}
    return {
        **ref.as_dict(),
        "types": types,
        "labels": labels,
        "relations": rel_list,
        "positions": pos_list,
        "agreements": agreements,
        "documents": [docs[k] for k in sorted(docs)],
    }
