from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.model import Money
from kg.extract.values import parse_money, resolve_date


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("£5.4 billion", "5400000000", "GBP"),
        ("$100 million", "100000000", "USD"),
        ("€3.2 billion", "3200000000", "EUR"),
        ("5.4bn euros", "5400000000", "EUR"),
        ("USD 2 billion", "2000000000", "USD"),
        ("US$1,200 million", "1200000000", "USD"),
        ("$7.5 billion", "7500000000", "USD"),
        ("€250m", "250000000", "EUR"),
        ("3 billion dollars", "3000000000", "USD"),
        ("$1,250,000", "1250000", "USD"),
    ],
)
def test_money_is_normalised(text: str, amount: str, currency: str) -> None:
    assert parse_money(f"a deal worth {text} was signed") == Money(Decimal(amount), currency)


def test_no_money() -> None:
    assert parse_money("twenty drones") is None


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("in June 2025", None, "2025-06"),
        ("on Jan. 9, 2025", None, "2025-01-09"),
        ("in December 2024", None, "2024-12"),
        ("on 9 January 2025", None, "2025-01-09"),
        ("on Sept. 3, 2024", None, "2024-09-03"),
        ("on Jan. 23", "2025-02-01", "2025-01-23"),
        ("last week", "2025-02-01", "2025-01-25"),
        ("last month", "2025-01-15", "2024-12"),
        ("earlier this year", "2025-05-01", "2025"),
        ("yesterday", "2025-03-01", "2025-02-28"),
        ("in 2021", None, "2021"),
        ("on 2024-10-07", None, "2024-10-07"),
    ],
)
def test_dates_are_resolved(text: str, published: str | None, iso: str) -> None:
    assert resolve_date(f"The agreement was signed {text}.", published) == iso


def test_relative_date_needs_a_publication_date() -> None:
    assert resolve_date("signed last week") is None
