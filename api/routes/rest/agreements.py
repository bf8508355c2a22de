"""Agreements: filter by party, kind, status, date range, country and subject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import (
    IdFilter,
    Limit,
    Offset,
    PathId,
    ReadsDep,
    as_json,
    conditional_get,
    date_filter,
)
from api.schemas import AgreementKind, AgreementPublic, AgreementsPublic, AgreementStatus
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/agreements", tags=["agreements"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=AgreementsPublic, summary="List and filter agreements")
async def list_agreements(
    reads: ReadsDep,
    response: Response,
    party: Annotated[str | None, IdFilter] = None,
    kind: AgreementKind | None = None,
    status: AgreementStatus | None = None,
    country: Annotated[str | None, IdFilter] = None,
    subject: Annotated[str | None, IdFilter] = None,
    date_from: Annotated[str | None, date_filter("from", "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, date_filter("to", "Latest date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Agreements, oldest first (undated last). ``country`` keeps agreements where the country
    is a party or a party is based there; ``from``/``to`` keep agreements whose date (a year,
    month or day) overlaps the range, and drop undated ones."""
    found = await reads.json(
        model.list_agreements,
        queries.list_agreements,
        paged=True,
        party=party,
        kind=kind,
        status=status,
        country=country,
        subject=subject,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )
    return as_json(found, response)


@router.get("/{id}", response_model=AgreementPublic, responses=NOT_FOUND, summary="One agreement")
async def get_agreement(id: PathId, reads: ReadsDep, response: Response) -> Response:
    return as_json(await reads.json(model.get_agreement, queries.get_agreement, pid=id), response)
