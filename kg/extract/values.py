"""Money amounts and dates as they are written in news text, normalised.

>>> parse_money("£5.4 billion")
Money(amount=Decimal('5400000000'), currency='GBP')
>>> resolve_date("in June 2025")
'2025-06'
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from kg.extract.model import Money

_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₩": "KRW", "₹": "INR", "₺": "TRY"}
_CODES = "USD|EUR|GBP|JPY|KRW|INR|TRY|CHF|SEK|NOK|DKK|PLN|AUD|CAD|BRL|CNY|AED|SAR"
_WORD_CURRENCIES = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "won": "KRW",
    "rupees": "INR",
    "lira": "TRY",
    "liras": "TRY",
    "kronor": "SEK",
    "krona": "SEK",
    "zloty": "PLN",
    "reais": "BRL",
    "yuan": "CNY",
}
_MULTIPLIERS = {
    "trillion": 10**12,
    "tn": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "mln": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"trillion|billion|million|thousand|bn|mn|mln|tn|[bmk]\b"
MONEY_RE = re.compile(
    rf"(?P<sym>US\$|[$£€¥₩₹₺]|\b(?:{_CODES})\b)\s?(?P<num>{_NUM})(?:\s?(?P<mult>{_MULT}))?"
    rf"|\b(?P<num2>{_NUM})\s?(?P<mult2>{_MULT})?\s(?P<word>(?:US |U\.S\. )?dollars|euros?|pounds(?: sterling)?|"
    rf"sterling|yen|won|rupees|liras?|kronor|krona|zloty|reais|yuan|(?:{_CODES})\b)",
    re.IGNORECASE,
)


def _money(num: str, mult: str | None, currency: str) -> Money | None:
    try:
        amount = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None
    if mult:
        amount *= _MULTIPLIERS[mult.lower()]
    return Money(amount.normalize() if amount == amount.to_integral() else amount, currency)


def iter_money(text: str) -> list[tuple[int, int, Money]]:
    """Every amount of money in ``text`` with its character span."""
    out = []
    for m in MONEY_RE.finditer(text):
        if m.group("num"):
            sym = m.group("sym")
            cur = _SYMBOLS.get(sym.lower(), sym.upper())
            money = _money(m.group("num"), m.group("mult"), cur)
        else:
            word = m.group("word").lower().replace("us ", "").replace("u.s. ", "")
            cur = _WORD_CURRENCIES.get(word.split()[0], word.upper())
            money = _money(m.group("num2"), m.group("mult2"), cur)
        if money is not None:
            out.append((m.start(), m.end(), _fix_integral(money)))
    return out


def _fix_integral(money: Money) -> Money:
    a = money.amount
    if a == a.to_integral_value():
        a = Decimal(int(a))
    return Money(a, money.currency)


def parse_money(text: str) -> Money | None:
    """The first amount of money in ``text``, or None."""
    found = iter_money(text)
    return found[0][2] if found else None


_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<{n}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
    r"Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_YEAR = r"(?P<{n}>(?:19|20)\d{{2}})"
DATE_RE = re.compile(
    "|".join(
        [
            # Jan. 9, 2025 / January 9 2025 / Jan. 23
            _MONTH.format(n="m1") + r"\s(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s" + _YEAR.format(n="y1") + r")?",
            # 9 January 2025
            r"\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s" + _MONTH.format(n="m2") + r"(?:,?\s" + _YEAR.format(n="y2") + r")?",
            # June 2025
            _MONTH.format(n="m3") + r",?\s" + _YEAR.format(n="y3"),
            # 2025-06-01
            r"\b(?P<iso>(?:19|20)\d{2}-\d{2}(?:-\d{2})?)\b",
            # relative expressions
            r"\b(?P<rel>last (?:week|month|year)|yesterday|earlier this (?:year|month)|this (?:week|month|year)|"
            r"next (?:month|year)|today)\b",
            # a bare year
            r"\b(?:in|since|by|from|of|until) " + _YEAR.format(n="y4") + r"\b",
        ]
    )
)


def _month(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")[:4].rstrip("t") if token.lower().startswith("sept") else token.lower()[:3]]


def _published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return f"{y:04d}-{m:02d}"


def iter_dates(text: str, published: str | None = None) -> list[tuple[int, int, str]]:
    """Every date expression in ``text`` resolved to ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)."""
    pub = _published(published)
    out: list[tuple[int, int, str]] = []
    for m in DATE_RE.finditer(text):
        value: str | None = None
        if m.group("m1"):
            year = int(m.group("y1")) if m.group("y1") else (pub.year if pub else None)
            if year is not None:
                value = _iso(year, _month(m.group("m1")), int(m.group("d1")))
        elif m.group("m2"):
            year = int(m.group("y2")) if m.group("y2") else (pub.year if pub else None)
            if year is not None:
                value = _iso(year, _month(m.group("m2")), int(m.group("d2")))
        elif m.group("m3"):
            value = _iso(int(m.group("y3")), _month(m.group("m3")))
        elif m.group("iso"):
            value = m.group("iso")
        elif m.group("rel") and pub:
            value = _relative(m.group("rel"), pub)
        elif m.group("y4"):
            value = m.group("y4")
        if value:
            out.append((m.start(), m.end(), value))
    return out


def _relative(expr: str, pub: date) -> str:
    if expr == "yesterday":
        return (pub - timedelta(days=1)).isoformat()
    if expr == "today":
        return pub.isoformat()
    if expr == "last week":
        return (pub - timedelta(days=7)).isoformat()
    if expr == "last month":
        y, m = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        return f"{y:04d}-{m:02d}"
    if expr == "last year":
        return f"{pub.year - 1:04d}"
    if expr == "next month":
        y, m = (pub.year, pub.month + 1) if pub.month < 12 else (pub.year + 1, 1)
        return f"{y:04d}-{m:02d}"
    if expr == "next year":
        return f"{pub.year + 1:04d}"
    if expr.endswith("month"):
        return f"{pub.year:04d}-{pub.month:02d}"
    return f"{pub.year:04d}"


def resolve_date(text: str, published: str | None = None) -> str | None:
    """The first date expression in ``text`` as ISO 8601, or None."""
    found = iter_dates(text, published)
    return found[0][2] if found else None
