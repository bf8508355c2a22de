"""Extraction tables (tests/resources/extract/*.yaml): each text gives exactly the facts its table lists.

The texts are written for these tests (the firms, aircraft and people are invented, so only the
language can tell what they are); a case fails on any fact missing *or* added.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import srsly

from kg.extract import Extractor
from kg.extract.model import Extraction

TABLES = Path(__file__).resolve().parents[1] / "resources" / "extract"
CASES = [
    pytest.param(case, id=f"{path.stem}:{case['id']}")
    for path in sorted(TABLES.glob("*.yaml"))
    for case in srsly.read_yaml(path)["cases"]
]


def test_the_tables_are_there() -> None:
    assert len(CASES) >= 70
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)), "case ids are unique"


def _read(case: dict[str, Any], extractor: Extractor, open_extractor: Extractor) -> Extraction:
    return (extractor if case.get("reference") else open_extractor).extract(case["text"])


def _agreement(a: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": a.kind, "parties": sorted(p.name for p in a.parties)}
    if a.roles:
        names: dict[str, list[str]] = {}
        for role, ref in a.roles:
            names.setdefault(role, []).append(ref.name)
        # one name as a string, several (two buyers of one order) as a sorted list
        out["roles"] = {role: ns[0] if len(ns) == 1 else sorted(ns) for role, ns in names.items()}
    if a.subjects:
        out["subjects"] = [s.name for s in a.subjects]
    out["status"] = a.status
    out["date"] = a.date
    if a.value:
        out["value"] = f"{a.value.amount} {a.value.currency}"
    return out


def _expected_agreement(d: dict[str, Any]) -> dict[str, Any]:
    out = dict(d)
    out["parties"] = sorted(d["parties"])
    if "value" in out:
        amount, currency = out["value"].split()
        out["value"] = f"{Decimal(amount)} {currency}"
    return out


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any], extractor: Extractor, open_extractor: Extractor) -> None:
    x = _read(case, extractor, open_extractor)
    assert {e.name: e.kind for e in x.entities if e.kind != "Place"} == case["entities"]
    assert {(r.key, r.subject.name, r.object.name) for r in x.relations} == {tuple(r) for r in case["relations"]}
    assert {(p.holder.name, p.organization.name, p.title) for p in x.positions} == {tuple(p) for p in case["positions"]}
    got = sorted((_agreement(a) for a in x.agreements), key=repr)
    want = sorted((_expected_agreement(a) for a in case["agreements"]), key=repr)
    assert got == want


@pytest.mark.parametrize("case", CASES)
def test_every_fact_carries_its_sentence_and_rule(
    case: dict[str, Any], extractor: Extractor, open_extractor: Extractor
) -> None:
    x = _read(case, extractor, open_extractor)
    for fact in (*x.relations, *x.positions, *x.agreements):
        ev = fact.evidence
        assert case["text"][ev.start : ev.end] == ev.sentence
        assert 0 < ev.confidence <= 1
        assert ev.rule, fact
