"""Regressions found while integrating the last extractor rounds (invented names)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.extract import Lexicon, extract

LEX = Lexicon.from_graph(Graph())


def relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.key, r.subject.name, r.object.name) for r in extract(text, lexicon=LEX).relations}


def test_the_party_a_buyer_signs_with_does_not_operate_what_is_bought() -> None:
    got = relations("Norway has signed an agreement with Germany to buy 12 KZ-40 Falcon helicopters.")
    assert ("operator", "KZ-40 Falcon", "Norway") in got
    assert ("operator", "KZ-40 Falcon", "Germany") not in got


@pytest.mark.parametrize("tail", ["Munitions", "Industries", "Holdings"])
def test_corporate_words_after_a_subsidiarys_country_belong_to_its_name(tail: str) -> None:
    text = (f"German arms manufacturer Veltronik Systems and the state holding company Axo Holding have established a "
            f"joint venture, Veltronik Systems Norway {tail}, to build a plant.")
    names = {e.name for e in extract(text, lexicon=LEX).entities if e.kind in ("Company", "JointVenture")}
    assert f"Veltronik Systems Norway {tail}" in names
    assert "Veltronik Systems Norway" not in names
