"""Agreements: triggers from ``agreements/<Kind>.yaml``, parties from ``agreements/parties.yaml``."""

from __future__ import annotations

from spacy.language import Language

from kg.extract.cues import Cues
from kg.extract.model import Agreement
from kg.extract.relations import Context
from kg.extract.rulebook import Rulebook


class AgreementFinder:
    def __init__(self, nlp: Language, book: Rulebook, cues: Cues) -> None:
        self.book = book

    def find(self, ctx: Context) -> list[Agreement]:
        return []
