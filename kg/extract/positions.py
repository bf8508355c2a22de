"""Posts: the patterns of ``positions.yaml`` tie a person, a title and an organisation (or a country)."""

from __future__ import annotations

from spacy.language import Language

from kg.extract.cues import Cues
from kg.extract.model import Position
from kg.extract.relations import Context
from kg.extract.rulebook import Rulebook


class PositionFinder:
    def __init__(self, nlp: Language, book: Rulebook, cues: Cues) -> None:
        self.book = book

    def find(self, ctx: Context) -> list[Position]:
        return []
