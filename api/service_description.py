"""The SPARQL 1.1 Service Description, answered at GET ``/sparql`` without a query."""

from __future__ import annotations

from fastapi import Request, Response
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from api.errors import NotAcceptable
from api.negotiation import GRAPH_FORMATS, media_type, negotiate
from kg.config import Settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)
_INPUT_FORMATS = ("Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads")
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "rdfxml": "xml",
    "jsonld": "json-ld",
    "trig": "trig",
    "nquads": "nquads",
}


def service_graph(endpoint: str, settings: Settings) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_enabled:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_enabled:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    for name in _INPUT_FORMATS:
        g.add((service, SD.inputFormat, FORMATS[name]))
    dataset = BNode("dataset")
    default_graph = BNode("defaultGraph")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    return g


def describe(request: Request, settings: Settings, override: str | None) -> Response:
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS, override=override)
    if fmt is None:
        raise NotAcceptable(
            "the service description is available as " + ", ".join(media_type(f) for f in GRAPH_FORMATS)
        )
    endpoint = str(request.url.replace(query=None, fragment=None))
    body = service_graph(endpoint, settings).serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
    return Response(body, media_type=media_type(fmt), headers={"Vary": "Accept"})
