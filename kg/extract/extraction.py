"""The extractor: one document's text → an :class:`~kg.extract.model.Extraction`.

Data flows one way, one module per step:

1. :mod:`~kg.extract.comments` — where the article body ends and reader comments begin;
2. :mod:`~kg.extract.language` — the spaCy pipeline: sentences, tags, dependencies, NER and
   the reference base's names;
3. :mod:`~kg.extract.mentions` — names and titles, with the evidence for each name's class;
4. :mod:`~kg.extract.resolution` — entities, names merged into tokens, anaphora;
5. :mod:`~kg.extract.relations`, :mod:`~kg.extract.positions`, :mod:`~kg.extract.agreements` —
   facts, from the rule files' patterns.

Build one :class:`Extractor` per build (:meth:`Extractor.load`) and feed it every document;
:meth:`Extractor.pipe` runs the neural pipeline in batches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rdflib import Graph
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError
from kg.extract import agreements as agreement_rules
from kg.extract import language, mentions, positions, relations, resolution
from kg.extract.comments import find_body_end
from kg.extract.cues import Cues
from kg.extract.headlines import sentence_case
from kg.extract.model import Entity, Extraction, Position, Ref, Relation
from kg.extract.names import NameTable
from kg.extract.rulebook import Rulebook

_F = TypeVar("_F", Relation, Position)

MAX_DOCUMENT_CHARS = 2_000_000
"""Documents longer than this (in characters) are refused with :class:`ExtractionError`."""


@dataclass
class Extractor:
    nlp: Language
    book: Rulebook
    names: NameTable
    cues: Cues
    relations: relations.RelationFinder
    positions: positions.PositionFinder
    agreements: agreement_rules.AgreementFinder

    @classmethod
    def load(
        cls,
        *,
        ontology: Graph,
        reference: Graph,
        rules: Path,
        model: str = language.DEFAULT_MODEL,
        countries_only: bool = False,
    ) -> Extractor:
        """The extractor for one build: rules checked against ``ontology``, names read from ``reference``."""
        book = Rulebook.load(rules, ontology)
        names = NameTable.from_graph(reference, book.ontology, countries_only=countries_only)
        nlp = language.load(model, names)
        cues = Cues.build(book, nlp)
        return cls(
            nlp,
            book,
            names,
            cues,
            relations.RelationFinder(nlp, book),
            positions.PositionFinder(nlp, book, cues),
            agreement_rules.AgreementFinder(nlp, book, cues),
        )

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        """Everything read from one document.

        >>> from kg.extract import default_extractor
        >>> x = default_extractor().extract("Brazil operates the Gripen.")
        >>> sorted((r.key, r.subject.name, r.object.name) for r in x.relations)
        [('operator', 'JAS 39 Gripen', 'Brazil')]
        """
        return next(self.pipe([(text, published)]))

    def pipe(self, items: Iterable[tuple[str, str | None]], *, batch_size: int = 16) -> Iterator[Extraction]:
        """Extractions of (text, published date) pairs, in order; the neural pipeline runs in batches."""

        def bodies() -> Iterator[tuple[str, tuple[str, str | None, int]]]:
            for text, published in items:
                if len(text) > MAX_DOCUMENT_CHARS:
                    raise ExtractionError(
                        f"document is {len(text)} characters, over the {MAX_DOCUMENT_CHARS}-character limit"
                    )
                end = find_body_end(text)
                yield sentence_case(text[:end], self.names.starts_a_name), (text, published, end)

        for doc, (text, published, end) in self.nlp.pipe(bodies(), as_tuples=True, batch_size=batch_size):
            yield self._read(doc, text, published, end)

    def _read(self, doc: Doc, text: str, published: str | None, body_end: int) -> Extraction:
        onto = self.book.ontology
        title = text.strip().split("\n", 1)[0].strip()
        published = published or _stamped_date(text)
        found, titles = mentions.find(doc, self.cues, onto, self.names)
        entities = resolution.resolve(doc, found, self.cues, self.names, onto)
        resolution.merge(doc, found, titles, entities, onto)
        resolution.repair(doc, onto)
        resolution.annotate_heads(doc, entities, self.cues, onto)
        resolution.annotate_anaphora(doc, entities, self.cues, self.names, onto)
        refs = [Ref(onto.kind_segment(e.cls), e.name) for e in entities]
        ctx = relations.Context(doc, entities, refs, self.names, onto, published, text)
        rels = self.relations.find(ctx)
        rels += relations.implied_by_names(ctx, rels)
        rels += relations.countries_in_names(ctx, rels)
        rels += relations.known_facts_named(ctx, rels)
        posts = self.positions.find(ctx)
        deals, supplies = self.agreements.find(ctx, positions=posts, relations=rels)
        rels += supplies
        used = {r.subject for r in rels} | {r.object for r in rels}
        used |= {p.holder for p in posts} | {p.organization for p in posts}
        used |= {x for a in deals for x in (*a.parties, *a.subjects, *a.sites, *(r for _, r in a.roles))}
        out_entities = tuple(
            Entity(e.cls, e.name, frozenset(e.labels), e.key, ref.coarse)
            for e, ref in zip(entities, refs, strict=True)
            if not e.weak or ref in used
        )
        return Extraction(
            title=title,
            body_end=body_end,
            entities=out_entities,
            relations=_strongest(rels, lambda r: (r.key, r.subject, r.object, r.evidence.start)),
            positions=_strongest(posts, lambda p: (p.holder, p.organization, p.evidence.start)),
            agreements=tuple(deals),
            published=published,
        )


def _strongest(facts: list[_F], key: Callable[[_F], object]) -> tuple[_F, ...]:
    """One fact per statement and sentence: the one read with the most confidence (several rules may read it)."""
    best: dict[object, _F] = {}
    for f in facts:
        k = key(f)
        if k not in best or f.evidence.confidence > best[k].evidence.confidence:
            best[k] = f
    return tuple(best.values())


_STAMP = re.compile(r"(?m)^\s*date (\d{4}-\d{2}-\d{2})\b")


def _stamped_date(text: str) -> str | None:
    """The "date YYYY-MM-DD" stamp a page store leaves at the start of an article, if any."""
    m = _STAMP.search(text[:2000])
    return m.group(1) if m else None
