from __future__ import annotations

import pytest

from kg.errors import ExtractionError, KgError
from kg.extract import MAX_DOCUMENT_CHARS, Lexicon, extract


def test_over_the_size_limit_is_refused(open_lexicon: Lexicon) -> None:
    with pytest.raises(ExtractionError, match="over the limit of 2,000,000"):
        extract("a" * (MAX_DOCUMENT_CHARS + 1), lexicon=open_lexicon)


def test_the_error_is_a_kg_error() -> None:
    assert issubclass(ExtractionError, KgError)


def test_not_text_is_refused(open_lexicon: Lexicon) -> None:
    with pytest.raises(ExtractionError, match="expected text"):
        extract(b"bytes", lexicon=open_lexicon)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_documents(open_lexicon: Lexicon, text: str) -> None:
    x = extract(text, lexicon=open_lexicon)
    assert (x.entities, x.relations, x.positions, x.agreements) == ((), (), (), ())
    assert 0 <= x.body_end <= len(text)


def test_title_is_the_first_line(open_lexicon: Lexicon) -> None:
    assert extract("\n  Greece buys drones \nBody.", lexicon=open_lexicon).title == "Greece buys drones"


def test_published_is_passed_through(open_lexicon: Lexicon) -> None:
    assert extract("Greece buys drones.", lexicon=open_lexicon, published="2025-01-02").published == "2025-01-02"
