"""Information extraction: news text → entities, relations, positions and agreements.

One module per step, data flowing one way:

- :mod:`~kg.extract.lexicon` — the reference base (and built-in countries, demonyms) as token
  tables; build once per build with :meth:`Lexicon.from_graph` and reuse for every document;
- :mod:`~kg.extract.comments` — where the body ends and reader comments begin;
- :mod:`~kg.extract.mentions` — capitalised runs, typed by cues (suffixes, appositions, head nouns);
- :mod:`~kg.extract.document` — sentences, mentions, clusters (acronyms, short forms, surnames);
- :mod:`~kg.extract.patterns`, :mod:`~kg.extract.agreements` — facts read from masked sentences;
- :mod:`~kg.extract.values` — money and dates;
- :mod:`~kg.extract.extraction` — :func:`extract`, which runs them and builds the
  :class:`~kg.extract.model.Extraction`.

>>> from rdflib import Graph
>>> lex = Lexicon.from_graph(Graph())
>>> x = extract("The Polish Air Force operates the F-16 fighter jets.", lexicon=lex)
>>> [(r.key, r.subject.name, r.object.name) for r in x.relations]
[('country', 'Polish Air Force', 'Poland'), ('operator', 'F-16', 'Polish Air Force')]
"""

from kg.extract.extraction import MAX_DOCUMENT_CHARS, extract
from kg.extract.lexicon import Lexicon

__all__ = ["MAX_DOCUMENT_CHARS", "Lexicon", "extract"]
