"""Who makes agreements with whom: the explorer's network view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.routes.rest.deps import ReadsDep, as_json, conditional_get, date_filter
from api.schemas import AgreementKind, NetworkPublic
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/network", tags=["network"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=NetworkPublic, summary="Network of parties to agreements")
async def get_network(
    reads: ReadsDep,
    response: Response,
    kind: AgreementKind | None = None,
    date_from: Annotated[str | None, date_filter("from", "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, date_filter("to", "Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    limit: Annotated[int, Query(ge=1, le=5000, description="Agreements to draw, oldest first.")] = 1000,
) -> Response:
    """Firms, government bodies and countries as nodes and agreements as edges (one per pair
    of parties), of the agreements of a kind whose date overlaps ``from``/``to`` (a date bound
    drops undated agreements, as in /agreements)."""
    network = await reads.json(
        model.network, queries.network, kind=kind, date_from=date_from, date_to=date_to, limit=limit
    )
    return as_json(network, response)
