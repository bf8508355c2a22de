"""The store interface: the only module that imports the store engine (pyoxigraph).

A :class:`Store` is a pyoxigraph dataset on disk (``path``) or in memory (``None``).
Documents live in named graphs named by their IRI; the ontology and the reference
base have graphs of their own. Queries see the union of all graphs as the default
graph unless the caller names a dataset (SPARQL protocol ``default-graph-uri``).

Writes that replace graphs are atomic: one SPARQL update transaction drops the old
graph and inserts the new triples, so a reader never sees a half-written document.

Also here, so that nothing else touches the engine: the term codec (rdflib ⇄ pyoxigraph,
:func:`to_ox`/:func:`to_rdflib`, and the compact :data:`WireTerm` on the pipe to a query
worker, :func:`to_wire`/:func:`from_wire`), what a query worker evaluates
(:class:`QueryRequest` → :func:`evaluate` → :class:`Answer`; :mod:`api.worker` only hosts
it), and the parsers and writers a remote store's answers go through (:mod:`kg.remote`).
"""

from __future__ import annotations

import functools
import io
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from typing import Literal as Choice

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.graph import Graph

from kg.errors import InputError, QueryError, QuerySyntaxError, StoreError

Triple = tuple[Any, Any, Any]
T = TypeVar("T")

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}
"""Short names of the RDF syntaxes the store reads and writes."""

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""Short names of the SPARQL results syntaxes (SELECT and ASK answers)."""

Term = URIRef | BNode | Literal


class TooManyResults(Exception):
    """An answer with more rows or triples than the caller allows."""


@dataclass(frozen=True)
class Table:
    """A query's answer as rows of rdflib terms: SELECT solutions (``None`` where a variable is
    unbound), CONSTRUCT/DESCRIBE triples as subject, predicate, object; ASK has ``boolean``."""

    columns: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]
    boolean: bool | None = None


_BATCH_TRIPLES = 50_000  # triples per INSERT DATA statement keeps one transaction's text bounded
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BULK_PARTS = max(1, min(4, os.cpu_count() or 1))
"""Parts of a first write that the bulk loader loads side by side (one per core, at most 4)."""
_BULK_PART_LINES = 20_000
"""A first write of more lines than this is split into :data:`_BULK_PARTS` parts."""


@lru_cache(maxsize=65536)
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def to_ox(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (pyoxigraph terms pass through)."""
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_named(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: Any) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


WireTerm = tuple[str, ...]
"""A term on the pipe between the server and a query worker: ``("iri", value)``, ``("bnode", value)``
or ``("literal", value, datatype, language)``; plain tuples of strings pickle small and fast."""


def to_wire(term: Any) -> WireTerm:
    """An rdflib or pyoxigraph term as a :data:`WireTerm`.

    >>> to_wire(Literal("Baykar", lang="tr")), to_wire(ox.NamedNode("http://ex.org/a"))
    (('literal', 'Baykar', '', 'tr'), ('iri', 'http://ex.org/a'))
    """
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, "" if term.language else term.datatype.value, term.language or "")
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        datatype = "" if term.language else str(term.datatype or _XSD_STRING)
        return ("literal", str(term), datatype, term.language or "")
    if isinstance(term, ox.Triple):  # a triple term (RDF 1.2) in a solution: its N-Triples text
        return ("literal", str(term), _XSD_STRING, "")
    raise TypeError(f"not an RDF term: {term!r}")


def from_wire(term: WireTerm) -> Term:
    """A :data:`WireTerm` as an rdflib term, as :func:`to_rdflib` makes it.

    >>> from_wire(("literal", "1", "http://www.w3.org/2001/XMLSchema#integer", "")).toPython()
    1
    """
    if term[0] == "iri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    if term[3]:
        return Literal(term[1], lang=term[3])
    if term[2] == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term[1])
    return Literal(term[1], datatype=URIRef(term[2]))


def graph_lines(content: Iterable[Triple] | list[str]) -> list[str]:
    """A graph's content as N-Triples lines: triples of terms are written with
    :func:`ntriples_lines`, a list of lines is taken as it is."""
    if isinstance(content, list) and all(isinstance(line, str) for line in content[:1]):
        return cast(list[str], content)
    return ntriples_lines(cast(Iterable[Triple], content))


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """Triples as N-Triples statements (terms escaped by pyoxigraph, never pasted raw)."""
    return [f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in triples]


def _write(method: Callable[..., T]) -> Callable[..., T]:
    """A write: refused on a read-only store; the generation token is replaced before it
    (a client that saw the old data has the old token) and after it (a reader that polled
    the token during the write sees it change once more when the write is done)."""

    @functools.wraps(method)
    def write(self: Store, *args: Any, **kwargs: Any) -> T:
        self._writable()
        try:
            return method(self, *args, **kwargs)
        finally:
            self._new_generation()

    return write


class Store:
    """A pyoxigraph dataset with the operations the knowledge graph needs.

    >>> s = Store()
    >>> from rdflib import URIRef
    >>> s.replace_graphs({"http://ex.org/g": [(URIRef("http://ex.org/a"), URIRef("http://ex.org/p"), URIRef("http://ex.org/b"))]})
    1
    >>> [str(r["s"]) for r in s.query("SELECT ?s WHERE { ?s ?p ?o }")]
    ['<http://ex.org/a>']
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
                _remove_unfinished_bulk_loads(self.path)
        except OSError as e:
            raise StoreError(f"cannot open the store at {self.path}: {e}") from e
        self.read_only = read_only
        self._token = uuid.uuid4().hex  # in memory; on disk the token lives beside the store

    # --- the generation token -------------------------------------------------
    @property
    def generation(self) -> str:
        """A token that changes with every write, across processes and restarts (for ETags).

        On disk it is a file beside the store directory, replaced *before* each write:
        whatever a client saw before the write, the token after it is new.
        """
        if self.path is None:
            return self._token
        try:
            return self._generation_file().read_text(encoding="ascii").strip() or "0"
        except FileNotFoundError:
            return "0"

    def _new_generation(self) -> None:
        self._token = uuid.uuid4().hex
        if self.path is None:
            return
        target = self._generation_file()
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(self._token, encoding="ascii")
        os.replace(tmp, target)

    def _generation_file(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".generation")

    # --- reading ------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        union_default: bool = True,
        default_graphs: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        substitutions: Mapping[str, Any] | None = None,
        base_iri: str | None = None,
    ) -> Any:
        """Evaluate a SPARQL query; returns pyoxigraph's solutions, triples or boolean.

        ``default_graphs``/``named_graphs`` set the dataset as the SPARQL protocol's
        ``default-graph-uri``/``named-graph-uri`` do; otherwise the default graph is
        the union of all graphs. ``substitutions`` binds variables to terms (values are
        rdflib or pyoxigraph terms): user input never becomes query text.
        """
        kwargs: dict[str, Any] = {"base_iri": base_iri}
        dg = list(default_graphs or [])
        ng = list(named_graphs or [])
        if dg or ng:
            kwargs["default_graph"] = [_named(g) for g in dg] if dg else []
            kwargs["named_graphs"] = [_named(g) for g in ng] if ng else None
            if not dg:
                kwargs["default_graph"] = [ox.DefaultGraph()]
        else:
            kwargs["use_default_graph_as_union"] = union_default
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(f"query evaluation failed: {e}") from e

    def select(self, sparql: str, **kwargs: Any) -> list[dict[str, Any]]:
        """A SELECT query's rows as dicts of rdflib terms (unbound variables left out)."""
        return list(self.rows(sparql, **kwargs))

    def rows(self, sparql: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """:meth:`select`'s rows one at a time, as the engine finds them: a pass over a large
        answer holds one row, not the whole answer (the store must not change meanwhile).

        >>> rows = Store().rows('SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 "a") (2 UNDEF) } }')
        >>> [{k: str(v) for k, v in row.items()} for row in rows]
        [{'x': '1', 'y': 'a'}, {'x': '2'}]
        """
        solutions = self.query(sparql, **kwargs)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            yield {n: to_rdflib(row[n]) for n in names if row[n] is not None}

    def ask(self, sparql: str, **kwargs: Any) -> bool:
        """An ASK query's answer (the options of :meth:`query`)."""
        return bool(self.query(sparql, **kwargs))

    def tabulate(self, sparql: str) -> Table:
        """Evaluate any query form into a :class:`Table`.

        >>> s = Store()
        >>> s.tabulate("SELECT ?x ?y WHERE { VALUES ?x { 1 } }")
        Table(columns=('x', 'y'), rows=[(rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')), None)], boolean=None)
        >>> s.tabulate("ASK {}").boolean
        True
        """
        results = self.query(sparql)
        try:
            if isinstance(results, ox.QueryBoolean):
                return Table(columns=(), rows=[], boolean=bool(results))
            if isinstance(results, ox.QueryTriples):
                return Table(
                    columns=("subject", "predicate", "object"),
                    rows=[(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in results],
                )
            names = [v.value for v in results.variables]
            return Table(
                columns=tuple(names),
                rows=[tuple(None if row[n] is None else to_rdflib(row[n]) for n in names) for row in results],
            )
        except (OSError, ValueError, RuntimeError) as e:  # evaluation is lazy: errors come while reading
            raise QueryError(f"query evaluation failed: {e}") from e

    def serialize(self, sparql: str, output: IO[bytes], *, format: str) -> None:
        """Evaluate a query and write its answer to ``output``: SELECT and ASK in a key of
        :data:`RESULT_FORMATS`, CONSTRUCT and DESCRIBE in a key of :data:`RDF_FORMATS`.

        >>> import io
        >>> out = io.BytesIO()
        >>> Store().serialize("SELECT ?x WHERE { VALUES ?x { 1 } }", out, format="csv")
        >>> out.getvalue()
        b'x\\r\\n1\\r\\n'

        Raises:
            QuerySyntaxError: the query does not parse.
            InputError: ``format`` is not one for this query form.
            QueryError: evaluation failed.
        """
        if format not in RESULT_FORMATS and format not in RDF_FORMATS:
            raise InputError(f"unknown format {format!r}: use one of {', '.join([*RESULT_FORMATS, *RDF_FORMATS])}")
        results = self.query(sparql)
        graph = isinstance(results, ox.QueryTriples)
        if graph and format not in RDF_FORMATS:
            raise InputError(f"a CONSTRUCT or DESCRIBE answer is RDF: use one of {', '.join(RDF_FORMATS)}")
        if not graph and format not in RESULT_FORMATS:
            raise InputError(f"a SELECT or ASK answer is a result set: use one of {', '.join(RESULT_FORMATS)}")
        try:
            results.serialize(output, RDF_FORMATS[format] if graph else RESULT_FORMATS[format])
        except (ValueError, RuntimeError) as e:
            raise QueryError(f"query evaluation failed: {e}") from e

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(_named(iri))

    def graph(self, iri: str | None) -> Graph:
        """One graph (``None``: the default graph) as an rdflib Graph."""
        g = Graph()
        name = _named(iri) if iri else ox.DefaultGraph()
        for q in self._store.quads_for_pattern(None, None, None, name):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, output: IO[bytes] | None = None, *, format: str = "trig", graph: str | None = None) -> bytes | None:
        """Serialise the dataset (or one graph) in ``format`` (a key of RDF_FORMATS)."""
        fmt = _format(format)
        kwargs: dict[str, Any] = {}
        if graph is not None:
            kwargs["from_graph"] = _named(graph)
        elif not fmt.supports_datasets:
            kwargs["from_graph"] = ox.DefaultGraph()
        return self._store.dump(output, fmt, **kwargs)

    # --- writing --------------------------------------------------------------
    @_write
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple] | list[str]]) -> int:
        """Atomically replace each named graph with the given triples; returns triples written.

        A graph's content is either triples of terms or N-Triples lines made by
        :func:`ntriples_lines` (which worker processes can produce and ship cheaply).
        Each graph is replaced whole or not at all: a reader, or a store reopened after a
        kill, sees every graph of the batch either as it was or as written here.

        When a graph of the batch exists already (a rebuild), the batch is one SPARQL
        update transaction: all of it or none of it. When none exists yet (a first
        build), it goes through the engine's bulk loader, which writes sorted index files
        beside the store and ingests them in one atomic step at the end (RocksDB's
        multi-column-family ``IngestExternalFiles``). A batch of more than
        :data:`_BULK_PART_LINES` lines is split into parts of whole graphs, one per core
        (:data:`_BULK_PARTS`), loaded side by side: the loader parses, encodes and sorts a
        batch of this size on one thread and then waits on fsync, so one call leaves the
        other cores idle. Each part is atomic on its own, so every graph is still whole
        or absent. The text is TriG (each graph's lines joined once rather than rewritten
        line by line as N-Quads) and parsed leniently: the lines were written by this
        engine from terms it had validated. In memory the bulk loader has nothing to
        gain, and one transactional load is used.
        """
        if not graphs:
            return 0
        contents = {iri: graph_lines(content) for iri, content in graphs.items()}
        written = sum(len(lines) for lines in contents.values())
        if not any(self._store.contains_named_graph(_named(iri)) for iri in contents):
            try:
                if self.path is None:
                    self._store.load(_trig(contents).encode(), ox.RdfFormat.TRIG)
                    return written
                parts = _parts(contents, _BULK_PARTS if written > _BULK_PART_LINES else 1)
                if len(parts) == 1:
                    self._bulk_load(parts[0])
                else:
                    with ThreadPoolExecutor(len(parts), thread_name_prefix="kg-bulk-load") as pool:
                        for done in [pool.submit(self._bulk_load, part) for part in parts]:
                            done.result()
            except OSError as e:
                raise StoreError(f"cannot write to the store at {self.path}: {e}") from e
            return written
        updates = [f"DROP SILENT GRAPH {_named(iri)}" for iri in contents]
        for iri, lines in contents.items():
            updates.extend(_insert_data(iri, lines))
        self._update(" ;\n".join(updates))
        return written

    def _bulk_load(self, contents: Mapping[str, list[str]]) -> None:
        # pyoxigraph releases the GIL while it loads: parts run on separate cores.
        self._store.bulk_load(_trig(contents).encode(), ox.RdfFormat.TRIG, lenient=True)

    @_write
    def drop_graphs(self, iris: Iterable[str]) -> None:
        text = " ;\n".join(f"DROP SILENT GRAPH {_named(i)}" for i in iris)
        if text:
            self._update(text)

    @_write
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction: it applies whole or not at all."""
        self._update(sparql, base_iri=base_iri)

    @_write
    def load(self, data: bytes | str, *, format: str, graph: str | None, base_iri: str | None = None) -> None:
        """Parse ``data`` and add it to ``graph`` (``None``: default graph) in one transaction."""
        target = _named(graph) if graph else ox.DefaultGraph()
        try:
            self._store.load(data, _format(format), base_iri=base_iri, to_graph=target)
        except SyntaxError as e:
            raise InputError(f"cannot parse the {format} data: {e}") from e

    @staticmethod
    def parse_triples(data: bytes | str, *, format: str, base_iri: str | None = None) -> list[Triple]:
        """Parse RDF text into triples without touching the store (validate before writing)."""
        try:
            return [
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                for t in ox.parse(
                    io.BytesIO(data.encode() if isinstance(data, str) else data), _format(format), base_iri=base_iri
                )
            ]
        except SyntaxError as e:
            raise InputError(f"cannot parse the {format} data: {e}") from e

    @_write
    def replace_graph(self, iri: str | None, triples: Iterable[Triple]) -> int:
        """Atomically replace one graph (``None``: the default graph) with ``triples``; returns triples written."""
        target = f"GRAPH {_named(iri)}" if iri else "DEFAULT"
        parts = [f"DROP SILENT {target}"]
        lines = ntriples_lines(triples)
        parts.extend(_insert_data(iri, lines))
        if iri and not lines:
            parts.append(f"CREATE SILENT GRAPH {_named(iri)}")
        self._update(" ;\n".join(parts))
        return len(lines)

    @_write
    def add_triples(self, iri: str | None, triples: Iterable[Triple]) -> int:
        """Add ``triples`` to one graph (``None``: the default graph) in one transaction; returns triples added.

        Blank nodes are fresh: they never merge with blank nodes already in the graph.
        """
        lines = ntriples_lines(triples)
        parts = [f"CREATE SILENT GRAPH {_named(iri)}"] if iri else []
        parts.extend(_insert_data(iri, lines))
        if parts:
            self._update(" ;\n".join(parts))
        return len(lines)

    def close(self) -> None:
        """Release the underlying store (on disk: its lock); the object is unusable afterwards."""
        self._store = None  # type: ignore[assignment]  # a closed Store is unusable: any use fails at once

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def optimize(self) -> None:
        """Compact the store's files after a large write (the engine's ``optimize``): written
        in many transactions, it keeps overlapping files that a scan reads each of (queries
        4-15 % slower at 10,000 documents; 4.5 s there, 52 s at 100,000). Nothing to do in
        memory or read-only."""
        if self.path is not None and not self.read_only:
            self._store.optimize()

    def quads(self, graph: str | None = None) -> Iterator[tuple[Any, Any, Any, str | None]]:
        """Every quad (or one graph's) as rdflib terms; the graph name is None for the default graph."""
        name = _named(graph) if graph else None
        for q in self._store.quads_for_pattern(None, None, None, name):
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), g

    # --- internals -------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")
        self._new_generation()

    def _update(self, text: str, *, base_iri: str | None = None) -> None:
        try:
            self._store.update(text, base_iri=base_iri)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from e
        except (ValueError, RuntimeError) as e:  # evaluation errors: the transaction is rolled back
            raise QueryError(f"update failed: {e}") from e
        except OSError as e:
            raise StoreError(f"cannot write to the store at {self.path}: {e}") from e


def _remove_unfinished_bulk_loads(path: Path) -> None:
    """Delete index files a killed bulk load left behind (``bulk-<n>.sst`` in the store
    directory, never ingested, so never part of the store). Called with the store's
    write lock held: no other process is bulk loading there."""
    for leftover in path.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)


def _trig(contents: Mapping[str, list[str]]) -> str:
    """Named graphs of N-Triples lines as one TriG text (an N-Triples statement is TriG)."""
    return "".join(f"{_named(iri)} {{\n" + "\n".join(lines) + "\n}\n" for iri, lines in contents.items())


def _parts(contents: Mapping[str, list[str]], n: int) -> list[dict[str, list[str]]]:
    """Graphs split into at most ``n`` parts of about equal lines, each graph whole in one part.

    >>> [sorted(p) for p in _parts({"a": ["x"] * 3, "b": ["x"] * 2, "c": ["x"] * 2}, 2)]
    [['a'], ['b', 'c']]
    """
    parts: list[dict[str, list[str]]] = [{} for _ in range(max(1, n))]
    sizes = [0] * len(parts)
    for iri, lines in sorted(contents.items(), key=lambda item: -len(item[1])):
        i = sizes.index(min(sizes))
        parts[i][iri] = lines
        sizes[i] += len(lines)
    return [p for p in parts if p]


def _insert_data(iri: str | None, lines: list[str]) -> list[str]:
    """INSERT DATA operations for N-Triples ``lines`` into a graph (``None``: the default graph).

    Split every ``_BATCH_TRIPLES`` lines to keep each operation's text bounded.
    """
    ops = []
    for i in range(0, len(lines), _BATCH_TRIPLES):
        body = "\n".join(lines[i : i + _BATCH_TRIPLES])
        ops.append(f"INSERT DATA {{ GRAPH {_named(iri)} {{\n{body}\n}} }}" if iri else f"INSERT DATA {{\n{body}\n}}")
    return ops


def _format(name: str) -> ox.RdfFormat:
    try:
        return RDF_FORMATS[name]
    except KeyError:
        raise InputError(f"unknown RDF format {name!r}; use one of {', '.join(RDF_FORMATS)}") from None


# --- codecs for a remote store (kg.remote): the engine's parsers and writers ------------------
# kg.remote speaks HTTP and never imports pyoxigraph: it hands the bytes a server answered to
# these functions, which parse and write them with the same engine as the embedded store.

GRAPH_MEDIA = "application/n-triples"
"""What a remote store is asked for when a query answers a graph (CONSTRUCT, DESCRIBE, a GSP GET)."""
RESULTS_MEDIA = "application/sparql-results+xml"
"""What a remote store is asked for when a query answers a result set or a boolean (SELECT, ASK):
the XML results format, since some servers (Virtuoso) still write SPARQL JSON's pre-standard
``typed-literal``."""


def read_table(data: bytes) -> Table:
    """A SPARQL XML results document (SELECT or ASK) as a :class:`Table` of rdflib terms.

    >>> read_table(b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>')
    Table(columns=(), rows=[], boolean=True)
    """
    results = _read_results(data)
    if isinstance(results, ox.QueryBoolean):
        return Table(columns=(), rows=[], boolean=bool(results))
    names = [v.value for v in results.variables]
    return Table(
        columns=tuple(names),
        rows=[tuple(None if row[n] is None else to_rdflib(row[n]) for n in names) for row in results],
    )


def convert_results(data: bytes, format: str | None, *, max_rows: int = 0) -> tuple[str, bytes]:
    """A SPARQL XML results document written in ``format`` (a key of :data:`RESULT_FORMATS`):
    ``(kind, body)``, kind ``boolean`` or ``solutions``; ``format`` None gives ``("unacceptable", kind)``
    as bytes. Raises :class:`TooManyResults` past ``max_rows`` solutions (0: no limit)."""
    results = _read_results(data)
    kind = "boolean" if isinstance(results, ox.QueryBoolean) else "solutions"
    if format is None:
        return "unacceptable", kind.encode()
    if isinstance(results, ox.QueryBoolean):
        return kind, _written(results.serialize(format=RESULT_FORMATS[format]))
    return kind, _written_from(_tsv_transcript(results, max_rows), format)


def convert_graph(
    data: bytes, format: str, *, max_triples: int = 0, prefixes: Callable[[list[Any]], dict[str, str]] | None = None
) -> bytes:
    """N-Triples written in ``format`` (a key of :data:`RDF_FORMATS`), each triple once.

    ``prefixes`` chooses, from the engine's triples, the prefixes a Turtle, TriG or RDF/XML
    answer declares. Raises :class:`TooManyResults` past ``max_triples`` (0: no limit).
    """
    try:
        triples = _distinct(ox.parse(data, ox.RdfFormat.N_TRIPLES), max_triples)
    except SyntaxError as e:
        raise StoreError(f"the remote store answered a graph that cannot be read: {e}") from None
    fmt = _format(format)
    chosen = prefixes(triples) if prefixes is not None and fmt in _PREFIXED else None
    return _write_triples(triples, fmt, chosen)


def read_graph(data: bytes) -> list[Triple]:
    """N-Triples as rdflib triples."""
    return Store.parse_triples(data, format="ntriples")


def write_graph_quads(output: IO[bytes], graph: str, data: bytes, *, format: str) -> None:
    """One graph's N-Triples written to ``output`` as quads of ``graph`` in ``format``
    (``trig`` or ``nquads``); successive calls write a whole dataset."""
    name = _named(graph)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)]
    ox.serialize(quads, output, _format(format))


def term_text(term: Any) -> str:
    """An rdflib or pyoxigraph term as SPARQL/N-Triples text (escaped by the engine)."""
    return str(to_ox(term))


def _read_results(data: bytes) -> Any:
    # Virtuoso names blank nodes "nodeID://b123", which is no blank node label: keep "b123".
    data = data.replace(b"<bnode>nodeID://", b"<bnode>")
    try:
        return ox.parse_query_results(data, ox.QueryResultsFormat.XML)
    except SyntaxError as e:
        raise StoreError(f"the remote store answered results that cannot be read: {e}") from None


_PREFIXED = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML})


def _rows(solutions: Any, names: list[str], max_rows: int) -> list[list[Any]]:
    """The solutions' terms in ``names`` order; :class:`TooManyResults` past ``max_rows`` (0: no limit)."""
    rows: list[list[Any]] = []
    for solution in solutions:
        if max_rows and len(rows) >= max_rows:
            raise TooManyResults(f"the query returns more than {max_rows} rows; add a LIMIT")
        rows.append([solution[n] for n in names])
    return rows


class _RowCounter(io.RawIOBase):
    """Where the engine writes a TSV transcript: kept, its lines counted as they come, and
    :class:`TooManyResults` raised (which stops the engine's writer) past ``max_rows``."""

    def __init__(self, max_rows: int) -> None:
        self.lines = -1  # (the header line)
        self.max_rows = max_rows
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        chunk = bytes(b)
        self.lines += chunk.count(b"\n")
        if self.max_rows and self.lines > self.max_rows:
            raise TooManyResults(f"the query returns more than {self.max_rows} rows; add a LIMIT")
        self.chunks.append(chunk)
        return len(chunk)


def _written_from(transcript: bytes, format: str) -> bytes:
    """A TSV transcript (:func:`_tsv_transcript`) written by the engine in ``format``."""
    solutions = ox.parse_query_results(transcript, ox.QueryResultsFormat.TSV)
    return _written(solutions.serialize(format=RESULT_FORMATS[format]))


def _tsv_transcript(solutions: Any, max_rows: int) -> bytes:
    """The solutions as the engine writes them in TSV (cells are N-Triples terms and a line
    break inside a literal is escaped, so each line is one row and nothing is lost), its rows
    counted on the way: :class:`TooManyResults` past ``max_rows`` (0: no limit). The engine
    then writes the asked format from it: no term passes through Python."""
    counter = _RowCounter(max_rows)
    solutions.serialize(counter, ox.QueryResultsFormat.TSV)
    return b"".join(counter.chunks)


def _distinct(triples: Iterable[Any], max_triples: int) -> list[Any]:
    """Each triple once, in order: over the union default graph a triple stated in k graphs
    comes back k times. :class:`TooManyResults` past ``max_triples`` (0: no limit)."""
    seen: set[Any] = set()
    kept: list[Any] = []
    for t in triples:
        if t in seen:
            continue
        if max_triples and len(kept) >= max_triples:
            raise TooManyResults(f"the query returns more than {max_triples} triples; add a LIMIT")
        seen.add(t)
        kept.append(t)
    return kept


def _write_triples(triples: list[Any], fmt: ox.RdfFormat, prefixes: dict[str, str] | None) -> bytes:
    items: list[Any] = triples
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return _written(ox.serialize(items, format=fmt, prefixes=prefixes))


def _written(body: bytes | None) -> bytes:
    """What the engine's writers return when given no output: the bytes (never None)."""
    assert body is not None
    return body


# --- what a query worker evaluates (api.worker hosts it in a child process) -------------------


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset of a query: the protocol's ``default-graph-uri``/``named-graph-uri``.

    ``None`` in ``default`` stands for the store's own default graph. Nothing given: the
    default graph is the union of all graphs.
    """

    default: tuple[str | None, ...] | None = None
    named: tuple[str, ...] | None = None

    def options(self) -> dict[str, Any]:
        """The engine's query options for this dataset."""
        if self.default is None and self.named is None:
            return {"use_default_graph_as_union": True}
        options: dict[str, Any] = {"default_graph": [_named(g) if g else ox.DefaultGraph() for g in self.default or ()]}
        if self.named is not None:
            options["named_graphs"] = [_named(g) for g in self.named]
        return options


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """A query as the server hands it to a query worker.

    ``mode`` ``rows``: the answer as :data:`WireTerm` rows, for the server's own use (REST);
    ``serialize``: the answer written in ``results_format`` (SELECT, ASK) or ``graph_format``
    (CONSTRUCT, DESCRIBE), a key of :data:`RESULT_FORMATS` or :data:`RDF_FORMATS`; ``prefixes``
    are those a Turtle, TriG or RDF/XML answer may declare (:func:`used_prefixes` picks).
    ``max_rows`` caps the solutions or triples (0: no cap).
    """

    sparql: str
    mode: Choice["rows", "serialize"]
    dataset: Dataset = Dataset()
    substitutions: dict[str, WireTerm] = field(default_factory=dict)
    base_iri: str | None = None
    results_format: str | None = None
    graph_format: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    max_rows: int = 0


AnswerKind = Choice["boolean", "solutions", "triples", "unacceptable"]


@dataclass(frozen=True, slots=True)
class Answer:
    """A query worker's answer to a :class:`QueryRequest`.

    ``value`` is, in ``rows`` mode, a bool (``boolean``), a list of ``{variable: WireTerm}``
    (``solutions``, unbound variables left out) or a list of ``WireTerm`` triples; in
    ``serialize`` mode the bytes of the answer. ``unacceptable``: no format of the request fits
    the query form, and ``value`` names the form (``boolean``, ``solutions`` or ``triples``).
    """

    kind: AnswerKind
    value: Any


def open_reader(source: str | bytes) -> Store:
    """A store for a query worker: the on-disk store at the path ``source``, opened read-only,
    or a private in-memory store loaded from the N-Quads ``source``."""
    if isinstance(source, str):
        return Store(source, read_only=True)
    store = Store()
    if source:
        store._store.bulk_load(source, ox.RdfFormat.N_QUADS)
    return store


def evaluate(store: Store, request: QueryRequest) -> Answer:
    """Evaluate ``request`` on ``store`` and shape the answer (see :class:`QueryRequest`).

    The engine's own exceptions come through as they are, for the worker to classify:
    ``SyntaxError`` (the text does not parse), ``OSError`` (reading the store, or a SERVICE or
    LOAD fetch), ``ValueError``/``RuntimeError``/``TypeError`` (evaluation); and
    :class:`TooManyResults` past ``max_rows``.
    """
    options = request.dataset.options()
    if request.substitutions:
        options["substitutions"] = {ox.Variable(k): to_ox(from_wire(v)) for k, v in request.substitutions.items()}
    result = store._store.query(request.sparql, base_iri=request.base_iri, **options)
    rows_mode = request.mode == "rows"
    if isinstance(result, ox.QueryBoolean):
        if rows_mode:
            return Answer("boolean", bool(result))
        if request.results_format is None:
            return Answer("unacceptable", "boolean")
        return Answer("boolean", _written(result.serialize(format=RESULT_FORMATS[request.results_format])))
    if isinstance(result, ox.QuerySolutions):
        if not rows_mode:
            transcript = _tsv_transcript(result, request.max_rows)
            if request.results_format is None:
                return Answer("unacceptable", "solutions")
            return Answer("solutions", _written_from(transcript, request.results_format))
        names = [v.value for v in result.variables]
        rows = _rows(result, names, request.max_rows)
        return Answer(
            "solutions", [{n: to_wire(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        )
    triples = _distinct(result, request.max_rows)  # CONSTRUCT, DESCRIBE: a set of triples
    if rows_mode:
        return Answer("triples", [(to_wire(t.subject), to_wire(t.predicate), to_wire(t.object)) for t in triples])
    if request.graph_format is None:
        return Answer("unacceptable", "triples")
    fmt = RDF_FORMATS[request.graph_format]
    prefixes = used_prefixes(triples, request.prefixes) if fmt in _PREFIXED else None
    return Answer("triples", _write_triples(triples, fmt, prefixes))


def used_prefixes(triples: list[Any], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes that abbreviate some IRI of ``triples`` (the engine's), the longest
    namespace for each, so a Turtle answer declares what it uses and nothing else.

    >>> p = {"id": "https://w3id.org/defence-kg/id/", "organization": "https://w3id.org/defence-kg/id/organization/",
    ...      "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    >>> used_prefixes([ox.Triple(ox.NamedNode("https://w3id.org/defence-kg/id/organization/baykar"),
    ...                          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Baykar"))], p)
    {'organization': 'https://w3id.org/defence-kg/id/organization/', 'rdfs': 'http://www.w3.org/2000/01/rdf-schema#'}
    """
    stems: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                stems.add(_stem(term.value))
            elif isinstance(term, ox.Literal) and not term.language and term.datatype.value != _XSD_STRING:
                stems.add(_stem(term.datatype.value))  # a plain string is written without its datatype
    wanted: set[str] = set()
    by_length = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    for stem in stems:
        for name, namespace in by_length:
            if stem.startswith(namespace):
                wanted.add(name)
                break
    return {name: namespace for name, namespace in prefixes.items() if name in wanted}


def _stem(iri: str) -> str:
    """An IRI up to its last ``#`` or ``/``: the namespace a prefixed name would use."""
    return iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]


# Put after an update's prologue to parse it without applying it: the engine parses the
# whole request before running its first operation, and this LOAD fails without any I/O.
# (After the prologue because the engine accepts PREFIX and BASE only at the start.)
_PARSE_ONLY = "\nLOAD <urn:kg:parse-only> ;\n"


def check_update(text: str, prologue_end: int = 0, base_iri: str | None = None) -> None:
    """Raise ``SyntaxError`` unless ``text`` parses as a SPARQL update; nothing is applied.
    ``prologue_end`` is where its prologue (PREFIX and BASE declarations) ends.

    >>> check_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    >>> check_update("INSERT DATA { <urn:a> }")
    Traceback (most recent call last):
    SyntaxError: ...
    """
    at = prologue_end
    try:
        ox.Store().update(text[:at] + _PARSE_ONLY + text[at:], base_iri=base_iri)
    except SyntaxError as e:
        raise SyntaxError(_unshift(str(e), text, at)) from None
    except OSError:
        return  # the LOAD above: the request parsed
    raise RuntimeError("the parse-only update ran")  # cannot happen: the LOAD always fails


def _unshift(message: str, text: str, at: int) -> str:
    """An error position in the checked text, given as the position in the caller's ``text``."""
    line = text.count("\n", 0, at) + 1  # the line where the inserted LOAD begins
    column = at - (text.rfind("\n", 0, at) + 1)

    def back(m: re.Match[str]) -> str:
        row, col = int(m.group(1)), int(m.group(2))
        if row == line + 2:
            row, col = line, column + col
        elif row > line + 2:
            row -= 2
        return f"at {row}:{col}"

    return re.sub(r"at (\d+):(\d+)", back, message, count=1)
