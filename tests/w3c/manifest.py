"""Read the W3C SPARQL 1.1 HTTP test manifests (ht: vocabulary) into plain records and replay them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
W3C = SHARED / "w3c-sparql11"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

TOKEN = "w3c-harness-token-0123456789"

_NAMED_STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}}
_RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}
_RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass
class Expected:
    statuses: set[int] = field(default_factory=set)
    format: str | None = None
    boolean: bool | None = None
    location: str | None = None
    content_type: str | None = None
    body: str | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class Case:
    id: str
    name: str
    graph_data: list[tuple[Path, str | None]]
    requests: list[Request]
    requires: list[str]


def _list(g: Graph, node: Any) -> list[Any]:
    return list(Collection(g, node)) if node is not None else []


def _statuses(g: Graph, resp: Any) -> set[int]:
    codes: set[int] = set()
    for s in g.objects(resp, MF.expectedStatus):
        name = str(s).rsplit("#", 1)[-1]
        if name.startswith("StatusCode") and name.endswith("xx"):
            first = int(name[len("StatusCode")])
            codes.update(range(first * 100, first * 100 + 100))
        else:
            codes.update(_NAMED_STATUS[name])
    return codes


def _headers(g: Graph, node: Any) -> dict[str, str]:
    return {
        str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
        for h in _list(g, g.value(node, HT.headers))
    }


def _body(g: Graph, node: Any) -> tuple[str | None, str]:
    body = g.value(node, HT.body)
    if body is None:
        return None, "UTF-8"
    return str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8")


def load(manifest: Path) -> list[Case]:
    """The entries of a manifest (and of the manifests it includes), in order."""
    g = Graph()
    g.parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = URIRef(manifest.as_uri())
    cases: list[Case] = []
    for included in _list(g, g.value(root, MF.include)):
        cases.extend(load(Path(str(included).removeprefix("file://"))))
    entries = _list(g, g.value(root, MF.entries))
    # Records defined but left out of mf:entries (head_non_existing_direct) are replayed too.
    records = set(g.subjects(RDF.type, MF.ProtocolTest)) | set(g.subjects(RDF.type, MF.GraphStoreProtocolTest))
    unlisted = sorted(records - set(entries))
    for entry in entries + unlisted:
        data = [
            (
                Path(str(g.value(d, UT.graph)).removeprefix("file://")),
                str(g.value(d, RDFS.label)) if g.value(d, RDFS.label) else None,
            )
            for d in g.objects(entry, UT.graphData)
        ]
        action = g.value(entry, MF.action)
        requests = []
        for r in _list(g, g.value(action, HT.requests)):
            chars, encoding = _body(g, r)
            resp = g.value(r, HT.resp)
            rchars, _ = _body(g, resp)
            expected = Expected(
                statuses=_statuses(g, resp),
                format=str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) else None,
                boolean=g.value(resp, MF.expectedBoolean).toPython()
                if g.value(resp, MF.expectedBoolean) is not None
                else None,  # noqa: E501
                location=str(g.value(resp, MF.expectedLocation)) if g.value(resp, MF.expectedLocation) else None,
                content_type=_headers(g, resp).get("content-type"),
                body=rchars,
            )
            requests.append(
                Request(
                    method=str(g.value(r, HT.methodName)),
                    path=str(g.value(r, HT.absolutePath)),
                    headers=_headers(g, r),
                    body=chars.encode(encoding.lower().replace("utf-16", "utf-16")) if chars is not None else None,
                    expected=expected,
                )
            )
        cases.append(
            Case(
                id=str(entry).rsplit("#", 1)[-1],
                name=str(g.value(entry, MF.name)),
                graph_data=data,
                requests=requests,
                requires=[str(x).rsplit("#", 1)[-1] for x in g.objects(entry, MF.requires)],
            )
        )
    return cases


def boolean_of(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return bool(json.loads(body)["boolean"])
    root = ElementTree.fromstring(body)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None, body
    return node.text == "true"


def check(response: Any, expected: Expected) -> None:
    """Assert the manifest's expectations about one response."""
    assert response.status_code in expected.statuses, (response.status_code, response.text[:500])
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if expected.format is not None:
        assert media in _RESULT_TYPES[expected.format], media
    if expected.boolean is not None:
        assert boolean_of(media, response.content) is expected.boolean
    if expected.content_type is not None:
        assert media == expected.content_type.split(";")[0].strip()
    if expected.body is not None and response.request.method != "HEAD":
        want = Graph().parse(data=expected.body, format=_RDFLIB[media])
        got = Graph().parse(data=response.content, format=_RDFLIB[media])
        assert isomorphic(want, got), response.text
