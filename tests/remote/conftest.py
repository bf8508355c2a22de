"""The remote stores under test: ``oxigraph serve`` and Virtuoso 7.2, each started once per
session (tests/remote_servers.py) and emptied by each test that writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import vocab
from kg.config import Remote
from kg.remote import RemoteStore
from tests.remote_servers import oxigraph_server, virtuoso_server

SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="session", params=sorted(SERVERS))
def remote(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as settings:
        yield settings


def wipe(remote: Remote) -> None:
    """Drop every graph the store shows, and its generation."""
    store = RemoteStore(remote)
    try:
        graphs = [*store.graph_names(), str(vocab.META_GRAPH)]
        store._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    finally:
        store.close()
