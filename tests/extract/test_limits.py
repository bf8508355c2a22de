"""What the extractor refuses, and what it reads from documents with little or nothing in them."""

from __future__ import annotations

import pytest

from kg.errors import ExtractionError, KgError
from kg.extract import MAX_DOCUMENT_CHARS, Extractor


def test_over_the_size_limit_is_refused(open_extractor: Extractor) -> None:
    with pytest.raises(ExtractionError, match="over the 2000000-character limit"):
        open_extractor.extract("a" * (MAX_DOCUMENT_CHARS + 1))


def test_the_error_is_a_kg_error() -> None:
    assert issubclass(ExtractionError, KgError)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_documents(open_extractor: Extractor, text: str) -> None:
    x = open_extractor.extract(text)
    assert (x.entities, x.relations, x.positions, x.agreements) == ((), (), (), ())
    assert 0 <= x.body_end <= len(text)


def test_title_is_the_first_line(open_extractor: Extractor) -> None:
    assert open_extractor.extract("\n  Greece buys drones \nBody.").title == "Greece buys drones"


def test_published_is_passed_through(open_extractor: Extractor) -> None:
    assert open_extractor.extract("Greece buys drones.", published="2025-01-02").published == "2025-01-02"


def test_a_page_store_date_stamp_is_the_published_date(open_extractor: Extractor) -> None:
    x = open_extractor.extract("Greece buys drones\n\ndate 2024-02-09 Greece has ordered six drones.")
    assert x.published == "2024-02-09"


def test_pipe_keeps_the_order_of_documents(open_extractor: Extractor) -> None:
    texts = [f"{country} signed a partnership with Italy." for country in ("Greece", "Spain", "Poland")]
    parties = [
        sorted(p.name for a in x.agreements for p in a.parties) for x in open_extractor.pipe((t, None) for t in texts)
    ]
    assert parties == [["Greece", "Italy"], ["Italy", "Spain"], ["Italy", "Poland"]]
