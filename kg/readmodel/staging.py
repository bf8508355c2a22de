"""Staging tables: a projection's query answers set down in SQLite, read back by key.

A projection reduces, for each entity, its relations, posts and documents with their
evidence, and, for each agreement, its reports, parties, countries and evidence. Kept in
Python until each row is written, what a full pass holds grows with the store (5.6 GiB at
100,000 documents). Instead each answer is appended, as it streams, to a ``TEMP`` table of
the projection's own connection, indexed once loaded, and an entity's or agreement's rows
are read back by key when its row is written: Python holds one at a time. SQLite keeps
``TEMP`` tables in a file of its own that it removes when the connection closes, behind a
page cache of fixed size (its ``temp_store`` and ``cache_size``), so the memory does not
grow with the store; the disk they take is about the size of the evidence text.

The tables live for one :class:`Staging` block and are dropped at its end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (columns, indexed columns)
    "relation": (("e", "p", "dir", "other"), ("e",)),
    "relation_evidence": (("s", "p", "o", "evidence"), ("s", "o")),
    "post": (("e", "dir", "other", "title", "pos"), ("e",)),
    "post_evidence": (("e", "pos", "evidence"), ("e",)),
    "mention": (("e", "doc", "title"), ("e",)),
    "report": (("ag", "kind", "status", "date", "g", "published"), ("ag",)),
    "agreement_detail": (("ag", "rel", "x", "amount", "currency"), ("ag",)),
    "agreement_evidence": (("ag", "evidence"), ("ag",)),
    "agreement_country": (("ag", "country"), ("ag",)),
}


def columns(table: str) -> tuple[str, ...]:
    """The columns of a staging table, in order."""
    return _TABLES[table][0]


_CACHE_KIB = 64 * 1024
"""The staging tables' page cache (SQLite's own default is 2 MiB: each read-back then
went to the file; bounded all the same)."""


class Staging:
    """The staging tables of one projection, on its connection (see the module)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._indexed: set[str] = set()

    def load(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Append ``rows`` (tuples in the table's column order) to ``table``."""
        columns, _ = _TABLES[table]
        marks = ", ".join("?" * len(columns))
        self._conn.executemany(f"INSERT INTO temp.stage_{table} VALUES ({marks})", rows)  # noqa: S608 (constant names)

    def rows(self, table: str, column: str, value: str) -> list[tuple[Any, ...]]:
        """The rows of ``table`` whose ``column`` is ``value``, in the order they were loaded."""
        self._index(table)
        cur = self._conn.execute(
            f"SELECT * FROM temp.stage_{table} WHERE {column} = ? ORDER BY rowid",  # noqa: S608 (constant names)
            (value,),
        )
        return list(cur)

    def keys(self, table: str, column: str) -> Iterator[str]:
        """Each distinct ``column`` of ``table``, in order."""
        self._index(table)
        cur = self._conn.execute(f"SELECT DISTINCT {column} FROM temp.stage_{table} ORDER BY {column}")  # noqa: S608
        return (r[0] for r in cur)

    def _index(self, table: str) -> None:
        """Index ``table`` once it is read (after it is loaded: building an index over the
        loaded rows is one sort, cheaper than keeping it while they are appended)."""
        if table in self._indexed:
            return
        for column in _TABLES[table][1]:
            self._conn.execute(f"CREATE INDEX temp.stage_{table}_{column} ON stage_{table} ({column})")  # noqa: S608
        self._indexed.add(table)


@contextmanager
def staging(conn: sqlite3.Connection) -> Iterator[Staging]:
    """Empty staging tables on ``conn`` for the block, dropped after it."""
    conn.execute(f"PRAGMA temp.cache_size = {-_CACHE_KIB}")
    for table, (columns, _) in _TABLES.items():
        conn.execute(f"CREATE TEMP TABLE stage_{table} ({', '.join(columns)})")  # noqa: S608 (constant names)
    try:
        yield Staging(conn)
    finally:
        for table in _TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.stage_{table}")  # noqa: S608 (constant names)
