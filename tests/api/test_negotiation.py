"""Accept negotiation: a table of headers and the format chosen."""

from __future__ import annotations

import pytest

from api.negotiation import (
    ASK_FORMATS,
    DESCRIPTION_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    format_for_content_type,
    negotiate,
    parse_accept,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "formats", "override", "expected"),
    [
        (None, SELECT_FORMATS, None, "json"),
        ("", SELECT_FORMATS, None, "json"),
        ("*/*", SELECT_FORMATS, None, "json"),
        ("*", SELECT_FORMATS, None, "json"),
        ("application/sparql-results+json", SELECT_FORMATS, None, "json"),
        ("application/json", SELECT_FORMATS, None, "json"),
        ("application/sparql-results+xml", SELECT_FORMATS, None, "xml"),
        ("text/csv", SELECT_FORMATS, None, "csv"),
        ("text/tab-separated-values", SELECT_FORMATS, None, "tsv"),
        ("TEXT/CSV; charset=utf-8", SELECT_FORMATS, None, "csv"),
        ("text/csv;q=0.5, text/tab-separated-values", SELECT_FORMATS, None, "tsv"),
        ("text/csv;q=0.9, text/tab-separated-values;q=0.9", SELECT_FORMATS, None, "csv"),  # tie: server order
        ("text/*", SELECT_FORMATS, None, "xml"),  # text/xml is an XML results type
        ("application/*", SELECT_FORMATS, None, "json"),
        ("application/*;q=0.2, application/sparql-results+xml;q=0.8", SELECT_FORMATS, None, "xml"),
        ("*/*;q=0.1, text/csv;q=0", SELECT_FORMATS, None, "json"),
        ("text/csv;q=0", SELECT_FORMATS, None, None),
        ("text/turtle", SELECT_FORMATS, None, None),
        ("image/png", ASK_FORMATS, None, None),
        ("text/csv", ASK_FORMATS, None, None),
        (BROWSER, SELECT_FORMATS, None, "xml"),
        (BROWSER, GRAPH_FORMATS, None, "turtle"),
        ("application/rdf+xml, text/turtle;q=0.5", GRAPH_FORMATS, None, "rdfxml"),
        ("application/n-triples", GRAPH_FORMATS, None, "ntriples"),
        ("application/ld+json", GRAPH_FORMATS, None, "jsonld"),
        ("application/trig", GRAPH_FORMATS, None, "trig"),
        ("application/n-quads", GRAPH_FORMATS, None, "nquads"),
        ("text/turtle;q=abc, application/n-triples", GRAPH_FORMATS, None, "ntriples"),
        ("garbage, text/turtle", GRAPH_FORMATS, None, "turtle"),
        ("text/turtle", SELECT_FORMATS, "csv", "csv"),
        (None, SELECT_FORMATS, "tsv", "tsv"),
        (None, SELECT_FORMATS, "text/csv", "csv"),
        (None, GRAPH_FORMATS, "jsonld", "jsonld"),
        (None, GRAPH_FORMATS, "rdfxml", "rdfxml"),
        (None, ASK_FORMATS, "csv", None),
        (None, SELECT_FORMATS, "turtle", None),
        # an IRI under /id/: a browser gets the page, curl (*/*) and no Accept get Turtle
        (BROWSER, DESCRIPTION_FORMATS, None, "html"),
        (None, DESCRIPTION_FORMATS, None, "turtle"),
        ("*/*", DESCRIPTION_FORMATS, None, "turtle"),
        ("application/xhtml+xml", DESCRIPTION_FORMATS, None, "html"),
        ("text/html;q=0.5, text/turtle", DESCRIPTION_FORMATS, None, "turtle"),
        ("text/*", DESCRIPTION_FORMATS, None, "turtle"),
        ("application/ld+json, text/html;q=0.9", DESCRIPTION_FORMATS, None, "jsonld"),
        ("application/trig", DESCRIPTION_FORMATS, None, None),
        ("application/sparql-results+json", DESCRIPTION_FORMATS, None, None),
        ("text/turtle", DESCRIPTION_FORMATS, "html", "html"),
        (None, DESCRIPTION_FORMATS, "nquads", None),
        ("text/html", GRAPH_FORMATS, None, None),
    ],
)
def test_negotiate(accept: str | None, formats: tuple[str, ...], override: str | None, expected: str | None) -> None:
    assert negotiate(accept, formats, override=override) == expected


def test_parse_accept_keeps_q_and_skips_malformed() -> None:
    ranges = parse_accept("text/turtle;q=0.5;charset=utf-8, nonsense, */*;q=2, */json")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "turtle", 0.5), ("*", "*", 1.0)]


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/turtle; charset=utf-8", "turtle"),
        ("application/rdf+xml", "rdfxml"),
        ("text/plain", "ntriples"),
        ("application/x-unknown", None),
        (None, None),
    ],
)
def test_format_for_content_type(content_type: str | None, expected: str | None) -> None:
    assert format_for_content_type(content_type, GRAPH_FORMATS) == expected
