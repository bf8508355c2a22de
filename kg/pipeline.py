"""ingest(documents, *, store) → report: the one path from files to the store.

1. Find and validate every input file, and parse the ontology and reference base:
   any problem stops the build here, before the store is touched.
2. Extract and map documents (in worker processes for large corpora).
3. Write in transactions of ``batch_size`` documents; each document's graph is
   replaced whole (re-ingesting a document replaces its graph), never half-written.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef

from kg import documents, vocab
from kg.config import Settings
from kg.extract import Extractor
from kg.extract.model import Extraction
from kg.implied import ImpliedFacts
from kg.lifetime import exit_with_parent
from kg.mapping import document_iri, to_triples
from kg.ontology import load_graph
from kg.store import Store, ntriples_lines

if TYPE_CHECKING:
    from kg.readmodel import ReadModel

Progress = Callable[[int], None]
_IN_FLIGHT = 4  # chunks submitted ahead per extraction worker


@dataclass
class BuildReport:
    documents: int = 0
    triples: int = 0
    entities: Counter[str] = field(default_factory=Counter)  # by ontology class
    facts: Counter[str] = field(default_factory=Counter)  # by relation key / agreement kind
    seconds: float = 0.0
    store_triples: int = 0

    def add(self, extraction: Extraction, triples: int) -> None:
        self.documents += 1
        self.triples += triples
        self.entities.update(e.kind for e in extraction.entities)
        self.facts.update(r.key for r in extraction.relations)
        self.facts.update("position" for _ in extraction.positions)
        self.facts.update(a.kind for a in extraction.agreements)


@dataclass(frozen=True)
class Schema:
    ontology: Graph
    reference: Graph
    extractor: Extractor
    implied: ImpliedFacts
    digests: dict[str, str]  # graph IRI -> sha256 of the file it was read from

    def graphs(self) -> dict[str, Graph]:
        return {str(vocab.ONTOLOGY_GRAPH): self.ontology, str(vocab.REFERENCE_GRAPH): self.reference}


def load_schema(settings: Settings) -> Schema:
    """Parse the ontology, the reference base and the rule files, and build the extractor."""
    ontology = load_graph(settings.ontology)
    reference = load_graph(settings.reference)
    digests = {
        str(vocab.ONTOLOGY_GRAPH): hashlib.sha256(settings.ontology.read_bytes()).hexdigest(),
        str(vocab.REFERENCE_GRAPH): hashlib.sha256(settings.reference.read_bytes()).hexdigest(),
    }
    extractor = Extractor.load(
        ontology=ontology,
        reference=reference,
        rules=settings.rules,
        model=settings.spacy_model,
        countries_only=not settings.use_reference,
    )
    implied = ImpliedFacts(extractor.book.implied, ontology)
    return Schema(ontology, reference, extractor, implied, digests)


_STORED_DIGEST = f"ASK {{ GRAPH ?g {{ ?g <{vocab.sha256}> ?digest }} }}"


def _schema_graphs(store: Store, schema: Schema) -> dict[str, list[Any]]:
    """The ontology and reference graphs whose source file changed since they were stored.

    Unchanged ones are not rewritten: their blank nodes (OWL axioms) would get new
    labels on every build, and a rebuild of unchanged inputs should change nothing.
    """
    changed: dict[str, list[Any]] = {}
    for iri, graph in schema.graphs().items():
        digest = schema.digests[iri]
        if not store.ask(_STORED_DIGEST, substitutions={"g": URIRef(iri), "digest": Literal(digest)}):
            changed[iri] = [*graph, (URIRef(iri), vocab.sha256, Literal(digest))]
    return changed


# Worker state: set before the pool forks, so the extractor (spaCy pipeline and matchers) is
# built once and shared copy-on-write, not pickled per task.
_EXTRACTOR: Extractor | None = None
_IMPLIED: ImpliedFacts | None = None
_INGESTED_AT: datetime | None = None
_CHUNK = 8  # documents per task: the neural pipeline runs on batches


def _process(paths: list[Path]) -> list[tuple[str, list[str], Extraction]]:
    return process_documents([documents.read(p) for p in paths])


def process_documents(docs: list[documents.Document]) -> list[tuple[str, list[str], Extraction]]:
    """Extract and map documents with the worker state: (graph IRI, N-Triples lines, extraction)."""
    assert _EXTRACTOR is not None and _IMPLIED is not None and _INGESTED_AT is not None
    out = []
    for doc, extraction in zip(docs, _EXTRACTOR.pipe((d.text, d.published) for d in docs), strict=True):
        iri = str(document_iri(doc.stem))
        triples = to_triples(doc, extraction, ingested_at=_INGESTED_AT)
        triples += _IMPLIED.apply(iri, triples)
        out.append((iri, ntriples_lines(triples), extraction))
    return out


def _results(paths: list[Path], workers: int) -> Iterator[tuple[str, list[str], Extraction]]:
    """Each document's graph, in order; in worker processes for large corpora.

    At most ``_IN_FLIGHT`` chunks per worker are submitted ahead of the writer, so memory
    stays bounded however large the corpus (``Executor.map`` would submit every document
    at once and let finished results pile up while the store is written).
    """
    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    if workers <= 1 or len(paths) < 50:
        for chunk in chunks:
            yield from _process(chunk)
        return
    todo = iter(chunks)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=mp.get_context("fork"), initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        window = deque(pool.submit(_process, c) for c in islice(todo, workers * _IN_FLIGHT))
        while window:
            result = window.popleft().result()
            for c in islice(todo, 1):
                window.append(pool.submit(_process, c))
            yield from result


def build(
    paths: Iterable[Path | str],
    *,
    store: Store,
    settings: Settings,
    schema: Schema | None = None,
    progress: Progress | None = None,
    batch_size: int = 500,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    readmodel: ReadModel | None = None,
    cluster: str | None = None,
) -> BuildReport:
    """Build (or rebuild) the graph of the documents under ``paths`` into ``store``.

    With ``readmodel``, the REST read model is kept in step: each batch's write is wrapped
    in its begin/commit protocol when the build changes a small share of a current read
    model, else the whole store is projected once the documents are written.

    With ``cluster`` (a Dask scheduler address, or ``local``), documents are extracted and
    mapped by the cluster's workers (:mod:`kg.cluster`); writing stays here, batch by batch,
    as in a plain build, so the graph is the same.

    Raises :class:`kg.errors.InputError` / :class:`kg.errors.OntologyError` before
    writing anything when an input or the ontology is bad.
    """
    global _EXTRACTOR, _IMPLIED, _INGESTED_AT
    started = time.perf_counter()
    files = documents.find(paths)
    for f in files:  # validate everything first: a bad file aborts with the store untouched
        documents.read(f)
    schema = schema or load_schema(settings)
    if on_start:
        on_start(len(files))
    _EXTRACTOR, _IMPLIED = schema.extractor, schema.implied
    _INGESTED_AT = datetime.now(UTC).replace(microsecond=0)
    report = BuildReport()
    pending: dict[str, list[Any]] = _schema_graphs(store, schema)
    incremental = readmodel is not None and readmodel.follows(store, len(files))

    def write(graphs: dict[str, list[Any]]) -> None:
        if incremental:
            assert readmodel is not None
            with readmodel.writing(store, graphs):
                store.replace_graphs(graphs)
        else:
            store.replace_graphs(graphs)

    try:
        if cluster is not None:
            from kg.cluster import cluster_results

            results = cluster_results(
                files, settings=settings, address=cluster, ingested_at=_INGESTED_AT, workers=workers
            )
        else:
            results = _results(files, workers if workers is not None else (os.cpu_count() or 1))
        for iri, lines, extraction in results:
            pending[iri] = lines
            report.add(extraction, len(lines))
            if progress:
                progress(1)
            if len(pending) >= batch_size:
                write(pending)
                pending = {}
        if pending:
            write(pending)
    finally:
        _EXTRACTOR = _IMPLIED = _INGESTED_AT = None
    if not incremental:  # (a large share of the store was written: compact it, then project it)
        store.optimize()
        if readmodel is not None:
            readmodel.rebuild(store)
    # No explicit flush: every batch is a committed transaction (RocksDB's write-ahead log
    # makes it durable), and a final Store.flush() on a 100,000-document store was seen to
    # hang with every RocksDB thread idle.
    report.store_triples = len(store)
    report.seconds = time.perf_counter() - started
    return report
