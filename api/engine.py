"""Query execution with timeouts that really stop the work.

pyoxigraph's ``query()`` cannot be interrupted from Python, so every query runs in a
worker process (:mod:`api.worker`) from a bounded pool of ``settings.query_workers``.
A query that outlives ``settings.query_timeout`` gets its worker SIGKILLed (the work
stops at once) and a fresh worker is started in the background. The event loop never
blocks: the waiting happens on a private thread pool.

Reads and writes never overlap. Workers open an on-disk store read-only (or hold a
private snapshot of an in-memory store); a write (SPARQL update, Graph Store
PUT/POST/DELETE) takes the *gate*, drains every worker, has them release the store,
applies the write in this process as one transaction, then reopens the workers
(pyoxigraph: opening read-only while another process writes is undefined behaviour).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Literal, URIRef

from api import worker as wire
from api.errors import ResultTooLarge
from api.sparql_syntax import prologue_end
from kg.config import Settings
from kg.errors import LimitExceeded, QueryError, QueryTimeout, StoreError
from kg.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

_START_TIMEOUT = 60.0  # seconds for a worker to open the store


def encode_term(term: Any) -> wire.Encoded:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
        return ("literal", str(term), dt, term.language or "")
    raise TypeError(f"not an RDF term: {term!r}")


def decode_term(t: wire.Encoded) -> URIRef | BNode | Literal:
    if t[0] == "iri":
        return URIRef(t[1])
    if t[0] == "bnode":
        return BNode(t[1])
    if t[3]:
        return Literal(t[1], lang=t[3])
    return Literal(t[1], datatype=URIRef(t[2]))


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a query: protocol ``default-graph-uri``/``named-graph-uri``.

    ``None`` in ``default`` stands for the store's own default graph. Nothing given:
    the default graph is the union of all graphs.
    """

    default: tuple[str | None, ...] | None = None
    named: tuple[str, ...] | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "union": True,
            "default": list(self.default) if self.default is not None else None,
            "named": list(self.named) if self.named is not None else None,
        }


@dataclass
class Result:
    """A serialised query result: ``kind`` is boolean, solutions or triples."""

    kind: str
    body: bytes
    format: str
    duration: float = 0.0


_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    pid: int = field(init=False)

    def __post_init__(self) -> None:
        self.pid = self.process.pid

    def kill(self) -> None:
        try:
            self.process.kill()  # SIGKILL
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not die", self.pid)
        try:
            self.conn.close()
        except OSError:
            pass


class QueryEngine:
    """Owns query execution: the worker pool, the timeout, the write gate, the generation.

    The REST layer calls :meth:`select`, :meth:`ask` and reads :attr:`generation`.
    """

    def __init__(self, settings: Settings, store: Store, *, on_timeout: Callable[[], None] | None = None,
                 on_restart: Callable[[], None] | None = None,
                 on_query: Callable[[float], None] | None = None) -> None:
        self.settings = settings
        self._store: Store | None = store
        self._path = str(store.path) if store.path is not None else None
        self._state = store.generation
        if self._path is not None:
            # Readers open the directory read-only; this process reopens it writable only
            # inside the write section, so the two never overlap.
            store.close()
            self._store = None
        self._snapshot: bytes | None = None
        self._workers: list[_Worker] = []  # live workers
        self._idle: deque[_Worker] = deque()
        self._busy: set[_Worker] = set()
        self._writing = False
        self._spawning = 0
        self._cv = threading.Condition()
        self._start_lock = threading.Lock()
        self._started = False
        self._closed = False
        self._generation = 0
        self._executor = ThreadPoolExecutor(max(4, settings.query_workers * 4), thread_name_prefix="kg-query")
        self._writer = _big_stack_executor()
        self._on_timeout = on_timeout or (lambda: None)
        self._on_restart = on_restart or (lambda: None)
        self._on_query = on_query or (lambda d: None)

    # --- public API -------------------------------------------------------------
    @property
    def generation(self) -> int:
        """An integer that increases after every write through this engine."""
        return self._generation

    @property
    def state(self) -> str:
        """The store's generation token: new after every write, by this server or by
        ``kg build``, and kept across restarts (ETags are made from it)."""
        return self._state

    async def select(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None,
                     dataset: Dataset | None = None) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of rdflib terms (unbound variables absent).

        For the server's own queries (REST): the time limit applies, the analysts'
        result-row cap does not (the REST layer pages its answers itself).
        """
        kind, value = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset,
                                        max_rows=0)
        if kind != "solutions":
            raise QueryError(f"expected a SELECT query, got a {kind} result")
        return [{k: decode_term(v) for k, v in row.items()} for row in value]

    async def ask(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None,
                  dataset: Dataset | None = None) -> bool:
        kind, value = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset,
                                        max_rows=0)
        if kind != "boolean":
            raise QueryError(f"expected an ASK query, got a {kind} result")
        return bool(value)

    async def construct(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None,
                        dataset: Dataset | None = None) -> list[tuple[Any, Any, Any]]:
        kind, value = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset,
                                        max_rows=0)
        if kind != "triples":
            raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, got a {kind} result")
        return [tuple(decode_term(t) for t in triple) for triple in value]  # type: ignore[misc]

    async def execute(self, sparql: str, *, results_format: str | None, graph_format: str | None,
                      dataset: Dataset | None = None, base_iri: str | None = None) -> Result:
        """Run a query and serialise it in the worker; ``kind`` "unacceptable" means no format fits."""
        started = time.monotonic()
        kind, body = await self._query(sparql, mode="serialize", dataset=dataset, base_iri=base_iri,
                                       results_format=results_format, graph_format=graph_format)
        if kind == "unacceptable":
            return Result(kind="unacceptable", body=b"", format=body)
        fmt = graph_format if kind == "triples" else results_format
        return Result(kind=kind, body=body, format=fmt or "", duration=time.monotonic() - started)

    async def write(self, action: Callable[[Store], T]) -> T:
        """Run ``action(store)`` alone: no query runs meanwhile; the generation increases."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self._write_blocking, action)

    async def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """A SPARQL update as one transaction (it applies whole or not at all).

        A query worker parses it first (where a parser crash costs a worker, not the
        server), then this process applies it on a thread with the workers' stack.
        """
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._check_update_blocking, sparql, base_iri)
        await self.write(lambda store: store.update(sparql, base_iri=base_iri))

    async def ready(self) -> bool:
        """True when every worker is alive and the store answers ``ASK {}``."""
        try:
            return await self.ask("ASK {}")
        except Exception:  # readiness must answer, never raise
            return False

    def worker_pids(self) -> list[int]:
        with self._cv:
            return [w.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        with self._cv:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
            self._idle.clear()
            self._cv.notify_all()
        for w in workers:
            w.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._writer.shutdown(wait=False, cancel_futures=True)
        if self._store is not None and self._path is not None:
            self._store.close()

    # --- internals --------------------------------------------------------------
    async def _query(self, sparql: str, *, mode: str, substitutions: Mapping[str, Any] | None = None,
                     dataset: Dataset | None = None, base_iri: str | None = None,
                     results_format: str | None = None, graph_format: str | None = None,
                     max_rows: int | None = None) -> tuple[str, Any]:
        request = {
            "sparql": sparql,
            "mode": mode,
            "dataset": (dataset or Dataset()).wire(),
            "substitutions": {k: encode_term(v) for k, v in (substitutions or {}).items()},
            "base_iri": base_iri,
            "results_format": results_format,
            "graph_format": graph_format,
            "max_rows": self.settings.max_result_rows if max_rows is None else max_rows,
        }
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        try:
            return await loop.run_in_executor(self._executor, self._run_blocking, request)
        finally:
            self._on_query(time.monotonic() - started)

    def _source(self) -> Any:
        if self._path is not None:
            return ("disk", self._path)
        if self._snapshot is None:
            assert self._store is not None
            self._snapshot = self._store.dump(format="nquads") or b""
        return ("memory", self._snapshot)

    def _ensure_started(self) -> None:
        if self._started:
            return
        with self._start_lock:
            if self._started:
                return
            if self._closed:
                raise StoreError("the query engine is closed")
            if self._path is not None:
                Store(self._path).close()  # creates the directory on first use
            for _ in range(max(1, self.settings.query_workers)):
                w = self._spawn()
                with self._cv:
                    self._workers.append(w)
                    self._idle.append(w)
            self._started = True

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not fork, not multiprocessing): nothing of this threaded
        # process is inherited, and it does not depend on how __main__ was started.
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = _PROJECT_ROOT + os.pathsep + env.get("PYTHONPATH", "")
        env["RUST_BACKTRACE"] = "0"  # an engine abort is one line in the log, not a page
        argv = [sys.executable, "-m", "api.worker", str(child.fileno())]
        if not self.settings.service_enabled:
            argv.append("--no-network")
        if self.settings.query_memory_mb:
            argv += ["--memory-mb", str(self.settings.query_memory_mb)]
        process = subprocess.Popen(
            argv,
            pass_fds=(child.fileno(),), env=env, stdin=subprocess.DEVNULL, close_fds=True,
        )
        child.close()
        w = _Worker(process, Connection(parent.detach()))
        try:
            if not w.conn.poll(_START_TIMEOUT):
                raise StoreError("a query worker did not start")
            hello = w.conn.recv()
            if hello[0] != "ok":
                raise StoreError(hello[2])
            self._call(w, ("open", self._source()))
        except (StoreError, EOFError, OSError) as e:
            w.kill()
            raise StoreError(f"a query worker cannot open the store: {e}") from e
        return w

    def _retire(self, dead: _Worker) -> None:
        """Kill a worker (timed out or broken) and start a replacement in the background.

        The replacement opens the store, so it waits for any write to finish, and a
        write waits for pending replacements (``_spawning``): the two never overlap.
        """
        dead.kill()
        with self._cv:
            if dead in self._workers:
                self._workers.remove(dead)
            self._busy.discard(dead)
            self._cv.notify_all()

        def respawn() -> None:
            with self._cv:
                self._cv.wait_for(lambda: not self._writing or self._closed)
                if self._closed:
                    return
                self._spawning += 1
            try:
                w = self._spawn()
            except Exception:
                log.exception("cannot restart a query worker")
                return
            finally:
                with self._cv:
                    self._spawning -= 1
                    self._cv.notify_all()
            with self._cv:
                if self._closed:
                    w.kill()
                    return
                self._workers.append(w)
                self._idle.append(w)
                self._cv.notify_all()
            self._on_restart()

        threading.Thread(target=respawn, name="kg-respawn", daemon=True).start()

    def _take(self, deadline: float) -> _Worker:
        """An idle worker, waiting at most until ``deadline``; writes go first."""
        with self._cv:
            ready = self._cv.wait_for(lambda: self._closed or (self._idle and not self._writing),
                                      timeout=max(0.0, deadline - time.monotonic()))
            if self._closed:
                raise StoreError("the query engine is closed")
            if not ready:
                raise QueryTimeout(
                    f"query timeout: no query worker free within {self.settings.query_timeout:g} s"
                )
            w = self._idle.popleft()
            self._busy.add(w)
            return w

    def _give_back(self, w: _Worker) -> None:
        with self._cv:
            self._busy.discard(w)
            if w in self._workers:
                self._idle.append(w)
            self._cv.notify_all()

    def _run_blocking(self, request: dict[str, Any]) -> tuple[str, Any]:
        self._ensure_started()
        timeout = self.settings.query_timeout
        deadline = time.monotonic() + timeout
        w = self._take(deadline)
        try:
            w.conn.send(("query", request))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                # SIGKILL stops the evaluation wherever it is (even inside an aggregate).
                self._retire(w)
                self._on_timeout()
                raise QueryTimeout(f"query timeout: stopped after {timeout:g} s")
            answer = w.conn.recv()
        except (EOFError, OSError) as e:
            died = w.process.poll() is not None or _dead_soon(w)
            self._retire(w)
            if died:
                raise LimitExceeded(
                    "the query stopped its worker: it needed more than the "
                    f"{self.settings.query_memory_mb} MiB a query may use (KG_QUERY_MEMORY_MB)"
                ) from e
            raise StoreError(f"a query worker failed: {e}") from e
        self._give_back(w)
        if answer[0] == "ok":
            return answer[1]  # type: ignore[no-any-return]
        _, kind, message = answer
        if kind == "rows":
            raise ResultTooLarge(message)
        if kind == "syntax":
            raise QueryError(message)
        if kind == "io":
            message = _public(message)
        raise QueryError(f"query evaluation failed: {message}")

    def _check_update_blocking(self, sparql: str, base_iri: str | None) -> None:
        self._ensure_started()
        deadline = time.monotonic() + self.settings.query_timeout
        w = self._take(deadline)
        try:
            w.conn.send(("check_update", sparql, prologue_end(sparql), base_iri))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._retire(w)
                raise QueryTimeout(f"query timeout: the update was not parsed within {self.settings.query_timeout:g} s")
            answer = w.conn.recv()
        except (EOFError, OSError) as e:
            self._retire(w)
            raise QueryError("the update cannot be parsed: it stopped the parser") from e
        self._give_back(w)
        if answer[0] != "ok":
            raise QueryError(answer[2])

    def _write_blocking(self, action: Callable[[Store], T]) -> T:
        self._ensure_started()
        with self._cv:
            self._cv.wait_for(lambda: not self._writing)
            self._writing = True  # from now on no reader takes a worker
            self._cv.wait_for(lambda: not self._busy and not self._spawning)
            workers = list(self._workers)
        try:
            for w in workers:
                self._call(w, ("close",))
            store = self._store if self._path is None else Store(self._path)
            assert store is not None
            try:
                result = action(store)
            finally:
                if self._path is not None:
                    store.flush()
                    store.close()
            self._generation += 1
            self._state = store.generation
            self._snapshot = None
            return result
        finally:
            source = self._source()
            broken = []
            for w in workers:
                try:
                    self._call(w, ("open", source))
                except Exception:
                    log.exception("a query worker cannot reopen the store; restarting it")
                    broken.append(w)
            with self._cv:
                self._writing = False
                self._cv.notify_all()
            for w in broken:
                self._retire(w)

    def _call(self, w: _Worker, msg: tuple[Any, ...]) -> Any:
        w.conn.send(msg)
        if not w.conn.poll(_START_TIMEOUT):
            raise StoreError("a query worker did not answer")
        answer = w.conn.recv()
        if answer[0] != "ok":
            raise StoreError(f"a query worker failed: {answer[2]}")
        return answer[1]


def _big_stack_executor() -> ThreadPoolExecutor:
    """One thread with the workers' stack, for writes (the engine recurses on nesting)."""
    from api.sandbox import STACK_BYTES

    previous = threading.stack_size(STACK_BYTES)
    try:
        pool = ThreadPoolExecutor(1, thread_name_prefix="kg-write")
        pool.submit(lambda: None).result()  # start the thread while the size is set
    finally:
        threading.stack_size(previous)
    return pool


def _dead_soon(w: _Worker) -> bool:
    try:
        w.process.wait(1.0)
    except subprocess.TimeoutExpired:
        return False
    return True


# Errors from fetching a remote endpoint (SERVICE, LOAD) say too much: whether a port
# is open, what a name resolves to, what an internal server answered.
_REMOTE_ERROR = ("os error", "connect", "http", "dns", "resolv", "lookup", "tls", "certificate",
                 "port", "socket", "network", "timed out", "address", "authority", "url")


def _public(message: str) -> str:
    """An engine error as the client may see it: remote-endpoint failures as one generic line."""
    low = message.lower()
    if any(word in low for word in _REMOTE_ERROR):
        return "a remote endpoint (SERVICE or LOAD) could not be used"
    return message


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
