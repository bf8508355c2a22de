"""Defence-industry knowledge graph: news articles -> OWL/RDF graph -> SPARQL."""

__version__ = "0.1.0"
