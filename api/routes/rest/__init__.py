"""The REST/JSON API for dashboards: ``router`` serves everything under ``/api/v1``.

One module per resource; :mod:`api.routes.rest.deps` holds what they share (the
``select`` coroutine, the entity index, ETag/Cache-Control handling). Every user
value reaches SPARQL as a bound variable (see :mod:`kg.queries`), never as text.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.openapi import NOT_MODIFIED, TIMEOUT
from api.routes.rest import agreements, aircraft, documents, entities, graph, network, programmes, stats, timeline

router = APIRouter(prefix="/api/v1", responses={**NOT_MODIFIED, **TIMEOUT})
for _module in (entities, agreements, aircraft, programmes, documents, stats, graph, timeline, network):
    router.include_router(_module.router)

__all__ = ["router"]
