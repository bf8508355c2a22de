"""REST answers from the read model: the same JSON as :mod:`kg.queries` computes over
SPARQL, in time that grows with the page (indexed SQL), not with the graph."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson

from kg.errors import NotFound
from kg.queries.agreements import agreement_order, date_bounds
from kg.queries.base import iri_of
from kg.queries.entities import FUZZY_THRESHOLD, fuzzy_score
from kg.queries.network import network_answer, network_nodes
from kg.queries.overview import Neighbour
from kg.queries.overview import neighbourhood as neighbourhood_of
from kg.queries.resources import LINK_LIMIT, attach_links
from kg.readmodel.index import StoredIndex
from kg.readmodel.search import candidates

_TOP = "\U0010ffff"  # sorts after every character: the upper end of a prefix range


_AGREEMENT_ORDER = "ORDER BY a.date IS NULL, COALESCE(a.date, ''), COALESCE(a.id, a.iri)"
"""The listing order (as :func:`kg.queries.agreement_order`), read from the ``agreement_page`` index."""
_DATED_ORDER = "ORDER BY COALESCE(a.date, ''), COALESCE(a.id, a.iri)"
"""The same order where every row is dated: with ``(a.date IS NULL) = 0`` in the filter, SQLite
reads it from the index without sorting (it does not drop the constant first term itself)."""


@dataclass(frozen=True)
class _Filter:
    """An agreement filter as SQL over ``agreement a``: ``where`` with its ``args``; ``dated``
    when it keeps dated agreements only (then :data:`_DATED_ORDER` applies); ``count``, a
    cheaper query that counts the same agreements, where there is one."""

    where: str
    args: list[Any]
    dated: bool = False
    count: tuple[str, list[Any]] | None = None

    @property
    def order(self) -> str:
        return _DATED_ORDER if self.dated else _AGREEMENT_ORDER


# --- entities ----------------------------------------------------------------------------
def list_entities(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    name: str | None = None,
    match: str = "prefix",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """As :func:`kg.queries.list_entities`: mentioned entities of a kind whose names match."""
    where: list[str] = ["e.mentioned"]
    args: list[Any] = []
    by_prefix = name is not None and match != "fuzzy"
    if by_prefix:
        q = str(name).lower()
        where.append("e.iri IN (SELECT iri FROM entity_name WHERE lowered >= ? AND lowered < ?)")
        args += [q, q + _TOP]
    if kind is not None and by_prefix:  # the names that start so are few: they lead, the kind is checked for each
        where.append("EXISTS (SELECT 1 FROM entity_class c WHERE c.class = ? AND c.iri = e.iri)")
        args.append(kind)
    elif kind is not None:
        where.append("e.iri IN (SELECT iri FROM entity_class WHERE class = ?)")
        args.append(kind)
    if name is not None and not by_prefix:
        return _fuzzy(conn, name, where, args, limit, offset)
    sql_where = " AND ".join(where)
    total = conn.execute(f"SELECT COUNT(*) FROM entity e WHERE {sql_where}", args).fetchone()[0]  # noqa: S608
    rows = conn.execute(
        f"SELECT id, iri, label, kind FROM entity e WHERE {sql_where} ORDER BY label_key, id LIMIT ? OFFSET ?",  # noqa: S608
        [*args, limit, offset],
    ).fetchall()
    return [{"id": i, "iri": iri, "label": label, "kind": k, "score": None} for i, iri, label, k in rows], total


def _fuzzy(
    conn: sqlite3.Connection, name: str, where: list[str], args: list[Any], limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Candidates from the full-text index, scored as the SPARQL path scores every name."""
    found = candidates(conn, name)
    if not found:
        return [], 0
    marks = ",".join("?" * len(found))
    rows = conn.execute(
        f"SELECT e.id, e.iri, e.label, e.kind, n.name FROM entity e JOIN entity_name n ON n.iri = e.iri "  # noqa: S608
        f"WHERE e.iri IN ({marks}) AND {' AND '.join(where)}",
        [*found, *args],
    ).fetchall()
    names: dict[str, list[str]] = defaultdict(list)
    refs = {}
    for pid, iri, label, kind, n in rows:
        names[iri].append(n)
        refs[iri] = {"id": pid, "iri": iri, "label": label, "kind": kind}
    scored = []
    for iri, ns in names.items():
        score = fuzzy_score(name, ns)
        if score >= FUZZY_THRESHOLD:
            scored.append(refs[iri] | {"score": round(score, 3), "_rank": score})
    scored.sort(key=lambda r: (-r["_rank"], r["label"].lower(), r["id"]))
    for r in scored:
        del r["_rank"]
    return scored[offset : offset + limit], len(scored)


def get_entity(conn: sqlite3.Connection, pid: str) -> dict[str, Any]:
    """As :func:`kg.queries.get_entity`: the projected detail, with the entities it names
    resolved through the ``entity`` table and its agreements from ``agreement``."""
    iri = iri_of(pid)
    row = None
    if iri is not None:
        row = conn.execute(
            "SELECT e.id, e.iri, e.label, e.kind, d.body FROM entity e JOIN entity_detail d ON d.iri = e.iri "
            "WHERE e.iri = ?",
            (str(iri),),
        ).fetchone()
    if row is None:
        raise NotFound(f"no entity with id '{pid}'")
    this = {"id": row[0], "iri": row[1], "label": row[2], "kind": row[3]}
    body = orjson.loads(row[4])
    index = StoredIndex(conn)
    relations = []
    for predicate, direction, other, evidence in body["relations"]:
        other_ref = index.ref_dict(other)
        if other_ref is not None:
            relations.append({"predicate": predicate, "direction": direction, "other": other_ref, "evidence": evidence})
    relations.sort(key=lambda x: (x["predicate"], x["direction"], x["other"]["label"].lower(), x["other"]["id"]))
    positions = []
    for direction, other, title, evidence in body["positions"]:
        other_ref = index.ref_dict(other)
        if other_ref is not None:
            out = direction == "out"
            positions.append(
                {
                    "direction": direction,
                    "title": title,
                    "person": this if out else other_ref,
                    "organization": other_ref if out else this,
                    "evidence": evidence,
                }
            )
    positions.sort(
        key=lambda p: (
            p["direction"],
            p["person"]["label"].lower(),
            p["organization"]["label"].lower(),
            p["title"] or "",
        )
    )
    return {
        **this,
        "types": body["types"],
        "labels": body["labels"],
        "relations": relations,
        "positions": positions,
        "agreements": entity_agreements(conn, row[1]),
        "documents": body["documents"],
    }


def entity_agreements(conn: sqlite3.Connection, iri: str) -> list[dict[str, Any]]:
    """The agreements an entity is a party, subject or site of, as its detail lists them."""
    roles: dict[str, set[str]] = defaultdict(set)
    for role, ag in conn.execute(
        "SELECT role, iri FROM agreement_link WHERE entity = ? AND role IN ('party', 'subject', 'site')", (iri,)
    ):
        roles[ag].add(role)
    records = _records(conn, sorted(roles))
    out = [_without_evidence(r) | {"roles": sorted(roles[r["iri"]])} for r in records]
    out.sort(key=agreement_order)
    return out


# --- agreements --------------------------------------------------------------------------
def list_agreements(
    conn: sqlite3.Connection,
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
    """As :func:`kg.queries.list_agreements`."""
    found = _agreement_filter(
        party=party,
        kind=kind,
        status=status,
        country=country,
        subject=subject,
        date_from=date_from,
        date_to=date_to,
        dated_only=dated_only,
    )
    if found is None:
        return [], 0
    return _agreement_page(conn, found, limit=limit, offset=offset, evidence=evidence)


def _agreement_page(
    conn: sqlite3.Connection, found: _Filter, *, limit: int, offset: int, evidence: bool
) -> tuple[list[dict[str, Any]], int]:
    """The page's agreements are found on an index alone (``agreement_page`` holds the order and
    the filter columns), and only then are their records read: a record holds its evidence, so
    the table's rows are large, and visiting one per candidate made a filtered page cost the
    whole table."""
    total = _agreement_count(conn, found)
    keys = [
        r[0]
        for r in conn.execute(
            f"SELECT a.iri FROM agreement a WHERE {found.where} {found.order} LIMIT ? OFFSET ?",  # noqa: S608
            [*found.args, limit, offset],
        )
    ]
    records = _records(conn, keys)
    return (records if evidence else [_without_evidence(r) for r in records]), total


def _agreement_count(conn: sqlite3.Connection, found: _Filter) -> int:
    if found.where == "1":  # no filter: the count kept by the projection
        return int(meta_value(conn, "agreements") or 0)
    sql, args = found.count or (f"SELECT COUNT(*) FROM agreement a WHERE {found.where}", found.args)  # noqa: S608
    return int(conn.execute(sql, args).fetchone()[0])


def _agreement_filter(
    *,
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    country: str | None = None,
    subject: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    dated_only: bool = False,
) -> _Filter | None:
    """The agreement filters as SQL (None: nothing can match).

    Every condition can be checked on the ``agreement_page`` index (the kinds through their own
    table's key), so a page is read from the index in order until it is full. A date bound
    also bounds the order's own date column: an agreement whose date ends on or after 2024-03-01
    has a date from "2024" on, since lo and hi begin with the date's year. So SQLite reads
    only that stretch of the index."""
    where: list[str] = []
    args: list[Any] = []
    links: list[tuple[str, str]] = []
    for role, pid in (("party", party), ("country", country), ("subject", subject)):
        if pid is not None:
            iri = iri_of(pid)
            if iri is None:
                return None
            where.append("a.iri IN (SELECT iri FROM agreement_link WHERE entity = ? AND role = ?)")
            args += [str(iri), role]
            links.append((str(iri), role))
    if kind is not None:
        where.append("EXISTS (SELECT 1 FROM agreement_kind k WHERE k.kind = ? AND k.iri = a.iri)")
        args.append(kind)
    if status is not None:
        where.append("a.status = ?")
        args.append(status)
    dated = dated_only or date_from is not None or date_to is not None
    if dated:
        # (with a bound, lo/hi are NULL exactly when the date is, so this changes nothing)
        where.append("(a.date IS NULL) = 0")
    if date_from is not None:
        lo = date_bounds(date_from)[0]
        where.append("a.hi >= ? AND COALESCE(a.date, '') >= ?")
        args += [lo, lo[:4]]
    if date_to is not None:
        hi = date_bounds(date_to)[1]
        where.append("a.lo <= ? AND COALESCE(a.date, '') <= ?")
        args += [hi, hi[:4] + _TOP]
    count = None
    if len(where) == 1 and kind is not None:
        count = ("SELECT COUNT(*) FROM agreement_kind WHERE kind = ?", [kind])
    elif len(where) == 1 and links:
        count = ("SELECT COUNT(*) FROM agreement_link WHERE entity = ? AND role = ?", list(links[0]))
    return _Filter(" AND ".join(where) or "1", args, dated, count)


def get_agreement(conn: sqlite3.Connection, pid: str) -> dict[str, Any]:
    iri = iri_of(pid)
    found = _records(conn, [str(iri)]) if iri is not None else []
    if not found:
        raise NotFound(f"no agreement with id '{pid}'")
    return found[0]


def neighbours(conn: sqlite3.Connection, iri: str) -> list[Neighbour]:
    """As :data:`kg.queries.overview.NEIGHBOURS` for one node: an entity's relations and posts
    (its projected detail) and the agreements it takes part in; an agreement's parties,
    subjects and sites. (Agreements are stated with no relation of their own.)"""
    out: list[Neighbour] = []
    row = conn.execute("SELECT body FROM entity_detail WHERE iri = ?", (iri,)).fetchone()
    if row is not None:
        body = orjson.loads(row[0])
        for p, direction, other, _ in body["relations"]:
            out.append((iri, p, other, None) if direction == "out" else (other, p, iri, None))
        for direction, other, title, _ in body["positions"]:
            out.append((iri, "holds", other, title) if direction == "out" else (other, "holds", iri, title))
    for role, ag in conn.execute(
        "SELECT role, iri FROM agreement_link WHERE entity = ? AND role IN ('party', 'subject', 'site')", (iri,)
    ):
        out.append((ag, role, iri, None))
    for entity, role in conn.execute(
        "SELECT entity, role FROM agreement_link WHERE iri = ? AND role IN ('party', 'subject', 'site')", (iri,)
    ):
        out.append((iri, role, entity, None))
    return out


def agreement_kind(conn: sqlite3.Connection, iri: str) -> str | None:
    """The agreement's kind, or None when ``iri`` is no agreement."""
    row = conn.execute("SELECT kind FROM agreement WHERE iri = ?", (iri,)).fetchone()
    return row[0] if row else None


def neighbourhood(conn: sqlite3.Connection, pid: str, *, depth: int = 1, max_nodes: int = 200) -> dict[str, Any]:
    """As :func:`kg.queries.neighbourhood`, every node and edge read from the read model."""

    async def no_sparql(*_: Any, **__: Any) -> Any:
        raise AssertionError("the read model's neighbourhood asks no SPARQL")

    walk = neighbourhood_of(
        no_sparql,
        StoredIndex(conn),
        pid,
        depth=depth,
        max_nodes=max_nodes,
        agreement_kind=lambda iri: agreement_kind(conn, iri),
        neighbours=lambda iri: neighbours(conn, iri),
    )
    try:  # with both readers given, the walk awaits nothing: it ends on its first step
        walk.send(None)
    except StopIteration as done:
        found: dict[str, Any] = done.value
        return found
    walk.close()
    raise AssertionError("the neighbourhood walk awaited something")


def timeline(
    conn: sqlite3.Connection,
    *,
    granularity: str = "month",
    limit: int = 50,
    offset: int = 0,
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    country: str | None = None,
    subject: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> dict[str, Any]:
    """As :func:`kg.queries.timeline`: the page, and the buckets counted in SQL."""
    found = _agreement_filter(
        party=party,
        kind=kind,
        status=status,
        country=country,
        subject=subject,
        date_from=date_from,
        date_to=date_to,
        dated_only=True,
    )
    if found is None:
        return {"data": [], "count": 0, "buckets": []}
    items, total = _agreement_page(conn, found, limit=limit, offset=offset, evidence=False)
    width = 4 if granularity == "year" else 7
    unfiltered = all(x is None for x in (party, kind, status, country, subject, date_from, date_to))
    if unfiltered:  # the whole timeline: from the month counts the projection keeps
        months = orjson.loads(meta_value(conn, "timeline") or "[]")
        buckets: dict[str, int] = defaultdict(int)
        for period, n in months:
            buckets[period[:width]] += n
        found_buckets = sorted(buckets.items())
    else:
        found_buckets = conn.execute(
            f"SELECT substr(a.date, 1, ?) AS period, COUNT(*) FROM agreement a WHERE {found.where} "  # noqa: S608
            "GROUP BY period ORDER BY period",
            [width, *found.args],
        ).fetchall()
    return {"data": items, "count": total, "buckets": [{"period": k, "count": n} for k, n in found_buckets]}


def count_timeline(conn: sqlite3.Connection) -> list[list[Any]]:
    """Dated agreements by month (a date that gives only a year is its own period), counted at
    the end of every projection: the whole timeline's buckets, read by :func:`timeline`."""
    return [
        [period, n]
        for period, n in conn.execute(
            "SELECT substr(date, 1, 7) AS period, COUNT(*) FROM agreement WHERE date IS NOT NULL "
            "GROUP BY period ORDER BY period"
        )
    ]


def network(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 500,
) -> dict[str, Any]:
    """As :func:`kg.queries.network`: the page of agreements with their node parties, read
    from one covering index (``agreement_network``), not from the records."""
    found = _agreement_filter(kind=kind, date_from=date_from, date_to=date_to)
    if found is None:
        return network_answer([], [], count=0, limit=limit)
    rows = conn.execute(
        f"SELECT a.parties, a.edges FROM agreement a WHERE {found.where} {found.order} LIMIT ?",  # noqa: S608
        [*found.args, limit],
    ).fetchall()
    nodes = network_nodes(orjson.loads(parties) for parties, _ in rows)
    edges = orjson.Fragment("[" + ",".join(e for _, e in rows if e) + "]")  # the kept JSON, as it is
    return network_answer(nodes, edges, count=_agreement_count(conn, found), limit=limit)


def meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    """A value of the read model's ``meta`` table (None: not set)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _records(conn: sqlite3.Connection, iris: list[str]) -> list[dict[str, Any]]:
    """The records of the agreements ``iris``, in that order (an unknown IRI is left out)."""
    found: dict[str, str] = {}
    for i in range(0, len(iris), 500):
        chunk = iris[i : i + 500]
        found.update(
            conn.execute(
                f"SELECT iri, record FROM agreement WHERE iri IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk,
            ).fetchall()
        )
    return [orjson.loads(found[iri]) for iri in iris if iri in found]


def _without_evidence(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "evidence"}


# --- aircraft and programmes ---------------------------------------------------------------
def with_links(
    conn: sqlite3.Connection, index: StoredIndex, page: list[dict[str, Any]], links: tuple[str, ...], *, limit: int
) -> list[dict[str, Any]]:
    """As :func:`kg.queries.resources.with_links`: each item's lists, the first ``limit``
    entities of each and its count, read from the ``link_order`` index (a list's entities
    in listing order, kept with each link): a page costs its items times ``limit``, however
    many entities a list holds. A link to a node that is no typed entity (rare) is named by
    its IRI and ranked here among the first entities, as SPARQL's index ranks it."""
    linked: dict[str, dict[str, list[dict[str, str]]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for item in page:
        s = item["iri"]
        linked[s], counts[s] = {}, {}
        for p in links:
            bare = [r for (o,) in conn.execute(_BARE_LINKS, (s, p)) if (r := index.ref_dict(o)) is not None]
            first = [
                {"id": pid, "iri": o, "label": label, "kind": kind}
                for o, pid, label, kind in (conn.execute(_FIRST_LINKS, (s, p, limit)) if limit else ())
            ]
            if bare:
                first = sorted(first + bare, key=lambda r: (r["label"].lower(), r["id"]))[:limit]
            linked[s][p] = first
            counts[s][p] = conn.execute(_COUNT_LINKS, (s, p)).fetchone()[0] + len(bare)
    return attach_links(page, links, linked, counts, limit=limit)


_FIRST_LINKS = (
    "SELECT l.o, e.id, e.label, e.kind FROM link l JOIN entity e ON e.iri = l.o "
    "WHERE l.s = ? AND l.p = ? AND l.o_key IS NOT NULL ORDER BY l.o_key, l.o_id LIMIT ?"
)
_BARE_LINKS = "SELECT o FROM link WHERE s = ? AND p = ? AND o_key IS NULL"
_COUNT_LINKS = "SELECT COUNT(o_key) FROM link WHERE s = ? AND p = ?"


def list_with_links(
    conn: sqlite3.Connection,
    *,
    kind: str,
    links: tuple[str, ...],
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
    link_limit: int = LINK_LIMIT,
) -> tuple[list[dict[str, Any]], int]:
    """As :func:`kg.queries.list_with_links`."""
    page, total = list_entities(conn, kind=kind, name=name, limit=limit, offset=offset)
    return with_links(conn, StoredIndex(conn), page, links, limit=link_limit), total


# --- documents ---------------------------------------------------------------------------
def list_documents(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """As :func:`kg.queries.list_documents`."""
    total = conn.execute("SELECT COUNT(*) FROM document").fetchone()[0]
    rows = conn.execute("SELECT record FROM document ORDER BY id LIMIT ? OFFSET ?", (limit, offset)).fetchall()
    return [orjson.loads(r[0]) for r in rows], total


# --- statistics --------------------------------------------------------------------------
def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """As :func:`kg.queries.stats`: counted when the read model was last written."""
    saved = meta_value(conn, "stats")
    return orjson.loads(saved) if saved is not None else count_stats(conn)


def count_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """The statistics, counted over the tables (at the end of every projection)."""

    def counts(sql: str) -> dict[str, int]:
        return {k: n for k, n in conn.execute(sql)}

    meta = counts("SELECT key, CAST(value AS INTEGER) FROM meta WHERE key IN ('documents', 'positions')")
    by_kind = counts("SELECT kind, COUNT(*) FROM entity WHERE mentioned GROUP BY kind ORDER BY kind")
    ag_kind = counts("SELECT kind, COUNT(*) FROM agreement GROUP BY kind ORDER BY kind")
    ag_status = counts("SELECT COALESCE(status, 'Unknown') AS s, COUNT(*) FROM agreement GROUP BY s ORDER BY s")
    relations = counts("SELECT p, COUNT(*) FROM fact GROUP BY p ORDER BY p")
    return {
        "documents": meta.get("documents", 0),
        "entities": sum(by_kind.values()),
        "entitiesByKind": by_kind,
        "agreements": sum(ag_kind.values()),
        "agreementsByKind": ag_kind,
        "agreementsByStatus": ag_status,
        "relations": sum(relations.values()),
        "relationsByPredicate": relations,
        "positions": meta.get("positions", 0),
        "triples": conn.execute("SELECT COALESCE(SUM(triples), 0) FROM graph").fetchone()[0],
    }
