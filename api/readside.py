"""The REST read model as the server keeps it: in step with what the query workers read.

REST answers from the read model (:mod:`kg.readmodel`) only while it reflects the
store generation the engine serves (:attr:`api.engine.QueryEngine.state`); otherwise
they come from SPARQL over the full graph while the read model catches up:

- ``kg build`` keeps it current itself, in step with its store writes;
- a Graph Store write keeps it current in the same write section (:meth:`ReadSide.writing`);
- anything else (a SPARQL update, a store built before the read model existed, a crash
  between a store write and its projection) leaves it stale: an in-memory store's is
  refreshed before the request is answered, an on-disk store's by a child process
  (``python -m kg.readmodel``) that reads the store read-only, so a long projection
  never holds this process.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from api.engine import QueryEngine
from api.readpool import ReadPool
from kg.readmodel import ReadModel
from kg.store import Store

log = logging.getLogger(__name__)
_RETRY_SECONDS = 30.0  # after a failed background refresh
_IDLE_CONNECTIONS = 8


class ReadSide:
    def __init__(
        self,
        model: ReadModel | None,
        engine: QueryEngine,
        store: Store,
        remote_env: dict[str, str] | None = None,
        *,
        processes: int = 0,
    ) -> None:
        self.model = model
        # Reader processes that compute the answers (none: this process computes them).
        self.pool = ReadPool(model.path, processes) if model is not None and processes > 0 else None
        self._engine = engine
        # A remote store (``remote_env``: the KG_REMOTE_* its child process reads) is
        # refreshed by a child process, like an on-disk one.
        self._remote_env = remote_env
        self._memory = store if store.path is None and remote_env is None else None
        self._path: Path | None = store.path
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None  # a refresh under way (on disk)
        self._idle: list[sqlite3.Connection] = []  # read connections between requests (event loop only)
        self._retry_at = 0.0

    async def open(self) -> sqlite3.Connection | None:
        """A connection to the read model if it is current (the caller hands it back with
        :meth:`release`), else None (and the read model starts catching up)."""
        if self.model is None:
            return None
        conn = self._idle.pop() if self._idle else self.model.open()
        try:
            if self._is_current(conn):
                return conn
            if self._memory is not None:
                await run_in_threadpool(self._refresh, self._memory)
                if self._is_current(conn):
                    return conn
            else:
                self._start()
        except BaseException:
            conn.close()
            raise
        self.release(conn)
        return None

    def release(self, conn: sqlite3.Connection) -> None:
        """Keep a connection :meth:`open` gave for the next request (opening one and reading
        the schema again costs about half a millisecond), up to a few."""
        if conn.in_transaction or len(self._idle) >= _IDLE_CONNECTIONS:
            conn.close()
        else:
            self._idle.append(conn)

    @contextmanager
    def writing(self, store: Store, graphs: Iterable[str | None]) -> Iterator[None]:
        """Around a write of named graphs (inside the engine's write section): project what
        it changes. A write of the default graph is left to the next refresh."""
        graphs = list(graphs)
        named = [g for g in graphs if g is not None]
        if self.model is None:
            yield
            return
        if len(named) < len(graphs) or self._refreshing() or not self.model.current(self._engine.state):
            # A default-graph write, a refresh under way (it may project the store as it was
            # and clear ``pending``), or already stale: the next refresh projects it.
            yield
            return
        with self.model.writing(store, named):
            yield

    def _refreshing(self) -> bool:
        with self._lock:
            return self._child is not None and self._child.poll() is None

    def _is_current(self, conn: sqlite3.Connection) -> bool:
        assert self.model is not None
        return self.model.current(self._engine.state, conn)

    def _refresh(self, store: Store) -> None:
        assert self.model is not None
        with self._lock:
            self.model.refresh(store)

    def _start(self) -> None:
        """Start catching up in a child process (``python -m kg.readmodel``), unless one runs,
        a failed one is recent, or the store is being written."""
        with self._lock:
            if self._child is not None:
                code = self._child.poll()
                if code is None:
                    return
                if code != 0:
                    log.error("the read model refresh failed (exit %s); REST answers from SPARQL meanwhile", code)
                    self._retry_at = time.monotonic() + _RETRY_SECONDS
                self._child = None
            if time.monotonic() < self._retry_at or not self._engine.settled:
                return
            log.info("the read model is behind the store: catching up in a child process")
            if self._remote_env is not None:
                assert self.model is not None
                argv = [sys.executable, "-m", "kg.readmodel", "--remote", str(self.model.path)]
                env = {**os.environ, **self._remote_env}
            else:
                assert self._path is not None
                argv, env = [sys.executable, "-m", "kg.readmodel", str(self._path)], None
            self._child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)

    def close(self) -> None:
        """Stop a refresh under way (it is resumed, from where the store is, next time), the
        reader processes, and close the idle connections."""
        if self.pool is not None:
            self.pool.close()
        while self._idle:
            self._idle.pop().close()
        with self._lock:
            child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
            child.wait(10)
