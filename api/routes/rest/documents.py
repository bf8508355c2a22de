"""Documents: the list, and one document with the entities it mentions and the facts it states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from api.openapi import NOT_FOUND
from api.routes.rest.deps import IndexDep, Limit, Offset, PathId, ReadsDep, SelectDep, as_json, conditional_get
from api.schemas import DocumentPublic, DocumentsPublic
from kg import queries
from kg.queries import EntityIndex, Select
from kg.readmodel import reads as model

router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(conditional_get)])


@router.get("", response_model=DocumentsPublic, summary="List documents")
async def list_documents(reads: ReadsDep, response: Response, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Documents in id order, with how many entities each mentions."""
    found = await reads.json(model.list_documents, _sparql_documents, paged=True, limit=limit, offset=offset)
    return as_json(found, response)


@router.get("/{id}", response_model=DocumentPublic, responses=NOT_FOUND, summary="One document and the facts it states")
async def get_document(id: PathId, select: SelectDep, index: IndexDep) -> DocumentPublic:
    """The facts read from the document's own named graph, each with its sentence."""
    return DocumentPublic.model_validate(await queries.get_document(select, index, id))


async def _sparql_documents(select: Select, index: EntityIndex, **page: int) -> tuple[list[dict[str, Any]], int]:
    return await queries.list_documents(select, **page)
