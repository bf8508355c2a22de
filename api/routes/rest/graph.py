"""The neighbourhood of an entity as nodes and edges, for a network chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import PathId, ReadsDep, as_json, conditional_get
from api.schemas import GraphPublic
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/graph", tags=["graph"], dependencies=[Depends(conditional_get)])


@router.get("/{id}", response_model=GraphPublic, responses=NOT_FOUND, summary="Neighbourhood of an entity")
async def get_neighbourhood(
    id: PathId,
    reads: ReadsDep,
    response: Response,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the entity.")] = 1,
    max_nodes: Annotated[int, Query(ge=1, le=1000, description="Stop adding nodes past this many.")] = 200,
) -> Response:
    """Entities linked to this one by a relation or a position, and the agreements it takes part
    in (as nodes of group ``agreement``), out to ``depth`` hops. Unknown id: 404."""
    found = await reads.json(model.neighbourhood, queries.neighbourhood, pid=id, depth=depth, max_nodes=max_nodes)
    return as_json(found, response)
