"""A headline in title case, read as a sentence: "Poland Signs Deal for 48 FA-50 Fighters from KAI".

The statistical parser and tagger are trained on running text: every capitalised word of a
title-case headline looks like a name to them, so its verbs and nouns go unread. Before the
pipeline runs, the first line of a document, when it is in title case, is written in
sentence case: a word keeps its capital only when it is the line's first, a name the
reference base knows, an acronym or a designator, or a word the body also capitalises in
mid-sentence. Only case changes, so every character offset stays the same; the evidence
of a fact quotes the document as written (see :class:`kg.extract.relations.Context`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"[A-Za-z][\w'’\-]*")


def sentence_case(text: str, known: Callable[[str], bool]) -> str:
    """``text`` with its first line in sentence case if that line is in title case.

    ``known(word)`` says whether a capitalised word is a name the reference base knows.

    >>> sentence_case("Poland Signs Deal for FA-50 Jets from KAI\\nKAI said Poland signed.", lambda w: False)
    'Poland signs deal for FA-50 jets from KAI\\nKAI said Poland signed.'
    >>> sentence_case("Poland signs deal for jets\\nBody.", lambda w: False)  # already a sentence
    'Poland signs deal for jets\\nBody.'
    >>> sentence_case("Poland, Chile and Peru Fly the Vantor Aerospace VX-9.\\nBody.", lambda w: False)
    'Poland, Chile and Peru Fly the Vantor Aerospace VX-9.\\nBody.'
    """
    end = text.find("\n")
    if end < 0 or text[:end].rstrip().endswith((".", "”", '"')):
        return text  # one line, or a first line that ends as a sentence does: no headline
    words = list(_WORD.finditer(text[:end]))
    long = [m.group() for m in words if len(m.group()) > 3]
    if len(long) < 3 or sum(w[0].isupper() for w in long) < 0.8 * len(long):
        return text
    body = _capitalised_in_running_text(text[end:])
    out = list(text)
    for n, m in enumerate(words):
        word = m.group()
        if n == 0 or not word[0].isupper() or word.isupper() or any(c.isdigit() for c in word):
            continue
        if word in body or known(word):
            continue
        out[m.start()] = word[0].lower()
    return "".join(out)


def _capitalised_in_running_text(body: str) -> set[str]:
    """Capitalised words the body writes in mid-sentence (not after a full stop, a quote or a line break)."""
    out: set[str] = set()
    for m in _WORD.finditer(body):
        word = m.group()
        if not word[0].isupper():
            continue
        before = body[: m.start()].rstrip(" \t")
        if before and before[-1] not in ".!?\n\"“‘'(:—–-":
            out.add(word)
    return out
