"""Facts a stated fact implies, as declared rules: SPARQL CONSTRUCT files in ``ontology/rules/implied/``.

Each rule is applied at build time to one document's graph (with the ontology beside it, for
the class hierarchy) and what it constructs goes into that same graph, so an implied fact is
stated by the document whose sentence it comes from: a rule reads the document from the
evidence of the fact it starts from (``dk:document``) and mints the IRIs of the statement and
evidence it adds under the document's IRI. A rule file that does not parse stops the build
with an :class:`~kg.errors.OntologyError` naming the file.

>>> from rdflib import Graph
>>> rules = ImpliedFacts((), Graph())
>>> rules.apply("https://w3id.org/defence-kg/id/document/x", [])
[]
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef

from kg import vocab
from kg.errors import OntologyError, QueryError
from kg.store import Store, Triple, to_rdflib


class ImpliedFacts:
    def __init__(self, rules: Iterable[tuple[str, str]], ontology: Graph) -> None:
        self.rules = tuple(rules)
        self._store = Store()
        self._store.replace_graphs({str(vocab.ONTOLOGY_GRAPH): list(ontology)})
        probe = URIRef(vocab.ID["document/rule-check"])
        for name, text in self.rules:
            try:
                self._run(text, probe)
            except QueryError as e:
                raise OntologyError(f"implied/{name}: not a valid SPARQL CONSTRUCT rule: {e}") from None

    def _run(self, text: str, doc: URIRef) -> list[Triple]:
        result = self._store.query(text, default_graphs=[str(doc), str(vocab.ONTOLOGY_GRAPH)])
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result]

    def apply(self, doc: str, triples: list[Triple]) -> list[Triple]:
        """The triples the rules add to the document graph ``doc`` holding ``triples`` (none it has already)."""
        if not self.rules:
            return []
        self._store.replace_graphs({doc: triples})
        try:
            seen = set(triples)
            added: list[Triple] = []
            for _, text in self.rules:
                for t in self._run(text, URIRef(doc)):
                    if t not in seen:
                        seen.add(t)
                        added.append(t)
            return added
        finally:
            self._store.drop_graphs([doc])
