"""Programmes with their participants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import Limit, LinkLimit, Offset, PathId, ReadsDep, as_json, conditional_get
from api.schemas import ProgrammePublic, ProgrammesPublic
from kg import queries
from kg.queries.resources import LINK_LIMIT

router = APIRouter(prefix="/programmes", tags=["programmes"], dependencies=[Depends(conditional_get)])

_LINKS = ("participant",)


@router.get("", response_model=ProgrammesPublic, summary="Programmes with participants")
async def list_programmes(
    reads: ReadsDep,
    response: Response,
    name: Annotated[str | None, Query(min_length=1, max_length=200, description="Name prefix.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    link_limit: LinkLimit = LINK_LIMIT,
) -> Response:
    found = await reads.listing_with_links(
        "Programme", _LINKS, name=name, limit=limit, offset=offset, link_limit=link_limit
    )
    return as_json(found, response)


@router.get("/{id}", response_model=ProgrammePublic, responses=NOT_FOUND, summary="One programme")
async def get_programme(id: PathId, reads: ReadsDep) -> ProgrammePublic:
    item = await queries.get_with_links(reads.select, reads.index, id, kind="Programme", links=_LINKS)
    return ProgrammePublic.model_validate(item)
