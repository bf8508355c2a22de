"""What every REST route shares: where it reads (the read model or SPARQL), the entity
index, caching.

Caching: every GET answers with a weak ``ETag`` derived from the store's generation
(it increases after each write) and the canonical request (path and sorted query
parameters), and ``Cache-Control: public, max-age=60``. A request whose
``If-None-Match`` holds that tag gets ``304 Not Modified`` before any query runs.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import EngineDep
from api.readpool import ReadPool, answer_json
from api.readside import ReadSide
from api.schemas import ID_DESCRIPTION
from kg import queries
from kg.queries import EntityIndex, Select
from kg.readmodel import StoredIndex
from kg.readmodel import reads as readmodel

CACHE_CONTROL = "public, max-age=60"


def etag_of(generation: str, request: Request, variant: str = "") -> str:
    """A weak ETag for this store generation and the canonical form of the request;
    ``variant`` names the representation when one URL has several (content negotiation)."""
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    canonical = f"{request.url.path}?{query}" + (f"\0{variant}" if variant else "")
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:20]
    return f'W/"{generation}-{digest}"'


def if_none_match(header: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header holds ``tag`` (weak comparison, or ``*``)."""
    opaque = tag.removeprefix("W/")
    for candidate in header.split(","):
        c = candidate.strip()
        if c == "*" or c.removeprefix("W/") == opaque:  # If-None-Match uses weak comparison
            return True
    return False


def cache_headers(request: Request, tag: str, *, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """``ETag`` and ``Cache-Control`` for an answer tagged ``tag``; raises ``HTTPException(304)``
    with these headers (and ``extra``, ``Vary`` for one) when the request's ``If-None-Match``
    holds the tag: FastAPI answers it with no body."""
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **(extra or {})}
    inm = request.headers.get("if-none-match")
    if inm and if_none_match(inm, tag):
        raise HTTPException(304, headers=headers)
    return headers


async def conditional_get(request: Request, response: Response, engine: EngineDep) -> None:
    response.headers.update(cache_headers(request, etag_of(engine.state, request)))


def as_json(body: bytes, response: Response) -> Response:
    """``body``, the JSON of an answer already shaped as the route's response model, sent
    without validating it again: for a network of thousands of nodes and edges the
    validation cost as much CPU as reading the rows. ``response`` carries what the
    dependencies set (ETag, Cache-Control). tests/api/test_readside.py checks that every
    answer is its model's JSON."""
    out = Response(body, media_type="application/json")
    out.headers.raw.extend(response.headers.raw)
    return out


async def get_select(engine: EngineDep) -> Select:
    return engine.select


async def _sparql_index(request: Request, engine: EngineDep) -> EntityIndex:
    """The entity index over SPARQL, rebuilt once per store generation (one query) and kept
    on app.state: used while the read model is not current."""
    generation = engine.generation
    cached = getattr(request.app.state, "rest_entity_index", None)
    if cached is not None and cached[0] is engine and cached[1] == generation:
        kept: EntityIndex = cached[2]
        return kept
    index = await EntityIndex.load(engine.select)
    request.app.state.rest_entity_index = (engine, generation, index)
    return index


@dataclass
class Reads:
    """Where a REST request reads: the read model (``conn``, or the reader processes of
    ``pool`` at ``generation``) when it is current, else SPARQL."""

    select: Select
    index: EntityIndex
    conn: sqlite3.Connection | None
    pool: ReadPool | None = None
    generation: str = ""

    async def json(
        self,
        from_model: Callable[..., Any],
        from_sparql: Callable[..., Awaitable[Any]],
        /,
        *,
        paged: bool = False,
        **kwargs: Any,
    ) -> bytes:
        """The JSON of ``from_model(conn, **kwargs)`` (by a reader process when there are some,
        else off the event loop), or of ``from_sparql(select, index, **kwargs)``: the two answer
        alike (tests/kg/test_readmodel.py). ``paged``: an ``(items, count)`` answer is sent as
        ``{"data", "count"}``."""
        if self.conn is None:
            found = await from_sparql(self.select, self.index, **kwargs)
        else:
            if self.pool is not None:
                body = await self.pool.json(from_model, self.generation, kwargs, paged=paged)
                if body is not None:
                    return body
            found = await run_in_threadpool(functools.partial(from_model, self.conn, **kwargs))
        return answer_json(found, paged)

    async def listing_with_links(self, kind: str, links: tuple[str, ...], **page: Any) -> bytes:
        """A page of entities of ``kind`` with the entities their ``links`` point to, as JSON."""
        return await self.json(
            readmodel.list_with_links, queries.list_with_links, paged=True, kind=kind, links=links, **page
        )


async def get_reads(request: Request, engine: EngineDep) -> AsyncIterator[Reads]:
    side: ReadSide = request.app.state.readside
    conn = await side.open()
    if conn is None:
        yield Reads(engine.select, await _sparql_index(request, engine), None)
        return
    try:
        yield Reads(engine.select, StoredIndex(conn), conn, side.pool, engine.state)
    finally:
        side.release(conn)


ReadsDep = Annotated[Reads, Depends(get_reads)]


async def get_index(reads: ReadsDep) -> EntityIndex:
    return reads.index


SelectDep = Annotated[Select, Depends(get_select)]
IndexDep = Annotated[EntityIndex, Depends(get_index)]

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Number of matches to skip.")]
LinkLimit = Annotated[
    int, Query(ge=0, le=500, description="Linked entities given per list of each item (the first by label).")
]
IdFilter = Query(pattern=queries.ID_RE.pattern, max_length=1300, description=ID_DESCRIPTION)


def date_filter(alias: str, description: str) -> Any:
    return Query(alias=alias, pattern=queries.DATE_RE.pattern, description=description)


PathId = Annotated[
    str, Path(description=ID_DESCRIPTION + " An unknown id answers 404.", examples=["organization.baykar"])
]
