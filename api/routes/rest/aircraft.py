"""Aircraft with their manufacturers and operators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import Limit, LinkLimit, Offset, PathId, ReadsDep, as_json, conditional_get
from api.schemas import AircraftListPublic, AircraftPublic
from kg import queries
from kg.queries.resources import LINK_LIMIT

router = APIRouter(prefix="/aircraft", tags=["aircraft"], dependencies=[Depends(conditional_get)])

_LINKS = ("manufacturer", "operator")


@router.get("", response_model=AircraftListPublic, summary="Aircraft with manufacturers and operators")
async def list_aircraft(
    reads: ReadsDep,
    response: Response,
    name: Annotated[str | None, Query(min_length=1, max_length=200, description="Name prefix.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    link_limit: LinkLimit = LINK_LIMIT,
) -> Response:
    found = await reads.listing_with_links(
        "Aircraft", _LINKS, name=name, limit=limit, offset=offset, link_limit=link_limit
    )
    return as_json(found, response)


@router.get("/{id}", response_model=AircraftPublic, responses=NOT_FOUND, summary="One aircraft")
async def get_aircraft(id: PathId, reads: ReadsDep) -> AircraftPublic:
    item = await queries.get_with_links(reads.select, reads.index, id, kind="Aircraft", links=_LINKS)
    return AircraftPublic.model_validate(item)
