"""The entity index read from the read model: :class:`kg.queries.EntityIndex` without
loading every entity first (each lookup is one primary-key read)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from kg.queries.base import EntityIndex, Ref

_SEEN = 50_000
"""Lookups kept (a projection's agreement pass resolves every entity once or more: kept
them all, this cache would grow with the store)."""


class _Refs(Mapping[str, Ref]):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._seen: dict[str, Ref | None] = {}

    def get(self, iri: str, default: Any = None) -> Any:
        if iri not in self._seen:
            if len(self._seen) >= _SEEN:
                self._seen.clear()
            row = self._conn.execute("SELECT id, label, kind FROM entity WHERE iri = ?", (iri,)).fetchone()
            self._seen[iri] = Ref(row[0], iri, row[1], row[2]) if row else None
        found = self._seen[iri]
        return default if found is None else found

    def __getitem__(self, iri: str) -> Ref:
        found: Ref | None = self.get(iri)
        if found is None:
            raise KeyError(iri)
        return found

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.get(iri) is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._conn.execute("SELECT iri FROM entity"))

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM entity").fetchone()[0])


class _Mentioned:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __contains__(self, iri: object) -> bool:
        return self._conn.execute("SELECT 1 FROM entity WHERE iri = ? AND mentioned", (iri,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._conn.execute("SELECT iri FROM entity WHERE mentioned"))

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM entity WHERE mentioned").fetchone()[0])


class StoredIndex(EntityIndex):
    """Resolves IRIs to :class:`~kg.queries.Ref` from the ``entity`` table, as the
    SPARQL-built index would."""

    def __init__(self, conn: sqlite3.Connection) -> None:  # noqa: D107 -- no rows to read up front
        self.refs = _Refs(conn)  # type: ignore[assignment]  # a read-through mapping, not a dict
        self.mentioned = _Mentioned(conn)  # type: ignore[assignment]  # likewise, not a set
