"""Extraction on a Dask distributed cluster: ``kg build --cluster ADDRESS`` (or ``local``).

The client (``kg build``) reads and validates every document, as a plain build does,
then sends them in chunks to the cluster's workers with the build's ingest time. Each
worker loads the schema and the spaCy pipeline once (on its first chunk, kept for the
next ones), extracts and maps its chunk and returns each document's graph as N-Triples
lines. The client writes the graphs in batches, in the documents' order, exactly as a
plain build does (:func:`kg.pipeline.build`), so the graph is the same quad for quad.

At most a few chunks per worker are in flight, so the client's memory stays bounded
however large the corpus. Workers need the same installation as the client (this
package, the spaCy model); the schema files are read from the client's settings'
paths, which a multi-machine cluster sees through the installed package (the defaults)
or a shared file system.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from kg import documents
from kg.config import Settings, cpu_count
from kg.errors import KgError

_CHUNK = 8  # documents per task, as in a plain build
_IN_FLIGHT = 4  # tasks submitted ahead per worker
_SCHEMAS: dict[tuple[Any, ...], Any] = {}  # per worker process: the schema of each settings


def _schema(settings: Settings) -> Any:
    from kg.pipeline import load_schema

    key = (settings.ontology, settings.reference, settings.rules, settings.spacy_model, settings.use_reference)
    if key not in _SCHEMAS:
        _SCHEMAS.clear()
        _SCHEMAS[key] = load_schema(settings)
    return _SCHEMAS[key]


def extract_chunk(settings: Settings, docs: list[documents.Document], ingested_at: datetime) -> list[Any]:
    """On a worker: the graphs of ``docs`` (what :func:`kg.pipeline.process_documents` gives)."""
    from kg import pipeline

    schema = _schema(settings)
    pipeline._EXTRACTOR, pipeline._IMPLIED, pipeline._INGESTED_AT = schema.extractor, schema.implied, ingested_at
    try:
        return pipeline.process_documents(docs)
    finally:
        pipeline._EXTRACTOR = pipeline._IMPLIED = pipeline._INGESTED_AT = None


def _client(address: str, workers: int | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KgError("--cluster needs Dask distributed: pip install 'defence-kg[cluster]'") from None
    if address == "local":
        options = {
            "n_workers": workers or cpu_count(),
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
            "silence_logs": logging.ERROR,
        }
        cluster = LocalCluster(**options)  # type: ignore[no-untyped-call]  # distributed's constructors have no annotations
        return Client(cluster), cluster  # type: ignore[no-untyped-call]  # likewise
    try:
        return Client(address, timeout=10), None  # type: ignore[no-untyped-call]  # likewise
    except OSError as e:
        raise KgError(f"cannot reach the cluster at {address}: {e}") from None


def cluster_results(
    paths: list[Path], *, settings: Settings, address: str, ingested_at: datetime | None, workers: int | None = None
) -> Iterator[Any]:
    """Each document's graph, in order, extracted by the cluster's workers."""
    assert ingested_at is not None
    client, cluster = _client(address, workers)
    try:
        slots = max(1, len(client.scheduler_info().get("workers", {}))) * _IN_FLIGHT
        chunks = (paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK))
        [remote_settings] = client.scatter([settings], broadcast=True)

        def submit(chunk: list[Path]) -> Any:
            return client.submit(
                extract_chunk, remote_settings, [documents.read(p) for p in chunk], ingested_at, pure=False
            )

        window = deque(submit(c) for c in islice(chunks, slots))
        while window:
            result = window.popleft().result()
            for c in islice(chunks, 1):
                window.append(submit(c))
            yield from result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
