"""Extraction → RDF: the only place IRIs are minted.

A document becomes one named graph, named by the document's IRI, holding:

- the document node (type, title, source file, sha256, ingested-at, published date);
- every entity it mentions, with its type, canonical ``rdfs:label`` and each surface
  form as ``skos:altLabel``;
- binary facts as direct triples (``aircraft dk:manufacturer org``), each also reified
  as an ``rdf:Statement`` that points to a ``dk:Evidence`` node;
- n-ary facts (``dk:Position``, ``dk:Agreement`` and its kinds) as nodes with
  ``dk:evidence``;
- Evidence nodes: document, sentence text, character offsets, confidence.

IRIs are deterministic: entities are ``id/<coarse kind>/<slug of canonical name>``
(or the reference base's IRI), so rebuilding on any machine gives the same graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import vocab as v
from kg.documents import Document
from kg.extract.model import Agreement, Entity, Evidence, Extraction, Position, Ref, Relation

Triple = tuple[Node, Node, Node]

LABEL_LANGUAGE = "en"
"""The language tag of every rdfs:label, skos:altLabel, skos:prefLabel and dk:title; evidence
sentences, role titles and other strings stay plain."""

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)  # names repeat across a corpus; slugging is a hot path
def slug(name: str) -> str:
    """A stable ASCII slug: diacritics folded, lower case, runs of other characters → '-'.

    >>> slug("TUSAŞ")
    'tusas'
    >>> slug("Bayraktar Akıncı")
    'bayraktar-akinci'
    >>> slug("Turgis & Gaillard")
    'turgis-gaillard'
    """
    s = name.replace("ı", "i").replace("İ", "I")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub("-", s).strip("-") or "unnamed"


# Trailing words that name a firm's legal form or are interchangeable in news copy
# ("Baykar Technologies" / "Baykar", "Saab AB" / "Saab"): dropped from the IRI key of
# organisations so that documents naming a firm either way meet at one node.
_ORG_TAIL = re.compile(
    r"(?:[\s,]+(?:technologies|technology|group|holdings?|corporation|corp|company|co|incorporated|inc|limited|ltd"
    r"|plc|llc|ag|se|sa|s\.a|spa|s\.p\.a|gmbh|nv|bv|ab|asa|oyj|as|a\.s|a\.ş|pjsc|jsc)\.?)+$",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def entity_key(ref: Ref) -> str:
    """The name an entity's IRI is minted from: organisations lose a trailing legal/generic tail.

    >>> entity_key(Ref("organization", "Baykar Technologies")), entity_key(Ref("organization", "Leonardo S.p.A."))
    ('baykar', 'leonardo')
    >>> entity_key(Ref("organization", "Technology Group")), entity_key(Ref("aircraft", "Saab AB"))
    ('technology', 'saab-ab')
    """
    name = ref.name
    if ref.coarse == "organization":
        shorter = _ORG_TAIL.sub("", name).strip(" ,")
        name = shorter if slug(shorter) != "unnamed" and shorter else name
    return slug(name)


def entity_iri(ref: Ref) -> URIRef:
    return v.ID[f"{ref.coarse}/{entity_key(ref)}"]


def document_iri(stem: str) -> URIRef:
    return v.ID[f"document/{slug(stem) if not re.fullmatch(r'[A-Za-z0-9_.-]+', stem) else stem}"]


def position_iri(p: Position) -> URIRef:
    return v.ID[f"position/{entity_key(p.holder)}--{p.organization.coarse}-{entity_key(p.organization)}"]


def agreement_iri(a: Agreement) -> URIRef:
    parties = "--".join(sorted({f"{r.coarse}-{entity_key(r)}" for r in a.parties}))
    return v.ID[f"agreement/{slug(a.kind)}/{parties}"]


def _digest(*parts: object) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def _short_title(text: str, limit: int = 150) -> str:
    """A headline-length title: an article without a headline starts with a long sentence.

    >>> _short_title("Short headline")
    'Short headline'
    >>> _short_title("word " * 40, limit=20)
    'word word word word…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def label_literal(name: str) -> Literal:
    """A name or title as the graph writes it: English-tagged, like the ontology's and the
    reference base's labels, so a name read in a document and the same name in the reference
    base are one literal, not two (``"BAE Systems"`` and ``"BAE Systems"@en``).

    >>> label_literal("BAE Systems")
    rdflib.term.Literal('BAE Systems', lang='en')
    """
    return Literal(name, lang=LABEL_LANGUAGE)


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=v.XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=v.XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=v.XSD.gYear)
    return Literal(value)


class _GraphBuilder:
    """Accumulates one document's triples; knows the document and the entity IRIs."""

    def __init__(self, doc_iri: URIRef, entities: Iterable[Entity]) -> None:
        self.doc = doc_iri
        self.triples: list[Triple] = []
        self.iris: dict[Ref, URIRef] = {}
        for e in entities:
            self.iris.setdefault(e.ref, URIRef(e.iri) if e.iri else entity_iri(e.ref))

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.triples.append((s, p, o))

    def iri(self, ref: Ref) -> URIRef:
        # A fact may name an entity the extractor did not list; mint it the same way.
        return self.iris.setdefault(ref, entity_iri(ref))

    def evidence(self, ev: Evidence, *key: object) -> URIRef:
        node = URIRef(f"{self.doc}#evidence-{_digest(ev.start, ev.end, *key)}")
        self.add(node, v.RDF.type, v.Evidence)
        self.add(node, v.document, self.doc)
        self.add(node, v.sentenceText, Literal(ev.sentence))
        self.add(node, v.charStart, Literal(ev.start, datatype=v.XSD.nonNegativeInteger))
        self.add(node, v.charEnd, Literal(ev.end, datatype=v.XSD.nonNegativeInteger))
        self.add(node, v.confidence, Literal(Decimal(str(round(ev.confidence, 3))), datatype=v.XSD.decimal))
        if ev.rule:
            self.add(node, v.extractionRule, Literal(ev.rule))
        return node


def to_triples(document: Document, extraction: Extraction, *, ingested_at: datetime) -> list[Triple]:
    """The triples of one document's named graph."""
    doc = document_iri(document.stem)
    b = _GraphBuilder(doc, extraction.entities)
    title = _short_title(document.title or extraction.title or document.stem)
    b.add(doc, v.RDF.type, v.NewsArticle)
    b.add(doc, v.RDFS.label, label_literal(title))
    b.add(doc, v.title, label_literal(title))
    b.add(doc, v.sourceFile, Literal(document.path.name))
    b.add(doc, v.sha256, Literal(document.sha256))
    b.add(doc, v.ingestedAt, Literal(ingested_at.isoformat(timespec="seconds"), datatype=v.XSD.dateTime))
    published = document.published or extraction.published
    if published:
        b.add(doc, v.publishedDate, _date_literal(published))

    for e in extraction.entities:
        node = b.iri(e.ref)
        b.add(node, v.RDF.type, v.DK[e.kind])
        b.add(node, v.RDFS.label, label_literal(e.name))
        for label in sorted(e.labels - {e.name}):
            b.add(node, v.SKOS.altLabel, label_literal(label))
        b.add(doc, v.mentions, node)

    for r in extraction.relations:
        _relation(b, r)
    for p in extraction.positions:
        _position(b, p)
    for a in extraction.agreements:
        _agreement(b, a)
    return b.triples


def _relation(b: _GraphBuilder, r: Relation) -> None:
    s, p, o = b.iri(r.subject), v.DK[r.key], b.iri(r.object)
    b.add(s, p, o)
    st = URIRef(f"{b.doc}#statement-{_digest(s, p, o)}")
    b.add(st, v.RDF.type, v.RDF.Statement)
    b.add(st, v.RDF.subject, s)
    b.add(st, v.RDF.predicate, p)
    b.add(st, v.RDF.object, o)
    b.add(st, v.evidence, b.evidence(r.evidence, s, p, o))


def _position(b: _GraphBuilder, p: Position) -> None:
    node = position_iri(p)
    b.add(node, v.RDF.type, v.Position)
    b.add(node, v.holder, b.iri(p.holder))
    b.add(node, v.organization, b.iri(p.organization))
    if p.title:
        b.add(node, v.roleTitle, Literal(p.title))
    b.add(node, v.evidence, b.evidence(p.evidence, node))


def _agreement(b: _GraphBuilder, a: Agreement) -> None:
    node = agreement_iri(a)
    b.add(node, v.RDF.type, v.DK[a.kind])
    for party in dict.fromkeys(a.parties):
        b.add(node, v.party, b.iri(party))
    for role, ref in a.roles:
        b.add(node, v.DK[role], b.iri(ref))
    if a.status:
        b.add(node, v.status, v.DK[a.status])
    if a.date:
        b.add(node, v.date, _date_literal(a.date))
    if a.value:
        money = URIRef(f"{b.doc}#value-{_digest(node, a.value.amount, a.value.currency)}")
        b.add(node, v.value, money)
        b.add(money, v.RDF.type, v.MonetaryAmount)
        b.add(money, v.amount, Literal(a.value.amount, datatype=v.XSD.decimal))
        b.add(money, v.currency, Literal(a.value.currency))
    for ref in a.subjects:
        b.add(node, v.subject, b.iri(ref))
    for ref in a.sites:
        b.add(node, v.site, b.iri(ref))
    b.add(node, v.evidence, b.evidence(a.evidence, node))
