"""The SPARQL query mix: what dashboards and analysts send, with parameters from the data.

Six kinds, each with a weight in the mix:

- ``lookup``: every property of one entity, by IRI;
- ``search``: entities whose label contains a string (the search box);
- ``agreements``: agreements of one party, of the five kinds, dated since 2018 or undated;
- ``neighbourhood``: the 2-hop graph around one firm through the facts that point at it;
- ``counts``: entities grouped by class and country;
- ``provenance``: the sentence and document behind each agreement of a party.

Queries read the default graph as the union of all graphs (every server is set up
that way) and use ``DISTINCT`` so that a triple stated by two documents is one row
everywhere. Parameters are drawn (seeded) from the built store, so each query hits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PREFIXES = "PREFIX dk: <https://w3id.org/defence-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
AGREEMENT_KINDS = (
    "dk:MemorandumOfUnderstanding, dk:JointVentureAgreement, dk:Acquisition, dk:Procurement, dk:Partnership"
)
FACT_PREDICATES = (
    "dk:party, dk:manufacturer, dk:operator, dk:supplier, dk:participant, dk:country, dk:holder, "
    "dk:organization, dk:parentOrganization, dk:subject, dk:site"
)

TEMPLATES: dict[str, str] = {
    "lookup": "SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}",
    "search": (
        "SELECT DISTINCT ?e ?label WHERE {{ ?e rdfs:label ?label . "
        'FILTER(CONTAINS(LCASE(STR(?label)), "{term}")) }} ORDER BY ?label ?e LIMIT 20'
    ),
    "agreements": (
        "SELECT DISTINCT ?a ?kind ?status ?date WHERE {{ ?a dk:party <{iri}> ; a ?kind . "
        f"FILTER(?kind IN ({AGREEMENT_KINDS})) "
        "OPTIONAL {{ ?a dk:status ?status }} OPTIONAL {{ ?a dk:date ?date }} "
        'FILTER(!BOUND(?date) || STR(?date) >= "2018") }} '
        'ORDER BY DESC(COALESCE(STR(?date), "")) ?a LIMIT 100'
    ),
    # Two hops through the fact nodes that point at the entity (agreements it is party to, aircraft
    # it makes, positions in it, programmes it joins) to what they point at: the dashboard's graph.
    "neighbourhood": (
        "SELECT DISTINCT ?x ?n WHERE {{ ?x ?p1 <{iri}> . ?x ?p2 ?n . "
        f"FILTER(?p1 IN ({FACT_PREDICATES}) && ?p2 IN ({FACT_PREDICATES}) && ?n != <{{iri}}>) }}}} "
        "LIMIT 1000"
    ),
    "counts": (
        "SELECT ?kind ?country (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e dk:country ?country ; a ?kind }} "
        "GROUP BY ?kind ?country ORDER BY DESC(?n) ?kind ?country LIMIT 100"
    ),
    "provenance": (
        "SELECT DISTINCT ?a ?doc ?title ?sentence WHERE {{ ?a dk:party <{iri}> ; dk:evidence ?ev . "
        "?ev dk:document ?doc ; dk:sentenceText ?sentence . ?doc dk:title ?title }} "
        "ORDER BY ?a ?doc ?sentence LIMIT 50"
    ),
}
WEIGHTS = {"lookup": 30, "search": 20, "agreements": 20, "neighbourhood": 10, "counts": 5, "provenance": 15}

# Firms that are party to agreements: the entities dashboards are opened on. Matched inside each
# document's graph: over the union default graph a firm named by k documents joins k x k times.
_PARTIES = (
    PREFIXES
    + """
SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a dk:party ?e . ?e a dk:Company } }
GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 2000
"""
)
_LABELS = PREFIXES + "SELECT DISTINCT ?label WHERE { GRAPH ?g { ?e a dk:Company ; rdfs:label ?label } } LIMIT 5000"


@dataclass(frozen=True)
class Query:
    kind: str
    text: str

    def get_path(self, endpoint: str) -> str:
        return f"{endpoint}?query={quote(self.text, safe='')}"


def choose(store_path: Path, *, seed: int = 7, per_kind: int = 8) -> list[Query]:
    """The distinct queries of the mix, parameters drawn from the store at ``store_path``."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    try:
        parties = [r["e"].value for r in store.query(_PARTIES)]
        labels = sorted(r["label"].value for r in store.query(_LABELS))
    finally:
        del store
    if not parties:
        raise RuntimeError("the store holds no agreement with a company party: nothing to query")
    rng = random.Random(seed)
    # Half the entities from the busiest parties (dashboard favourites), half from the tail.
    head = parties[: max(1, len(parties) // 10)]
    picks = [rng.choice(head) if i % 2 == 0 else rng.choice(parties) for i in range(per_kind)]
    terms = sorted({lbl.split()[0][:5].lower() for lbl in rng.sample(labels, min(len(labels), per_kind))})
    queries: list[Query] = []
    for kind, template in TEMPLATES.items():
        if kind == "counts":
            queries.append(Query(kind, PREFIXES + template.format()))
        elif kind == "search":
            queries += [Query(kind, PREFIXES + template.format(term=t)) for t in terms]
        else:
            queries += [Query(kind, PREFIXES + template.format(iri=iri)) for iri in dict.fromkeys(picks)]
    return queries


def mix(queries: list[Query], *, length: int = 400, seed: int = 11) -> list[Query]:
    """A shuffled sequence of ``length`` requests honouring the kind weights."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Query]] = {}
    for q in queries:
        by_kind.setdefault(q.kind, []).append(q)
    kinds = [k for k in WEIGHTS if k in by_kind]
    seq = [rng.choice(by_kind[k]) for k in rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds], k=length)]
    return seq
