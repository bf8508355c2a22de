"""Counts over the store: what `kg stats` prints and the REST stats endpoint mirrors."""

from __future__ import annotations

from dataclasses import dataclass

from kg import vocab
from kg.store import Store

_COUNT_BY_CLASS = f"""
PREFIX dk: <{vocab.DK}>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?doc {{ ?doc a dk:NewsArticle . ?s a ?class . }}
  FILTER(STRSTARTS(STR(?class), STR(dk:)))
}} GROUP BY ?class ORDER BY ?class
"""

_COUNT_FACTS = f"""
PREFIX dk: <{vocab.DK}>
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
      GRAPH ?doc {{ ?doc a dk:NewsArticle . ?s ?p ?o . }}
      VALUES ?p {{ {" ".join(f"dk:{r}" for r in vocab.FACT_RELATIONS)} }} }} }}
}} GROUP BY ?p ORDER BY ?p
"""


@dataclass(frozen=True)
class Stats:
    documents: int
    graphs: int
    triples: int
    classes: dict[str, int]
    facts: dict[str, int]


def collect(store: Store) -> Stats:
    classes = {str(vocab.local_name(r["class"])): int(r["n"]) for r in store.select(_COUNT_BY_CLASS)}
    facts = {str(vocab.local_name(r["p"])): int(r["n"]) for r in store.select(_COUNT_FACTS)}
    return Stats(
        documents=classes.get("NewsArticle", 0),
        graphs=len(store.graph_names()),
        triples=len(store),
        classes=classes,
        facts=facts,
    )
