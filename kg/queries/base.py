"""What every REST query shares: vocabulary fragments, public ids, the entity index, evidence rows.

Every query text here is a constant (or is assembled from constant fragments chosen
by code); user values reach the store only as bound variables (pyoxigraph
``substitutions``). pyoxigraph requires a substituted variable to be projected, so
every template projects the variables it binds.

The functions take a ``select`` coroutine with the signature of the web layer's
``QueryEngine.select`` (``await select(sparql, substitutions=...) -> rows``), so the
same code runs over the server's engine and, in tests, over a plain
:class:`kg.store.Store` wrapped by :func:`selector`.

Public ids
----------
An entity, document or agreement IRI ``https://w3id.org/defence-kg/id/<a>/<b>`` has the
stable public id ``<a>.<b>``: the IRI's path after ``/id/`` with ``/`` written ``.``
(``organization.bae-systems``, ``country.georgia``, ``document.000_8b7e041c7c2624cb``).
The coarse kind stays in the id because slugs collide across kinds (a country and a
firm both called Georgia). A ``.`` inside a path segment is written ``%2E``. Nodes
whose IRI is not under ``/id/`` have no public id and are left out of listings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from rdflib import Literal, URIRef

from kg import vocab as v

Row = dict[str, Any]
_T = TypeVar("_T")
Select = Callable[..., Awaitable[list[Row]]]
"""``await select(sparql, *, substitutions=None) -> list of rows (dicts of rdflib terms)``."""
Rows = Callable[..., Awaitable[Iterable[Row]]]
"""A :data:`Select` whose rows may come one at a time (each answer is iterated once): what a
function that only walks its answers accepts, so a full pass can stream them."""

ID_BASE = str(v.ID)
ID_RE = re.compile(r"^[a-z][a-z_-]{0,31}(\.(?:[A-Za-z0-9_~-]|%[0-9A-Fa-f]{2}){1,300}){1,4}$")
"""What a public id looks like; anything else is refused before it becomes an IRI."""

# Read from the ontology (kg.vocab): entity classes from the most specific to the most general
# (an entity's kind is the first of these among its asserted types), the agreement kinds, the
# statuses from first stage to last, and the relations between entities.
ENTITY_KINDS: tuple[str, ...] = v.ENTITY_KINDS
AGREEMENT_KINDS: tuple[str, ...] = v.AGREEMENT_KINDS
STATUSES: tuple[str, ...] = v.STATUSES
RELATIONS: tuple[str, ...] = v.ENTITY_RELATIONS

_PREFIXES = f"""PREFIX dk: <{v.DK}>
PREFIX rdf: <{v.RDF}>
PREFIX rdfs: <{v.RDFS}>
PREFIX skos: <{v.SKOS}>
PREFIX xsd: <{v.XSD}>
"""
_ENTITY_TYPES = "VALUES ?type { " + " ".join(f"dk:{k}" for k in ENTITY_KINDS) + " }"
_RELATION_PREDICATES = "VALUES ?p { " + " ".join(f"dk:{k}" for k in RELATIONS) + " }"
_KIND_RANK = {v.DK[k]: i for i, k in enumerate(ENTITY_KINDS)}


# --- ids -----------------------------------------------------------------------------
def public_id(iri: str | URIRef) -> str | None:
    """The public id of an IRI under ``/id/``, or None.

    >>> public_id("https://w3id.org/defence-kg/id/organization/bae-systems")
    'organization.bae-systems'
    >>> public_id("http://example.org/x") is None
    True
    """
    iri = str(iri)
    if not iri.startswith(ID_BASE):
        return None
    segments = iri[len(ID_BASE) :].split("/")
    if len(segments) < 2 or not all(segments):
        return None
    pid = ".".join(s.replace(".", "%2E") for s in segments)
    return pid if ID_RE.match(pid) else None


def iri_of(pid: str) -> URIRef | None:
    """The IRI of a public id, or None when the id is malformed.

    >>> iri_of("country.georgia")
    rdflib.term.URIRef('https://w3id.org/defence-kg/id/country/georgia')
    >>> iri_of("x> } DROP ALL") is None
    True
    >>> iri_of("organization.bad%tU") is None  # a percent sign must start an escape
    True
    """
    if not ID_RE.match(pid):
        return None
    return URIRef(ID_BASE + "/".join(s.replace("%2E", ".") for s in pid.split(".")))


def local_name(iri: Any) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1]


def fold(text: str) -> str:
    """Lower-case, without diacritics or punctuation: how names are compared.

    >>> fold("Türkiye's  Akıncı")
    'turkiyes akinci'
    """
    text = text.replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", "", text.lower())
    return " ".join(text.split())


class SelectsRows(Protocol):
    """What :func:`selector` needs of a store: :meth:`kg.store.Store.select` (or a remote store's)."""

    def select(self, sparql: str, **kwargs: Any) -> list[Row]: ...


class StreamsRows(Protocol):
    """What :func:`streamer` needs of a store: :meth:`kg.store.Store.rows` (or a remote store's)."""

    def rows(self, sparql: str, **kwargs: Any) -> Iterable[Row]: ...


def selector(store: SelectsRows) -> Select:
    """A ``select`` coroutine over a :class:`kg.store.Store` (tests, the CLI)."""
    return _awaitable(store.select)


def streamer(store: StreamsRows) -> Rows:
    """:func:`selector` over :meth:`kg.store.Store.rows`: each answer streamed (a full pass)."""
    return _awaitable(store.rows)


def _awaitable(rows_of: Callable[..., _T]) -> Callable[..., Awaitable[_T]]:
    async def select(sparql: str, *, substitutions: Mapping[str, Any] | None = None) -> _T:
        return rows_of(sparql, substitutions=dict(substitutions) if substitutions else None)

    return select


# --- the entity index ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ref:
    """An entity as other resources mention it."""

    id: str
    iri: str
    label: str
    kind: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "iri": self.iri, "label": self.label, "kind": self.kind}


ENTITY_INDEX = (
    _PREFIXES
    + f"""
SELECT DISTINCT ?e ?type ?label ?inDoc WHERE {{
  {{ SELECT DISTINCT ?e ?type WHERE {{ {_ENTITY_TYPES} ?e a ?type }} }}
  OPTIONAL {{ GRAPH ?lg {{ ?e rdfs:label ?label }} BIND(EXISTS {{ GRAPH ?lg {{ ?lg a dk:NewsArticle }} }} AS ?inDoc) }}
}}"""
)
"""Every typed entity with each label and whether that label was read in a document graph."""

ENTITY_MENTIONED = (
    _PREFIXES
    + """
SELECT DISTINCT ?e WHERE { ?doc dk:mentions ?e }"""
)


def _label_rank(label: Literal, in_doc: bool) -> tuple[int, int, int, str]:
    # The canonical name a document gave beats a reference-base label; a plain or
    # English label beats one in another language; then shortest, then alphabetical,
    # so the choice is stable across runs.
    lang = getattr(label, "language", None)
    return (0 if in_doc else 1, 0 if lang in (None, "", "en") else 1, len(str(label)), str(label))


class EntityIndex:
    """Every entity's label and kind, read with one query; resolves IRIs to :class:`Ref`.

    ``mentioned`` holds the entities some document mentions: listings and counts are
    over those, so the reference base's few hundred countries do not flood them,
    while facts that point at a reference-only entity still resolve with its label.
    """

    def __init__(self, rows: Iterable[Row], mentioned: Iterable[Any] = ()) -> None:
        labels: dict[str, tuple[int, int, int, str]] = {}
        kinds: dict[str, Any] = {}
        for r in rows:
            iri = str(r["e"])
            if public_id(iri) is None:
                continue
            t = r["type"]
            if iri not in kinds or _KIND_RANK[t] < _KIND_RANK[kinds[iri]]:
                kinds[iri] = t
            if "label" in r:
                rank = _label_rank(r["label"], bool(r.get("inDoc") is not None and r["inDoc"].toPython()))
                if iri not in labels or rank < labels[iri]:
                    labels[iri] = rank
        self.refs: dict[str, Ref] = {
            iri: Ref(public_id(iri) or "", iri, labels[iri][3] if iri in labels else local_name(iri), local_name(t))
            for iri, t in kinds.items()
        }
        self.mentioned: set[str] = {str(m) for m in mentioned} & set(self.refs)

    @classmethod
    async def load(cls, select: Select) -> EntityIndex:
        rows = await select(ENTITY_INDEX)
        return cls(rows, (r["e"] for r in await select(ENTITY_MENTIONED)))

    def ref(self, iri: Any) -> Ref | None:
        """The entity, or a bare reference for a node that is not a typed entity."""
        iri = str(iri)
        found = self.refs.get(iri)
        if found is not None:
            return found
        pid = public_id(iri)
        if pid is None:
            return None
        return Ref(pid, iri, local_name(iri), "")

    def ref_dict(self, iri: Any) -> dict[str, str] | None:
        r = self.ref(iri)
        return r.as_dict() if r else None

    def refs_sorted(self, iris: Iterable[Any]) -> list[dict[str, str]]:
        found = {r for r in (self.ref(i) for i in iris) if r is not None}
        return [r.as_dict() for r in sorted(found, key=lambda r: (r.label.lower(), r.id))]


# --- evidence --------------------------------------------------------------------------
_EVIDENCE_FIELDS = """
  OPTIONAL { ?ev dk:document ?doc . OPTIONAL { ?doc dk:title ?docTitle } }
  OPTIONAL { ?ev dk:sentenceText ?sentence }
  OPTIONAL { ?ev dk:charStart ?start }
  OPTIONAL { ?ev dk:charEnd ?end }
  OPTIONAL { ?ev dk:confidence ?confidence }"""


def _evidence(row: Row) -> dict[str, Any]:
    doc = row.get("doc")
    return {
        "document": public_id(doc) if doc is not None else None,
        "documentTitle": str(row["docTitle"]) if "docTitle" in row else None,
        "sentence": str(row["sentence"]) if "sentence" in row else None,
        "start": int(row["start"]) if "start" in row else None,
        "end": int(row["end"]) if "end" in row else None,
        "confidence": float(row["confidence"]) if "confidence" in row else None,
    }


def evidence_reader() -> Callable[[Row], dict[str, Any]]:
    """:func:`_evidence` of each row given, one dict for each distinct evidence: a pass over
    many facts holds a sentence that supports several of them (or a relation read from both
    ends) once. The dicts are shared, so they are never changed after."""
    shared: dict[tuple[Any, ...], dict[str, Any]] = {}

    def read(row: Row) -> dict[str, Any]:
        found = _evidence(row)
        return shared.setdefault(tuple(found.values()), found)

    return read


def _evidence_key(e: Mapping[str, Any]) -> tuple[Any, ...]:
    return (e["document"] or "", e["start"] if e["start"] is not None else -1, e["sentence"] or "")


def _sorted_evidence(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {_evidence_key(e): e for e in items}
    return [unique[k] for k in sorted(unique)]
