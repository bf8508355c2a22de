"""Aircraft and programmes with their links, and documents with the facts each states."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from rdflib import URIRef

from kg import vocab as v
from kg.errors import NotFound
from kg.queries.agreements import agreement_heads, agreement_order, agreement_records
from kg.queries.base import (
    _PREFIXES,
    _RELATION_PREDICATES,
    EntityIndex,
    Row,
    Select,
    _evidence,
    _sorted_evidence,
    iri_of,
    local_name,
    public_id,
)
from kg.queries.entities import list_entities

# --- aircraft and programmes --------------------------------------------------------------
LINKS_OF = (
    _PREFIXES
    + """
SELECT DISTINCT ?e ?p ?x WHERE { ?e ?p ?x . VALUES ?p { dk:manufacturer dk:operator dk:participant } }"""
)
"""With ``?e`` bound: one entity's manufacturers, operators and participants."""

IS_OF_KIND = _PREFIXES + "SELECT ?e ?kind WHERE { ?e a/rdfs:subClassOf* ?kind } LIMIT 1"


LINK_LIMIT = 20
"""How many entities a listing gives in each of an item's link lists (the first by label;
the item's ``…Count`` gives them all): a page's size grows with the page, not with how many
participants a programme has gathered."""


async def with_links(
    select: Select, index: EntityIndex, page: list[dict[str, Any]], links: tuple[str, ...], *, limit: int | None
) -> list[dict[str, Any]]:
    """The entities of a listing page, each with the entities its ``links`` point to (a
    bound query per entity: the cost of the page, not of every entity of the kind), at most
    ``limit`` in each list (None: all)."""
    linked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item in page:
        for r in await select(LINKS_OF, substitutions={"e": URIRef(item["iri"])}):
            linked[item["iri"]][local_name(r["p"])].add(str(r["x"]))
    refs = {s: {p: index.refs_sorted(os) for p, os in by_p.items()} for s, by_p in linked.items()}
    counts = {s: {p: len(rs) for p, rs in by_p.items()} for s, by_p in refs.items()}
    return attach_links(page, links, refs, counts, limit=limit)


def attach_links(
    page: list[dict[str, Any]],
    links: tuple[str, ...],
    linked: Mapping[str, Mapping[str, list[dict[str, str]]]],
    counts: Mapping[str, Mapping[str, int]],
    *,
    limit: int | None,
) -> list[dict[str, Any]]:
    """The page's items (without a search score), each with the entities ``linked[iri][key]``
    names (their refs, by label; the first ``limit`` of them) under the JSON key of each
    link, and how many there are in all (``counts[iri][key]``) under its count key."""
    out = []
    for item in page:
        entry = {k: v for k, v in item.items() if k != "score"}
        mine = linked.get(item["iri"], {})
        for key in links:
            entry[PLURALS[key]] = mine.get(key, [])[:limit]
            entry[COUNTS[key]] = counts.get(item["iri"], {}).get(key, 0)
        out.append(entry)
    return out


async def list_with_links(
    select: Select,
    index: EntityIndex,
    *,
    kind: str,
    links: tuple[str, ...],
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
    link_limit: int = LINK_LIMIT,
) -> tuple[list[dict[str, Any]], int]:
    """Entities of ``kind`` with, for each predicate in ``links``, the first ``link_limit``
    entities it points to and their count."""
    page, total = await list_entities(select, index, kind=kind, name=name, limit=limit, offset=offset)
    return await with_links(select, index, page, links, limit=link_limit), total


async def get_with_links(
    select: Select, index: EntityIndex, pid: str, *, kind: str, links: tuple[str, ...]
) -> dict[str, Any]:
    """One entity of ``kind`` with its links, as :func:`list_with_links` lists it; :class:`NotFound` if none."""
    iri = iri_of(pid)
    ref = index.refs.get(str(iri)) if iri is not None else None
    if (
        ref is None
        or str(iri) not in index.mentioned
        or not await select(IS_OF_KIND, substitutions={"e": iri, "kind": v.DK[kind]})
    ):
        raise NotFound(f"no {kind.lower()} with id '{pid}'")
    return (await with_links(select, index, [ref.as_dict()], links, limit=None))[0]


PLURALS = {"manufacturer": "manufacturers", "operator": "operators", "participant": "participants"}
"""The JSON key of each link."""
COUNTS = {"manufacturer": "manufacturerCount", "operator": "operatorCount", "participant": "participantCount"}
"""The JSON key of each link's count."""


# --- documents ---------------------------------------------------------------------------
DOCUMENT_LIST = (
    _PREFIXES
    + """
SELECT ?doc ?title ?sourceFile ?published ?ingested ?sha256 WHERE {
  ?doc a/rdfs:subClassOf* dk:Document .
  OPTIONAL { ?doc dk:title ?title }
  OPTIONAL { ?doc dk:sourceFile ?sourceFile }
  OPTIONAL { ?doc dk:publishedDate ?published }
  OPTIONAL { ?doc dk:ingestedAt ?ingested }
  OPTIONAL { ?doc dk:sha256 ?sha256 }
}"""
)

DOCUMENT_HEAD = DOCUMENT_LIST  # with ?doc bound

DOCUMENT_MENTIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?doc ?e WHERE { GRAPH ?doc { ?doc dk:mentions ?e } }"""
)

DOCUMENT_COUNTS = (
    _PREFIXES
    + """
SELECT ?doc (COUNT(DISTINCT ?e) AS ?mentions) WHERE {
  ?doc a/rdfs:subClassOf* dk:Document .
  OPTIONAL { ?doc dk:mentions ?e }
} GROUP BY ?doc"""
)

DOCUMENT_RELATIONS = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?doc ?s ?p ?o ?ev ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  GRAPH ?doc {{
    {_RELATION_PREDICATES}
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
    OPTIONAL {{ ?ev dk:sentenceText ?sentence }}
    OPTIONAL {{ ?ev dk:charStart ?start }}
    OPTIONAL {{ ?ev dk:charEnd ?end }}
    OPTIONAL {{ ?ev dk:confidence ?confidence }}
  }}
  OPTIONAL {{ ?doc dk:title ?docTitle }}
}}"""
)

DOCUMENT_POSITIONS = (
    _PREFIXES
    + """
SELECT DISTINCT ?doc ?pos ?person ?org ?title ?ev ?docTitle ?sentence ?start ?end ?confidence WHERE {
  GRAPH ?doc {
    ?pos a dk:Position ; dk:holder ?person ; dk:organization ?org .
    OPTIONAL { ?pos dk:roleTitle ?title }
    OPTIONAL { ?pos dk:evidence ?ev .
      OPTIONAL { ?ev dk:sentenceText ?sentence }
      OPTIONAL { ?ev dk:charStart ?start }
      OPTIONAL { ?ev dk:charEnd ?end }
      OPTIONAL { ?ev dk:confidence ?confidence } }
  }
  OPTIONAL { ?doc dk:title ?docTitle }
}"""
)

DOCUMENT_AGREEMENTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?doc ?ag WHERE { GRAPH ?doc { ?ag dk:party ?p } }"""
)


def document_record(r: Row, mentions: int | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": public_id(r["doc"]),
        "iri": str(r["doc"]),
        "title": str(r["title"]) if "title" in r else None,
        "sourceFile": str(r["sourceFile"]) if "sourceFile" in r else None,
        "publishedDate": str(r["published"]) if "published" in r else None,
        "ingestedAt": str(r["ingested"]) if "ingested" in r else None,
        "sha256": str(r["sha256"]) if "sha256" in r else None,
    }
    if mentions is not None:
        d["mentionCount"] = mentions
    return d


async def list_documents(select: Select, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    counts = {str(r["doc"]): int(r["mentions"]) for r in await select(DOCUMENT_COUNTS)}
    docs: dict[str, dict[str, Any]] = {}
    for r in await select(DOCUMENT_LIST):
        iri = str(r["doc"])
        if public_id(iri) is not None and iri not in docs:
            docs[iri] = document_record(r, counts.get(iri, 0))
    items = sorted(docs.values(), key=lambda d: d["id"])
    return items[offset : offset + limit], len(items)


async def get_document(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    """A document with the entities it mentions and every fact its graph states."""
    iri = iri_of(pid)
    if iri is None:
        raise NotFound(f"no document with id '{pid}'")
    subs = {"doc": iri}
    heads = await select(DOCUMENT_HEAD, substitutions=subs)
    if not heads:
        raise NotFound(f"no document with id '{pid}'")
    doc = document_record(heads[0])
    doc["mentions"] = index.refs_sorted(r["e"] for r in await select(DOCUMENT_MENTIONS, substitutions=subs))
    facts: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in await select(DOCUMENT_RELATIONS, substitutions=subs):
        facts[(local_name(r["p"]), str(r["s"]), str(r["o"]))].append(_evidence(r))
    relations: list[dict[str, Any]] = []
    for (p, s, o), evs in facts.items():
        sr, orf = index.ref_dict(s), index.ref_dict(o)
        if sr is None or orf is None:
            continue
        relations.append({"predicate": p, "subject": sr, "object": orf, "evidence": _sorted_evidence(evs)})
    relations.sort(key=lambda f: (f["predicate"], f["subject"]["label"].lower(), f["object"]["label"].lower()))
    doc["relations"] = relations
    positions: dict[str, dict[str, Any]] = {}
    for r in await select(DOCUMENT_POSITIONS, substitutions=subs):
        person, org = index.ref_dict(r["person"]), index.ref_dict(r["org"])
        if person is None or org is None:
            continue
        entry = positions.setdefault(
            str(r["pos"]),
            {"title": str(r["title"]) if "title" in r else None, "person": person, "organization": org, "evidence": []},
        )
        if "ev" in r:
            entry["evidence"].append(_evidence(r))
    doc["positions"] = sorted(
        positions.values(), key=lambda p: (p["person"]["label"].lower(), p["organization"]["label"].lower())
    )
    for p in doc["positions"]:
        p["evidence"] = _sorted_evidence(p["evidence"])
    ags = {str(r["ag"]) for r in await select(DOCUMENT_AGREEMENTS, substitutions=subs)}
    agreements = await agreement_records(select, index, await agreement_heads(select, sorted(ags)), evidence=True)
    for a in agreements:
        a["evidence"] = [e for e in a["evidence"] if e["document"] == pid]
    doc["agreements"] = sorted(agreements, key=agreement_order)
    return doc
