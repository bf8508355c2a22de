"""The web application, assembled: ``create_app(settings)``.

Run it with ``uvicorn --factory api.main:app_from_env`` (settings from ``KG_*``) or
through ``kg serve``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from api import errors, openapi
from api.answer_cache import AnswerCache, AnswerCacheMiddleware
from api.engine import QueryEngine
from api.metrics import Metrics, MetricsMiddleware
from api.middleware import GuardMiddleware
from api.readside import ReadSide
from api.remote_engine import RemoteQueryEngine
from api.routes import graph_store, health, linked_data, sparql
from api.routes.page import router as page_router
from api.routes.rest import router as rest_router
from api.security import CheckedQueries
from kg.config import Settings
from kg.readmodel import ReadModel
from kg.remote import RemoteStore
from kg.store import Store

log = logging.getLogger(__name__)


def _read_model(store: Store) -> ReadModel | None:
    """The REST read model beside ``store``; None (REST answers from SPARQL) if it cannot be
    opened or created there, for example beside a store on a read-only volume."""
    try:
        return ReadModel.beside(store)
    except (sqlite3.Error, OSError) as e:
        log.warning("no REST read model beside %s (%s): REST answers from SPARQL", store.path, e)
        return None


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """The FastAPI app over ``store`` (default: the remote store of ``settings.remote``, else
    the embedded store opened from ``settings.store_path``).

    Settings are validated first: unsafe combinations (update without a token, CORS
    ``*``) refuse to start. The app takes ownership of the store: an on-disk store's
    writable handle is closed and reopened only for writes, while query workers read it.
    """
    settings.validate()
    if store is None and settings.remote is not None:
        store = RemoteStore(settings.remote, local=settings.store_path)  # type: ignore[assignment]  # Store's interface, not its class
    if store is None:
        store = Store(settings.store_path)
    metrics = Metrics()
    readmodel = _read_model(store)  # before the engine takes the store over
    remote_env = None
    if isinstance(store, RemoteStore):
        store.check_union()
        remote_env = store.remote.env()
        engine: QueryEngine = RemoteQueryEngine(  # type: ignore[assignment]  # QueryEngine's interface, not its class
            settings, store, on_query=metrics.query_duration.observe
        )
    else:
        engine = QueryEngine(  # timeouts are counted where the 503 is produced (api.errors)
            settings,
            store,
            on_restart=metrics.worker_restarts.inc,
            on_query=metrics.query_duration.observe,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.readside.close()
            engine.close()

    app = FastAPI(
        title="Defence-industry knowledge graph",
        summary="SPARQL 1.1 endpoint, Graph Store and REST API over the defence-industry knowledge graph",
        lifespan=lifespan,
        docs_url=None,  # api.routes.page serves /docs and /redoc with offline assets
        redoc_url=None,
        generate_unique_id_function=openapi.operation_id,
    )
    openapi.install(app)
    app.state.settings = settings
    app.state.engine = engine
    app.state.readside = ReadSide(readmodel, engine, store, remote_env, processes=settings.rest_pool())
    app.state.metrics = metrics
    app.state.answer_cache = AnswerCache(settings.answer_cache_mb * 2**20)
    app.state.checked_queries = CheckedQueries(settings)  # short query texts (api.routes.sparql)
    # Over a remote store another client may write unseen: no SPARQL answer is tagged or kept.
    app.state.sparql_tags = remote_env is None
    app.state.sparql_cache = AnswerCache(settings.sparql_cache_mb * 2**20)  # read only by tagged answers
    errors.register(app)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(health.router)
    app.include_router(rest_router)  # the REST router carries its own /api/v1 prefix
    app.include_router(linked_data.router)
    app.include_router(page_router)
    app.add_middleware(AnswerCacheMiddleware)  # innermost: CORS, guard and metrics see its replays
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "Authorization", "If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(GuardMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory api.main:app_from_env``."""
    return create_app(Settings.from_env())
