"""Information extraction: news text → entities, relations, positions and agreements.

The linguistic layer is a trained spaCy English pipeline (:mod:`kg.extract.language`);
everything the extractor knows about defence news is data in ``ontology/rules/`` (see
:mod:`kg.extract.rulebook`), checked against the ontology when it is loaded.

>>> x = default_extractor().extract("The Polish Air Force operates the F-16 fighter jets.")
>>> sorted((r.key, r.subject.name, r.object.name) for r in x.relations)
[('operator', 'F-16 Fighting Falcon', 'Polish Air Force')]
"""

from __future__ import annotations

from functools import lru_cache

from kg.extract.extraction import MAX_DOCUMENT_CHARS, Extractor

__all__ = ["MAX_DOCUMENT_CHARS", "Extractor", "default_extractor"]


@lru_cache(maxsize=2)
def default_extractor(*, countries_only: bool = False) -> Extractor:
    """The extractor over the project's own ontology, reference base and rules (cached; for tests and doctests)."""
    from kg.config import Settings
    from kg.ontology import load_graph

    s = Settings()
    return Extractor.load(
        ontology=load_graph(s.ontology),
        reference=load_graph(s.reference),
        rules=s.rules,
        model=s.spacy_model,
        countries_only=countries_only,
    )
