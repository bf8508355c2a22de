"""Accept header → format: pure functions, table-tested in tests/api/test_negotiation.py.

Formats have short names (``json``, ``turtle``...) used by the ``format=`` override and
by the query workers; each has media types, the first being the one we answer with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RESULT_TYPES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
"""SELECT and ASK result formats (ASK: JSON and XML only)."""

GRAPH_TYPES: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json",),
    "rdfxml": ("application/rdf+xml",),
    "trig": ("application/trig",),
    "nquads": ("application/n-quads",),
}
"""CONSTRUCT/DESCRIBE and Graph Store formats (TriG and N-Quads carry datasets)."""

PAGE_TYPES: dict[str, tuple[str, ...]] = {
    "html": ("text/html", "application/xhtml+xml"),
}
"""The explorer's pages, which an entity IRI answers to a browser."""

UPLOAD_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld")
"""Formats a graph can be uploaded to the Graph Store in (one graph: no TriG/N-Quads)."""

SELECT_FORMATS = ("json", "xml", "csv", "tsv")
ASK_FORMATS = ("json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads")

DESCRIPTION_FORMATS = ("turtle", "html", "jsonld", "ntriples", "rdfxml")
"""What an IRI under /id/ answers with: one graph (no datasets) or the explorer's page. Turtle
first, so ``*/*`` (curl) gets RDF; a browser names text/html and gets the page."""

ALL_TYPES = {**RESULT_TYPES, **GRAPH_TYPES, **PAGE_TYPES}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return self.type in ("*", t) and self.subtype in ("*", s)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped.

    >>> parse_accept("text/turtle;q=0.5, */*;q=0.1")
    [MediaRange(type='text', subtype='turtle', q=0.5), MediaRange(type='*', subtype='*', q=0.1)]
    """
    ranges: list[MediaRange] = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if media == "*":
            media = "*/*"
        t, slash, s = media.partition("/")
        if not slash or not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(t, s, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives ``media_type``: the most specific matching range wins."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best is not None else 0.0


def negotiate(accept: str | None, formats: Sequence[str], *, override: str | None = None) -> str | None:
    """The format (short name, from ``formats`` in server preference order) to answer with.

    ``override`` is the ``format=`` parameter: a short name or a media type; it wins
    over Accept. No Accept header means the first format. ``None``: nothing fits (406).

    >>> negotiate("application/sparql-results+xml, */*;q=0.1", ["json", "xml"])
    'xml'
    >>> negotiate("text/turtle", ["json", "xml"]) is None
    True
    """
    if override:
        wanted = override.strip().lower()
        for name in formats:
            if wanted == name or wanted in ALL_TYPES[name]:
                return name
        return None
    if accept is None or not accept.strip():
        return formats[0] if formats else None
    ranges = parse_accept(accept)
    best_name: str | None = None
    best_q = 0.0
    for name in formats:
        q = max(quality(ranges, t) for t in ALL_TYPES[name])
        if q > best_q:
            best_name, best_q = name, q
    return best_name


def media_type(name: str) -> str:
    """The media type we answer with for a format."""
    return ALL_TYPES[name][0]


def format_for_content_type(content_type: str | None, formats: Sequence[str]) -> str | None:
    """The format of a request body from its Content-Type (parameters ignored)."""
    if not content_type:
        return None
    media = content_type.split(";")[0].strip().lower()
    for name in formats:
        if media in ALL_TYPES[name]:
            return name
    return None
