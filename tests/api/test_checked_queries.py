"""Short query texts that passed the policy check are not lexed again (api.security.CheckedQueries)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api import security
from api.errors import Forbidden
from api.security import CheckedQueries
from kg.config import Settings
from kg.errors import InputError


@pytest.fixture
def lexed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    real = security.tokenize

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(security, "tokenize", counting)
    yield seen


def test_a_text_asked_again_is_not_lexed_again(lexed: list[str]) -> None:
    checked = CheckedQueries(Settings())
    ask = "ASK { ?s ?p ?o }"
    select = "SELECT * WHERE { ?s ?p ?o }"
    assert [checked.form(t) for t in (ask, select, ask, select)] == ["ASK", "SELECT", "ASK", "SELECT"]
    assert lexed == [ask, select]


def test_a_refused_text_is_refused_each_time(lexed: list[str]) -> None:
    checked = CheckedQueries(Settings().with_(max_query_depth=3))
    deep = "ASK { { { { } } } }"
    for _ in range(2):
        with pytest.raises(
            InputError, match=r"^the request nests brackets 4 levels deep; the limit is 3 \(KG_MAX_QUERY_DEPTH\)$"
        ):
            checked.form(deep)
    assert lexed == [deep, deep]


def test_a_refused_service_is_refused_each_time(lexed: list[str]) -> None:
    checked = CheckedQueries(Settings())
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(Forbidden, match=r"^SERVICE \(federated query\) is disabled on this server$"):
            checked.form(text)
    assert lexed == [text, text]


def test_only_the_most_recent_texts_are_kept(lexed: list[str]) -> None:
    checked = CheckedQueries(Settings(), size=2)
    a, b, c = "ASK { ?a ?b ?c }", "ASK { ?d ?e ?f }", "ASK { ?g ?h ?i }"
    for t in (a, b, a, c, a, b):  # c pushes out b (a was used more recently); b comes back
        checked.form(t)
    assert lexed == [a, b, c, b]
