"""Entities: a searchable, paginated list and a detail page with every fact and its evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import Limit, Offset, PathId, ReadsDep, as_json, conditional_get
from api.schemas import EntitiesPublic, EntityKind, EntityPublic
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/entities", tags=["entities"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=EntitiesPublic, summary="List and search entities")
async def list_entities(
    reads: ReadsDep,
    response: Response,
    kind: Annotated[EntityKind | None, Query(description="Ontology class; subclasses are included.")] = None,
    name: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Name to search for (any label or alternative label)."),
    ] = None,
    match: Annotated[
        Literal["prefix", "fuzzy"],
        Query(
            description="prefix: a label starts with the name (case-insensitive); fuzzy: close spellings, "
            "best first, with a score."
        ),
    ] = "prefix",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Entities mentioned by at least one document, sorted by label (by score for fuzzy search)."""
    found = await reads.json(
        model.list_entities,
        queries.list_entities,
        paged=True,
        kind=kind,
        name=name,
        match=match,
        limit=limit,
        offset=offset,
    )
    return as_json(found, response)


@router.get("/{id}", response_model=EntityPublic, responses=NOT_FOUND, summary="One entity with its facts and evidence")
async def get_entity(id: PathId, reads: ReadsDep, response: Response) -> Response:
    """Labels, kind, relations in both directions, positions, agreements, and the documents and
    sentences that support each fact. Unknown id: 404."""
    return as_json(await reads.json(model.get_entity, queries.get_entity, pid=id), response)
