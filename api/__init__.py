"""The web layer: SPARQL 1.1 protocol, Graph Store protocol, REST; imports kg, never the other way round."""
