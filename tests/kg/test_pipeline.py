"""The build path: documents → store, idempotent, atomic, and refusing bad input untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import vocab as v
from kg.config import Settings
from kg.errors import InputError, OntologyError
from kg.pipeline import build
from kg.store import Store
from tests.conftest import SEEDS

SETTINGS = Settings(store_path=None)
DOC_QUERY = """PREFIX dk: <https://w3id.org/defence-kg/ontology#>
SELECT ?doc ?file ?sha WHERE { GRAPH ?doc { ?doc a dk:NewsArticle ; dk:sourceFile ?file ; dk:sha256 ?sha } }
ORDER BY ?file"""


def quads(store: Store) -> set[tuple]:
    """Every quad except ingestion timestamps (which change on purpose)."""
    return {q for q in store.quads() if q[1] != v.ingestedAt}


def test_seed_build_has_one_named_graph_per_document(seed_store: Store) -> None:
    rows = seed_store.select(DOC_QUERY)
    assert [str(r["file"]) for r in rows] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert [str(r["doc"]) for r in rows] == [f"{v.ID}document/{p.stem}" for p in sorted(SEEDS.glob("*.txt"))]
    import hashlib

    assert [str(r["sha"]) for r in rows] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SEEDS.glob("*.txt"))
    ]
    names = set(seed_store.graph_names())
    assert {str(v.ONTOLOGY_GRAPH), str(v.REFERENCE_GRAPH)} <= names


def test_every_mentioned_entity_is_typed_and_labelled_inside_the_document_graph(seed_store: Store) -> None:
    rows = seed_store.select("""PREFIX dk: <https://w3id.org/defence-kg/ontology#>
        SELECT ?doc ?e WHERE { GRAPH ?doc { ?doc dk:mentions ?e
          FILTER NOT EXISTS { ?e a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l } } }""")
    assert rows == []


def test_rebuild_is_idempotent(tmp_path: Path) -> None:
    store = Store()
    build([SEEDS], store=store, settings=SETTINGS, workers=1)
    first = quads(store)
    build([SEEDS], store=store, settings=SETTINGS, workers=1)
    assert quads(store) == first


def test_reingesting_a_changed_document_replaces_its_graph(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Italy and Ukraine are exploring a strategic partnership on drones.\n")
    store = Store()
    build([doc], store=store, settings=SETTINGS, workers=1)
    graph = f"{v.ID}document/note"
    doc.write_text("Nothing about anybody.\n")
    build([doc], store=store, settings=SETTINGS, workers=1)
    g = store.graph(graph)
    assert (URIRef(graph), v.sourceFile, Literal("note.txt")) in g
    assert not any(g.subjects(v.RDF.type, v.Partnership))


def test_a_bad_file_aborts_the_build_and_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = Store()
    build([SEEDS], store=store, settings=SETTINGS, workers=1)
    before = set(store.quads())
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "zz_bad.txt").write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(InputError, match=r"zz_bad.txt: binary file"):
        build([folder], store=store, settings=SETTINGS, workers=1)
    assert set(store.quads()) == before


def test_a_broken_ontology_is_reported_by_file_and_changes_nothing(tmp_path: Path) -> None:
    store = Store()
    build([SEEDS], store=store, settings=SETTINGS, workers=1)
    before = set(store.quads())
    broken = tmp_path / "defence.ttl"
    broken.write_text("@prefix dk: <https://w3id.org/defence-kg/ontology#> .\ndk:Foo a owl:Class .\n")
    with pytest.raises(OntologyError, match=r"defence.ttl"):
        build([SEEDS], store=store, settings=SETTINGS.with_(ontology=broken), workers=1)
    assert set(store.quads()) == before


def test_worker_processes_give_the_same_graph_as_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):  # above the threshold where the pipeline forks workers
        src = sorted(SEEDS.glob("*.txt"))[i % 5]
        (folder / f"{i:03d}_{src.name}").write_bytes(src.read_bytes())
    one, two = Store(), Store()
    build([folder], store=one, settings=SETTINGS, workers=1)
    build([folder], store=two, settings=SETTINGS, workers=2)
    docs = f"{v.ID}document/"
    assert {q for q in quads(one) if q[3].startswith(docs)} == {q for q in quads(two) if q[3].startswith(docs)}
