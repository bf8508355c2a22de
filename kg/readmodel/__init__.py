"""The REST read model: a projection of the graph in SQLite beside the store, kept in
step by every write (:class:`ReadModel`), read by :mod:`kg.readmodel.reads`.

Why SQLite: it ships with Python, holds B-tree indexes for every filter and order the
REST API offers, has a real full-text index (FTS5) for name search, lets a running
server read while ``kg build`` writes (WAL), and commits atomically. The store stays
the one source of truth: the read model records the store generation it reflects and
is used only while that is current.
"""

from kg.readmodel.index import StoredIndex
from kg.readmodel.model import ReadModel

__all__ = ["ReadModel", "StoredIndex"]
