"""Named SPARQL templates used by the REST API, and the code that shapes their rows.

Every query text is a constant (or is assembled from constant fragments chosen by
code); user values reach the store only as bound variables (pyoxigraph
``substitutions``). One module per resource: :mod:`~kg.queries.base` (ids, the entity
index, evidence), :mod:`~kg.queries.entities`, :mod:`~kg.queries.agreements`,
:mod:`~kg.queries.resources` (aircraft, programmes, documents),
:mod:`~kg.queries.overview` (stats, neighbourhood, timeline) and
:mod:`~kg.queries.network` (who makes agreements with whom).
"""

from kg.errors import NotFound
from kg.queries.agreements import DATE_RE, date_bounds, get_agreement, list_agreements
from kg.queries.base import (
    AGREEMENT_KINDS,
    ENTITY_KINDS,
    ID_RE,
    RELATIONS,
    STATUSES,
    EntityIndex,
    Ref,
    Row,
    Select,
    fold,
    iri_of,
    local_name,
    public_id,
    selector,
)
from kg.queries.entities import fuzzy_score, get_entity, list_entities
from kg.queries.network import NETWORK_GROUPS, network, network_from
from kg.queries.overview import neighbourhood, stats, timeline
from kg.queries.resources import get_document, get_with_links, list_documents, list_with_links

__all__ = [
    "AGREEMENT_KINDS",
    "DATE_RE",
    "ENTITY_KINDS",
    "EntityIndex",
    "ID_RE",
    "NETWORK_GROUPS",
    "NotFound",
    "RELATIONS",
    "Ref",
    "Row",
    "STATUSES",
    "Select",
    "date_bounds",
    "fold",
    "fuzzy_score",
    "get_agreement",
    "get_document",
    "get_entity",
    "get_with_links",
    "iri_of",
    "list_agreements",
    "list_documents",
    "list_entities",
    "list_with_links",
    "local_name",
    "neighbourhood",
    "network",
    "network_from",
    "public_id",
    "selector",
    "stats",
    "timeline",
]
