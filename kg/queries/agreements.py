"""Agreements: filtered listing and detail with parties, subjects, value, date and evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import URIRef

from kg import vocab as v
from kg.queries.base import (
    _EVIDENCE_FIELDS,
    _PREFIXES,
    AGREEMENT_KINDS,
    STATUSES,
    EntityIndex,
    NotFound,
    Row,
    Select,
    _evidence,
    _sorted_evidence,
    iri_of,
    local_name,
    public_id,
)


# --- agreements ------------------------------------------------------------------------
def _agreement_list_query(*, party: bool, status: bool, country: bool, subject: bool) -> str:
    projection = ["?ag", "?kind", "?status", "?date"]
    body = ["?ag a ?kind .", "?kind rdfs:subClassOf* dk:Agreement .", "FILTER(?kind != dk:Agreement)"]
    if party:
        projection.append("?party")
        body.append("?ag dk:party ?party .")
    if subject:
        projection.append("?subject")
        body.append("?ag dk:subject ?subject .")
    if country:
        projection.append("?country")
        body.append("{ ?ag dk:party ?country } UNION { ?ag dk:party ?cp . ?cp dk:country ?country }")
    if status:
        body.append("?ag dk:status ?status .")
    else:
        body.append("OPTIONAL { ?ag dk:status ?status }")
    body.append("OPTIONAL { ?ag dk:date ?date }")
    return _PREFIXES + f"SELECT DISTINCT {' '.join(projection)} WHERE {{\n  " + "\n  ".join(body) + "\n}"


AGREEMENT_DETAIL = (
    _PREFIXES
    + """
SELECT DISTINCT ?ag ?rel ?x ?amount ?currency WHERE {
  {
    VALUES (?rp ?rel) { (dk:party "party") (dk:subject "subject") (dk:site "site") }
    ?ag ?rp ?x .
  } UNION {
    ?ag dk:value ?x . BIND("value" AS ?rel)
    OPTIONAL { ?x dk:amount ?amount }
    OPTIONAL { ?x dk:currency ?currency }
  }
}"""
)

AGREEMENT_EVIDENCE = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?ag ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  ?ag dk:evidence ?ev .
  {_EVIDENCE_FIELDS}
}}"""
)

AGREEMENT_HEAD = (
    _PREFIXES
    + """
SELECT DISTINCT ?ag ?kind ?status ?date WHERE {
  ?ag a ?kind . ?kind rdfs:subClassOf* dk:Agreement . FILTER(?kind != dk:Agreement)
  OPTIONAL { ?ag dk:status ?status }
  OPTIONAL { ?ag dk:date ?date }
}"""
)


def date_bounds(text: str) -> tuple[str, str]:
    """The first and last day an ISO date, year-month or year stands for.

    >>> date_bounds("2024")
    ('2024-01-01', '2024-12-31')
    >>> date_bounds("2024-02")
    ('2024-02-01', '2024-02-31')
    """
    text = text[:10]
    if len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        return f"{text}-01", f"{text}-31"  # lexical upper bound: fine for comparisons
    return text, text


DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else -1


def heads_from_rows(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """One record per agreement from head rows: its kind, furthest status, earliest date."""
    heads: dict[str, dict[str, Any]] = {}
    for r in rows:
        iri = str(r["ag"])
        h = heads.setdefault(iri, {"kinds": set(), "status": None, "date": None})
        h["kinds"].add(local_name(r["kind"]))
        if "status" in r:
            # Documents can disagree (talks in one, a signature in a later one): the
            # furthest stage wins, in the order of STATUSES.
            found = local_name(r["status"])
            h["status"] = max(filter(None, [h["status"], found]), key=_status_rank)
        if "date" in r:
            h["date"] = min(filter(None, [h["date"], str(r["date"])]))
    for h in heads.values():
        known = [k for k in AGREEMENT_KINDS if k in h["kinds"]]
        h["kind"] = known[0] if known else sorted(h["kinds"])[0]
    return heads


def agreement_order(a: Mapping[str, Any]) -> tuple[Any, ...]:
    return (a["date"] is None, a["date"] or "", a["id"] or a["iri"])


_PER_ITEM_LIMIT = 16
"""Up to this many agreements are read one bound query each; more are read in one pass."""


def _agreement_record(iri: str, head: Mapping[str, Any], detail: Iterable[Row], index: EntityIndex) -> dict[str, Any]:
    parties, subjects, sites = [], [], []
    value = None
    for r in detail:
        rel = str(r["rel"])
        if rel == "party":
            parties.append(r["x"])
        elif rel == "subject":
            subjects.append(r["x"])
        elif rel == "site":
            sites.append(r["x"])
        elif rel == "value" and "amount" in r:
            value = {"amount": float(r["amount"]), "currency": str(r["currency"]) if "currency" in r else None}
    return {
        "id": public_id(iri),
        "iri": iri,
        "kind": head["kind"],
        "status": head["status"],
        "date": head["date"],
        "value": value,
        "parties": index.refs_sorted(parties),
        "subjects": index.refs_sorted(subjects),
        "sites": index.refs_sorted(sites),
    }


async def agreement_records(
    select: Select, index: EntityIndex, heads: Mapping[str, Mapping[str, Any]], *, evidence: bool
) -> list[dict[str, Any]]:
    """Full records for the agreements in ``heads`` (in its order)."""
    details: dict[str, list[Row]] = defaultdict(list)
    evidences: dict[str, list[Row]] = defaultdict(list)
    if len(heads) <= _PER_ITEM_LIMIT:
        for iri in heads:
            details[iri] = await select(AGREEMENT_DETAIL, substitutions={"ag": URIRef(iri)})
            if evidence:
                evidences[iri] = await select(AGREEMENT_EVIDENCE, substitutions={"ag": URIRef(iri)})
    else:
        for r in await select(AGREEMENT_DETAIL):
            details[str(r["ag"])].append(r)
        if evidence:
            for r in await select(AGREEMENT_EVIDENCE):
                evidences[str(r["ag"])].append(r)
    records = []
    for iri, head in heads.items():
        record = _agreement_record(iri, head, details.get(iri, ()), index)
        if evidence:
            record["evidence"] = _sorted_evidence(_evidence(r) for r in evidences.get(iri, ()))
        records.append(record)
    return records


async def agreement_heads(select: Select, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    heads: dict[str, dict[str, Any]] = {}
    for iri in iris:
        found = heads_from_rows(await select(AGREEMENT_HEAD, substitutions={"ag": URIRef(iri)}))
        heads[iri] = found.get(iri, {"kind": "Agreement", "kinds": set(), "status": None, "date": None})
    return heads


async def list_agreements(
    select: Select,
    index: EntityIndex,
    *,
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    country: str | None = None,
    subject: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    dated_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    evidence: bool = True,
) -> tuple[list[dict[str, Any]], int]:
    """Agreements matching every given filter, ordered by date then id; (page, total).

    ``party``, ``country`` and ``subject`` are public ids (unknown ids match nothing);
    the date range keeps an agreement whose date (a year, month or day) overlaps it.
    """
    subs: dict[str, Any] = {}
    for name, pid in (("party", party), ("country", country), ("subject", subject)):
        if pid is not None:
            iri = iri_of(pid)
            if iri is None:
                return [], 0
            subs[name] = iri
    if status is not None:
        subs["status"] = v.DK[status]
    query = _agreement_list_query(
        party=party is not None, status=status is not None, country=country is not None, subject=subject is not None
    )
    heads = heads_from_rows(await select(query, substitutions=subs or None))
    items = []
    for iri, h in heads.items():
        if kind is not None and h["kind"] != kind and kind not in h["kinds"]:
            continue
        if date_from is not None or date_to is not None or dated_only:
            if h["date"] is None:
                continue
            lo, hi = date_bounds(h["date"])
            if date_from is not None and hi < date_bounds(date_from)[0]:
                continue
            if date_to is not None and lo > date_bounds(date_to)[1]:
                continue
        items.append({"iri": iri, "id": public_id(iri), "date": h["date"], "head": h})
    items.sort(key=agreement_order)
    chosen = {i["iri"]: i["head"] for i in items[offset : offset + limit]}
    return await agreement_records(select, index, chosen, evidence=evidence), len(items)


async def get_agreement(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    iri = iri_of(pid)
    if iri is None:
        raise NotFound("agreement", pid)
    heads = heads_from_rows(await select(AGREEMENT_HEAD, substitutions={"ag": iri}))
    if str(iri) not in heads:
        raise NotFound("agreement", pid)
    return (await agreement_records(select, index, {str(iri): heads[str(iri)]}, evidence=True))[0]
