"""A timeline of dated agreements, with counts per year or month."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.routes.rest.deps import IdFilter, Limit, Offset, ReadsDep, as_json, conditional_get, date_filter
from api.schemas import AgreementKind, AgreementStatus, TimelinePublic
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/timeline", tags=["timeline"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=TimelinePublic, summary="Timeline of agreements")
async def get_timeline(
    reads: ReadsDep,
    response: Response,
    granularity: Annotated[Literal["year", "month"], Query(description="Bucket size of the counts.")] = "month",
    party: Annotated[str | None, IdFilter] = None,
    kind: AgreementKind | None = None,
    status: AgreementStatus | None = None,
    country: Annotated[str | None, IdFilter] = None,
    date_from: Annotated[str | None, date_filter("from", "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, date_filter("to", "Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """A page of the dated agreements, oldest first (same filters as /agreements), with the
    count of all of them per year or month; a year-only date counts in its year's bucket
    and, at month granularity, in a bucket of its own (``YYYY``)."""
    return as_json(
        await reads.json(
            model.timeline,
            queries.timeline,
            granularity=granularity,
            party=party,
            kind=kind,
            status=status,
            country=country,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
        ),
        response,
    )
