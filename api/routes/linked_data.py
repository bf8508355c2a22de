"""Linked Data: the IRIs under ``https://w3id.org/defence-kg/id/`` dereference here.

w3id.org redirects ``/defence-kg/id/*`` to a deployment's ``/id/*`` (README, *Linked
Data*), and ``GET /id/<kind>/<slug>`` answers by content negotiation: a browser
(``text/html``) gets the explorer's page of the entity, an RDF client its description
(:mod:`kg.queries.descriptions`) in Turtle, JSON-LD, N-Triples or RDF/XML, written by
the query workers with the project's prefixes, like the answers of ``/sparql``.
``/id/document/<stem>`` answers with the document's page or its named graph.

An unknown kind or IRI is 404, nothing acceptable 406. RDF answers carry an ETag
(``304`` on ``If-None-Match``) and ``Cache-Control`` like the REST answers; the page
does not, as every page carries a nonce of its own. Every answer varies by ``Accept``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from rdflib import URIRef

from api.deps import EngineDep
from api.errors import NotAcceptable
from api.negotiation import DESCRIPTION_FORMATS, media_type, negotiate
from api.openapi import NOT_MODIFIED, TIMEOUT, Responses, error
from api.routes.page import explorer_shell
from api.routes.rest.deps import cache_headers, etag_of
from kg import vocab
from kg.errors import NotFound
from kg.queries import descriptions
from kg.store import Dataset

router = APIRouter(tags=["linked data"])

_VARY = {"Vary": "Accept"}
_KINDS = ", ".join(descriptions.ENTITY_KINDS)


@dataclass(frozen=True)
class Described:
    """An IRI under /id/ and how to find and describe it."""

    what: str  # "entity" or "document", for messages
    iri: URIRef
    exists: str  # ASK, with the IRI bound to ``variable``
    query: str  # CONSTRUCT, likewise
    variable: str
    dataset: Dataset | None = None


def _entity(kind: str, slug: str) -> Described:
    if kind not in descriptions.ENTITY_KINDS:
        raise NotFound(f"no kind {kind!r} under /id/: the kinds are {_KINDS}, and document")
    iri = descriptions.id_iri(kind, slug)
    if iri is None:
        raise NotFound(f"no entity at /id/{kind}/{slug}: a slug is made of letters, digits and '_.~-'")
    return Described("entity", iri, descriptions.ENTITY_EXISTS, descriptions.ENTITY_DESCRIPTION, "e")


def _document(stem: str) -> Described:
    iri = descriptions.id_iri("document", stem)
    if iri is None:
        raise NotFound(f"no document at /id/document/{stem}: a stem is made of letters, digits and '_.~-'")
    return Described(
        "document",
        iri,
        descriptions.GRAPH_EXISTS,
        descriptions.GRAPH_DESCRIPTION,
        "g",
        dataset=Dataset(default=(str(iri),), named=()),
    )


async def _answer(request: Request, engine: EngineDep, target: Described, override: str | None) -> Response:
    fmt = negotiate(request.headers.get("accept"), DESCRIPTION_FORMATS, override=override)
    if fmt is None:
        raise NotAcceptable(f"<{target.iri}> is available as " + ", ".join(media_type(f) for f in DESCRIPTION_FORMATS))
    headers = dict(_VARY)
    if fmt != "html":
        headers = cache_headers(request, etag_of(engine.state, request, fmt), extra=_VARY)
    bound = {target.variable: target.iri}
    if not await engine.ask(target.exists, substitutions=bound):
        raise NotFound(f"no {target.what} <{target.iri}> in the graph")
    if fmt == "html":
        page = explorer_shell(request)
        page.headers.update(headers)
        return page
    result = await engine.execute(
        target.query,
        results_format=None,
        graph_format=fmt,
        dataset=target.dataset,
        substitutions=None if target.dataset else bound,
    )
    return Response(result.body, media_type=media_type(fmt), headers=headers)


# --- OpenAPI ----------------------------------------------------------------------------
Kind = Annotated[str, Path(description=f"The entity's kind: {_KINDS}. Any other: 404.", examples=["organization"])]
Slug = Annotated[
    str, Path(description="The rest of the IRI's path (an agreement's has two segments).", examples=["baykar"])
]
Stem = Annotated[str, Path(description="The document's file stem.", examples=["000_8b7e041c7c2624cb"])]
Format = Annotated[
    str | None,
    Query(
        description="Answer in this format whatever Accept says: html, turtle, "
        "jsonld, ntriples, rdfxml or a media type (else 406)."
    ),
]

_ORG = "https://w3id.org/defence-kg/id/organization/"
_EXAMPLES: dict[str, Any] = {
    "turtle": (
        f"@prefix dk: <{vocab.DK}> .\n@prefix organization: <{_ORG}> .\n"
        f"@prefix rdfs: <{vocab.RDFS}> .\n\n"
        'organization:baykar a dk:Company ;\n  rdfs:label "Baykar"@en .\n'
    ),
    "html": '<!doctype html><html lang="en">…the explorer\'s entity page…</html>',
    "jsonld": [
        {
            "@id": f"{_ORG}baykar",
            "@type": [f"{vocab.DK}Company"],
            str(vocab.RDFS.label): [{"@value": "Baykar", "@language": "en"}],
        }
    ],
    "ntriples": f'<{_ORG}baykar> <{vocab.RDFS.label}> "Baykar"@en .\n',
    "rdfxml": (
        f'<?xml version="1.0" encoding="UTF-8"?><rdf:RDF xmlns:rdf="{vocab.RDF}" '
        f'xmlns:rdfs="{vocab.RDFS}"><rdf:Description rdf:about="{_ORG}baykar">'
        '<rdfs:label xml:lang="en">Baykar</rdfs:label></rdf:Description></rdf:RDF>'
    ),
}
_FOUND = {
    "description": "The explorer's page (text/html) or the description in RDF, chosen by Accept or format=; "
    "without Accept, or with */*, Turtle.",
    "content": {
        media_type(f): {"schema": {} if f == "jsonld" else {"type": "string"}, "example": _EXAMPLES[f]}
        for f in DESCRIPTION_FORMATS
    },
    "headers": {
        "Vary": {"schema": {"type": "string"}, "description": "Accept"},
        "ETag": {"schema": {"type": "string"}, "description": "RDF answers only"},
    },
}
_HEAD_FOUND = {"description": "The headers GET would send, no body.", "headers": _FOUND["headers"]}
_ERRORS: Responses = {
    **NOT_MODIFIED,
    404: error(
        "An unknown kind, or an IRI that no graph names.",
        "no entity <https://w3id.org/defence-kg/id/organization/nowhere> in the graph",
    ),
    406: error(
        "None of the formats the client accepts.",
        "<https://w3id.org/defence-kg/id/organization/baykar> is available as text/turtle, text/html, "
        "application/ld+json, application/n-triples, application/rdf+xml",
    ),
    **TIMEOUT,
}
_ENTITY = (
    "Its own triples (types, labels, facts), the triples that name it, each fact node it takes part in "
    "(reified statement, position, agreement) with its evidence and amounts; each triple once."
)
_DOCUMENT = (
    "Its named graph: the document node and everything it states, so its #statement-, #evidence- and "
    "#value- IRIs resolve here too."
)


# --- routes: documents first, so /id/document/… never reaches the entity route ----------
@router.get(
    "/id/document/{stem:path}",
    summary="A document IRI: its page or its graph",
    response_class=Response,
    description=_DOCUMENT,
    responses={200: _FOUND, **_ERRORS},
)
async def resolve_document(request: Request, engine: EngineDep, stem: Stem, format: Format = None) -> Response:
    return await _answer(request, engine, _document(stem), format)


@router.head(
    "/id/document/{stem:path}",
    summary="Headers of a document IRI's answer",
    response_class=Response,
    responses={200: _HEAD_FOUND, **_ERRORS},
)
async def head_document(request: Request, engine: EngineDep, stem: Stem, format: Format = None) -> Response:
    return await _answer(request, engine, _document(stem), format)


@router.get(
    "/id/{kind}/{slug:path}",
    summary="An entity IRI: its page or its description",
    response_class=Response,
    description=_ENTITY,
    responses={200: _FOUND, **_ERRORS},
)
async def resolve_entity(
    request: Request, engine: EngineDep, kind: Kind, slug: Slug, format: Format = None
) -> Response:
    return await _answer(request, engine, _entity(kind, slug), format)


@router.head(
    "/id/{kind}/{slug:path}",
    summary="Headers of an entity IRI's answer",
    response_class=Response,
    responses={200: _HEAD_FOUND, **_ERRORS},
)
async def head_entity(request: Request, engine: EngineDep, kind: Kind, slug: Slug, format: Format = None) -> Response:
    return await _answer(request, engine, _entity(kind, slug), format)
