"""The query worker: a child process that hosts a read-only :class:`kg.store.Store` and
evaluates queries on it (:func:`kg.store.evaluate`).

It can be killed at any moment (SIGKILL on timeout) without harm: it opens the store
read-only (on disk) or holds a private in-memory snapshot.

The server sends a :data:`Message` and the worker answers with a :data:`Reply`, each a
pickled frozen dataclass on the socket (``multiprocessing.connection`` framing). The first
reply, once the worker has limited itself, is :class:`Done` (or :class:`Failed` with kind
``open``); a query's :class:`Done` carries its CPU time, what the scheduler learns its cost
from.

The worker is started as ``python -c "from api.worker import main; main()" FD ...`` rather
than ``-m api.worker``: these classes must pickle as ``api.worker.X``, never ``__main__.X``.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import Any, Literal

from kg.errors import StoreError
from kg.store import Answer, QueryRequest, Store, TooManyResults, check_update, evaluate, open_reader


# --- messages to the worker ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Open:
    """(Re)open the store: a folder to open read-only, or an in-memory store's N-Quads."""

    source: str | bytes


@dataclass(frozen=True, slots=True)
class Close:
    """Let go of the store (a write is about to happen)."""


@dataclass(frozen=True, slots=True)
class Query:
    request: QueryRequest


@dataclass(frozen=True, slots=True)
class CheckUpdate:
    """Parse a SPARQL update without applying it (:func:`kg.store.check_update`)."""

    text: str
    prologue_end: int
    base_iri: str | None


@dataclass(frozen=True, slots=True)
class Stop:
    """End the worker's loop."""


Message = Open | Close | Query | CheckUpdate | Stop


# --- replies ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Done:
    answer: Answer | None = None  # a Query's
    cpu_seconds: float | None = None  # a Query's: the worker thread's CPU time


FailureKind = Literal["open", "syntax", "eval", "rows", "io"]


@dataclass(frozen=True, slots=True)
class Failed:
    """``syntax``: the text does not parse; ``eval``: evaluation failed; ``rows``: more than the
    request's ``max_rows``; ``io``: reading the store or a SERVICE/LOAD fetch failed; ``open``:
    the store (or the worker's limits) could not be set up."""

    kind: FailureKind
    message: str


Reply = Done | Failed


def handle(store: Store | None, msg: Message) -> tuple[Store | None, Reply]:
    """One message: the store to keep and the reply. Errors become :class:`Failed`."""
    try:
        match msg:
            case Query(request):
                if store is None:
                    raise OSError("the store is closed")
                cpu = time.thread_time()
                answer = evaluate(store, request)
                return store, Done(answer, time.thread_time() - cpu)
            case CheckUpdate(text, prologue_end, base_iri):
                check_update(text, prologue_end, base_iri)
                return store, Done()
            case Close():
                store = None
                gc.collect()  # the engine's handle goes now, not at some later collection
                return None, Done()
            case Open(source):
                store = None
                gc.collect()
                return open_reader(source), Done()
    except SyntaxError as e:
        return store, Failed("syntax", str(e))
    except TooManyResults as e:
        return store, Failed("rows", str(e))
    except StoreError as e:
        return None, Failed("open", str(e))
    except OSError as e:  # reading the store, or a SERVICE/LOAD fetch
        return store, Failed("io", str(e))
    except (ValueError, RuntimeError, TypeError) as e:
        return store, Failed("eval", str(e))
    raise TypeError(f"not a worker message: {msg!r}")


def serve(conn: Any) -> None:
    """The worker's loop: answer messages until :class:`Stop` or the server goes away."""
    store: Store | None = None
    conn.send(Done())
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(msg, Stop):
            return
        store, reply = handle(store, msg)
        conn.send(reply)


def _die_with_parent() -> None:
    """Exit when the server goes away, even in the middle of a query nobody waits for.

    (Not PR_SET_PDEATHSIG: it fires when the *thread* that started the worker ends.)
    """
    import os
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main() -> None:
    """Entry point: ``from api.worker import main; main()`` with arguments
    ``<fd> [--no-network] [--memory-mb N] [--nice N]``.

    fd is the parent's socket. The limits are applied before anything else runs (and
    before any thread starts, so every thread inherits the network filter).
    """
    import argparse
    import threading
    from multiprocessing.connection import Connection

    from api import sandbox

    ap = argparse.ArgumentParser(prog="api.worker")
    ap.add_argument("fd", type=int)
    ap.add_argument("--no-network", action="store_true")
    ap.add_argument("--memory-mb", type=int, default=0)
    ap.add_argument("--nice", type=int, default=0)
    args = ap.parse_args()
    conn = Connection(args.fd)
    try:
        if args.no_network:
            sandbox.deny_network()
        if args.memory_mb:
            sandbox.limit_memory(args.memory_mb)
        if args.nice:
            sandbox.lower_priority(args.nice)
    except OSError as e:
        conn.send(Failed("open", f"the worker cannot limit itself: {e}"))
        return
    _die_with_parent()
    threading.stack_size(sandbox.STACK_BYTES)
    loop = threading.Thread(target=serve, args=(conn,), name="kg-worker")
    loop.start()
    loop.join()
