"""The graph in a remote store (oxigraph serve, Virtuoso): the seeds build to the same quads as
the embedded store, a re-ingested document replaces its graph, a refused write or a killed
writer leaves every graph whole, and no error shows the password."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app
from kg.config import Remote, Settings
from kg.errors import StoreError
from kg.pipeline import build
from kg.remote import RemoteStore
from kg.stats import collect
from kg.store import Store
from tests.conftest import ROOT, SEEDS
from tests.remote.conftest import wipe

INGESTED = vocab.DK.ingestedAt


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    URIRef(_XSD + n) for n in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger")
}


def _value(term: object) -> object:
    """Oxigraph (embedded and served) keeps an xsd:nonNegativeInteger literal as xsd:integer,
    Virtuoso as written: compared as xsd:integer, the value they both keep."""
    if isinstance(term, Literal) and term.datatype in _INTEGERS:
        return Literal(str(term), datatype=URIRef(_XSD + "integer"))
    return term


def _graphs(store: Store | RemoteStore) -> dict[str, Graph]:
    """Every named graph, its ingest time left out (it differs between builds)."""
    graphs: dict[str, Graph] = {}
    for s, p, o, g in store.quads():
        if g is not None and p != INGESTED:
            graphs.setdefault(g, Graph()).add((s, p, _value(o)))
    return graphs


def _same(remote_graphs: dict[str, Graph], embedded: dict[str, Graph]) -> None:
    assert sorted(remote_graphs) == sorted(embedded)
    for name, g in embedded.items():
        assert isomorphic(remote_graphs[name], g), name


def _settings(remote: Remote, local: Path) -> Settings:
    return Settings(store_path=local, remote=remote)


@pytest.fixture
def store(remote: Remote, tmp_path: Path) -> Iterator[RemoteStore]:
    wipe(remote)
    store = RemoteStore(remote, local=tmp_path / "store")
    yield store
    store.close()


def test_seeds_build_to_the_embedded_quads(
    store: RemoteStore, remote: Remote, seed_store: Store, tmp_path: Path
) -> None:
    report = build([SEEDS], store=store, settings=_settings(remote, tmp_path / "store"), workers=1)
    assert report.documents == 5
    _same(_graphs(store), _graphs(seed_store))
    assert collect(store) == collect(seed_store)  # what kg stats prints
    assert str(vocab.META_GRAPH) not in store.graph_names()


def test_a_reingested_document_replaces_its_graph(store: RemoteStore, remote: Remote, tmp_path: Path) -> None:
    settings = _settings(remote, tmp_path / "store")
    build([SEEDS], store=store, settings=settings, workers=1)
    seed = sorted(p for p in SEEDS.iterdir() if p.suffix in (".md", ".txt"))[0]
    short = tmp_path / "docs" / seed.name
    short.parent.mkdir()
    short.write_text(seed.read_text(encoding="utf-8").split("\n\n")[0] + "\n", encoding="utf-8")
    others = {g: v for g, v in _graphs(store).items() if not g.endswith(seed.stem)}
    build([short], store=store, settings=settings, workers=1)

    expected = Store()
    build([short], store=expected, settings=Settings(store_path=None), workers=1)
    doc = str(vocab.ID[f"document/{seed.stem}"])
    after = _graphs(store)
    assert isomorphic(after[doc], _graphs(expected)[doc])
    assert {g: v for g, v in after.items() if g != doc}.keys() == others.keys()
    for g, v in others.items():
        assert isomorphic(after[g], v), g


def _refusing(remote: Remote) -> Remote:
    """The same store with a write the server refuses: a wrong password where writes need
    one (Virtuoso), else updates sent to the query endpoint (oxigraph serve refuses them)."""
    if remote.user:
        return Remote(
            query=remote.query,
            update=remote.update,
            gsp=remote.gsp,
            user=remote.user,
            password="wrong-password-0123456789",
        )
    return Remote(query=remote.query, update=remote.query, gsp=None)


def test_a_refused_write_changes_nothing(store: RemoteStore, remote: Remote) -> None:
    g = "https://example.org/refused"
    store.replace_graphs({g: [(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:old"))]})
    before = store.generation
    refusing = RemoteStore(_refusing(remote))
    with closing(refusing), pytest.raises(StoreError) as e:
        refusing.replace_graphs({g: [(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:new"))]})
    message = str(e.value)
    assert message.startswith("the remote store refused the write (4"), message
    if remote.user:
        assert message == (
            "the remote store refused the write (401 Unauthorized): check KG_REMOTE_USER and KG_REMOTE_PASSWORD"
        )
    assert "wrong-password" not in message and "wrong-password" not in repr(refusing)
    assert set(store.graph(g)) == {(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:old"))}
    assert store.generation == before


_WRITER = """
import sys
from rdflib import Literal, URIRef
from kg.config import Remote
from kg.remote import RemoteStore
remote = Remote.from_env()
store = RemoteStore(remote)
tag, n, graphs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
content = {f"https://example.org/doc/{i}": [(URIRef(f"urn:s{j}"), URIRef("urn:p"), Literal(f"{tag} {j}")) for j in range(n)]
           for i in range(graphs)}
print("ready", flush=True)
store.replace_graphs(content)
print("done", flush=True)
"""


def test_a_killed_writer_leaves_each_graph_whole(
    store: RemoteStore, remote: Remote, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """kill -9 while a build writes (four documents in flight at once): every graph is its
    old version or its new one, never a mix, never half."""
    if remote.user:  # Virtuoso (the only server under test with credentials)
        request.applymarker(
            pytest.mark.xfail(
                reason="Virtuoso 7.2 empties a graph before a Graph Store PUT's body has arrived: a writer "
                "killed mid-upload leaves it empty for good (3 of 6 trials on 2026-12-07); its SPARQL "
                "compiler refuses an INSERT DATA past ~5,000 triples, so updates are no way round",
                strict=False,
            )
        )
    n, graphs = 20_000, 8
    env = {**os.environ, **remote.env(), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", _WRITER, "old", str(n), str(graphs)], env=env, check=True, timeout=300)
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, "new", str(n), str(graphs)], env=env, stdout=subprocess.PIPE, text=True
    ) as writer:  # its pipe closed and the process waited for on the way out
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(1.0)  # the first requests are on their way
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(10)
    time.sleep(2.0)  # requests that arrived whole are finished by the server
    versions = []
    for i in range(graphs):
        rows = store.select(
            "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": URIRef(f"https://example.org/doc/{i}")}
        )
        tags = {str(r["o"]).split()[0] for r in rows}
        assert len(rows) == n and len(tags) == 1, (i, len(rows), tags)
        versions.append(tags.pop())
    assert "old" in versions or "new" in versions


def test_cli_errors_never_show_the_password(remote: Remote, tmp_path: Path) -> None:
    if not remote.user:
        pytest.skip("this server takes writes without credentials")
    wipe(remote)
    bad = _refusing(remote)
    env = {**{k: v for k, v in bad.env().items() if v}, "KG_STORE": str(tmp_path / "store")}
    result = CliRunner().invoke(app, ["build", str(SEEDS)], env=env)
    assert result.exit_code == 1
    assert "refused the write (401 Unauthorized): check KG_REMOTE_USER and KG_REMOTE_PASSWORD" in result.output
    assert "wrong-password" not in result.output
    assert "wrong-password" not in repr(Settings(remote=bad))


def test_export_and_stats_from_the_remote_store(store: RemoteStore, remote: Remote, tmp_path: Path) -> None:
    build([SEEDS], store=store, settings=_settings(remote, tmp_path / "store"), workers=1)
    env = {**{k: v for k, v in remote.env().items() if v}, "KG_STORE": str(tmp_path / "store")}
    out = tmp_path / "all.nq"
    result = CliRunner().invoke(app, ["export", "-f", "nquads", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(store) == len(list(store.quads()))
    assert sorted({line.rsplit(" ", 2)[1].strip("<>") for line in lines}) == store.graph_names()
    result = CliRunner().invoke(app, ["stats"], env=env)
    assert result.exit_code == 0, result.output
    assert f"│ triples in the store                             │ {len(store):>5} │" in result.output
