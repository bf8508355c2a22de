"""The W3C SPARQL 1.1 Service Description tests (service-description/manifest.ttl).

The manifest names three checks without machine-readable requests; each is expressed
here against GET /sparql (no query).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from api.main import create_app
from kg.config import Settings
from kg.store import Store
from tests.conftest import require_shared
from tests.w3c.manifest import MF, TOKEN, W3C

MANIFEST = W3C / "service-description" / "manifest.ttl"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


def _entries() -> list[str]:
    if not MANIFEST.exists():
        return []
    g = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    root = URIRef(MANIFEST.as_uri())
    return [str(e).rsplit("#", 1)[-1] for e in Collection(g, g.value(root, MF.entries))]


ENTRIES = _entries()
require_shared(MANIFEST, "the W3C manifests")


@pytest.fixture(scope="module")
def c() -> Iterator[TestClient]:
    settings = Settings(store_path=None, update_enabled=True, update_token=TOKEN, query_workers=1)
    with TestClient(create_app(settings, store=Store()), base_url="http://www.example") as test_client:
        yield test_client


def _description(c: TestClient, accept: str = "text/turtle") -> Graph:
    r = c.get("/sparql", headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    return Graph().parse(data=r.content, format=RDF_TYPES[accept])


def test_entries() -> None:
    assert ENTRIES == ["has-endpoint-triple", "returns-rdf", "conforms-to-schema"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_service_description(c: TestClient, entry: str) -> None:
    if entry == "returns-rdf":
        for accept in RDF_TYPES:
            assert len(_description(c, accept)) > 10
    elif entry == "has-endpoint-triple":
        g = _description(c)
        assert set(g.objects(None, SD.endpoint)) == {URIRef("http://www.example/sparql")}
    elif entry == "conforms-to-schema":
        g = _description(c)
        services = set(g.subjects(RDF.type, SD.Service))
        assert len(services) == 1
        service = services.pop()
        assert set(g.objects(service, SD.supportedLanguage)) <= {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
        assert set(g.objects(service, SD.feature)) <= {
            SD.DereferencesURIs,
            SD.UnionDefaultGraph,
            SD.RequiresDataset,
            SD.EmptyGraphs,
            SD.BasicFederatedQuery,
        }
        dataset = g.value(service, SD.defaultDataset)
        assert (dataset, RDF.type, SD.Dataset) in g
        assert (g.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in g
        assert all(isinstance(f, URIRef) for f in g.objects(service, SD.resultFormat))
    else:
        pytest.fail(f"unknown manifest entry {entry}")
