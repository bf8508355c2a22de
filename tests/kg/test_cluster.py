"""kg build --cluster: a real Dask LocalCluster of two worker processes builds the seeds to
the same quads as a plain build (ingest time aside: the cluster build has its own)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app
from kg.config import Settings
from kg.pipeline import build
from kg.store import Store
from tests.conftest import SEEDS

distributed = pytest.importorskip("distributed")


def _quads(store: Store) -> set[tuple[object, ...]]:
    return {
        q
        for q in store.quads()
        if q[1] != vocab.DK.ingestedAt and q[3] not in (str(vocab.ONTOLOGY_GRAPH), str(vocab.REFERENCE_GRAPH))
    }


def test_a_two_worker_cluster_builds_the_plain_graph(seed_store: Store) -> None:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        store = Store()
        report = build([SEEDS], store=store, settings=Settings(store_path=None), cluster=cluster.scheduler_address)
        assert len(cluster.scheduler.workers) == 2
    assert report.documents == 5
    assert _quads(store) == _quads(seed_store)
    assert len(store) == len(seed_store)
    for g in (vocab.ONTOLOGY_GRAPH, vocab.REFERENCE_GRAPH):  # blank nodes: the same graph, other labels
        assert len(store.graph(str(g))) == len(seed_store.graph(str(g)))


def test_an_unreachable_cluster_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["build", str(SEEDS), "--store", str(tmp_path / "s"), "--cluster", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot reach the cluster at tcp://127.0.0.1:9")
