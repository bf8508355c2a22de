"""Name search as people type: the read model's FTS5 index, with typo correction.

Names are indexed folded (:func:`kg.queries.fold`: no case, accents or punctuation), so
"erdogan" meets "Erdoğan". Each word of the query matches a word of a name that starts
with it ("aero" → "Aerospace") or, for words of three letters or more, a word of the
index vocabulary within a small edit distance that starts with the same letter
("lockhed" → "lockheed"; :mod:`rapidfuzz`). A name matching any word is a candidate
(a query may split what a name joins: "tb 2" for "TB2"); candidates come back best
first by the index's bm25 rank, so names matching more words come first, and the
caller scores and orders them.
"""

from __future__ import annotations

import sqlite3

from rapidfuzz import fuzz, process

from kg.queries.base import fold

MAX_CANDIDATES = 500
_TYPO_CUTOFF = 75  # rapidfuzz ratio (0-100) for a vocabulary word to stand in for a query word
_TYPOS_PER_WORD = 8


def close_terms(conn: sqlite3.Connection, word: str) -> list[str]:
    """Index words that are likely misspellings-apart from ``word``."""
    if len(word) < 3:
        return []
    rows = conn.execute(
        "SELECT term FROM name_terms WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
        (word[0], word[0] + "\U0010ffff", len(word) - 2, len(word) + 2),
    ).fetchall()
    terms = [r[0] for r in rows]
    found = process.extract(word, terms, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF, limit=_TYPOS_PER_WORD)
    return [t for t, _, _ in found]


def match_expression(conn: sqlite3.Connection, text: str) -> str | None:
    """The FTS5 query for ``text`` (None when it has no words). Every word is quoted, so
    nothing a user types is read as FTS5 syntax."""
    words = fold(text).split()
    if not words:
        return None
    groups = []
    for w in words:
        alternatives = [f'"{w}"*'] + [f'"{t}"' for t in close_terms(conn, w) if t != w]
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " OR ".join(groups)


def candidates(conn: sqlite3.Connection, text: str, limit: int = MAX_CANDIDATES) -> list[str]:
    """Entity IRIs whose names match ``text``, best first."""
    expression = match_expression(conn, text)
    if expression is None:
        return []
    seen: dict[str, None] = {}
    for (iri,) in conn.execute(
        "SELECT iri FROM name_index WHERE name_index MATCH ? ORDER BY rank LIMIT ?", (expression, limit * 4)
    ):
        seen.setdefault(iri)
        if len(seen) >= limit:
            break
    return list(seen)
