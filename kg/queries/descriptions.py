"""What an IRI under ``https://w3id.org/defence-kg/id/`` dereferences to (Linked Data).

An entity's description is one CONSTRUCT over the union of all graphs, with ``?e``
bound to the entity: its own triples (types, labels, the facts it states as subject),
every triple that names it as object, the whole of each fact node it takes part in
(a reified statement, a position, an agreement: anything with ``dk:evidence``), and
those facts' evidence and monetary amounts. A triple that several documents state is
one triple of the answer (the query workers keep each CONSTRUCT triple once).

A document's description is its named graph: the document node and everything it
states, including the ``<document>#statement-…``, ``#evidence-…`` and ``#value-…``
nodes, so those hash IRIs resolve too (a client drops the fragment and finds the node
in the document's answer).

The texts are constants; the IRI is bound as a term (``substitutions``), never pasted in.
Every group that uses ``?e`` matches it in a triple pattern: a bound variable that a
group only reads (``BIND(?e AS ?f)``) is not in that group's scope, so the binding
would not reach it.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kg import vocab as v
from kg.queries.base import _PREFIXES

ENTITY_EXISTS = "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"
"""With ``?e`` bound: whether any graph names the IRI."""

ENTITY_DESCRIPTION = (
    _PREFIXES
    + """
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?e ?p ?o BIND(?e AS ?s) }
  UNION { ?s ?p ?e BIND(?e AS ?o) }
  UNION { ?s ?r ?e FILTER EXISTS { ?s dk:evidence ?any } ?s ?p ?o }
  UNION { ?f ?r ?e . ?f dk:evidence|dk:value ?s . ?s ?p ?o }
  UNION { ?e dk:evidence|dk:value ?s . ?s ?p ?o }
}"""
)
"""With ``?e`` bound: the entity's description (see the module's docstring)."""

GRAPH_EXISTS = "ASK { GRAPH ?g { ?s ?p ?o } }"
"""With ``?g`` bound: whether the store holds a non-empty graph of that name."""

GRAPH_DESCRIPTION = "CONSTRUCT WHERE { ?s ?p ?o }"
"""A document's description: run with the document's graph as the default graph."""

ENTITY_KINDS = tuple(k for k in v.ID_KINDS if k != "document")
"""The first path segment of an entity IRI (documents have a route of their own)."""

_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]{1,300}")


def id_iri(kind: str, rest: str) -> URIRef | None:
    """The IRI ``https://w3id.org/defence-kg/id/<kind>/<rest>`` when ``rest`` is one to four
    path segments of the characters IRIs are minted from (:func:`kg.mapping.slug`, file
    stems), else None.

    >>> id_iri("organization", "baykar")
    rdflib.term.URIRef('https://w3id.org/defence-kg/id/organization/baykar')
    >>> id_iri("organization", "x> } DROP ALL") is None, id_iri("organization", "a//b") is None
    (True, True)
    """
    segments = rest.split("/")
    if len(segments) > 4 or not all(_SEGMENT.fullmatch(s) for s in segments):
        return None
    return v.ID[f"{kind}/{rest}"]
