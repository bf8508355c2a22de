"""The read model's SQLite database: opening it, and keeping it in step with the store.

It lives beside an on-disk store (``<store>.readmodel.sqlite``; in memory for an
in-memory store) and records the store generation it reflects. Writers follow a
two-step protocol around every store write, so a crash at any point leaves it either
current or knowingly stale, never silently wrong:

1. :meth:`ReadModel.begin` commits, in ``pending``, every node the graphs about to be
   replaced hold *now* (what the write may take away);
2. the store write;
3. :meth:`ReadModel.commit` re-projects those nodes and the nodes the graphs hold
   after the write, clears ``pending`` and records the store's generation, in one
   SQLite transaction.

Readers use it only while its generation is the store's; otherwise the caller answers
from SPARQL and :meth:`ReadModel.refresh` catches up (from ``pending`` after a crash,
else by a full projection).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import orjson

from kg import vocab
from kg.queries.base import fold, streamer
from kg.queries.network import agreement_edges, node_parties
from kg.readmodel import projection as p
from kg.readmodel import reads
from kg.readmodel.index import StoredIndex
from kg.readmodel.staging import staging
from kg.store import Store

SCHEMA = resources.files("kg.readmodel").joinpath("schema.sql").read_text(encoding="utf-8")
SCHEMA_VERSION = "9"
_SCHEMA_GRAPHS = {str(vocab.ONTOLOGY_GRAPH), str(vocab.REFERENCE_GRAPH)}
_GRAPH_MARK = "graph "  # in ``pending``: a graph whose write has begun
_FULL_SHARE = 0.25  # re-project everything when a write touches more than this share of the graphs


class ReadModel:
    """One read model database: a file beside an on-disk store, or a temporary file for an
    in-memory store (removed with this object), so readers and the writer always meet
    through SQLite's WAL and never share a connection."""

    def __init__(self, path: Path | None) -> None:
        if path is None:
            fd, name = tempfile.mkstemp(prefix="kg-", suffix=".readmodel.sqlite")
            os.close(fd)
            path = Path(name)
            weakref.finalize(self, _remove, path)
        self.path = path
        with self.connect() as conn:
            if _has_meta(conn) and reads.meta_value(conn, "schema") != SCHEMA_VERSION:
                _reset(conn)  # made by another version: it is derived data, so it is projected anew
            conn.executescript(SCHEMA)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            # What a read model projected by an earlier release of this schema lacks, added once:
            if reads.meta_value(conn, "timeline") is None:
                _set_meta(conn, "timeline", _json(reads.count_timeline(conn)))
            if not _has_statistics(conn):
                _analyze(conn)

    @classmethod
    def beside(cls, store: Store) -> ReadModel:
        """The read model of ``store``: beside its folder; for a remote store, beside the folder
        an embedded store would have (``<KG_STORE>.remote.readmodel.sqlite``, on this machine);
        for an in-memory store, a temporary file."""
        local = getattr(store, "local", None)  # a remote store's local folder
        if store.path is None and local is not None:
            local.parent.mkdir(parents=True, exist_ok=True)
            return cls(local.with_name(local.name + ".remote.readmodel.sqlite"))
        if store.path is None:
            return cls(None)
        return cls(store.path.with_name(store.path.name + ".readmodel.sqlite"))

    def open(self) -> sqlite3.Connection:
        """A new connection in autocommit mode (transactions are explicit); any thread may use it."""
        return sqlite3.connect(self.path, isolation_level=None, timeout=60, check_same_thread=False)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = self.open()
        try:
            yield conn
        finally:
            conn.close()

    def generation(self) -> str | None:
        """The store generation this read model reflects (None: never projected)."""
        with self.connect() as conn:
            return reads.meta_value(conn, "generation")

    def current(self, store_generation: str, conn: sqlite3.Connection | None = None) -> bool:
        """Whether this read model reflects ``store_generation`` (read through ``conn`` if given)."""
        if conn is not None:
            return reads.meta_value(conn, "generation") == store_generation
        return self.generation() == store_generation

    def follows(self, store: Store, documents: int) -> bool:
        """Whether writing ``documents`` graphs should keep this read model in step write by
        write (it is current, and they are a small share of the store) rather than project
        the whole store afterwards."""
        with self.connect() as conn:
            if reads.meta_value(conn, "generation") != store.generation:
                return False
            graphs = conn.execute("SELECT COUNT(*) FROM graph").fetchone()[0]
        return bool(documents <= _FULL_SHARE * graphs)

    # --- writers ------------------------------------------------------------------------
    def begin(self, store: Store, graphs: Iterable[str]) -> None:
        """Before replacing ``graphs`` in ``store``: remember what they hold now."""
        graphs = list(graphs)
        marks = [_GRAPH_MARK + g for g in graphs]  # a node IRI never holds a space
        nodes = p.graph_nodes(store.select, graphs) | set(graphs) | set(marks)
        with self.connect() as conn, _transaction(conn):
            conn.executemany("INSERT OR IGNORE INTO pending VALUES (?)", ((n,) for n in nodes))

    def commit(self, store: Store, graphs: Iterable[str], *, total_graphs: int | None = None) -> None:
        """After the write: project what changed (and whatever ``pending`` still holds from
        an interrupted write) and record the store's generation."""
        graphs = set(graphs)
        with self.connect() as conn:
            pending = [r[0] for r in conn.execute("SELECT node FROM pending")]
        graphs |= {n[len(_GRAPH_MARK) :] for n in pending if n.startswith(_GRAPH_MARK)}
        if graphs & _SCHEMA_GRAPHS or (total_graphs and len(graphs) > _FULL_SHARE * total_graphs):
            self.rebuild(store)
            return
        generation = store.generation
        nodes = {n for n in pending if not n.startswith(_GRAPH_MARK)} | p.graph_nodes(store.select, graphs) | graphs
        with self.connect() as conn, _transaction(conn):
            _project(conn, store, nodes, graphs=graphs)
            conn.execute("DELETE FROM pending")
            _set_meta(conn, "generation", generation)

    @contextmanager
    def writing(self, store: Store, graphs: Iterable[str]) -> Iterator[None]:
        """``begin`` before the body (a store write of ``graphs``), ``commit`` after it.
        If the body fails, ``pending`` keeps the graphs: :meth:`refresh` catches up."""
        graphs = list(graphs)
        self.begin(store, graphs)
        yield
        self.commit(store, graphs)

    def rebuild(self, store: Store) -> None:
        """Project the whole store."""
        generation = store.generation
        with self.connect() as conn, _transaction(conn):
            for table in (
                "entity",
                "entity_class",
                "entity_detail",
                "entity_name",
                "name_index",
                "agreement",
                "agreement_kind",
                "agreement_link",
                "fact",
                "link",
                "document",
                "graph",
                "pending",
            ):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 (constant table names)
            _project(conn, store, None, graphs=None)
            _set_meta(conn, "generation", generation)
            _analyze(conn)

    def refresh(self, store: Store) -> None:
        """Catch up with the store if it moved on without us (a crash between steps 2 and 3,
        an update through SPARQL, a store built before the read model existed)."""
        if self.current(store.generation):
            return
        with self.connect() as conn:
            pending = conn.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
        if pending:
            self.commit(store, ())
        else:
            self.rebuild(store)


# --- projection -------------------------------------------------------------------------------
def _project(conn: sqlite3.Connection, store: Store, nodes: set[str] | None, *, graphs: set[str] | None) -> None:
    """Write the rows of ``nodes`` (None: everything) into the open transaction."""
    sel = store.rows  # streamed: each answer is set down in the staging tables as it comes
    named: dict[str, tuple[list[str], list[str]]] = {}  # each entity's types and labels, for its detail
    fresh = nodes is None  # a full pass writes into emptied tables: nothing to delete first
    for iri, row in p.entity_rows(sel, None if nodes is None else sorted(nodes)):
        if not fresh:
            _delete_entity(conn, iri)
        if row is not None:
            _insert_entity(conn, row)
            named[iri] = (sorted(row.types), sorted(row.names))
    with staging(conn) as stage:
        detail_of = p.entity_details(sel, stage, None if nodes is None else sorted(named))
        for iri, (types, labels) in named.items():
            body = {"types": types, "labels": labels, **detail_of(iri)}
            conn.execute("INSERT INTO entity_detail VALUES (?, ?)", (iri, _json(body)))
        del named

        agreements = None
        if nodes is not None:
            linked = _in(conn, "SELECT DISTINCT iri FROM agreement_link WHERE entity IN ({})", nodes)
            agreements = sorted(nodes | linked)
        index = StoredIndex(conn)
        rows = asyncio.run(p.agreement_rows(streamer(store), index, stage, agreements))
        for iri, ag in rows:
            for table in () if fresh else ("agreement", "agreement_kind", "agreement_link"):
                conn.execute(f"DELETE FROM {table} WHERE iri = ?", (iri,))  # noqa: S608 (constant table names)
            if ag is not None:
                _insert_agreement(conn, ag)

    if nodes is not None:
        conn.executemany("DELETE FROM link WHERE s = ?", ((n,) for n in nodes))
        # the lists that hold a re-projected entity take its label as it is now
        conn.executemany(
            "UPDATE link SET (o_key, o_id) = (SELECT label_key, id FROM entity WHERE iri = ?1) WHERE o = ?1",
            ((n,) for n in nodes),
        )
    conn.executemany(  # each link with its object's order, read in one lookup (NULLs: no typed entity)
        "INSERT OR IGNORE INTO link SELECT ?1, ?2, ?3, e.label_key, e.id "
        "FROM (SELECT ?3 AS iri) AS x LEFT JOIN entity e ON e.iri = x.iri",
        p.links_of(sel, None if nodes is None else sorted(nodes)),
    )

    if nodes is not None:
        conn.executemany("DELETE FROM fact WHERE s = ?", ((n,) for n in nodes))
    conn.executemany(
        "INSERT OR IGNORE INTO fact VALUES (?, ?, ?)", p.facts_of(sel, None if nodes is None else sorted(nodes))
    )

    for iri, record in p.document_rows(sel, None if graphs is None else sorted(graphs)):
        conn.execute("DELETE FROM document WHERE iri = ?", (iri,))
        if record is not None:
            conn.execute("INSERT INTO document VALUES (?, ?, ?)", (iri, record["id"], _json(record)))

    sizes = p.graph_sizes(sel, None if graphs is None else sorted(graphs))
    for g, n in sizes.items():
        if n:
            conn.execute("INSERT OR REPLACE INTO graph VALUES (?, ?)", (g, n))
        else:
            conn.execute("DELETE FROM graph WHERE iri = ?", (g,))
    for key, value in p.counters(sel).items():
        _set_meta(conn, key, str(value))
    _set_meta(conn, "agreements", str(conn.execute("SELECT COUNT(*) FROM agreement").fetchone()[0]))
    _set_meta(conn, "stats", _json(reads.count_stats(conn)))
    _set_meta(conn, "timeline", _json(reads.count_timeline(conn)))


def _insert_entity(conn: sqlite3.Connection, row: p.EntityRow) -> None:
    ref = row.ref
    conn.execute(
        "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ref.iri, ref.id, ref.label, ref.label.lower(), ref.kind, int(row.mentioned), row.documents),
    )
    conn.executemany("INSERT OR IGNORE INTO entity_class VALUES (?, ?)", ((c, ref.iri) for c in sorted(row.classes)))
    for name in sorted(row.names):
        cur = conn.execute(
            "INSERT OR IGNORE INTO entity_name (lowered, iri, name) VALUES (?, ?, ?)", (name.lower(), ref.iri, name)
        )
        if cur.rowcount:
            conn.execute(
                "INSERT INTO name_index (rowid, folded, iri) VALUES (?, ?, ?)", (cur.lastrowid, fold(name), ref.iri)
            )


def _delete_entity(conn: sqlite3.Connection, iri: str) -> None:
    conn.execute("DELETE FROM name_index WHERE rowid IN (SELECT rowid FROM entity_name WHERE iri = ?)", (iri,))
    for table in ("entity", "entity_class", "entity_name", "entity_detail"):
        conn.execute(f"DELETE FROM {table} WHERE iri = ?", (iri,))  # noqa: S608 (constant table names)


def _insert_agreement(conn: sqlite3.Connection, ag: p.AgreementRow) -> None:
    r = ag.record
    lo, hi = ag.bounds
    parties = node_parties(r["parties"])
    edges = _json(agreement_edges(r["id"], r["kind"], r["status"], r["date"], parties))[1:-1]  # (no brackets)
    conn.execute(
        "INSERT INTO agreement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ag.iri, r["id"], r["kind"], r["status"], r["date"], lo, hi, _json(r), _json(parties), edges),
    )
    conn.executemany("INSERT OR IGNORE INTO agreement_kind VALUES (?, ?)", ((k, ag.iri) for k in sorted(ag.kinds)))
    conn.executemany(
        "INSERT OR IGNORE INTO agreement_link VALUES (?, ?, ?)",
        ((entity, role, ag.iri) for role, entity in sorted(ag.links)),
    )


def _json(value: object) -> str:
    """``value`` as the read model keeps it: compact JSON, written as the API writes answers."""
    return orjson.dumps(value).decode()


def _in(conn: sqlite3.Connection, sql: str, values: Iterable[str]) -> set[str]:
    """``sql`` with ``IN ({})`` over ``values``, in chunks within SQLite's variable limit."""
    values = list(values)
    found: set[str] = set()
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        found |= {r[0] for r in conn.execute(sql.format(",".join("?" * len(chunk))), chunk)}
    return found


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _analyze(conn: sqlite3.Connection) -> None:
    """Gather the statistics SQLite's planner reads (``sqlite_stat1``; 0.3 s at 10,000
    documents). Without them it guesses, and it read a page filtered by status from the status
    index and sorted it (78 ms at 10,000 documents) where the order index gives it in 1 ms;
    from a sample (``analysis_limit``) it still guessed so."""
    conn.execute("ANALYZE")


def _has_statistics(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    return found is not None and conn.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1").fetchone() is not None


def _has_meta(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is not None


def _reset(conn: sqlite3.Connection) -> None:
    """Drop every table (the schema of another version); indexes go with their tables."""
    with _transaction(conn):
        for virtual in ("name_terms", "name_index"):  # their shadow tables go with them
            conn.execute(f"DROP TABLE IF EXISTS {virtual}")
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        for (name,) in tables.fetchall():
            conn.execute(f'DROP TABLE "{name}"')  # noqa: S608 (names read from sqlite_master)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
