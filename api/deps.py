"""Dependencies as ``Annotated`` aliases: the engine and the settings live on ``app.state``.

Every dependency is a coroutine function: FastAPI runs a plain function in a thread
pool, and the hop there and back (a GIL hand-over each way) cost more than the lookup.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.engine import QueryEngine
from kg.config import Settings


async def get_engine(request: Request) -> QueryEngine:
    engine: QueryEngine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[QueryEngine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
