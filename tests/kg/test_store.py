"""kg.store's write paths give the same quads: a first write on disk (the bulk loader, in
parts side by side), in memory (one transaction) and a rebuild (SPARQL update)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import kg.store
from kg.store import Store, ntriples_lines

P = URIRef("urn:p")


def _graphs(n: int, size: int) -> dict[str, list[str]]:
    """``n`` graphs of ``size`` triples each, with the literals and blank nodes a document has."""
    out = {}
    for g in range(n):
        node = BNode(f"b{g}")
        triples = [(URIRef(f"urn:s{g}-{i}"), P, Literal(f"value {i}")) for i in range(size - 6)]
        triples += [
            (URIRef(f"urn:s{g}"), P, Literal('quote " and \\ and\nline', lang="en-GB")),
            (URIRef(f"urn:s{g}"), P, Literal("Türkiye ☃ 𝄞")),
            (URIRef(f"urn:s{g}"), P, Literal("2024-01-31", datatype=XSD.date)),
            (URIRef(f"urn:s{g}"), P, Literal("12", datatype=XSD.integer)),
            (URIRef(f"urn:s{g}"), P, node),
            (node, P, URIRef(f"urn:o{g}")),
        ]
        out[f"https://w3id.org/defence-kg/id/document/d{g}"] = ntriples_lines(triples)
    return out


def _quads(store: Store) -> dict[str, set[tuple[str, str, str]]]:
    """Each graph's triples as text, blank nodes replaced by the IRI they point to (labels differ per load)."""
    out: dict[str, set[tuple[str, str, str]]] = {}
    for s, p, o, g in store.quads():
        assert g is not None
        if isinstance(o, BNode):
            o = next(o2 for s2, _, o2, _ in store.quads(g) if s2 == o)
        assert not isinstance(s, BNode) or str(p) == str(P)
        subject = "_" if isinstance(s, BNode) else str(s)
        out.setdefault(g, set()).add((subject, str(p), o.n3()))
    return out


@pytest.fixture
def parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split first writes into two parts from 1,000 lines on (the defaults: one per core, 20,000)."""
    monkeypatch.setattr(kg.store, "_BULK_PARTS", 2)
    monkeypatch.setattr(kg.store, "_BULK_PART_LINES", 1_000)


@pytest.mark.usefixtures("parts")
@pytest.mark.parametrize(("n", "size"), [(1, 10), (7, 300), (40, 50)], ids=["one-graph", "parts", "many-graphs"])
def test_a_first_write_on_disk_equals_one_in_memory_and_a_rebuild(tmp_path: Path, n: int, size: int) -> None:
    graphs = _graphs(n, size)
    disk = Store(tmp_path / "store")
    memory = Store()
    assert disk.replace_graphs(graphs) == memory.replace_graphs(graphs) == n * size
    want = _quads(memory)
    assert len(want) == n and all(len(triples) == size for triples in want.values())
    assert _quads(disk) == want
    assert list((tmp_path / "store").glob("bulk-*.sst")) == []
    assert disk.replace_graphs(graphs) == n * size  # every graph exists: the transactional path
    assert _quads(disk) == want
    assert len(disk) == n * size


@pytest.mark.usefixtures("parts")
def test_a_batch_with_one_existing_graph_replaces_it_in_one_transaction(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    old = _graphs(3, 400)
    store.replace_graphs({name: lines[:5] for name, lines in list(old.items())[:1]})
    store.replace_graphs(old)
    assert {g: len(t) for g, t in _quads(store).items()} == dict.fromkeys(old, 400)


def test_parts_keep_each_graph_whole_and_balance_lines() -> None:
    graphs = {f"g{i}": ["x"] * (i + 1) for i in range(10)}
    parts = kg.store._parts(graphs, 3)
    assert sorted(g for p in parts for g in p) == sorted(graphs)
    assert all(p[g] is graphs[g] for p in parts for g in p)
    sizes = sorted(sum(len(v) for v in p.values()) for p in parts)
    assert sizes == [18, 18, 19]
    assert kg.store._parts(graphs, 1) == [graphs]
    assert len(kg.store._parts({"a": ["x"]}, 4)) == 1


def test_optimize_compacts_the_files_of_many_writes_and_keeps_every_quad(tmp_path: Path) -> None:
    """A store written in many transactions, compacted: fewer table files, the same quads;
    in memory it does nothing."""
    path = tmp_path / "store"
    store = Store(path)
    graphs = _graphs(12, 60)
    for name, lines in graphs.items():  # one transaction each, as a build's batches
        store.replace_graphs({name: lines})
        store.replace_graphs({name: lines[:30]})
        store.replace_graphs({name: lines})
        store.flush()  # (each write's table file on disk, as a large build's are)
    want = _quads(store)
    before = len(list(path.glob("*.sst")))
    store.optimize()
    assert _quads(store) == want and len(store) == 12 * 60
    assert len(list(path.glob("*.sst"))) < before
    memory = Store()
    memory.replace_graphs(graphs)
    memory.optimize()
    assert _quads(memory) == want
