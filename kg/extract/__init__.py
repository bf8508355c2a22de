"""Information extraction: news text → entities, relations, positions and agreements.

>>> from rdflib import Graph
>>> lex = Lexicon.from_graph(Graph())
>>> extract("Polish Air Force operates the F-16 fighter jets.", lexicon=lex).body_end
48
"""

from kg.extract.extraction import MAX_DOCUMENT_CHARS, extract
from kg.extract.lexicon import Lexicon

__all__ = ["MAX_DOCUMENT_CHARS", "Lexicon", "extract"]
