"""One router per resource: sparql, graph_store, health (and rest/, page by the REST layer)."""
