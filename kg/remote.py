"""A remote store: the graph in a SPARQL 1.1 server, read and written over the W3C protocols.

:class:`RemoteStore` offers what :class:`kg.store.Store` offers (the commands, the
pipeline, the read model and the server use either), over HTTP:

- reads go to the SPARQL 1.1 Protocol query endpoint (``KG_REMOTE_QUERY``), asking for
  SPARQL XML results or N-Triples, which :mod:`kg.store` parses with the embedded engine;
- a document's graph is replaced by **one request**: a Graph Store Protocol ``PUT`` when the
  server has a Graph Store endpoint (``KG_REMOTE_GSP``), else a SPARQL Update
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` (several documents per
  request, never a document split over two). A request that is refused, or never arrives
  whole (the build killed mid-way), changes nothing: the previous graph stays. What a
  server guarantees beyond that differs; README, *Remote store*, says what was measured.
- the store's generation token (ETags, the read model's currency) is a triple in the
  graph :data:`kg.vocab.META_GRAPH`, replaced before and after every write, so a server
  on another machine sees a build's writes.

Credentials go to the server in the ``Authorization`` header only (basic or digest, as
the server's challenge asks or ``KG_REMOTE_AUTH`` says) and never into an exception,
a log line or ``repr``.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Generator, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import httpx
from rdflib import URIRef
from rdflib.graph import Graph

from kg import vocab
from kg.config import Remote
from kg.errors import InputError, QueryError, QuerySyntaxError, QueryTimeout, StoreError
from kg.store import (
    GRAPH_MEDIA,
    RDF_FORMATS,
    RESULT_FORMATS,
    RESULTS_MEDIA,
    Store,
    Table,
    Term,
    Triple,
    convert_graph,
    convert_results,
    graph_lines,
    ntriples_lines,
    read_graph,
    read_table,
    term_text,
    write_graph_quads,
)

META = str(vocab.META_GRAPH)
_GENERATION = f"{META}#generation"
_REQUEST_TRIPLES = 50_000  # per SPARQL Update request when writing without a Graph Store endpoint
_WRITE_TIMEOUT = 600.0  # seconds for one write request
_MESSAGE = 300  # characters of a server's error text kept in our error


class _Auth(httpx.Auth):
    """Basic or digest authentication; ``auto`` sends nothing until the server challenges,
    then answers with the scheme it named (and keeps to it)."""

    requires_request_body = True

    def __init__(self, user: str, password: str, scheme: str) -> None:
        self._flows = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self._scheme = None if scheme == "auto" else scheme
        self._lock = threading.Lock()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        scheme = self._scheme
        if scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            offered = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
            if offered not in self._flows:
                return
            with self._lock:
                self._scheme = scheme = offered
        yield from self._flows[scheme].auth_flow(request)


_CONFLICT_TRIES = 4
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD"})


# What a server says when a request's transaction lost a conflict with another and was
# rolled back whole (compared in lower case):
# - SQLSTATE 40001, a serialization failure or deadlock (Virtuoso: "Transaction deadlocked");
# - Virtuoso's SR197 on its tables of language tags and datatypes: it registers a new tag
#   inside the writing transaction, two concurrent writes that bring the same new tag both
#   insert it, and the later one is refused (SQLSTATE 23000); sent again, it finds it there.
_CONFLICT_MARKERS = (
    "40001",
    "deadlock",
    "non unique primary key on db.dba.rdf_language",
    "non unique primary key on db.dba.rdf_datatype",
)


def _conflicted(response: httpx.Response) -> bool:
    """Whether the server refused a request because its transaction lost a conflict with
    another (:data:`_CONFLICT_MARKERS`): sending it again is right."""
    if response.status_code < 500:
        return False
    text = response.text.lower()
    return any(marker in text for marker in _CONFLICT_MARKERS)


class RemoteStore:
    """The graph in a remote SPARQL 1.1 store (see the module's documentation).

    ``local`` is the folder beside which local files (the REST read model) are kept;
    ``read_only`` refuses writes, as an embedded store opened read-only does.
    """

    path: Path | None = None  # nothing on this machine: the engine and read side check it

    def __init__(
        self, remote: Remote, *, local: Path | None = None, read_only: bool = False, timeout: float = _WRITE_TIMEOUT
    ) -> None:
        self.remote = remote.validate()
        self.local = local
        self.read_only = read_only
        auth = _Auth(remote.user, remote.password, remote.auth) if remote.user and remote.password else None
        self._client = httpx.Client(
            auth=auth,
            follow_redirects=False,
            headers={"User-Agent": "defence-kg"},
            timeout=httpx.Timeout(timeout, connect=10.0),
            limits=httpx.Limits(max_connections=max(8, remote.connections * 2)),
        )

    def __repr__(self) -> str:
        return f"RemoteStore(query={self.remote.query!r})"

    # --- the generation token -------------------------------------------------
    @property
    def generation(self) -> str:
        """The token in the store's meta graph ("0" when there is none yet)."""
        rows = self.select(f"SELECT ?t WHERE {{ GRAPH <{META}> {{ <{META}> <{_GENERATION}> ?t }} }}")
        tokens = sorted(str(r["t"]) for r in rows if "t" in r)
        return tokens[-1] if tokens else "0"

    def _new_generation(self) -> None:
        token = uuid.uuid4().hex
        self._post_update(
            f'DROP SILENT GRAPH <{META}> ;\nINSERT DATA {{ GRAPH <{META}> {{ <{META}> <{_GENERATION}> "{token}" }} }}'
        )

    # --- reading ------------------------------------------------------------
    def response(
        self,
        sparql: str,
        *,
        accept: str,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        substitutions: Mapping[str, Any] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """POST a query (SPARQL 1.1 Protocol, form encoded) and return the server's answer.

        ``substitutions`` bind variables as :meth:`kg.store.Store.query` does: a ``VALUES``
        block of the terms (escaped by the engine, never pasted raw) opens the query's
        WHERE group. ``base_iri`` becomes the query's first ``BASE``.
        """
        text = bind(sparql, substitutions) if substitutions else sparql
        if base_iri:
            text = f"BASE <{_iri(base_iri)}>\n{text}"
        form: list[tuple[str, str]] = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs or ()]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        try:
            response = self._client.post(
                self.remote.query,
                content=urlencode(form).encode(),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=timeout or self._client.timeout.read,
            )
        except httpx.TimeoutException:
            raise QueryTimeout(f"query timeout: the remote store did not answer within {timeout or 0:g} s") from None
        except httpx.HTTPError as e:
            raise StoreError(self._unreachable(self.remote.query, e)) from None
        if response.status_code >= 400:
            raise self._refused("query", response)
        # Virtuoso answers a query stopped by its own time limit with what it found so far
        # (an "anytime" query), marked only in these headers: an incomplete answer is refused.
        if response.headers.get("x-sql-state") or response.headers.get("x-sparql-anytime"):
            raise QueryTimeout(
                "query timeout: the remote store stopped the query at its own time limit "
                "(its answer would be incomplete)"
            )
        return response

    def query(self, sparql: str, **kwargs: Any) -> Table:
        """Evaluate any query form into a :class:`kg.store.Table` (see :meth:`response`)."""
        kwargs.pop("union_default", None)  # the server's default graph is the union of its graphs
        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):
            data = self.response(sparql, accept=GRAPH_MEDIA, **kwargs).content
            return Table(columns=("subject", "predicate", "object"), rows=[tuple(t) for t in read_graph(data)])
        return read_table(self.response(sparql, accept=RESULTS_MEDIA, **kwargs).content)

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        table = self.query(sparql, **kwargs)
        return [{n: v for n, v in zip(table.columns, row, strict=True) if v is not None} for row in table.rows]

    def rows(self, sparql: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """:meth:`select`'s rows (the answer is read whole: it comes as one response)."""
        return iter(self.select(sparql, **kwargs))

    def ask(self, sparql: str, **kwargs: Any) -> bool:
        return bool(self.query(sparql, **kwargs).boolean)

    def tabulate(self, sparql: str) -> Table:
        return self.query(sparql)

    def answer(
        self,
        sparql: str,
        *,
        results_format: str | None,
        graph_format: str | None,
        max_rows: int = 0,
        prefixes: Any = None,
        **kwargs: Any,
    ) -> tuple[str, bytes]:
        """A query's answer written in the caller's format, as the embedded query workers write
        it: ``(kind, body)`` with kind ``boolean``, ``solutions`` or ``triples``, or
        ``("unacceptable", kind)`` when no format was given for the query's form."""
        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):
            if graph_format is None:
                return "unacceptable", b"triples"
            data = self.response(sparql, accept=GRAPH_MEDIA, **kwargs).content
            return "triples", convert_graph(data, graph_format, max_triples=max_rows, prefixes=prefixes)
        data = self.response(sparql, accept=RESULTS_MEDIA, **kwargs).content
        return convert_results(data, results_format, max_rows=max_rows)

    def serialize(self, sparql: str, output: IO[bytes], *, format: str) -> None:
        """As :meth:`kg.store.Store.serialize`."""
        if format not in RESULT_FORMATS and format not in RDF_FORMATS:
            raise InputError(f"unknown format {format!r}: use one of {', '.join([*RESULT_FORMATS, *RDF_FORMATS])}")
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        if graph and format not in RDF_FORMATS:
            raise InputError(f"a CONSTRUCT or DESCRIBE answer is RDF: use one of {', '.join(RDF_FORMATS)}")
        if not graph and format not in RESULT_FORMATS:
            raise InputError(f"a SELECT or ASK answer is a result set: use one of {', '.join(RESULT_FORMATS)}")
        _, body = self.answer(sparql, results_format=None if graph else format, graph_format=format if graph else None)
        output.write(body)

    def graph_names(self) -> list[str]:
        """The named graphs that hold triples (the meta graph left out)."""
        # The FILTER also keeps Virtuoso off a shortcut for this query's plain form that lists
        # graphs its graph-level security hides (its system graphs).
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META}>) }}")
        return sorted(str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef))

    def has_graph(self, iri: str) -> bool:
        return self.ask("ASK { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": URIRef(iri)})

    def graph_data(self, iri: str) -> bytes:
        """One named graph's triples as N-Triples."""
        return self.response(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            accept=GRAPH_MEDIA,
            substitutions={"g": URIRef(iri)},
        ).content

    def default_graph_data(self) -> bytes:
        """The store's own default graph as N-Triples, read through the Graph Store endpoint
        (over SPARQL the default graph is the union of all graphs)."""
        if not self.remote.gsp:
            raise StoreError("the remote store has no Graph Store endpoint (KG_REMOTE_GSP)")
        try:
            response = self._client.get(self.remote.gsp, params={"default": ""}, headers={"Accept": GRAPH_MEDIA})
        except httpx.HTTPError as e:
            raise StoreError(self._unreachable(self.remote.gsp, e)) from None
        if response.status_code == 404:
            return b""
        if response.status_code >= 400:
            raise self._refused("read", response)
        return response.content

    def check_union(self) -> None:
        """Refuse a server whose default graph is not the union of its named graphs (what
        every query of this project expects): one quad of a named graph must match without
        GRAPH. (``oxigraph serve`` needs ``--union-default-graph``; Virtuoso does it.)"""
        rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META}>) }} LIMIT 1")
        if rows and not self.ask("ASK { ?s ?p ?o }", substitutions=rows[0]):
            raise StoreError(
                "the remote store's default graph is not the union of its named graphs: "
                "start it so (oxigraph serve --union-default-graph)"
            )

    def graph(self, iri: str | None) -> Graph:
        """One named graph as an rdflib Graph (the default graph: the union, as the server serves it)."""
        g = Graph()
        if iri is None:
            data = self.response("CONSTRUCT WHERE { ?s ?p ?o }", accept=GRAPH_MEDIA).content
        else:
            data = self.graph_data(iri)
        for t in read_graph(data):
            g.add(t)
        return g

    def __len__(self) -> int:
        """Quads in the named graphs (the meta graph left out)."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META}>) }}")
        return int(rows[0]["n"]) if rows else 0

    def dump(self, output: IO[bytes] | None = None, *, format: str = "trig", graph: str | None = None) -> bytes | None:
        """The named graphs (or one), one after the other, as TriG or N-Quads."""
        if format not in ("trig", "nquads"):
            raise InputError(f"a remote store is exported as trig or nquads, not {format!r}")
        import io

        buffer = io.BytesIO()
        for name in [graph] if graph is not None else self.graph_names():
            write_graph_quads(output if output is not None else buffer, name, self.graph_data(name), format=format)
        return buffer.getvalue() if output is None else None

    def quads(self, graph: str | None = None) -> Iterator[tuple[Any, Any, Any, str | None]]:
        for name in [graph] if graph is not None else self.graph_names():
            for s, p, o in read_graph(self.graph_data(name)):
                yield s, p, o, name

    # --- writing --------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple] | list[str]]) -> int:
        """Replace each named graph whole, one request per graph (Graph Store ``PUT``) or per
        group of whole graphs (SPARQL Update); returns triples written.

        Each graph is all or nothing; graphs are written concurrently on
        ``KG_REMOTE_CONNECTIONS`` connections, and if one is refused the others are still
        written, then :class:`kg.errors.StoreError` names it.
        """
        if not graphs:
            return 0
        contents = {iri: graph_lines(content) for iri, content in graphs.items()}
        with self._writing():
            if self.remote.gsp:
                self._concurrently(self._put, list(contents.items()))
            else:
                self._concurrently(self._post_update, _update_requests(contents))
        return sum(len(lines) for lines in contents.values())

    def replace_graph(self, iri: str | None, triples: Iterable[Triple]) -> int:
        """Replace one graph (``None``: the default graph) with ``triples``."""
        lines = ntriples_lines(triples)
        with self._writing():
            if self.remote.gsp:
                self._put((iri, lines))
            else:
                target = f"GRAPH <{_iri(iri)}>" if iri else "DEFAULT"
                self._post_update(" ;\n".join([f"DROP SILENT {target}", *_insert(iri, lines)]))
        return len(lines)

    def add_triples(self, iri: str | None, triples: Iterable[Triple]) -> int:
        """Add ``triples`` to one graph (``None``: the default graph) in one request."""
        lines = ntriples_lines(triples)
        with self._writing():
            if self.remote.gsp:
                self._send(
                    "POST",
                    self.remote.gsp,
                    params=_graph_param(iri),
                    content="\n".join(lines).encode(),
                    headers={"Content-Type": GRAPH_MEDIA},
                )
            elif lines:
                self._post_update(" ;\n".join(_insert(iri, lines)))
        return len(lines)

    def drop_graphs(self, iris: Iterable[str]) -> None:
        text = " ;\n".join(f"DROP SILENT GRAPH <{_iri(i)}>" for i in iris)
        if text:
            with self._writing():
                self._post_update(text)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Send a SPARQL update as one request (``base_iri`` becomes its first ``BASE``)."""
        text = f"BASE <{_iri(base_iri)}>\n{sparql}" if base_iri else sparql
        with self._writing():
            self._send(
                "POST",
                self.remote.update,
                content=text.encode(),
                headers={"Content-Type": "application/sparql-update"},
                what="update",
            )

    def load(self, data: bytes | str, *, format: str, graph: str | None, base_iri: str | None = None) -> None:
        """Parse ``data`` here (a bad file is refused before the store is touched), then add it."""
        self.add_triples(graph, Store.parse_triples(data, format=format, base_iri=base_iri))

    @staticmethod
    def parse_triples(data: bytes | str, *, format: str, base_iri: str | None = None) -> list[Triple]:
        return Store.parse_triples(data, format=format, base_iri=base_iri)

    def flush(self) -> None:
        """Nothing to flush: every write is a request the server has answered."""

    def optimize(self) -> None:
        """Nothing to do here: how the server keeps its files is its own business."""

    def close(self) -> None:
        self._client.close()

    # --- internals -------------------------------------------------------------
    def _writing(self) -> Any:
        """Around a write: refused when read-only; a new generation before and after it."""
        store = self

        class _Section:
            def __enter__(self) -> None:
                if store.read_only:
                    raise StoreError("the remote store is open read-only here")
                store._new_generation()

            def __exit__(self, *exc: object) -> None:
                try:
                    store._new_generation()
                except StoreError:
                    if exc[0] is None:
                        raise

        return _Section()

    def _concurrently(self, action: Any, items: list[Any]) -> None:
        if len(items) <= 1 or self.remote.connections == 1:
            for item in items:
                action(item)
            return
        with ThreadPoolExecutor(self.remote.connections, thread_name_prefix="kg-remote-write") as pool:
            futures = [pool.submit(action, item) for item in items]
        errors = [e for f in futures if (e := f.exception()) is not None]
        if errors:
            raise errors[0]

    def _put(self, item: tuple[str | None, list[str]]) -> None:
        iri, lines = item
        assert self.remote.gsp is not None
        body = ("\n".join(lines) + "\n").encode() if lines else b""
        self._send(
            "PUT", self.remote.gsp, params=_graph_param(iri), content=body, headers={"Content-Type": GRAPH_MEDIA}
        )

    def _post_update(self, text: str) -> None:
        self._send(
            "POST", self.remote.update, content=text.encode(), headers={"Content-Type": "application/sparql-update"}
        )

    def _send(self, method: str, url: str, *, what: str = "write", **kwargs: Any) -> httpx.Response:
        """One request; an idempotent one that lost a transaction conflict (:func:`_conflicted`:
        Virtuoso's "Transaction deadlocked", or its SR197 on a new language tag, when concurrent
        Graph Store PUTs meet) is sent again, up to :data:`_CONFLICT_TRIES` times: it was rolled
        back whole."""
        for attempt in range(1, _CONFLICT_TRIES + 1):
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.HTTPError as e:
                raise StoreError(self._unreachable(url, e)) from None
            if response.status_code < 400:
                return response
            if not (method in _IDEMPOTENT and _conflicted(response)) or attempt == _CONFLICT_TRIES:
                break
            time.sleep(0.05 * attempt)
        raise self._refused(what, response)

    def _refused(self, what: str, response: httpx.Response) -> Exception:
        """An error for a refused request: the status, and the server's first lines (scrubbed)."""
        status = f"{response.status_code} {response.reason_phrase}".strip()
        text = _first_lines(response)
        if response.status_code in (401, 403):
            hint = (
                "check KG_REMOTE_USER and KG_REMOTE_PASSWORD"
                if self.remote.user
                else "set KG_REMOTE_USER and KG_REMOTE_PASSWORD"
            )
            return StoreError(self._scrub(f"the remote store refused the {what} ({status}): {hint}"))
        message = self._scrub(f"the remote store refused the {what} ({status})" + (f": {text}" if text else ""))
        if what == "query" and response.status_code == 400:
            return QuerySyntaxError(message)
        if what == "query" or (what == "update" and response.status_code == 400):
            return QueryError(message)  # a client's own query or update: its error is the client's
        return StoreError(message)

    def _unreachable(self, url: str, error: Exception) -> str:
        return self._scrub(f"cannot reach the remote store at {_origin(url)}: {type(error).__name__}")

    def _scrub(self, message: str) -> str:
        """``message`` with the password (and anything around it) made unreadable."""
        secret = self.remote.password
        if secret:
            message = message.replace(secret, "***")
        return message


# --- text -------------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<skip> \#[^\n]* | <[^<>"{}|^`\\\s]*> | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
            | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*" )
  | (?P<word> [A-Za-z_][\w-]* )
  | (?P<brace> \{ )
""",
    re.VERBOSE,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first form keyword outside IRIs,
    strings and comments (None if it has none).

    >>> query_form('PREFIX s: <http://ex.org/SELECT#> # ASK\\nCONSTRUCT WHERE { ?s ?p "DESCRIBE" }')
    'CONSTRUCT'
    """
    for m in _TOKEN.finditer(sparql):
        if m.group("word") and m.group("word").upper() in _FORMS:
            return m.group("word").upper()
    return None


def bind(sparql: str, substitutions: Mapping[str, Term | Any]) -> str:
    """``sparql`` with its variables bound: ``VALUES (?a ?b) { (t1 t2) }`` opens the query's
    WHERE group (the group after ``WHERE``, or the first group of a SELECT or ASK without it).

    >>> bind('SELECT ?g WHERE { GRAPH ?g { } }', {"g": URIRef("http://ex.org/g")})
    'SELECT ?g WHERE { VALUES (?g) { (<http://ex.org/g>) } GRAPH ?g { } }'
    """
    names = " ".join(f"?{n}" for n in substitutions)
    values = " ".join(term_text(v) for v in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    form = None
    after_where = False
    for m in _TOKEN.finditer(sparql):
        word = m.group("word")
        if word:
            upper = word.upper()
            if form is None and upper in _FORMS:
                form = upper
            after_where = after_where or upper == "WHERE"
        elif m.group("brace") and (after_where or form in ("SELECT", "ASK")):
            return sparql[: m.end()] + block + sparql[m.end() :]
    raise QueryError("cannot bind variables in this query: it has no WHERE group")


def _insert(iri: str | None, lines: list[str]) -> list[str]:
    """The INSERT DATA of one graph's lines (one operation: blank nodes stay one node each)."""
    if not lines:
        return [f"CREATE SILENT GRAPH <{_iri(iri)}>"] if iri else []
    body = "\n".join(lines)
    return [f"INSERT DATA {{ GRAPH <{_iri(iri)}> {{\n{body}\n}} }}" if iri else f"INSERT DATA {{\n{body}\n}}"]


def _update_requests(contents: Mapping[str, list[str]]) -> list[str]:
    """SPARQL Update requests that replace the graphs: whole graphs only, up to
    ``_REQUEST_TRIPLES`` triples each (a larger graph has a request of its own)."""
    requests: list[str] = []
    ops: list[str] = []
    size = 0
    for iri, lines in contents.items():
        if ops and size + len(lines) > _REQUEST_TRIPLES:
            requests.append(" ;\n".join(ops))
            ops, size = [], 0
        ops += [f"DROP SILENT GRAPH <{_iri(iri)}>", *_insert(iri, lines)]
        size += len(lines)
    if ops:
        requests.append(" ;\n".join(ops))
    return requests


def _iri(iri: str | None) -> str:
    """An IRI checked for what may sit between ``<`` and ``>`` (it is written, never escaped)."""
    assert iri is not None
    if re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
        raise InputError(f"not an IRI: {iri!r}")
    return iri


def _graph_param(iri: str | None) -> dict[str, str]:
    return {"graph": iri} if iri else {"default": ""}


def _origin(url: str) -> str:
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.host}" + (f":{parts.port}" if parts.port else "")


def _first_lines(response: httpx.Response) -> str:
    """The start of a refusal's text: one line, markup stripped, at most _MESSAGE characters."""
    text = (
        response.text
        if "html" not in response.headers.get("content-type", "")
        else re.sub(r"<[^>]*>", " ", response.text)
    )
    text = " ".join(text.split())
    return text[:_MESSAGE] + ("…" if len(text) > _MESSAGE else "")
