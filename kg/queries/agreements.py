"""Agreements: filtered listing and detail with parties, subjects, value, date and evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import URIRef

from kg import vocab as v
from kg.errors import NotFound
from kg.queries.base import (
    _EVIDENCE_FIELDS,
    _PREFIXES,
    AGREEMENT_KINDS,
    STATUSES,
    EntityIndex,
    Row,
    Rows,
    Select,
    _sorted_evidence,
    evidence_reader,
    iri_of,
    local_name,
    public_id,
)

# --- agreements ------------------------------------------------------------------------
# Each document graph that states an agreement is one *report* of it: the kind, status and date its own
# sentence gives (and the document's publication date). An agreement's status and date are those of its
# latest report; every report is listed in its history.
_REPORT = """GRAPH ?g { ?ag a ?kind . OPTIONAL { ?ag dk:status ?status } OPTIONAL { ?ag dk:date ?date } }
  ?kind rdfs:subClassOf* dk:Agreement . FILTER(?kind != dk:Agreement)
  OPTIONAL { GRAPH ?g { ?g dk:publishedDate ?published } }"""


def _agreement_list_query(*, party: bool, status: bool, country: bool, subject: bool) -> str:
    projection = ["?ag", "?kind", "?status", "?date", "?g", "?published"]
    body = [_REPORT]
    if status:
        # the filter is on the agreement's status, its latest report's: read every report of the agreements
        # one report of which has it, and keep those whose latest one does (see list_agreements)
        projection.append("?wanted")
        body.insert(0, "?ag dk:status ?wanted .")
    if party:
        projection.append("?party")
        body.append("?ag dk:party ?party .")
    if subject:
        projection.append("?subject")
        body.append("?ag dk:subject ?subject .")
    if country:
        projection.append("?country")
        body.append("{ ?ag dk:party ?country } UNION { ?ag dk:party ?cp . ?cp dk:country ?country }")
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
    + f"""
SELECT DISTINCT ?ag ?kind ?status ?date ?g ?published WHERE {{
  {_REPORT}
}}"""
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


def _report_order(r: Mapping[str, Any]) -> tuple[str, int]:
    """Reports oldest first: by the date they give, else by their document's publication date."""
    return (r["date"] or r["published"] or "", _status_rank(r["status"] or ""))


def heads_from_rows(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """One record per agreement from report rows: its kind, the reports oldest first, and the status and
    date of its latest report that states them."""
    heads: dict[str, dict[str, Any]] = {}
    reports: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        iri = str(r["ag"])
        h = heads.setdefault(iri, {"kinds": set(), "status": None, "date": None, "reports": []})
        h["kinds"].add(local_name(r["kind"]))
        graph = str(r["g"]) if "g" in r else ""
        rep = reports[iri].setdefault(
            graph,
            {"document": graph, "status": None, "date": None, "published": None},
        )
        if "status" in r:
            # one document states one status; should a store hold more, the furthest stage stands
            found = local_name(r["status"])
            rep["status"] = max(filter(None, [rep["status"], found]), key=_status_rank)
        if "date" in r:
            rep["date"] = min(filter(None, [rep["date"], str(r["date"])]))
        if "published" in r:
            rep["published"] = str(r["published"])
    for iri, h in heads.items():
        known = [k for k in AGREEMENT_KINDS if k in h["kinds"]]
        h["kind"] = known[0] if known else sorted(h["kinds"])[0]
        h["reports"] = sorted(reports[iri].values(), key=lambda x: (*_report_order(x), x["document"]))
        stated = [x for x in h["reports"] if x["status"]]
        dated = [x for x in h["reports"] if x["date"]]
        h["status"] = stated[-1]["status"] if stated else None
        h["date"] = dated[-1]["date"] if dated else None
    return heads


def agreement_order(a: Mapping[str, Any]) -> tuple[Any, ...]:
    return (a["date"] is None, a["date"] or "", a["id"] or a["iri"])


_PER_ITEM_LIMIT = 16
"""Up to this many agreements are read one bound query each; more are read in one pass."""


def agreement_record(iri: str, head: Mapping[str, Any], detail: Iterable[Row], index: EntityIndex) -> dict[str, Any]:
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
        "reports": [
            {
                "document": public_id(r["document"]) if r["document"] else None,
                "status": r["status"],
                "date": r["date"],
                "published": r["published"],
            }
            for r in head.get("reports", ())
        ],
        "value": value,
        "parties": index.refs_sorted(parties),
        "subjects": index.refs_sorted(subjects),
        "sites": index.refs_sorted(sites),
    }


async def agreement_records(
    select: Rows, index: EntityIndex, heads: Mapping[str, Mapping[str, Any]], *, evidence: bool
) -> list[dict[str, Any]]:
    """Full records for the agreements in ``heads`` (in its order)."""
    details: dict[str, list[Row]] = defaultdict(list)
    evidences: dict[str, list[dict[str, Any]]] = defaultdict(list)
    read = evidence_reader()
    if len(heads) <= _PER_ITEM_LIMIT:
        for iri in heads:
            details[iri] = list(await select(AGREEMENT_DETAIL, substitutions={"ag": URIRef(iri)}))
            if evidence:
                rows = await select(AGREEMENT_EVIDENCE, substitutions={"ag": URIRef(iri)})
                evidences[iri] = [read(r) for r in rows]
    else:
        for r in await select(AGREEMENT_DETAIL):
            if (iri := str(r["ag"])) in heads:
                details[iri].append(r)
        if evidence:
            for r in await select(AGREEMENT_EVIDENCE):
                if (iri := str(r["ag"])) in heads:
                    evidences[iri].append(read(r))
    records = []
    for iri, head in heads.items():
        record = agreement_record(iri, head, details.get(iri, ()), index)
        if evidence:
            record["evidence"] = _sorted_evidence(evidences.get(iri, ()))
        records.append(record)
    return records


async def agreement_heads(select: Rows, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    heads: dict[str, dict[str, Any]] = {}
    for iri in iris:
        found = heads_from_rows(await select(AGREEMENT_HEAD, substitutions={"ag": URIRef(iri)}))
        heads[iri] = found.get(iri, {"kind": "Agreement", "kinds": set(), "status": None, "date": None, "reports": []})
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
        subs["wanted"] = v.DK[status]
    query = _agreement_list_query(
        party=party is not None, status=status is not None, country=country is not None, subject=subject is not None
    )
    heads = heads_from_rows(await select(query, substitutions=subs or None))
    items = []
    for agreement, h in heads.items():
        if kind is not None and h["kind"] != kind and kind not in h["kinds"]:
            continue
        if status is not None and h["status"] != status:
            continue
        if date_from is not None or date_to is not None or dated_only:
            if h["date"] is None:
                continue
            lo, hi = date_bounds(h["date"])
            if date_from is not None and hi < date_bounds(date_from)[0]:
                continue
            if date_to is not None and lo > date_bounds(date_to)[1]:
                continue
        items.append({"iri": agreement, "id": public_id(agreement), "date": h["date"], "head": h})
    items.sort(key=agreement_order)
    chosen = {i["iri"]: i["head"] for i in items[offset : offset + limit]}
    return await agreement_records(select, index, chosen, evidence=evidence), len(items)


async def get_agreement(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    iri = iri_of(pid)
    if iri is None:
        raise NotFound(f"no agreement with id '{pid}'")
    heads = heads_from_rows(await select(AGREEMENT_HEAD, substitutions={"ag": iri}))
    if str(iri) not in heads:
        raise NotFound(f"no agreement with id '{pid}'")
    return (await agreement_records(select, index, {str(iri): heads[str(iri)]}, evidence=True))[0]
