"""The token attributes the extractor sets on a parsed document, and that rule patterns match on.

After names are resolved, every name is one token (spaCy's retokenizer merges it, keeping
its dependency arc) with:

- ``token._.cls``: the ontology class of the entity it names (local name: "Company",
  "ArmedForce", "CombatAircraft", ...), also set on a pronoun or a definite noun phrase's
  head that refers to one ("it", "the company", "the Italian manufacturer");
- ``token._.kind``: on a name, the kind its IRI is minted under ("organization", "aircraft", ...);
- ``token._.entity``: the index of the entity in the document's entity list, and ``token._.named``
  whether it has one (``{"_": {"named": false}}`` matches a token that names nothing);
- ``token._.demonym``: the name is an adjective of nationality ("Turkish", "Swiss");
- ``token._.title`` / ``token._.state_title``: the token is a merged title phrase
  ("chief executive officer", "Defence Minister"); state titles are posts in a government.

- ``token._.group``: the entities a plural noun phrase stands for ("the two companies", "both nations");
- ``token._.trigger`` / ``token._.agreement``: the token is the head of a word of an agreement
  file (see ``agreements/parties.yaml`` for the trigger types) and the agreement class it names.

A rule file matches on them with spaCy's ``_`` key, for example
``{"_": {"cls": {"IN": ["Company", "Division"]}}}``; a relation's domain and range
constraints are added to its ``s`` and ``o`` nodes the same way.
"""

from __future__ import annotations

from spacy.tokens import Token

for _name, _default in (
    ("cls", None),
    ("kind", None),
    ("entity", None),
    ("named", False),
    ("demonym", False),
    ("title", False),
    ("state_title", False),
    ("group", None),
    ("trigger", None),
    ("agreement", None),
):
    if not Token.has_extension(_name):
        Token.set_extension(_name, default=_default)


POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
"""The tokens that make the name before them a possessor: "Boeing's", "Airbus'"."""


def based_after(tok: Token) -> bool:
    """Whether "-based" follows the token: "a Poland-based firm" says where the firm is."""
    doc = tok.doc
    return tok.i + 2 < len(doc) and doc[tok.i + 1].text in ("-", "–") and doc[tok.i + 2].lower_ == "based"
