"""REST answers computed in reader processes, side by side.

A read-model answer costs a few milliseconds of Python (SQL rows decoded, nodes and edges
built, JSON written), and in the server process every one of them runs under one GIL: at
concurrency 8 a request waits behind the other seven even when the machine has free
cores. :class:`ReadPool` hands the computation to ``KG_REST_PROCESSES`` reader processes
(by default one per core on a machine with two or more), each with its own connection to
the read model, and gets the answer back as JSON bytes; the server process keeps only the
HTTP work.

A reader answers inside one SQLite read transaction, and only when the read model is at
the store generation the request was tagged with (its ETag); otherwise it says so (None)
and the server answers in its own process as before. A reader that dies (killed, out of
memory) breaks the pool: the request that saw it is answered in the server process and the
next one starts a fresh pool. Readers evaluate no query text (only the read model's fixed
SQL with bound values), refuse IPv4/IPv6 sockets where the kernel allows (as query workers
do) and open the read model with ``PRAGMA query_only``.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson

from kg.readmodel import reads

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0  # after a pool that broke before it answered anything
RESULT_PIPE_BYTES = 1 << 20  # Linux's default ceiling for an unprivileged process (/proc/sys/fs/pipe-max-size)


class ReadPool:
    """Reader processes over the read model at ``path``, started on the first request."""

    def __init__(self, path: Path, processes: int) -> None:
        self.path = path
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._answered = False  # the current pool has answered at least once
        self._retry_at = 0.0  # no pool before this moment (time.monotonic)
        self._lock = threading.Lock()

    def _pool(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._executor is None:
                if time.monotonic() < self._retry_at:
                    return None
                self._answered = False
                self._executor = ProcessPoolExecutor(
                    self.processes, mp_context=get_context("spawn"), initializer=_start, initargs=(str(self.path),)
                )
                widen_result_pipe(self._executor)
            return self._executor

    async def json(
        self, task: Callable[..., Any], generation: str, kwargs: Mapping[str, Any], *, paged: bool = False
    ) -> bytes | None:
        """The JSON of ``task(conn, **kwargs)`` (a module-level function of the read model;
        ``paged``: it returns ``(items, count)``, answered as ``{"data", "count"}``), or None
        when the read model is not at ``generation``, a reader died, or readers cannot start."""
        pool = self._pool()
        if pool is None:
            return None
        try:
            found = await asyncio.get_running_loop().run_in_executor(
                pool, _answer, task, generation, dict(kwargs), paged
            )
        except BrokenProcessPool:
            never_answered = not self._answered  # then readers cannot start here: wait before the next try
            with self._lock:
                if self._executor is pool:
                    self._executor = None
                    if never_answered:
                        self._retry_at = time.monotonic() + RETRY_SECONDS
            if never_answered:
                log.error("REST readers cannot start: answering in the server process for %s s", RETRY_SECONDS)
            else:
                log.warning("a REST reader process died: answering in the server process, a fresh pool next")
            pool.shutdown(wait=False, cancel_futures=True)
            return None
        self._answered = True
        return found

    def pids(self) -> list[int]:
        """The reader processes running now."""
        with self._lock:
            processes = getattr(self._executor, "_processes", None) or {}
            return sorted(processes)

    def close(self) -> None:
        with self._lock:
            pool, self._executor = self._executor, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def widen_result_pipe(executor: ProcessPoolExecutor) -> None:
    """Give the pipe that carries the readers' answers :data:`RESULT_PIPE_BYTES` (Linux).

    A pipe holds 64 KiB by default, so the network view's 450 KB crossed it in seven
    writes, each waiting for this process to read the last one, under its GIL: 1.5 ms an
    answer with an idle server, 0.4 ms through a 1 MiB pipe. Where the pipe cannot grow
    (another system, a user over its pipe quota) answers cross the default one."""
    try:
        fd = executor._result_queue._reader.fileno()  # type: ignore[attr-defined]  # CPython's, since 3.8
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)  # (Linux only: AttributeError elsewhere)
    except (AttributeError, OSError) as e:
        log.info("the REST readers' answers cross a pipe of the default size: %s", e)


def answer_json(found: Any, paged: bool) -> bytes:
    """An answer's JSON as its route sends it: ``(items, count)`` as ``{"data", "count"}`` if
    ``paged``. (orjson writes the network's 450 KB in 0.3 ms, where pydantic's ``to_json``
    took 2 ms.)"""
    if paged:
        items, count = found
        found = {"data": items, "count": count}
    return orjson.dumps(found)


# --- in a reader process -----------------------------------------------------------------
_conn: sqlite3.Connection | None = None


def _start(path: str) -> None:
    from api import sandbox

    try:
        sandbox.deny_network()
    except OSError as e:  # it reads SQLite only; the filter is a second wall, not the first
        log.warning("REST reader without a network filter: %s", e)
    global _conn
    _conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
    _conn.execute("PRAGMA query_only = 1")


def _answer(task: Callable[..., Any], generation: str, kwargs: dict[str, Any], paged: bool) -> bytes | None:
    conn = _conn
    assert conn is not None, "the reader was not started"
    conn.execute("BEGIN")  # one snapshot for every statement of the answer
    try:
        if reads.meta_value(conn, "generation") != generation:
            return None
        found = task(conn, **kwargs)
    finally:
        conn.execute("COMMIT")
    return answer_json(found, paged)
