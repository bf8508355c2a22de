"""What ``/sparql`` (SPARQL 1.1 Protocol) and ``/store`` (Graph Store HTTP Protocol)
accept and answer, for the OpenAPI description.

Their routes read the request themselves (three POST forms, bodies in several RDF
syntaxes), so FastAPI cannot infer parameters or bodies from their signatures; these
are the ``openapi_extra`` and ``responses`` of those routes. Media types come from
:mod:`api.negotiation`, the tables the routes negotiate with.
"""

from __future__ import annotations

from typing import Any

from api.negotiation import (
    ALL_TYPES,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    UPLOAD_FORMATS,
    media_type,
)
from api.openapi import TIMEOUT, Responses, error, requires_token

EXAMPLE_QUERY = """PREFIX dk: <https://w3id.org/defence-kg/ontology#>
SELECT ?doc ?title WHERE { ?doc a dk:NewsArticle ; dk:title ?title } ORDER BY ?doc LIMIT 2"""
EXAMPLE_UPDATE = 'INSERT DATA { GRAPH <urn:notes> { <urn:a> <urn:b> "c" } }'
EXAMPLE_GRAPH = "https://w3id.org/defence-kg/id/document/000_8b7e041c7c2624cb"
_DOC = "https://w3id.org/defence-kg/id/document/"
_TITLE = "Leonardo and Baykar form LBA Systems"
_TURTLE = f"""@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix document: <{_DOC}> .

document:doc0 a dk:NewsArticle ;
  dk:title "{_TITLE}"@en .
"""
_RESULT_EXAMPLES: dict[str, Any] = {
    "json": {
        "head": {"vars": ["doc", "title"]},
        "results": {
            "bindings": [
                {
                    "doc": {"type": "uri", "value": f"{_DOC}doc0"},
                    "title": {"type": "literal", "value": _TITLE, "xml:lang": "en"},
                }
            ]
        },
    },
    "xml": (
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
        '<variable name="doc"/><variable name="title"/></head><results><result><binding name="doc">'
        f'<uri>{_DOC}doc0</uri></binding><binding name="title"><literal xml:lang="en">{_TITLE}</literal>'
        "</binding></result></results></sparql>"
    ),
    "csv": f"doc,title\r\n{_DOC}doc0,{_TITLE}\r\n",
    "tsv": f'?doc\t?title\n<{_DOC}doc0>\t"{_TITLE}"@en\n',
}
_GRAPH_EXAMPLES: dict[str, Any] = {
    "turtle": _TURTLE,
    "ntriples": (
        f"<{_DOC}doc0> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/defence-kg/ontology#NewsArticle> .\n"
    ),
    "jsonld": [{"@id": f"{_DOC}doc0", "@type": ["https://w3id.org/defence-kg/ontology#NewsArticle"]}],
    "rdfxml": (
        '<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="{_DOC}doc0"><rdf:type rdf:resource='
        '"https://w3id.org/defence-kg/ontology#NewsArticle"/></rdf:Description></rdf:RDF>'
    ),
    "trig": _TURTLE,
    "nquads": (
        f"<{_DOC}doc0> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/defence-kg/ontology#NewsArticle> .\n"
    ),
}


def _content(formats: tuple[str, ...], examples: dict[str, Any]) -> dict[str, Any]:
    """One entry per format, under the media type the server answers with."""
    return {
        media_type(f): {
            "schema": {} if isinstance(examples[f], dict | list) else {"type": "string"},
            "example": examples[f],
        }
        for f in formats
    }


def _iris(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
    }


_FORMAT_NAMES = [*SELECT_FORMATS, *GRAPH_FORMATS]
FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "Answer in this format whatever Accept says: a short name or a media type (406 if it does "
    "not fit the query form).",
    "schema": {"type": "string", "examples": _FORMAT_NAMES},
}
_DATASET = [
    _iris(
        "default-graph-uri",
        "An absolute IRI of a graph of the default graph (repeatable; without any, the "
        "default graph is the union of all graphs).",
    ),
    _iris("named-graph-uri", "An absolute IRI of a named graph of the dataset (repeatable)."),
]
_USING = [
    _iris("using-graph-uri", "Update: an absolute IRI of a graph of the default graph (USING; repeatable)."),
    _iris("using-named-graph-uri", "Update: an absolute IRI of a named graph (USING NAMED; repeatable)."),
]
_QUERY_PARAMETER = {
    "name": "query",
    "in": "query",
    "required": False,
    "description": "A SPARQL 1.1 query. Without it the answer is the service description (RDF).",
    "schema": {"type": "string"},
    "example": EXAMPLE_QUERY,
}

_BAD_QUERY = error(
    "The query is malformed (the parser's message and position), a dataset IRI is not absolute, "
    "the result has more than KG_MAX_RESULT_ROWS rows, or evaluation failed.",
    "Parser error at line 1 column 8: expected a variable or '*'",
)
_NOT_ACCEPTABLE = error(
    "No format the client accepts fits the query's form.",
    "no acceptable format for a SELECT result; available: application/sparql-results+json, "
    "application/sparql-results+xml, text/csv, text/tab-separated-values",
)
_REFUSED = error(
    "SERVICE or LOAD to an address the server does not allow.", "SERVICE (federated query) is disabled on this server"
)
_RESULTS = {
    "description": "SELECT and ASK results (JSON, XML, CSV, TSV; ASK: JSON and XML), the graph of a CONSTRUCT or "
    "DESCRIBE (Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads), or, for GET without a query, "
    "the service description (RDF). Chosen by Accept or format=.",
    "content": {**_content(SELECT_FORMATS, _RESULT_EXAMPLES), **_content(GRAPH_FORMATS, _GRAPH_EXAMPLES)},
    "headers": {"Vary": {"schema": {"type": "string"}, "description": "Accept"}},
}
_BODY_LIMITS: Responses = {
    408: error("The body did not arrive within KG_BODY_TIMEOUT.", "the request body did not arrive within 30 s"),
    413: error(
        "The body is over KG_MAX_BODY_BYTES, or the query or update over KG_MAX_QUERY_LENGTH.",
        "the request body is over the limit of 10485760 bytes",
    ),
}
_UNAUTHORIZED = error(
    "A write without 'Authorization: Bearer <token>'.", "updates need an 'Authorization: Bearer <token>' header"
)
_AUTH: Responses = {
    401: _UNAUTHORIZED,
    403: error(
        "Updates are off (KG_UPDATE_ENABLED), the token is wrong, or SERVICE/LOAD is refused.",
        "updates are disabled on this server (KG_UPDATE_ENABLED is off)",
    ),
}

SPARQL_GET: dict[str, Any] = {
    "description": "A query in the URL (SPARQL 1.1 Protocol, section 2.1.1), or, without one, the service "
    "description. Example: `GET /sparql?query=ASK%20%7B%7D` with `Accept: "
    "application/sparql-results+json`.",
    "responses": {
        200: _RESULTS,
        400: _BAD_QUERY,
        403: _REFUSED,
        406: _NOT_ACCEPTABLE,
        414: error(
            "The query in the URL is over KG_MAX_QUERY_LENGTH: send it by POST.",
            "the query is 100001 characters; the limit is 100000",
        ),
        **TIMEOUT,
    },
    "openapi_extra": {"parameters": [_QUERY_PARAMETER, *_DATASET, FORMAT_PARAMETER]},
}

_FORM_SCHEMA = {
    "type": "object",
    "description": "Exactly one of query and update.",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string"},
        **{
            name: {"type": "array", "items": {"type": "string"}}
            for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
        },
        "format": {"type": "string"},
    },
}
SPARQL_POST: dict[str, Any] = {
    "description": "The three POST forms of the SPARQL 1.1 Protocol: a URL-encoded form with `query` or `update` "
    "(sections 2.1.2, 2.2.1), a query as the body (`application/sparql-query`, 2.1.3) or an update "
    "as the body (`application/sparql-update`, 2.2.2). Dataset parameters of the direct forms go in "
    "the URL. Bodies are UTF-8. Updates need the bearer token and answer 204.",
    "responses": {
        200: _RESULTS,
        204: {"description": "The update was applied (one transaction)."},
        400: _BAD_QUERY,
        **_AUTH,
        406: _NOT_ACCEPTABLE,
        **_BODY_LIMITS,
        415: error(
            "A Content-Type other than the three forms, or a charset other than UTF-8.",
            "unsupported Content-Type 'text/plain': use application/x-www-form-urlencoded, "
            "application/sparql-query or application/sparql-update",
        ),
        **TIMEOUT,
    },
    "openapi_extra": {
        "parameters": [*_DATASET, *_USING, FORMAT_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA, "example": {"query": EXAMPLE_QUERY}},
                "application/sparql-query": {"schema": {"type": "string"}, "example": EXAMPLE_QUERY},
                "application/sparql-update": {"schema": {"type": "string"}, "example": EXAMPLE_UPDATE},
            },
        },
        **requires_token(optional=True),
    },
}

# --- the Graph Store ---------------------------------------------------------------------
_TARGET = [
    {
        "name": "default",
        "in": "query",
        "required": False,
        "description": "The store's default graph: `?default`, with no value.",
        "schema": {"type": "string"},
    },
    {
        "name": "graph",
        "in": "query",
        "required": False,
        "description": "The IRI of a named graph.",
        "schema": {"type": "string"},
        "example": EXAMPLE_GRAPH,
    },
]
_DIRECT = "The graph is named by the request URL itself (direct identification)."
_NO_GRAPH = error("No graph of that name in the store.", f"no graph <{EXAMPLE_GRAPH}> in the store")
_BAD_TARGET = error("Neither or both of ?default and ?graph=IRI.", "name a graph: /store?default or /store?graph=IRI")
_BAD_UPLOAD = error(
    "Neither or both of ?default and ?graph=IRI, a body that does not parse, or XML with a "
    "DOCTYPE or ENTITY declaration.",
    "XML with DOCTYPE or ENTITY declarations is refused (entity expansion is not allowed)",
)
_STORE_AUTH: Responses = {
    401: _UNAUTHORIZED,
    403: error("Writes are off (KG_UPDATE_ENABLED) or the token is wrong.", "the update token is wrong"),
}
_GRAPH = {
    "description": "The graph, in the format Accept or format= asks for.",
    "content": _content(GRAPH_FORMATS, _GRAPH_EXAMPLES),
    "headers": {"ETag": {"schema": {"type": "string"}}, "Vary": {"schema": {"type": "string"}}},
}
_GRAPH_FORMAT = {
    **FORMAT_PARAMETER,
    "description": "Answer in this format whatever Accept says: a short name or a media type (else 406).",
    "schema": {"type": "string", "examples": list(GRAPH_FORMATS)},
}
_UPLOAD = {
    "required": True,
    "content": {
        **{
            t: {"schema": {"type": "string"}, "example": '<urn:a> <urn:b> "c" .'}
            for f in UPLOAD_FORMATS
            for t in ALL_TYPES[f]
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "description": "One graph in several files, each part with its own Content-Type.",
                "additionalProperties": {"type": "string", "contentMediaType": "text/turtle"},
            }
        },
    },
}
_WRITE_ERRORS: Responses = {
    400: _BAD_UPLOAD,
    **_STORE_AUTH,
    **_BODY_LIMITS,
    415: error(
        "A body in a format that is not " + ", ".join(media_type(f) for f in UPLOAD_FORMATS) + ".",
        "unsupported Content-Type 'application/trig': send one of text/turtle, "
        "application/n-triples, application/rdf+xml, application/ld+json",
    ),
}
_WRITTEN: Responses = {
    201: {"description": "The graph did not exist and was created."},
    204: {"description": "The existing graph was changed."},
}


def store_read(direct: bool, *, head: bool = False) -> dict[str, Any]:
    """GET and HEAD of a graph (HEAD: the same status and headers, no body)."""
    found = {"description": "The headers GET would send, no body.", "headers": _GRAPH["headers"]} if head else _GRAPH
    return {
        "responses": {200: found, 400: _BAD_TARGET, 404: _NO_GRAPH, 406: _NOT_ACCEPTABLE, **TIMEOUT},
        "description": _DIRECT if direct else None,
        "openapi_extra": {"parameters": [_GRAPH_FORMAT] if direct else [*_TARGET, _GRAPH_FORMAT]},
    }


def store_write(direct: bool, *, post: bool = False) -> dict[str, Any]:
    """PUT (replace) or POST (add to; without a graph, create one) a graph."""
    responses: dict[int | str, Any] = {**_WRITTEN, **_WRITE_ERRORS}
    if post and not direct:
        responses[201] = {
            "description": "Without ?graph: a new graph was created; its IRI is in Location. "
            "Otherwise: the graph did not exist and was created.",
            "headers": {"Location": {"schema": {"type": "string"}}},
        }
    return {
        "responses": responses,
        "description": _DIRECT if direct else None,
        "status_code": 204,
        "openapi_extra": {"requestBody": _UPLOAD, **requires_token(), **({} if direct else {"parameters": _TARGET})},
    }


def store_delete(direct: bool) -> dict[str, Any]:
    return {
        "responses": {
            204: {"description": "The graph was deleted (?default: emptied)."},
            400: _BAD_TARGET,
            **_STORE_AUTH,
            404: _NO_GRAPH,
        },
        "status_code": 204,
        "description": _DIRECT if direct else None,
        "openapi_extra": {**requires_token(), **({} if direct else {"parameters": _TARGET})},
    }
