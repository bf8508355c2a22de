"""The word lists of ``lexicon.yaml`` and ``positions.yaml``, compiled for fast lookups.

Phrases are cut with the pipeline's own tokenizer, so "Self-Defense Force" in a list and
in a text are the same token sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

from kg.extract.rulebook import Rulebook

Phrase = tuple[str, ...]


@dataclass
class PhraseTable:
    """Lower-cased token sequences → a value; longest match at a position."""

    items: dict[Phrase, str] = field(default_factory=dict)
    longest: int = 0

    def add(self, phrase: Phrase, value: str) -> None:
        if phrase:
            self.items.setdefault(phrase, value)
            self.longest = max(self.longest, len(phrase))

    def at(self, words: Sequence[str], i: int) -> tuple[int, str] | None:
        """(length, value) of the longest phrase starting at ``words[i]``."""
        for n in range(min(self.longest, len(words) - i), 0, -1):
            hit = self.items.get(tuple(words[i : i + n]))
            if hit is not None:
                return n, hit
        return None

    def ending(self, words: Sequence[str]) -> tuple[int, str] | None:
        """(length, value) of the longest phrase that ends ``words``."""
        for n in range(min(self.longest, len(words)), 0, -1):
            hit = self.items.get(tuple(words[len(words) - n :]))
            if hit is not None:
                return n, hit
        return None

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.items


@dataclass
class Cues:
    weights: dict[str, float]
    ner_labels: dict[str, str | None]
    legal_suffixes: frozenset[str]
    name_heads: PhraseTable
    name_starts: PhraseTable
    cue_nouns: PhraseTable
    not_aircraft: PhraseTable
    not_entity_heads: PhraseTable
    not_names: frozenset[str]
    not_entity_starts: frozenset[str]
    credit_words: frozenset[str]
    designator: re.Pattern[str]
    not_designator_prefixes: frozenset[str]
    designator_name_words: frozenset[str]
    containers: frozenset[str]
    list_nouns: frozenset[str]
    polity_nouns: frozenset[str]
    unit_nouns: frozenset[str]
    words: dict[str, frozenset[str]]  # lexicon.yaml's named word lists
    generic_tails: frozenset[str]
    titles: PhraseTable  # heads of titles
    title_modifiers: frozenset[str]
    title_domains: frozenset[str]
    state_titles: PhraseTable
    ranks: PhraseTable
    # lower-case words that may be part of a body's name the NER found ("the Kuwait air force", "Brazil's
    # ministry of defence"): the words of government bodies' and armed forces' name heads
    body_words: frozenset[str] = frozenset()
    body_nouns: PhraseTable = field(default_factory=PhraseTable)  # "air force", "defence ministry" (lexicon body_nouns)

    @classmethod
    def build(cls, book: Rulebook, nlp: Language) -> Cues:
        lex, pos = book.lexicon, book.positions

        def words(text: str) -> Phrase:
            return tuple(t.lower_ for t in nlp.make_doc(str(text)))

        def table(pairs: Iterable[tuple[str, str]]) -> PhraseTable:
            t = PhraseTable()
            for phrase, value in pairs:
                t.add(words(phrase), value)
            return t

        classes = lex.get("classes", {})

        def per_class(field_name: str) -> PhraseTable:
            return table((w, c) for c, spec in classes.items() for w in spec.get(field_name, []) or [])

        return cls(
            weights={k: float(v) for k, v in lex.get("weights", {}).items()},
            ner_labels=dict(lex.get("ner_labels", {})),
            legal_suffixes=frozenset(str(s) for s in lex.get("legal_suffixes", [])),
            name_heads=per_class("name_heads"),
            name_starts=per_class("name_starts"),
            cue_nouns=per_class("cue_nouns"),
            not_aircraft=table((w, "x") for w in lex.get("not_aircraft_nouns", [])),
            not_entity_heads=table((w, "x") for w in lex.get("not_entity_heads", [])),
            not_names=frozenset(str(w).lower() for w in lex.get("not_names", []) + lex.get("credit_words", [])),
            not_entity_starts=frozenset(str(w).lower() for w in lex.get("not_entity_starts", [])),
            credit_words=frozenset(str(w).lower() for w in lex.get("credit_words", [])),
            designator=re.compile(str(lex.get("designator", r"^$"))),
            not_designator_prefixes=frozenset(str(p) for p in lex.get("not_designator_prefixes", [])),
            designator_name_words=frozenset(str(w) for w in lex.get("designator_name_words", [])),
            containers=frozenset(str(w).lower() for w in lex.get("containers", [])),
            list_nouns=frozenset(str(w).lower() for w in lex.get("list_nouns", [])),
            polity_nouns=frozenset(str(w).lower() for w in lex.get("polity_nouns", [])),
            unit_nouns=frozenset(str(w).lower() for w in lex.get("unit_nouns", [])),
            words={k: frozenset(str(w).lower() for w in v) for k, v in (lex.get("words") or {}).items()},
            generic_tails=frozenset(str(w).lower() for w in lex.get("generic_name_tails", [])),
            titles=table((w, "title") for w in pos.get("title_heads", [])),
            title_modifiers=frozenset(str(w).lower() for w in pos.get("title_modifiers", [])),
            title_domains=frozenset(str(w).lower() for w in pos.get("title_domains", [])),
            state_titles=table((w, "state") for w in pos.get("state_titles", [])),
            ranks=table((w, "rank") for w in pos.get("ranks", [])),
            body_nouns=table((w, "body") for w in lex.get("body_nouns", []) or []),
            body_words=frozenset(
                w
                for c in ("GovernmentBody", "ArmedForce")
                for field_name in ("name_heads", "name_starts")
                for phrase in (classes.get(c, {}).get(field_name) or [])
                for w in words(phrase)
            ),
        )

    def weight(self, name: str) -> float:
        return self.weights.get(name, 1.0)

    def is_designator(self, text: str) -> bool:
        """An aircraft designator such as "FA-50", "MQ-9B", "An-178", "AW109".

        >>> import re
        >>> c = Cues({}, {}, frozenset(), *[PhraseTable()] * 5, *[frozenset()] * 3, re.compile(r"^[A-Z]+-?\\d+[A-Z]?s?$"),
        ...          frozenset({"TF"}), frozenset(), *[frozenset()] * 4, {}, frozenset(), PhraseTable(), frozenset(), frozenset(),
        ...          PhraseTable(), PhraseTable())
        >>> c.is_designator("FA-50"), c.is_designator("TF33"), c.is_designator("F-16s"), c.is_designator("2025")
        (True, False, True, False)
        """
        if text.endswith(".") and len(text) > 3 and any(c.isdigit() for c in text):
            text = text[:-1]  # "the AH-64E." at a sentence's end, when the tokenizer keeps the full stop
        if not self.designator.match(text):
            return False
        prefix = re.match(r"[A-Za-z]+", text)
        return prefix is not None and prefix.group() not in self.not_designator_prefixes
