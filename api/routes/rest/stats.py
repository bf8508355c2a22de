"""Counts for dashboards: documents, entities by kind, agreements by kind and status, relations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from api.routes.rest.deps import ReadsDep, as_json, conditional_get
from api.schemas import StatsPublic
from kg import queries
from kg.readmodel import reads as model

router = APIRouter(prefix="/stats", tags=["stats"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=StatsPublic, summary="Counts by kind")
async def get_stats(reads: ReadsDep, response: Response) -> Response:
    return as_json(await reads.json(model.stats, queries.stats), response)
