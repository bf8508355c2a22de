"""One exception hierarchy for the domain; the CLI and the web layer map it once."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error the knowledge graph raises on purpose."""


class InputError(KgError):
    """A document or upload that cannot be read: binary, not UTF-8, empty, too large."""


class OntologyError(KgError):
    """The ontology, reference base or shapes file cannot be parsed or is inconsistent."""


class NotFound(KgError, LookupError):
    """No resource has the requested id, IRI or name (the web layer answers 404)."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class ExtractionError(KgError):
    """A document the extractor refuses (for example, over the size limit)."""


class QueryError(KgError):
    """A SPARQL query or update that cannot be parsed or evaluated."""


class QuerySyntaxError(QueryError):
    """A SPARQL query or update that does not parse (the message gives the parser's position)."""


class QueryTimeout(QueryError):
    """A query stopped because it ran past its time limit."""


class LimitExceeded(KgError):
    """A request over a configured limit (query length, result rows, body size)."""
