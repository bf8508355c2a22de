"""The query worker: a child process that evaluates SPARQL and serialises the results.

It imports only the standard library and pyoxigraph, so a fresh worker starts fast,
and it can be killed at any moment (SIGKILL on timeout) without harm: it opens the
store read-only (on disk) or holds a private in-memory snapshot.

Messages on the pipe (tuples): ``("open", source)``, ``("close",)``,
``("query", request)``, ``("check_update", text, prologue_end, base_iri)``, ``("stop",)``. Answers: ``("ok", value)``
(a query: ``("ok", value, cpu_seconds)``, what the scheduler learns its cost from) or
``("error", kind, message)`` with kind in ``syntax``, ``eval``, ``rows``, ``input``.
"""

from __future__ import annotations

import gc
import re
import time
from typing import Any

import pyoxigraph as ox

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}

Encoded = tuple[str, ...]
"""A term on the wire: ("iri", v) | ("bnode", v) | ("literal", v, datatype, lang)."""


class TooManyRows(Exception):
    pass


def encode(term: Any) -> Encoded:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("literal", str(term), "http://www.w3.org/2001/XMLSchema#string", "")


def decode(t: Encoded) -> Any:
    if t[0] == "iri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    if t[3]:
        return ox.Literal(t[1], language=t[3])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def open_source(source: Any) -> ox.Store | None:
    """``("disk", path)`` opens read-only; ``("memory", nquads)`` loads a private snapshot."""
    if source is None:
        return None
    kind, value = source
    if kind == "disk":
        return ox.Store.read_only(value)
    store = ox.Store()
    if value:
        store.bulk_load(value, ox.RdfFormat.N_QUADS)
    return store


def dataset_kwargs(dataset: dict[str, Any]) -> dict[str, Any]:
    """``{"union": bool, "default": [iri | None], "named": [iri] | None}`` as query() options."""
    default = dataset.get("default")
    named = dataset.get("named")
    if default is None and named is None:
        return {"use_default_graph_as_union": dataset.get("union", True)}
    kwargs: dict[str, Any] = {
        "default_graph": [ox.NamedNode(g) if g else ox.DefaultGraph() for g in (default or [])]
    }
    if named is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
    return kwargs


def run(store: ox.Store, req: dict[str, Any]) -> Any:
    kwargs = dataset_kwargs(req.get("dataset") or {})
    if req.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): decode(v) for k, v in req["substitutions"].items()}
    result = store.query(req["sparql"], base_iri=req.get("base_iri"), **kwargs)
    max_rows: int = req.get("max_rows") or 0
    mode = req["mode"]
    if isinstance(result, ox.QueryBoolean):
        if mode == "rows":
            return ("boolean", bool(result))
        fmt = req.get("results_format")
        if fmt is None:
            return ("unacceptable", "boolean")
        return ("boolean", result.serialize(format=RESULT_FORMATS[fmt]))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if max_rows and len(rows) >= max_rows:
                raise TooManyRows(f"the query returns more than {max_rows} rows; add a LIMIT")
            rows.append([solution[n] for n in names])
        if mode == "rows":
            return ("solutions", [{n: encode(t) for n, t in zip(names, r, strict=True) if t is not None}
                                  for r in rows])
        fmt = req.get("results_format")
        if fmt is None:
            return ("unacceptable", "solutions")
        # Rows are counted in Python, then pyoxigraph writes the chosen format from a
        # TSV transcript (TSV cells are N-Triples terms, so nothing is lost on the way).
        lines = ["\t".join("?" + n for n in names)]
        lines.extend("\t".join("" if t is None else str(t) for t in r) for r in rows)
        solutions = ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)
        return ("solutions", solutions.serialize(format=RESULT_FORMATS[fmt]))
    # CONSTRUCT / DESCRIBE: the result is a graph, a set of triples. Over the union
    # default graph a triple stated in k graphs comes back k times: keep it once.
    seen: set[Any] = set()
    triples = []
    for t in result:
        if t in seen:
            continue
        if max_rows and len(triples) >= max_rows:
            raise TooManyRows(f"the query returns more than {max_rows} triples; add a LIMIT")
        seen.add(t)
        triples.append(t)
    if mode == "rows":
        return ("triples", [(encode(t.subject), encode(t.predicate), encode(t.object)) for t in triples])
    fmt = req.get("graph_format")
    if fmt is None:
        return ("unacceptable", "triples")
    rdf_format = GRAPH_FORMATS[fmt]
    items: list[Any] = triples
    if rdf_format.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    prefixes = used_prefixes(triples, req.get("prefixes") or {}) if rdf_format in PREFIXED_FORMATS else None
    return ("triples", ox.serialize(items, format=rdf_format, prefixes=prefixes))


PREFIXED_FORMATS = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML})
"""The formats whose writer abbreviates IRIs with declared prefixes."""


def used_prefixes(triples: list[Any], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes that abbreviate some IRI of ``triples``, the longest namespace for each,
    so a Turtle answer declares what it uses and nothing else.

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


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _stem(iri: str) -> str:
    """An IRI up to its last ``#`` or ``/``: the namespace a prefixed name would use."""
    return iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]


# Put after an update's prologue to parse it without applying it: the engine parses the
# whole request before running its first operation, and this LOAD fails without any I/O.
# (After the prologue because the engine accepts PREFIX and BASE only at the start.)
_PARSE_ONLY = "\nLOAD <urn:kg:parse-only> ;\n"


def check_update(text: str, at: int = 0, base_iri: str | None = None) -> None:
    """Raise SyntaxError unless ``text`` parses as a SPARQL update (nothing is applied);
    ``at`` is where its prologue ends."""
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


def serve(conn: Any, source: Any) -> None:
    """The worker's loop (the target of the child process)."""
    try:
        store = open_source(source)
    except Exception as e:  # report any failure to open to the parent
        conn.send(("error", "open", str(e)))
        return
    conn.send(("ok", "ready"))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        op = msg[0]
        try:
            if op == "query":
                if store is None:
                    raise OSError("the store is closed")
                cpu = time.thread_time()
                value = run(store, msg[1])
                conn.send(("ok", value, time.thread_time() - cpu))
            elif op == "check_update":
                check_update(*msg[1:])
                conn.send(("ok", None))
            elif op == "close":
                store = None
                gc.collect()
                conn.send(("ok", None))
            elif op == "open":
                store = None
                gc.collect()
                store = open_source(msg[1])
                conn.send(("ok", None))
            elif op == "stop":
                return
        except SyntaxError as e:
            conn.send(("error", "syntax", str(e)))
        except TooManyRows as e:
            conn.send(("error", "rows", str(e)))
        except OSError as e:  # reading the store, or a SERVICE/LOAD fetch
            conn.send(("error", "io", str(e)))
        except (ValueError, RuntimeError, TypeError) as e:
            conn.send(("error", "eval", str(e)))


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
    """Entry point: ``python -m api.worker <fd> [--no-network] [--memory-mb N] [--nice N]``.

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
        conn.send(("error", "open", f"the worker cannot limit itself: {e}"))
        return
    _die_with_parent()
    threading.stack_size(sandbox.STACK_BYTES)
    loop = threading.Thread(target=serve, args=(conn, None), name="kg-worker")
    loop.start()
    loop.join()


if __name__ == "__main__":
    main()
