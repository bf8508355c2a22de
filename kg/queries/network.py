"""Who makes agreements with whom: firms, government bodies and countries as nodes, one edge
per agreement between each pair of its parties, for the explorer's network view."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from kg import vocab as v
from kg.queries.agreements import list_agreements
from kg.queries.base import EntityIndex, Select

_GROUP_OF_TOP = (("Country", "country"), ("GovernmentBody", "government"), ("Organization", "firm"))
NETWORK_GROUPS: dict[str, str] = {
    c: next(group for top, group in _GROUP_OF_TOP if v.VOCABULARY.is_a(c, top))
    for c in sorted(v.VOCABULARY.entity_classes)
    if any(v.VOCABULARY.is_a(c, top) for top, _ in _GROUP_OF_TOP)
}
"""The party kinds that are nodes, and the group each is drawn as; other parties (people,
places) are left out."""


NodeParty = tuple[str, str, str, str]
"""A party that is a node: its id, IRI, label and kind (as the read model keeps it, in JSON)."""


def node_parties(parties: Iterable[Mapping[str, Any]]) -> list[NodeParty]:
    """An agreement's parties that are nodes, each once, by id; none when fewer than two
    (an agreement draws an edge between each pair of them)."""
    found = {p["id"]: p for p in parties if p["kind"] in NETWORK_GROUPS}
    if len(found) < 2:
        return []
    return [(p["id"], p["iri"], p["label"], p["kind"]) for _, p in sorted(found.items())]


def network_from(agreements: Iterable[Mapping[str, Any]], *, count: int, limit: int) -> dict[str, Any]:
    """Nodes and edges from agreement records (in agreement order); ``count`` is how many
    agreements matched, ``limit`` how many were read.

    >>> a = {"id": "agreement.a1", "kind": "Partnership", "status": None, "date": "2024",
    ...      "parties": [{"id": "country.italy", "iri": "i", "label": "Italy", "kind": "Country"},
    ...                  {"id": "organization.x", "iri": "x", "label": "X", "kind": "Company"}]}
    >>> net = network_from([a], count=1, limit=10)
    >>> [(n["id"], n["group"], n["agreements"]) for n in net["nodes"]]
    [('country.italy', 'country', 1), ('organization.x', 'firm', 1)]
    >>> [(e["source"], e["target"], e["kind"]) for e in net["edges"]]
    [('country.italy', 'organization.x', 'Partnership')]
    """
    rows = [(a["id"], a["kind"], a["status"], a["date"], node_parties(a["parties"])) for a in agreements]
    edges = [e for row in rows for e in agreement_edges(*row)]
    return network_answer(network_nodes(row[4] for row in rows), edges, count=count, limit=limit)


def agreement_edges(
    aid: Any, kind: str, status: Any, date: Any, parties: Sequence[Sequence[str]]
) -> list[dict[str, Any]]:
    """An agreement's edges: one per pair of its node parties (in id order)."""
    return [
        {"agreement": aid, "source": s[0], "target": t[0], "kind": kind, "status": status, "date": date}
        for s, t in combinations(parties, 2)
    ]


def network_nodes(parties_of_each: Iterable[Sequence[Sequence[str]]]) -> list[dict[str, Any]]:
    """The nodes of agreements given by their node parties, each with how many of those
    agreements it is a party to, by label."""
    nodes: dict[str, dict[str, Any]] = {}
    for parties in parties_of_each:
        for pid, iri, label, pkind in parties:
            node = nodes.get(pid)
            if node is None:
                node = nodes[pid] = {
                    "id": pid,
                    "iri": iri,
                    "label": label,
                    "kind": pkind,
                    "group": NETWORK_GROUPS[pkind],
                    "agreements": 0,
                }
            node["agreements"] += 1
    return sorted(nodes.values(), key=lambda n: (n["label"].lower(), n["id"]))


def network_answer(nodes: list[dict[str, Any]], edges: Any, *, count: int, limit: int) -> dict[str, Any]:
    """The network view's answer (``edges``: a list, or the read model's kept JSON of them)."""
    return {"nodes": nodes, "edges": edges, "count": count, "truncated": count > limit}


async def network(
    select: Select,
    index: EntityIndex,
    *,
    kind: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 500,
) -> dict[str, Any]:
    """The network of the first ``limit`` agreements (oldest first, undated last) of a kind
    whose date overlaps the range (a date bound drops undated agreements, as in the listing)."""
    items, count = await list_agreements(
        select, index, kind=kind, date_from=date_from, date_to=date_to, limit=limit, evidence=False
    )
    return network_from(items, count=count, limit=limit)
