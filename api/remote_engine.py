"""Query execution over a remote store (``KG_REMOTE_*``): what :class:`api.engine.QueryEngine`
does for the embedded store, with the remote server doing the evaluating.

The server in front stays the same: the routes apply the SERVICE/LOAD policy, the limits
and the update token before anything is forwarded; here every request text is also checked
to be portable SPARQL 1.1 (:func:`api.sparql_syntax.check_portable`: no server pragmas, no
undeclared prefixes, no server built-in IRIs), since the remote server's dialect may accept
more. A query is forwarded with ``KG_QUERY_TIMEOUT`` as its deadline (past it: 503, as for
the embedded store; the remote server's own time limit applies as well); answers are read
and written again here (:mod:`kg.store`'s codecs) in the negotiated format, with the
result-row cap and the project's prefixes, so a client sees the same bytes whichever store
is behind. Writes run one at a time on a writer thread.

The generation token lives in the store (:attr:`kg.remote.RemoteStore.generation`); a
watcher reads it once a second, so a ``kg build`` on another machine changes the ETags and
the read model's currency here too.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from api.engine import Result
from api.errors import ResultTooLarge
from api.sparql_syntax import check_portable, tokenize
from kg import vocab
from kg.config import Settings
from kg.errors import InputError, KgError, QueryError, QuerySyntaxError, QueryTimeout, StoreError
from kg.remote import RemoteStore
from kg.store import Dataset, TooManyResults, convert_graph, used_prefixes

log = logging.getLogger(__name__)
T = TypeVar("T")
_POLL_SECONDS = 1.0


class RemoteQueryEngine:
    """The query engine's interface (``select``, ``ask``, ``construct``, ``execute``,
    ``update``, ``write``, ``generation``, ``state``, ``settled``) over a :class:`RemoteStore`."""

    def __init__(
        self,
        settings: Settings,
        store: RemoteStore,
        *,
        on_timeout: Callable[[], None] | None = None,
        on_restart: Callable[[], None] | None = None,
        on_query: Callable[[float], None] | None = None,
    ) -> None:
        self.settings = settings
        self._store = store
        self._state = store.generation  # also checks, at start-up, that the store answers
        self._generation = 0
        self._writing = False
        self._lock = threading.Lock()
        self._readers = ThreadPoolExecutor(settings.query_pool()[0], thread_name_prefix="kg-remote-query")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="kg-remote-write")
        self._on_query = on_query or (lambda d: None)
        self._stopped = threading.Event()
        threading.Thread(target=self._watch, name="kg-remote-watch", daemon=True).start()

    # --- what the routes read -------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    @property
    def state(self) -> str:
        return self._state

    @property
    def settled(self) -> bool:
        return not self._writing

    # --- queries ----------------------------------------------------------------------
    async def select(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> list[dict[str, Any]]:
        return await self._read(
            lambda timeout: self._store.select(sparql, substitutions=substitutions, timeout=timeout, **_graphs(dataset))
        )

    async def ask(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> bool:
        return await self._read(
            lambda timeout: self._store.ask(sparql, substitutions=substitutions, timeout=timeout, **_graphs(dataset))
        )

    async def construct(
        self, sparql: str, *, substitutions: Mapping[str, Any] | None = None, dataset: Dataset | None = None
    ) -> list[tuple[Any, Any, Any]]:
        table = await self._read(
            lambda timeout: self._store.query(sparql, substitutions=substitutions, timeout=timeout, **_graphs(dataset))
        )
        return [(s, p, o) for s, p, o in table.rows]

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
        started = time.monotonic()
        await self._portable(sparql)
        prefixes = (lambda triples: used_prefixes(triples, vocab.PREFIXES)) if graph_format else None
        max_rows = self.settings.max_result_rows

        def run(timeout: float) -> tuple[str, bytes]:
            if dataset is not None and dataset.default is not None and None in dataset.default:
                return "triples", self._default_graph(graph_format, max_rows, prefixes)
            return self._store.answer(
                sparql,
                results_format=results_format,
                graph_format=graph_format,
                max_rows=max_rows,
                prefixes=prefixes,
                substitutions=substitutions,
                base_iri=base_iri,
                timeout=timeout,
                **_graphs(dataset),
            )

        kind, body = await self._read(run)
        if kind == "unacceptable":
            return Result(kind="unacceptable", body=b"", format=body.decode())
        fmt = graph_format if kind == "triples" else results_format
        return Result(kind=kind, body=body, format=fmt or "", duration=time.monotonic() - started)

    def _default_graph(self, graph_format: str | None, max_rows: int, prefixes: Any) -> bytes:
        """The store's own default graph: only a Graph Store endpoint can name it (a query's
        default graph on the remote store is the union of its graphs)."""
        if graph_format is None:
            raise InputError("the default graph is a graph: ask for an RDF format")
        if not self._store.remote.gsp:
            raise InputError(
                "the remote store has no Graph Store endpoint (KG_REMOTE_GSP): "
                "its default graph cannot be read on its own"
            )
        data = self._store.default_graph_data()
        return convert_graph(data, graph_format, max_triples=max_rows, prefixes=prefixes)

    # --- writes -------------------------------------------------------------------------
    async def write(self, action: Callable[[Any], T]) -> T:
        """Run ``action(store)`` on the writer thread (one write at a time)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self._write_blocking, action)

    async def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        await self._portable(sparql)
        await self.write(lambda store: store.update(sparql, base_iri=base_iri))

    def _write_blocking(self, action: Callable[[Any], T]) -> T:
        self._writing = True
        try:
            return action(self._store)
        finally:
            self._writing = False
            self._refresh_state(force=True)

    # --- operations ---------------------------------------------------------------------
    async def ready(self) -> bool:
        try:
            return await self.ask("ASK {}")
        except Exception:  # readiness must answer, never raise
            return False

    def worker_pids(self) -> list[int]:
        return []  # the remote server evaluates; no worker processes here

    def close(self) -> None:
        self._stopped.set()
        self._readers.shutdown(wait=False, cancel_futures=True)
        self._writer.shutdown(wait=False, cancel_futures=True)
        self._store.close()

    # --- internals ----------------------------------------------------------------------
    async def _portable(self, sparql: str) -> None:
        def check() -> None:
            try:
                check_portable(tokenize(sparql))
            except ValueError as e:
                raise QuerySyntaxError(f"not SPARQL 1.1: {e}") from None

        await asyncio.get_running_loop().run_in_executor(self._readers, check)

    async def _read(self, call: Callable[[float], T]) -> T:
        timeout = self.settings.query_timeout
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        try:
            async with asyncio.timeout(timeout + 1.0):
                return await loop.run_in_executor(self._readers, call, timeout)
        except TimeoutError:
            raise QueryTimeout(f"query timeout: stopped after {timeout:g} s") from None
        except QueryTimeout as e:
            raise QueryTimeout(
                f"query timeout: stopped after {timeout:g} s" + ("" if "did not answer" in str(e) else f" ({e})")
            ) from None
        except TooManyResults as e:
            raise ResultTooLarge(str(e)) from None
        except (QueryError, StoreError, InputError):
            raise
        except KgError as e:
            raise StoreError(str(e)) from None
        finally:
            self._on_query(time.monotonic() - started)

    def _refresh_state(self, *, force: bool = False) -> None:
        try:
            token = self._store.generation
        except KgError:
            log.warning("cannot read the remote store's generation")
            return
        with self._lock:
            if force or token != self._state:
                self._generation += 1
                self._state = token

    def _watch(self) -> None:
        """Every _POLL_SECONDS: has another process (``kg build``) written the store?"""
        while not self._stopped.wait(_POLL_SECONDS):
            if not self._writing:
                self._refresh_state()


def _graphs(dataset: Dataset | None) -> dict[str, Any]:
    if dataset is None or (dataset.default is None and dataset.named is None):
        return {}
    return {"default_graphs": [g for g in dataset.default or () if g], "named_graphs": list(dataset.named or ())}
