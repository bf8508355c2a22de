"""Query execution: sandboxed worker processes, a scheduler that keeps short queries
from queueing behind long ones, timeouts that really stop the work, and a store that
stays fresh when another process (``kg build``) writes it.

pyoxigraph's ``query()`` cannot be interrupted from Python, so every query runs in a
worker process (:mod:`api.worker`: no network, capped memory) from a pool of
``settings.query_pool()`` workers, more than there are cores. A query that outlives
``settings.query_timeout`` gets its worker SIGKILLed (the work stops at once) and a
fresh worker is started in the background. The event loop never blocks: it talks to
the workers over non-blocking sockets.

Scheduling: the pool has two lanes. The engine remembers how much CPU each query text
took in its worker; one that took _HEAVY_SECONDS or more is *heavy* and runs only on
the heavy lane (one worker per core by default, at a higher nice value), where heavy
queries wait for one another in order. Every other query takes a light worker (or an
idle heavy one), so it never waits behind a scan while a worker is idle, and the
kernel gives it (and the server) the CPU before the scans.

Cheap queries skip the hop: a query text that a worker answered in at most
``settings.query_inline_ms`` of CPU is answered, from then on and until the store
changes, on the event loop from this process's own read-only handle of the store (the
*inline reader*), which opens and closes with the workers'. It costs the server about
half as much as the exchange with a worker (benchmarks/README.md) and blocks the loop
for no longer than the worker took. Only texts that can hold no ``SERVICE`` (the server
has no network filter) and are at most :data:`_INLINE_CHARS` long (their parser and
evaluator recursion fits the loop's stack) and bind no variables from outside qualify;
the first run of any text, and every run after a write, is a worker's.

Reads and writes never overlap. Workers open an on-disk store read-only (or hold a
private snapshot of an in-memory store); a write (SPARQL update, Graph Store
PUT/POST/DELETE) takes the *gate*, drains every worker, has them release the store,
applies the write in this process as one transaction, then reopens the workers
(pyoxigraph: opening read-only while another process writes is undefined behaviour).
Once a second a watcher reads the store's generation token; when another process
changed it and no longer holds the store open for writing, the workers are reopened
the same way and :attr:`QueryEngine.state` (the ETags) changes.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from api.errors import ResultTooLarge
from api.sparql_syntax import could_name_service, prologue_end
from api.worker import CheckUpdate, Close, Done, Failed, Message, Open, Query, Reply, handle
from kg import vocab
from kg.config import Settings
from kg.errors import LimitExceeded, QueryError, QueryTimeout, StoreError
from kg.store import Answer, Dataset, QueryRequest, Store, Term, from_wire, to_wire

log = logging.getLogger(__name__)
T = TypeVar("T")

_START_TIMEOUT = 60.0  # seconds for a worker to open the store


@dataclass
class Result:
    """A serialised query result: ``kind`` is boolean, solutions or triples."""

    kind: str
    body: bytes
    format: str
    duration: float = 0.0


_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


# --- the pipe to a worker -------------------------------------------------------------
# The worker speaks multiprocessing.connection's framing (a 4-byte big-endian length,
# or -1 and an 8-byte length, then a pickle). This side reads and writes it on a
# non-blocking socket: from the event loop while a request owns the worker, with
# blocking helpers when the writer or a starting worker does.


def _frame(obj: Any) -> bytes:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    n = len(payload)
    return (struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)) + payload


def _take_frame(buf: bytearray) -> Any:
    """The first whole message in ``buf`` (removed from it), else ``_MISSING``."""
    if len(buf) < 4:
        return _MISSING
    (n,) = struct.unpack_from("!i", buf)
    start = 4
    if n == -1:
        if len(buf) < 12:
            return _MISSING
        (n,) = struct.unpack_from("!Q", buf, 4)
        start = 12
    end = start + n
    if len(buf) < end:
        return _MISSING
    payload = bytes(buf[start:end])
    del buf[:end]
    return pickle.loads(payload)


_MISSING = object()
_CHUNK = 1 << 16


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    sock: socket.socket  # non-blocking
    heavy: bool  # its lane
    pid: int = field(init=False)
    buf: bytearray = field(default_factory=bytearray)  # bytes received, not yet a whole message

    def __post_init__(self) -> None:
        self.pid = self.process.pid

    def send(self, msg: Message, timeout: float) -> None:
        self.sock.settimeout(timeout)
        try:
            self.sock.sendall(_frame(msg))
        finally:
            self.sock.setblocking(False)

    def recv(self, timeout: float) -> Reply:
        """The next reply; TimeoutError after ``timeout`` s, EOFError if the worker is gone."""
        deadline = time.monotonic() + timeout
        while (msg := _take_frame(self.buf)) is _MISSING:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the query worker did not answer")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(_CHUNK)
            finally:
                self.sock.setblocking(False)
            if not chunk:
                raise EOFError("the query worker is gone")
            self.buf += chunk
        return msg  # type: ignore[no-any-return]  # what a worker sends is a Reply (api.worker.serve)

    async def exchange(self, msg: Message) -> Reply:
        """Send ``msg`` and await the answer on the running event loop."""
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(self.sock, _frame(msg))
        while (answer := _take_frame(self.buf)) is _MISSING:
            chunk = await loop.sock_recv(self.sock, max(_CHUNK, min(_bytes_wanted(self.buf), 1 << 22)))
            if not chunk:
                raise EOFError("the query worker is gone")
            self.buf += chunk
        return answer  # type: ignore[no-any-return]  # what a worker sends is a Reply (api.worker.serve)

    def stop(self) -> None:
        """SIGKILL: the work stops at once, wherever it is (reaped by :meth:`reap`)."""
        try:
            self.process.kill()
        except OSError:
            pass

    def reap(self) -> None:
        self.stop()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not die", self.pid)
        try:
            self.sock.close()
        except OSError:
            pass


def _bytes_wanted(buf: bytearray) -> int:
    if len(buf) < 4:
        return 0
    (n,) = struct.unpack_from("!i", buf)
    return max(0, n + 4 - len(buf)) if n >= 0 else 0


@dataclass(eq=False)
class _Job:
    """A request waiting for, or holding, a worker."""

    msg: Message
    loop: asyncio.AbstractEventLoop
    deadline: float  # time.monotonic()
    heavy: bool  # predicted to take at least _HEAVY_SECONDS of CPU
    granted: asyncio.Future[_Worker]


_HEAVY_SECONDS = 0.02
"""A query whose text took this much CPU (on average, in its worker) is *heavy*: it
runs on the heavy lane only, and the light workers stay free for short queries."""
_HEAVY_NICE = 10
"""The heavy lane's nice value: where a short query and a scan compete for a core, the
kernel gives the short one about nine tenths of it."""
_COSTS = 4096  # query texts whose durations are remembered
_INLINE_CHARS = 2000
"""The longest query text the inline reader answers: at most 1,000 brackets or operators
deep, whose parse and evaluation fit the event loop's 8 MiB stack (3,000 braces do not)."""
_POLL_SECONDS = 1.0  # how often the store's generation token is read (an external kg build)


class QueryEngine:
    """Owns query execution: the worker pool, the scheduler, the timeout, the write gate,
    the generation.

    The REST layer calls :meth:`select`, :meth:`ask` and reads :attr:`generation` and
    :attr:`state`.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        on_timeout: Callable[[], None] | None = None,
        on_restart: Callable[[], None] | None = None,
        on_query: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self._size, self._heavy_size = settings.query_pool()
        self._store: Store | None = store
        self._path = store.path if store.path is not None else None
        self._state = store.generation
        if self._path is not None:
            # Readers open the directory read-only; this process reopens it writable only
            # inside the write section, so the two never overlap.
            store.close()
            self._store = None
        self._snapshot: bytes | None = None
        self._workers: list[_Worker] = []  # live workers
        self._idle = {False: deque[_Worker](), True: deque[_Worker]()}  # per lane; most recent first
        self._busy: dict[_Worker, _Job] = {}
        self._light: deque[_Job] = deque()  # requests waiting for a worker
        self._heavy: deque[_Job] = deque()
        self._writing = False
        self._owed = {False: 0, True: 0}  # replacements for retired workers not yet in the pool
        self._spawning = 0  # workers opening the store right now
        self._cv = threading.Condition()
        self._start_lock = threading.Lock()
        self._started = False
        self._closed = False
        self._stopped = threading.Event()
        self._generation = 0
        self._retry_at = 0.0  # when to try again to start workers that could not start
        self._costs: OrderedDict[bytes, float] = OrderedDict()
        self._costs_lock = threading.Lock()
        self._inline_seconds = settings.query_inline_ms / 1000
        self._inline_ok: OrderedDict[bytes, str] = OrderedDict()  # text key -> the state it was cheap at
        self._reader: Store | None = None  # the inline reader (on-disk stores only)
        self._inline_busy = 0  # inline queries running (the gate waits for them as for workers)
        self._executor = ThreadPoolExecutor(2, thread_name_prefix="kg-query")
        self._writer = _big_stack_executor()
        self._on_timeout = on_timeout or (lambda: None)
        self._on_restart = on_restart or (lambda: None)
        self._on_query = on_query or (lambda d: None)

    # --- public API -------------------------------------------------------------
    @property
    def generation(self) -> int:
        """An integer that increases after every write through this engine and every
        reload after an external write."""
        return self._generation

    @property
    def state(self) -> str:
        """The store's generation token: new after every write, by this server or by
        ``kg build``, and kept across restarts (ETags are made from it). It changes only
        once every worker reads the new data."""
        return self._state

    @property
    def settled(self) -> bool:
        """The workers read what is on disk (no build writes it and none has finished
        unseen): a projection of the store made now is of :attr:`state`."""
        if self._path is None:
            return True
        return not self._writing and _read_generation(self._path) == self._state and _writer_pid(self._path) is None

    async def select(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of rdflib terms (unbound variables absent).

        For the server's own queries (REST): the time limit applies, the analysts'
        result-row cap does not (the REST layer pages its answers itself).
        """
        answer = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset, max_rows=0)
        if answer.kind != "solutions":
            raise QueryError(f"expected a SELECT query, got a {answer.kind} result")
        return [{k: from_wire(v) for k, v in row.items()} for row in answer.value]

    async def ask(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> bool:
        answer = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset, max_rows=0)
        if answer.kind != "boolean":
            raise QueryError(f"expected an ASK query, got a {answer.kind} result")
        return bool(answer.value)

    async def construct(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> list[tuple[Term, Term, Term]]:
        answer = await self._query(sparql, mode="rows", substitutions=substitutions, dataset=dataset, max_rows=0)
        if answer.kind != "triples":
            raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, got a {answer.kind} result")
        return [(from_wire(s), from_wire(p), from_wire(o)) for s, p, o in answer.value]

    async def execute(
        self,
        sparql: str,
        *,
        results_format: str | None,
        graph_format: str | None,
        dataset: Dataset | None = None,
        base_iri: str | None = None,
        substitutions: Mapping[str, Any] | None = None,
    ) -> Result:
        """Run a query and serialise it in the worker; ``kind`` "unacceptable" means no format fits.
        ``substitutions`` bind variables to terms, as in :meth:`select`."""
        started = time.monotonic()
        answer = await self._query(
            sparql,
            mode="serialize",
            dataset=dataset,
            base_iri=base_iri,
            substitutions=substitutions,
            results_format=results_format,
            graph_format=graph_format,
        )
        if answer.kind == "unacceptable":
            return Result(kind="unacceptable", body=b"", format=answer.value)
        fmt = graph_format if answer.kind == "triples" else results_format
        return Result(kind=answer.kind, body=answer.value, format=fmt or "", duration=time.monotonic() - started)

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
        at = await loop.run_in_executor(self._executor, prologue_end, sparql)
        timeout = self.settings.query_timeout
        reply = await self._exchange(
            CheckUpdate(sparql, at, base_iri),
            key=None,
            timed_out=f"query timeout: the update was not parsed within {timeout:g} s",
            broke=lambda died: QueryError("the update cannot be parsed: it stopped the parser"),
        )
        if isinstance(reply, Failed):
            raise QueryError(reply.message)
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
            self._stopped.set()
            workers = list(self._workers)
            self._workers.clear()
            for idle in self._idle.values():
                idle.clear()
            waiting = [*self._light, *self._heavy]
            self._light.clear()
            self._heavy.clear()
            self._cv.notify_all()
        for job in waiting:
            _deliver(job, StoreError("the query engine is closed"), self._give_back)
        for w in workers:
            w.reap()
        with self._cv:
            self._close_reader()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._writer.shutdown(wait=False, cancel_futures=True)
        if self._store is not None and self._path is not None:
            self._store.close()

    # --- queries ----------------------------------------------------------------
    async def _query(
        self,
        sparql: str,
        *,
        mode: Literal["rows", "serialize"],
        substitutions: Mapping[str, Any] | None = None,
        dataset: Dataset | None = None,
        base_iri: str | None = None,
        results_format: str | None = None,
        graph_format: str | None = None,
        max_rows: int | None = None,
    ) -> Answer:
        request = QueryRequest(
            sparql=sparql,
            mode=mode,
            dataset=dataset or Dataset(),
            substitutions={k: to_wire(v) for k, v in (substitutions or {}).items()},
            base_iri=base_iri,
            results_format=results_format,
            graph_format=graph_format,
            prefixes=vocab.PREFIXES if graph_format else {},
            max_rows=self.settings.max_result_rows if max_rows is None else max_rows,
        )
        key = hashlib.blake2b(
            f"{mode}\0{request.dataset}\0{sparql}".encode(errors="surrogatepass"), digest_size=16
        ).digest()
        timeout = self.settings.query_timeout
        inline = (
            self._inline_seconds > 0
            and not substitutions
            and len(sparql) <= _INLINE_CHARS
            and not could_name_service(sparql)
        )
        started = time.monotonic()
        try:
            reply = self._inline(key, request) if inline else None
            if reply is None:
                state = self._state
                reply = await self._exchange(
                    Query(request),
                    key=key,
                    timed_out=f"query timeout: stopped after {timeout:g} s",
                    broke=self._broken_by_query,
                )
                cpu = reply.cpu_seconds if isinstance(reply, Done) else None
                if inline and cpu is not None and cpu <= self._inline_seconds:
                    self._cheap(key, state)
        finally:
            self._on_query(time.monotonic() - started)
        if isinstance(reply, Done):
            assert reply.answer is not None
            return reply.answer
        kind, message = reply.kind, reply.message
        if kind == "rows":
            raise ResultTooLarge(message)
        if kind == "syntax":
            raise QueryError(message)
        if kind == "io":
            message = _public(message)
        raise QueryError(f"query evaluation failed: {message}")

    def _broken_by_query(self, died: bool) -> Exception:
        if died:
            return LimitExceeded(
                "the query stopped its worker: it needed more than the "
                f"{self.settings.query_memory_mb} MiB a query may use (KG_QUERY_MEMORY_MB)"
            )
        return StoreError("a query worker failed: its pipe broke")

    async def _exchange(
        self, msg: Message, *, key: bytes | None, timed_out: str, broke: Callable[[bool], Exception]
    ) -> Reply:
        """Send ``msg`` to a worker and return its answer, within the query timeout
        (waiting for a worker included). Past it the worker is killed."""
        if not self._started:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._ensure_started)
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.settings.query_timeout
        heavy = self._heavy_size > 0 and key is not None and self._cost(key) >= _HEAVY_SECONDS
        job = _Job(msg, loop, deadline, heavy, loop.create_future())
        w = await self._acquire(job)
        # The exchange runs as its own task: if the request is cancelled (client gone),
        # the worker still answers and goes back to the pool in step.
        task = loop.create_task(self._drive(job, w, key, timed_out, broke))
        task.add_done_callback(_consume)
        return await asyncio.shield(task)

    async def _drive(
        self, job: _Job, w: _Worker, key: bytes | None, timed_out: str, broke: Callable[[bool], Exception]
    ) -> Reply:
        started = time.monotonic()
        try:
            async with asyncio.timeout(max(0.0, job.deadline - started)):
                answer = await w.exchange(job.msg)
        except TimeoutError:
            # SIGKILL stops the evaluation wherever it is (even inside an aggregate).
            self._retire(w)
            if key is not None:
                self._remember(key, self.settings.query_timeout)
                self._on_timeout()
            raise QueryTimeout(timed_out) from None
        except (EOFError, OSError) as e:
            died = await _dies(w)
            self._retire(w)
            raise broke(died) from e
        except BaseException:  # cancelled mid-exchange: the pipe's state is unknown
            self._retire(w)
            raise
        if key is not None:  # a query's answer carries its CPU time: contention does not count
            cpu = answer.cpu_seconds if isinstance(answer, Done) else None
            self._remember(key, cpu if cpu is not None else time.monotonic() - started)
        self._give_back(w)
        return answer

    # --- scheduling ---------------------------------------------------------------
    def _cost(self, key: bytes) -> float:
        with self._costs_lock:
            return self._costs.get(key, 0.0)

    def _remember(self, key: bytes, seconds: float) -> None:
        with self._costs_lock:
            old = self._costs.pop(key, None)
            self._costs[key] = seconds if old is None else (old + seconds) / 2
            if len(self._costs) > _COSTS:
                self._costs.popitem(last=False)

    def _cheap(self, key: bytes, state: str) -> None:
        """A worker answered ``key`` cheaply at ``state``: the inline reader may answer it."""
        with self._costs_lock:
            if state != self._state:
                return  # the store changed meanwhile
            self._inline_ok.pop(key, None)
            self._inline_ok[key] = state
            if len(self._inline_ok) > _COSTS:
                self._inline_ok.popitem(last=False)

    def _inline(self, key: bytes, request: QueryRequest) -> Reply | None:
        """The reply of the inline reader, or None when the query goes to a worker (not
        known to be cheap at the current state, no reader, or a write under way)."""
        if self._inline_ok.get(key) != self._state:
            return None
        with self._cv:
            reader = self._reader
            if reader is None or self._writing:
                return None
            self._inline_busy += 1
        try:
            _, reply = handle(reader, Query(request))
        finally:
            with self._cv:
                self._inline_busy -= 1
                if not self._inline_busy:
                    self._cv.notify_all()
        if isinstance(reply, Done) and (reply.cpu_seconds or 0.0) > 2 * self._inline_seconds:
            with self._costs_lock:
                self._inline_ok.pop(key, None)  # not cheap after all: back to the workers
        return reply

    def _open_reader(self) -> None:
        """Open the inline reader on what is on disk now (workers reopen at the same time)."""
        if self._path is None or self._inline_seconds <= 0:
            return
        try:
            reader = Store(self._path, read_only=True)
        except StoreError:
            log.exception("the inline reader cannot open the store; every query goes to a worker")
            return
        with self._cv:
            self._reader = reader

    def _close_reader(self) -> None:
        """Close the inline reader once no inline query runs (caller holds ``_cv``, the gate closed)."""
        self._cv.wait_for(lambda: not self._inline_busy)
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    async def _acquire(self, job: _Job) -> _Worker:
        """A worker for ``job``, waiting at most until its deadline."""
        with self._cv:
            if self._closed:
                raise StoreError("the query engine is closed")
            (self._heavy if job.heavy else self._light).append(job)
            self._assign()
        try:
            async with asyncio.timeout(max(0.0, job.deadline - time.monotonic())):
                return await job.granted
        except BaseException as e:
            with self._cv:
                for queue in (self._light, self._heavy):
                    if job in queue:
                        queue.remove(job)
            if job.granted.done() and not job.granted.cancelled() and job.granted.exception() is None:
                self._give_back(job.granted.result())  # granted just as the wait ended
            else:
                job.granted.cancel()  # a grant on its way gives the worker back
            if isinstance(e, TimeoutError):
                raise QueryTimeout(
                    f"query timeout: no query worker free within {self.settings.query_timeout:g} s"
                ) from None
            raise

    def _assign(self) -> None:
        """Hand idle workers to waiting requests (caller holds ``_cv``).

        A heavy request takes a heavy worker only; a light one a light worker, else an
        idle heavy one. A heavy worker that comes free goes to a heavy request first.
        """
        if self._writing or self._closed:
            return
        light, heavy = self._idle[False], self._idle[True]
        while True:
            if self._heavy and heavy:
                job, w = self._heavy.popleft(), heavy.popleft()
            elif self._light and (light or heavy):
                job, w = self._light.popleft(), (light or heavy).popleft()
            else:
                return
            self._busy[w] = job
            if not _deliver(job, w, self._give_back):
                del self._busy[w]
                self._idle[w.heavy].appendleft(w)

    def _give_back(self, w: _Worker) -> None:
        with self._cv:
            self._busy.pop(w, None)
            if w in self._workers:
                self._idle[w.heavy].appendleft(w)
            self._assign()
            self._cv.notify_all()

    # --- the pool -----------------------------------------------------------------
    def _source(self) -> str | bytes:
        """What a worker opens: the store's folder, or an in-memory store's N-Quads."""
        if self._path is not None:
            return str(self._path)
        if self._snapshot is None:
            assert self._store is not None
            self._snapshot = self._store.dump(format="nquads") or b""
        return self._snapshot

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
                self._state = _read_generation(self._path)  # what the workers are about to open
            # interpreters start in parallel
            launched = [self._launch(heavy=i < self._heavy_size) for i in range(self._size)]
            try:
                for w in launched:
                    self._handshake(w)
            except Exception:
                for w in launched:
                    w.reap()
                raise
            with self._cv:
                self._workers.extend(launched)
                for w in launched:
                    self._idle[w.heavy].append(w)
            self._open_reader()
            self._started = True
        if self._path is not None:
            threading.Thread(target=self._watch, name="kg-store-watch", daemon=True).start()

    def _launch(self, *, heavy: bool) -> _Worker:
        # A fresh interpreter (not fork, not multiprocessing): nothing of this threaded
        # process is inherited, and it does not depend on how __main__ was started.
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = _PROJECT_ROOT + os.pathsep + env.get("PYTHONPATH", "")
        env["RUST_BACKTRACE"] = "0"  # an engine abort is one line in the log, not a page
        argv = [sys.executable, "-c", "from api.worker import main; main()", str(child.fileno())]
        if not self.settings.service_enabled:
            argv.append("--no-network")
        if self.settings.query_memory_mb:
            argv += ["--memory-mb", str(self.settings.query_memory_mb)]
        if heavy:
            argv += ["--nice", str(_HEAVY_NICE)]
        try:
            process = subprocess.Popen(
                argv,
                pass_fds=(child.fileno(),),
                env=env,
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError:
            parent.close()
            raise
        finally:
            child.close()
        parent.setblocking(False)
        return _Worker(process, parent, heavy)

    def _handshake(self, w: _Worker) -> None:
        try:
            hello = w.recv(_START_TIMEOUT)
            if isinstance(hello, Failed):
                raise StoreError(hello.message)
            self._call(w, Open(self._source()))
        except (StoreError, EOFError, OSError) as e:
            w.reap()
            raise StoreError(f"a query worker cannot open the store: {e}") from e

    def _spawn(self, *, heavy: bool) -> _Worker:
        w = self._launch(heavy=heavy)
        self._handshake(w)
        return w

    def _retire(self, dead: _Worker) -> None:
        """Kill a worker (timed out or broken) and start a replacement in the background.

        The replacement opens the store, so it waits for any write to finish, and a
        write waits for pending replacements (``_spawning``): the two never overlap.
        """
        dead.stop()
        with self._cv:
            if dead in self._workers:
                self._workers.remove(dead)
                self._owed[dead.heavy] += 1
            self._busy.pop(dead, None)
            self._cv.notify_all()

        def replace() -> None:
            dead.reap()  # gone (not a zombie) before its replacement shows up
            self._replace(dead.heavy)

        threading.Thread(target=replace, name="kg-respawn", daemon=True).start()

    def _replace(self, heavy: bool) -> None:
        """Start one owed worker of a lane (after any write) and add it to the pool."""
        with self._cv:
            self._cv.wait_for(lambda: not self._writing or self._closed)
            if self._closed:
                return
            self._spawning += 1
        w = None
        try:
            w = self._spawn(heavy=heavy)
        except Exception:
            log.exception("cannot restart a query worker (retried in %g s)", _POLL_SECONDS * 5)
        finally:
            with self._cv:
                self._spawning -= 1
                self._owed[heavy] -= 1
                if w is not None and not self._closed:
                    self._workers.append(w)
                    self._idle[heavy].appendleft(w)
                    self._assign()
                self._cv.notify_all()
        if w is None:
            self._retry_at = time.monotonic() + _POLL_SECONDS * 5
            return
        if self._closed:
            w.reap()
            return
        self._on_restart()

    def _top_up(self) -> None:
        """Replace workers whose replacement could not start (checked by the watcher)."""
        starts = []
        with self._cv:
            if self._closed or self._writing or time.monotonic() < self._retry_at:
                return
            for heavy, size in ((True, self._heavy_size), (False, self._size - self._heavy_size)):
                missing = size - sum(w.heavy == heavy for w in self._workers) - self._owed[heavy]
                self._owed[heavy] += max(0, missing)
                starts += [heavy] * missing
        for heavy in starts:
            threading.Thread(target=self._replace, args=(heavy,), name="kg-respawn", daemon=True).start()

    # --- writes and reloads ---------------------------------------------------------
    def _drain(self) -> list[_Worker]:
        """Close the gate: no request takes a worker; wait for the running ones to finish."""
        with self._cv:
            self._cv.wait_for(lambda: not self._writing)
            self._writing = True  # from now on no request takes a worker or the inline reader
            self._cv.wait_for(lambda: not self._busy and not self._spawning)
            self._close_reader()
            return list(self._workers)

    def _reopen(self, workers: list[_Worker]) -> None:
        """Have the workers and the inline reader open the store as it is now, then open the gate."""
        self._open_reader()
        source = self._source()
        broken = []
        for w in workers:
            try:
                self._call(w, Open(source))
            except Exception:
                log.exception("a query worker cannot reopen the store; restarting it")
                broken.append(w)
        with self._cv:
            self._writing = False
            self._assign()
            self._cv.notify_all()
        for w in broken:
            self._retire(w)

    def _write_blocking(self, action: Callable[[Store], T]) -> T:
        self._ensure_started()
        workers = self._drain()
        try:
            for w in workers:
                self._call(w, Close())
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
            self._reopen(workers)

    def _watch(self) -> None:
        """Every _POLL_SECONDS: has another process (``kg build``) written the store?"""
        while not self._stopped.wait(_POLL_SECONDS):
            try:
                self._top_up()
                if self._stale():
                    self._writer.submit(self._reload_blocking).result()
            except Exception:
                if not self._closed:
                    log.exception("cannot check the store for changes")

    def _stale(self) -> bool:
        """The token beside the store differs from what the workers opened, and no
        other process holds the store open for writing (a build is done)."""
        assert self._path is not None
        return not self._writing and _read_generation(self._path) != self._state and _writer_pid(self._path) is None

    def _reload_blocking(self) -> None:
        """Reopen every worker on what an external write left (as after a write of ours)."""
        assert self._path is not None
        if not self._stale():
            return
        workers = self._drain()
        try:
            token = _read_generation(self._path)  # read before reopening: a later change is seen next time
            log.info("the store changed on disk (generation %s): reopening the query workers", token)
            self._generation += 1
            self._state = token
        finally:
            self._reopen(workers)

    def _call(self, w: _Worker, msg: Open | Close) -> None:
        try:
            w.send(msg, _START_TIMEOUT)
            reply = w.recv(_START_TIMEOUT)
        except TimeoutError as e:
            raise StoreError("a query worker did not answer") from e
        except (EOFError, OSError) as e:
            raise StoreError(f"a query worker is gone: {e}") from e
        if isinstance(reply, Failed):
            raise StoreError(f"a query worker failed: {reply.message}")


def _deliver(job: _Job, outcome: _Worker | BaseException, give_back: Callable[[_Worker], None]) -> bool:
    """Settle ``job.granted`` on the job's own event loop; False if that loop is closed.

    A worker granted to a request that stopped waiting meanwhile goes back to the pool.
    """

    def settle() -> None:
        if job.granted.done():
            if isinstance(outcome, _Worker):
                give_back(outcome)
        elif isinstance(outcome, BaseException):
            job.granted.set_exception(outcome)
        else:
            job.granted.set_result(outcome)

    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    try:
        if running is job.loop:
            job.loop.call_soon(settle)
        else:
            job.loop.call_soon_threadsafe(settle)
    except RuntimeError:  # the loop is closed: nobody waits any more
        return False
    return True


def _consume(task: asyncio.Task[Any]) -> None:
    """Retrieve the outcome of an exchange whose request went away (no warning in the log)."""
    if not task.cancelled():
        task.exception()


async def _dies(w: _Worker) -> bool:
    """True if the worker's process ends within a second (it died, rather than broke the pipe)."""
    for _ in range(100):
        if w.process.poll() is not None:
            return True
        await asyncio.sleep(0.01)
    return False


def _read_generation(path: Path) -> str:
    """``Store.generation`` of the store at ``path`` without opening it (the token is a
    file beside the store; the property reads nothing but ``path``)."""
    reader = Store.__new__(Store)
    reader.path = path
    return reader.generation


def _writer_pid(path: Path) -> int | None:
    """The process that holds the store open for writing (its RocksDB ``LOCK`` file), if
    another than this one: read from /proc/locks, so no descriptor of the file is opened
    here (closing one would drop this process's own POSIX lock on it)."""
    try:
        st = os.stat(path / "LOCK")
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in table.splitlines():
        fields = line.split()
        if ident in fields:
            holder = fields[fields.index(ident) - 1]
            if holder.lstrip("-").isdigit() and int(holder) != os.getpid():
                return int(holder)
    return None


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


# Errors from fetching a remote endpoint (SERVICE, LOAD) say too much: whether a port
# is open, what a name resolves to, what an internal server answered.
_REMOTE_ERROR = (
    "os error",
    "connect",
    "http",
    "dns",
    "resolv",
    "lookup",
    "tls",
    "certificate",
    "port",
    "socket",
    "network",
    "timed out",
    "address",
    "authority",
    "url",
)


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
