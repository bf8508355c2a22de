"""The projection's staging tables: rows set down as they stream, read back by key in the
order they came, gone after the block (also when it fails), never in the read model's file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kg.readmodel.staging import columns, staging


def _tables(conn: sqlite3.Connection, schema: str) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}  # noqa: S608


def test_rows_come_back_by_key_in_load_order(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "rm.sqlite", isolation_level=None)
    with staging(conn) as stage:
        stage.load("mention", iter([("e2", "d1", None), ("e1", "d9", "Nine"), ("e2", "d0", "Zero")]))
        assert stage.rows("mention", "e", "e2") == [("e2", "d1", None), ("e2", "d0", "Zero")]
        assert stage.rows("mention", "e", "e1") == [("e1", "d9", "Nine")]
        assert stage.rows("mention", "e", "e3") == []
        stage.load("relation_evidence", [("a", "p", "b", "{}"), ("b", "p", "c", "[]")])
        assert stage.rows("relation_evidence", "o", "b") == [("a", "p", "b", "{}")]
        assert list(stage.keys("mention", "e")) == ["e1", "e2"]
        assert _tables(conn, "main") == set()  # the read model's own file holds none of it
        assert "stage_mention" in _tables(conn, "temp")
    assert _tables(conn, "temp") == set()


def test_tables_are_dropped_when_the_block_fails(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "rm.sqlite", isolation_level=None)
    with pytest.raises(RuntimeError, match="stopped"), staging(conn) as stage:
        stage.load("report", [("ag", "k", None, None, None, None)])
        raise RuntimeError("stopped")
    assert _tables(conn, "temp") == set()
    with staging(conn) as stage:  # and a new block starts empty
        assert stage.rows("report", "ag", "ag") == []


def test_columns_are_in_table_order() -> None:
    assert columns("report") == ("ag", "kind", "status", "date", "g", "published")
