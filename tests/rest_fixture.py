"""The hand-made REST fixture graph (tests/resources/rest_fixture.trig) and helpers shared by its tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.store import Store

FIXTURE = Path(__file__).resolve().parent / "resources" / "rest_fixture.trig"
ID = "https://w3id.org/defence-kg/id/"


def fixture_store() -> Store:
    """The fixture TriG in an in-memory store, loaded graph by graph the way the pipeline writes documents."""
    return fixture_store_at(None)


def fixture_store_at(path: Path | None) -> Store:
    """The fixture in a store at ``path`` (``None``: in memory)."""
    graphs: dict[str, list[Any]] = {}
    scratch = Store()
    scratch.load(FIXTURE.read_bytes(), format="trig", graph=None)
    for s, p, o, g in scratch.quads():
        graphs.setdefault(g or "", []).append((s, p, o))
    store = Store(path)
    store.replace_graphs(graphs)
    return store


def ref(pid: str, label: str, kind: str) -> dict[str, str]:
    """An entity reference as the REST API writes it."""
    coarse, _, slug = pid.partition(".")
    return {"id": pid, "iri": f"{ID}{coarse}/{slug}", "label": label, "kind": kind}


def ids(body: dict[str, Any]) -> list[str]:
    return [e["id"] for e in body["data"]]


FIXTURE_STATS = {
    "documents": 2,
    "entities": 13,
    "entitiesByKind": {
        "Company": 3,
        "Country": 4,
        "JointVenture": 1,
        "Person": 1,
        "Place": 1,
        "Programme": 1,
        "UnmannedCombatAerialVehicle": 2,
    },
    "agreements": 4,
    "agreementsByKind": {
        "JointVentureAgreement": 1,
        "MemorandumOfUnderstanding": 1,
        "Partnership": 1,
        "Procurement": 1,
    },
    "agreementsByStatus": {"Completed": 1, "Proposed": 1, "Signed": 1, "Unknown": 1},
    "relations": 9,
    "relationsByPredicate": {
        "country": 2,
        "manufacturer": 2,
        "operator": 1,
        "parentOrganization": 2,
        "participant": 1,
        "supplier": 1,
    },
    "positions": 1,
    "triples": 207,
}
"""The fixture graph's counts, as kg.queries.stats and GET /api/v1/stats give them."""
