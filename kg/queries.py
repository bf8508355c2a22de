"""Named SPARQL templates used by the REST API, and the code that shapes their rows.

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

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from kg import vocab as v

Row = dict[str, Any]
Select = Callable[..., Awaitable[list[Row]]]
"""``await select(sparql, *, substitutions=None) -> list of rows (dicts of rdflib terms)``."""

ID_BASE = str(v.ID)
ID_RE = re.compile(r"^[a-z][a-z_-]{0,31}(\.[A-Za-z0-9_~%-]{1,300}){1,4}$")
"""What a public id looks like; anything else is refused before it becomes an IRI."""

# Entity classes from the most specific to the most general: an entity's kind is the
# first of these among its asserted types.
ENTITY_KINDS: tuple[str, ...] = (
    "UnmannedCombatAerialVehicle",
    "UnmannedAerialVehicle",
    "CombatAircraft",
    "Aircraft",
    "JointVenture",
    "Division",
    "ArmedForce",
    "GovernmentBody",
    "Company",
    "Organization",
    "Country",
    "Place",
    "Person",
    "Programme",
)
AGREEMENT_KINDS: tuple[str, ...] = (
    "MemorandumOfUnderstanding",
    "JointVentureAgreement",
    "Acquisition",
    "Procurement",
    "Partnership",
)
STATUSES: tuple[str, ...] = ("Proposed", "Signed", "Completed", "Cancelled")
RELATIONS: tuple[str, ...] = (
    "manufacturer",
    "operator",
    "country",
    "parentOrganization",
    "subOrganization",
    "supplier",
    "participant",
)

_PREFIXES = f"""PREFIX dk: <{v.DK}>
PREFIX rdf: <{v.RDF}>
PREFIX rdfs: <{v.RDFS}>
PREFIX skos: <{v.SKOS}>
PREFIX xsd: <{v.XSD}>
"""
_ENTITY_TYPES = "VALUES ?type { " + " ".join(f"dk:{k}" for k in ENTITY_KINDS) + " }"
_RELATION_PREDICATES = "VALUES ?p { " + " ".join(f"dk:{k}" for k in RELATIONS) + " }"
_KIND_RANK = {v.DK[k]: i for i, k in enumerate(ENTITY_KINDS)}


class NotFound(LookupError):
    """No resource has the requested public id (the web layer answers 404)."""

    def __init__(self, what: str, public_id: str) -> None:
        super().__init__(f"no {what} with id '{public_id}'")
        self.what = what
        self.public_id = public_id


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
    segments = iri[len(ID_BASE):].split("/")
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


def selector(store: Any) -> Select:
    """A ``select`` coroutine over a :class:`kg.store.Store` (tests, the CLI)."""

    async def select(sparql: str, *, substitutions: Mapping[str, Any] | None = None) -> list[Row]:
        return store.select(sparql, substitutions=dict(substitutions) if substitutions else None)  # type: ignore[no-any-return]

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


ENTITY_INDEX = _PREFIXES + f"""
SELECT DISTINCT ?e ?type ?label ?inDoc WHERE {{
  {{ SELECT DISTINCT ?e ?type WHERE {{ {_ENTITY_TYPES} ?e a ?type }} }}
  OPTIONAL {{ GRAPH ?lg {{ ?e rdfs:label ?label }} BIND(EXISTS {{ GRAPH ?lg {{ ?lg a dk:NewsArticle }} }} AS ?inDoc) }}
}}"""
"""Every typed entity with each label and whether that label was read in a document graph."""

ENTITY_MENTIONED = _PREFIXES + """
SELECT DISTINCT ?e WHERE { ?doc dk:mentions ?e }"""


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
            iri: Ref(public_id(iri) or "", iri, labels[iri][3] if iri in labels else local_name(iri),
                     local_name(t))
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


def _evidence_key(e: Mapping[str, Any]) -> tuple[Any, ...]:
    return (e["document"] or "", e["start"] if e["start"] is not None else -1, e["sentence"] or "")


def _sorted_evidence(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {_evidence_key(e): e for e in items}
    return [unique[k] for k in sorted(unique)]


# --- entities ----------------------------------------------------------------------------
def _entity_list_query(*, kind: bool, prefix: bool) -> str:
    projection = "?e" + (" ?kind" if kind else "") + (" ?q" if prefix else "")
    body = [_ENTITY_TYPES, "?e a ?type ."]
    if kind:
        body.append("?e a/rdfs:subClassOf* ?kind .")
    if prefix:
        body.append("?e rdfs:label|skos:altLabel ?name .")
        body.append("FILTER(STRSTARTS(LCASE(STR(?name)), ?q))")
    return _PREFIXES + f"SELECT DISTINCT {projection} WHERE {{\n  " + "\n  ".join(body) + "\n}"


ENTITY_NAMES = _PREFIXES + f"""
SELECT DISTINCT ?e ?name WHERE {{
  {_ENTITY_TYPES}
  ?e a ?type .
  ?e rdfs:label|skos:altLabel ?name .
}}"""

ENTITY_NAMES_OF_KIND = _PREFIXES + f"""
SELECT DISTINCT ?e ?name ?kind WHERE {{
  {_ENTITY_TYPES}
  ?e a ?type .
  ?e a/rdfs:subClassOf* ?kind .
  ?e rdfs:label|skos:altLabel ?name .
}}"""

FUZZY_THRESHOLD = 0.75


def fuzzy_score(query: str, names: Iterable[str]) -> float:
    """How well ``query`` matches the best of ``names`` (0..1), after folding.

    A substring scores 0.9 plus a share for covering more of the name; otherwise the
    best difflib ratio against the whole name or a same-length run of its words.

    >>> round(fuzzy_score("leonrdo", ["Leonardo S.p.A."]), 2)
    0.93
    >>> fuzzy_score("tb2", ["Bayraktar TB2"]) > 0.9
    True
    """
    q = fold(query)
    if not q:
        return 0.0
    best = 0.0
    width = len(q.split())
    for name in names:
        n = fold(name)
        if not n:
            continue
        if q == n:
            return 1.0
        if q in n:
            best = max(best, 0.9 + 0.09 * len(q) / len(n))
            continue
        words = n.split()
        candidates = [n] + [" ".join(words[i:i + width]) for i in range(len(words) - width + 1)]
        for c in candidates:
            best = max(best, difflib.SequenceMatcher(None, q, c).ratio())
    return best


async def list_entities(
    select: Select,
    index: EntityIndex,
    *,
    kind: str | None = None,
    name: str | None = None,
    match: str = "prefix",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Entities of a kind (subclasses included) whose names match; (page, total)."""
    subs: dict[str, Any] = {}
    if kind is not None:
        subs["kind"] = v.DK[kind]
    scores: dict[str, float] = {}
    if name is not None and match == "fuzzy":
        query = ENTITY_NAMES_OF_KIND if kind is not None else ENTITY_NAMES
        names: dict[str, list[str]] = defaultdict(list)
        for r in await select(query, substitutions=subs or None):
            names[str(r["e"])].append(str(r["name"]))
        for iri, ns in names.items():
            score = fuzzy_score(name, ns)
            if score >= FUZZY_THRESHOLD:
                scores[iri] = score
        iris: Iterable[str] = scores
    else:
        if name is not None:
            subs["q"] = Literal(name.lower())
        rows = await select(_entity_list_query(kind=kind is not None, prefix=name is not None),
                            substitutions=subs or None)
        iris = {str(r["e"]) for r in rows}
    refs = [index.refs[i] for i in iris if i in index.mentioned]
    if scores:
        refs.sort(key=lambda r: (-scores[r.iri], r.label.lower(), r.id))
    else:
        refs.sort(key=lambda r: (r.label.lower(), r.id))
    page = []
    for r in refs[offset:offset + limit]:
        d: dict[str, Any] = r.as_dict()
        d["score"] = round(scores[r.iri], 3) if scores else None
        page.append(d)
    return page, len(refs)


ENTITY_LABELS = _PREFIXES + """
SELECT DISTINCT ?e ?name WHERE { ?e rdfs:label|skos:altLabel ?name . }"""

ENTITY_TYPES = _PREFIXES + """
SELECT DISTINCT ?e ?type WHERE { ?e a ?type . }"""

ENTITY_RELATIONS = _PREFIXES + f"""
SELECT DISTINCT ?e ?p ?dir ?other WHERE {{
  {_RELATION_PREDICATES}
  {{ ?e ?p ?other . BIND("out" AS ?dir) }} UNION {{ ?other ?p ?e . BIND("in" AS ?dir) }}
}}"""

ENTITY_RELATION_EVIDENCE = _PREFIXES + f"""
SELECT DISTINCT ?e ?p ?dir ?other ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  {_RELATION_PREDICATES}
  {{ ?st rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?other . BIND("out" AS ?dir) }}
  UNION
  {{ ?st rdf:subject ?other ; rdf:predicate ?p ; rdf:object ?e . BIND("in" AS ?dir) }}
  ?st dk:evidence ?ev .
  {_EVIDENCE_FIELDS}
}}"""

ENTITY_POSITIONS = _PREFIXES + f"""
SELECT DISTINCT ?e ?pos ?dir ?other ?title ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  ?pos a dk:Position .
  {{ ?pos dk:holder ?e ; dk:organization ?other . BIND("out" AS ?dir) }}
  UNION
  {{ ?pos dk:organization ?e ; dk:holder ?other . BIND("in" AS ?dir) }}
  OPTIONAL {{ ?pos dk:roleTitle ?title }}
  OPTIONAL {{ ?pos dk:evidence ?ev . {_EVIDENCE_FIELDS} }}
}}"""

ENTITY_AGREEMENTS = _PREFIXES + """
SELECT DISTINCT ?e ?ag ?role WHERE {
  VALUES (?rp ?role) { (dk:party "party") (dk:subject "subject") (dk:site "site") }
  ?ag ?rp ?e .
  ?ag a/rdfs:subClassOf* dk:Agreement .
}"""

ENTITY_DOCUMENTS = _PREFIXES + """
SELECT DISTINCT ?e ?doc ?title WHERE {
  ?doc dk:mentions ?e .
  OPTIONAL { ?doc dk:title ?title }
}"""


async def get_entity(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    """One entity with its labels, types, relations both ways, positions, agreements, documents."""
    iri = iri_of(pid)
    ref = index.refs.get(str(iri)) if iri is not None else None
    if iri is None or ref is None:
        raise NotFound("entity", pid)
    subs = {"e": iri}
    labels = sorted({str(r["name"]) for r in await select(ENTITY_LABELS, substitutions=subs)})
    types = sorted({local_name(r["type"]) for r in await select(ENTITY_TYPES, substitutions=subs)
                    if str(r["type"]).startswith(str(v.DK))})

    relations: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in await select(ENTITY_RELATIONS, substitutions=subs):
        relations.setdefault((local_name(r["p"]), str(r["dir"]), str(r["other"])), [])
    for r in await select(ENTITY_RELATION_EVIDENCE, substitutions=subs):
        key = (local_name(r["p"]), str(r["dir"]), str(r["other"]))
        if key in relations:
            relations[key].append(_evidence(r))
    rel_list = []
    for (pred, direction, other), evs in relations.items():
        other_ref = index.ref_dict(other)
        if other_ref is None:
            continue
        rel_list.append({"predicate": pred, "direction": direction, "other": other_ref,
                         "evidence": _sorted_evidence(evs)})
    rel_list.sort(key=lambda x: (x["predicate"], x["direction"], x["other"]["label"].lower(), x["other"]["id"]))

    positions: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in await select(ENTITY_POSITIONS, substitutions=subs):
        other_ref = index.ref_dict(r["other"])
        if other_ref is None:
            continue
        title = str(r["title"]) if "title" in r else None
        direction = str(r["dir"])
        entry = positions.setdefault((direction, str(r["other"]), title or ""), {
            "direction": direction,
            "title": title,
            "person": ref.as_dict() if direction == "out" else other_ref,
            "organization": other_ref if direction == "out" else ref.as_dict(),
            "evidence": [],
        })
        if "ev" in r:
            entry["evidence"].append(_evidence(r))
    pos_list = sorted(positions.values(), key=lambda p: (p["direction"], p["person"]["label"].lower(),
                                                         p["organization"]["label"].lower(), p["title"] or ""))
    for p in pos_list:
        p["evidence"] = _sorted_evidence(p["evidence"])

    roles: dict[str, set[str]] = defaultdict(set)
    for r in await select(ENTITY_AGREEMENTS, substitutions=subs):
        roles[str(r["ag"])].add(str(r["role"]))
    agreements = [a | {"roles": sorted(roles[a["iri"]])}
                  for a in await _agreements(select, index, await _agreement_heads(select, roles), evidence=False)]
    agreements.sort(key=_agreement_order)

    docs = {}
    for r in await select(ENTITY_DOCUMENTS, substitutions=subs):
        did = public_id(r["doc"])
        if did is not None:
            docs[did] = {"id": did, "title": str(r["title"]) if "title" in r else None}
    return {
        **ref.as_dict(),
        "types": types,
        "labels": labels,
        "relations": rel_list,
        "positions": pos_list,
        "agreements": agreements,
        "documents": [docs[k] for k in sorted(docs)],
    }


# --- agreements ------------------------------------------------------------------------
def _agreement_list_query(*, party: bool, status: bool, country: bool, subject: bool) -> str:
    projection = ["?ag", "?kind", "?status", "?date"]
    body = ["?ag a ?kind .", "?kind rdfs:subClassOf* dk:Agreement .",
            "FILTER(?kind != dk:Agreement)"]
    if party:
        projection.append("?party")
        body.append("?ag dk:party ?party .")
    if subject:
        projection.append("?subject")
        body.append("?ag dk:subject ?subject .")
    if country:
        projection.append("?country")
        body.append("{ ?ag dk:party ?country } UNION { ?ag dk:party ?cp . ?cp dk:country ?country }")
    if status:
        body.append("?ag dk:status ?status .")
    else:
        body.append("OPTIONAL { ?ag dk:status ?status }")
    body.append("OPTIONAL { ?ag dk:date ?date }")
    return (_PREFIXES + f"SELECT DISTINCT {' '.join(projection)} WHERE {{\n  "
            + "\n  ".join(body) + "\n}")


AGREEMENT_DETAIL = _PREFIXES + """
SELECT DISTINCT ?ag ?rel ?x ?amount ?currency WHERE {
  {
    VALUES (?rp ?rel) { (dk:party "party") (dk:subject "subject") (dk:site "site") }
    ?ag ?rp ?x .
  } UNION {
    ?ag dk:value ?x . BIND("value" AS ?rel)
    OPTIONAL { ?x dk:amount ?amount }
    OPTIONAL { ?x dk:currency ?currency }
  }
}"""

AGREEMENT_EVIDENCE = _PREFIXES + f"""
SELECT DISTINCT ?ag ?ev ?doc ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  ?ag dk:evidence ?ev .
  {_EVIDENCE_FIELDS}
}}"""

AGREEMENT_HEAD = _PREFIXES + """
SELECT DISTINCT ?ag ?kind ?status ?date WHERE {
  ?ag a ?kind . ?kind rdfs:subClassOf* dk:Agreement . FILTER(?kind != dk:Agreement)
  OPTIONAL { ?ag dk:status ?status }
  OPTIONAL { ?ag dk:date ?date }
}"""


def date_bounds(text: str) -> tuple[str, str]:
    """The first and last day an ISO date, year-month or year stands for.

    >>> date_bounds("2024")
    ('2024-01-01', '2024-12-31')
    >>> date_bounds("2024-02")
    ('2024-02-01', '2024-02-31')
    """
    text = text[:10]
    if len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        return f"{text}-01", f"{text}-31"  # lexical upper bound: fine for comparisons
    return text, text


DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else -1


def _head(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """One record per agreement from head rows: its kind, furthest status, earliest date."""
    heads: dict[str, dict[str, Any]] = {}
    for r in rows:
        iri = str(r["ag"])
        h = heads.setdefault(iri, {"kinds": set(), "status": None, "date": None})
        h["kinds"].add(local_name(r["kind"]))
        if "status" in r:
            # Documents can disagree (talks in one, a signature in a later one): the
            # furthest stage wins, in the order of STATUSES.
            found = local_name(r["status"])
            h["status"] = max(filter(None, [h["status"], found]), key=_status_rank)
        if "date" in r:
            h["date"] = min(filter(None, [h["date"], str(r["date"])]))
    for h in heads.values():
        known = [k for k in AGREEMENT_KINDS if k in h["kinds"]]
        h["kind"] = known[0] if known else sorted(h["kinds"])[0]
    return heads


def _agreement_order(a: Mapping[str, Any]) -> tuple[Any, ...]:
    return (a["date"] is None, a["date"] or "", a["id"] or a["iri"])


_PER_ITEM_LIMIT = 16
"""Up to this many agreements are read one bound query each; more are read in one pass."""


def _agreement_record(iri: str, head: Mapping[str, Any], detail: Iterable[Row],
                      index: EntityIndex) -> dict[str, Any]:
    parties, subjects, sites = [], [], []
    value = None
    for r in detail:
        rel = str(r["rel"])
        if rel == "party":
            parties.append(r["x"])
        elif rel == "subject":
            subjects.append(r["x"])
        elif rel == "site":
            sites.append(r["x"])
        elif rel == "value" and "amount" in r:
            value = {"amount": float(r["amount"]), "currency": str(r["currency"]) if "currency" in r else None}
    return {
        "id": public_id(iri),
        "iri": iri,
        "kind": head["kind"],
        "status": head["status"],
        "date": head["date"],
        "value": value,
        "parties": index.refs_sorted(parties),
        "subjects": index.refs_sorted(subjects),
        "sites": index.refs_sorted(sites),
    }


async def _agreements(select: Select, index: EntityIndex, heads: Mapping[str, Mapping[str, Any]], *,
                      evidence: bool) -> list[dict[str, Any]]:
    """Full records for the agreements in ``heads`` (in its order)."""
    details: dict[str, list[Row]] = defaultdict(list)
    evidences: dict[str, list[Row]] = defaultdict(list)
    if len(heads) <= _PER_ITEM_LIMIT:
        for iri in heads:
            details[iri] = await select(AGREEMENT_DETAIL, substitutions={"ag": URIRef(iri)})
            if evidence:
                evidences[iri] = await select(AGREEMENT_EVIDENCE, substitutions={"ag": URIRef(iri)})
    else:
        for r in await select(AGREEMENT_DETAIL):
            details[str(r["ag"])].append(r)
        if evidence:
            for r in await select(AGREEMENT_EVIDENCE):
                evidences[str(r["ag"])].append(r)
    records = []
    for iri, head in heads.items():
        record = _agreement_record(iri, head, details.get(iri, ()), index)
        if evidence:
            record["evidence"] = _sorted_evidence(_evidence(r) for r in evidences.get(iri, ()))
        records.append(record)
    return records


async def _agreement_heads(select: Select, iris: Iterable[str]) -> dict[str, dict[str, Any]]:
    heads: dict[str, dict[str, Any]] = {}
    for iri in iris:
        found = _head(await select(AGREEMENT_HEAD, substitutions={"ag": URIRef(iri)}))
        heads[iri] = found.get(iri, {"kind": "Agreement", "kinds": set(), "status": None, "date": None})
    return heads


async def list_agreements(
    select: Select,
    index: EntityIndex,
    *,
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    country: str | None = None,
    subject: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    dated_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    evidence: bool = True,
) -> tuple[list[dict[str, Any]], int]:
    """Agreements matching every given filter, ordered by date then id; (page, total).

    ``party``, ``country`` and ``subject`` are public ids (unknown ids match nothing);
    the date range keeps an agreement whose date (a year, month or day) overlaps it.
    """
    subs: dict[str, Any] = {}
    for name, pid in (("party", party), ("country", country), ("subject", subject)):
        if pid is not None:
            iri = iri_of(pid)
            if iri is None:
                return [], 0
            subs[name] = iri
    if status is not None:
        subs["status"] = v.DK[status]
    query = _agreement_list_query(party=party is not None, status=status is not None,
                                  country=country is not None, subject=subject is not None)
    heads = _head(await select(query, substitutions=subs or None))
    items = []
    for iri, h in heads.items():
        if kind is not None and h["kind"] != kind and kind not in h["kinds"]:
            continue
        if date_from is not None or date_to is not None or dated_only:
            if h["date"] is None:
                continue
            lo, hi = date_bounds(h["date"])
            if date_from is not None and hi < date_bounds(date_from)[0]:
                continue
            if date_to is not None and lo > date_bounds(date_to)[1]:
                continue
        items.append({"iri": iri, "id": public_id(iri), "date": h["date"], "head": h})
    items.sort(key=_agreement_order)
    chosen = {i["iri"]: i["head"] for i in items[offset:offset + limit]}
    return await _agreements(select, index, chosen, evidence=evidence), len(items)


async def get_agreement(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    iri = iri_of(pid)
    if iri is None:
        raise NotFound("agreement", pid)
    heads = _head(await select(AGREEMENT_HEAD, substitutions={"ag": iri}))
    if str(iri) not in heads:
        raise NotFound("agreement", pid)
    return (await _agreements(select, index, {str(iri): heads[str(iri)]}, evidence=True))[0]


# --- aircraft and programmes --------------------------------------------------------------
LINKS_OF_KIND = _PREFIXES + """
SELECT DISTINCT ?e ?kind ?p ?x WHERE {
  ?e a/rdfs:subClassOf* ?kind .
  ?e ?p ?x .
  VALUES ?p { dk:manufacturer dk:operator dk:participant }
}"""


async def list_with_links(
    select: Select, index: EntityIndex, *, kind: str, links: tuple[str, ...],
    name: str | None = None, limit: int = 50, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Entities of ``kind`` with, for each predicate in ``links``, the entities it points to."""
    page, total = await list_entities(select, index, kind=kind, name=name, limit=10**9, offset=0)
    linked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in await select(LINKS_OF_KIND, substitutions={"kind": v.DK[kind]}):
        linked[str(r["e"])][local_name(r["p"])].add(str(r["x"]))
    out = []
    for item in page[offset:offset + limit]:
        item.pop("score", None)
        for key in links:
            item[_plural(key)] = index.refs_sorted(linked[item["iri"]][key])
        out.append(item)
    return out, total


def _plural(key: str) -> str:
    return {"manufacturer": "manufacturers", "operator": "operators", "participant": "participants"}[key]


# --- documents ---------------------------------------------------------------------------
DOCUMENT_LIST = _PREFIXES + """
SELECT ?doc ?title ?sourceFile ?published ?ingested ?sha256 WHERE {
  ?doc a/rdfs:subClassOf* dk:Document .
  OPTIONAL { ?doc dk:title ?title }
  OPTIONAL { ?doc dk:sourceFile ?sourceFile }
  OPTIONAL { ?doc dk:publishedDate ?published }
  OPTIONAL { ?doc dk:ingestedAt ?ingested }
  OPTIONAL { ?doc dk:sha256 ?sha256 }
}"""

DOCUMENT_HEAD = DOCUMENT_LIST  # with ?doc bound

DOCUMENT_MENTIONS = _PREFIXES + """
SELECT DISTINCT ?doc ?e WHERE { GRAPH ?doc { ?doc dk:mentions ?e } }"""

DOCUMENT_COUNTS = _PREFIXES + """
SELECT ?doc (COUNT(DISTINCT ?e) AS ?mentions) WHERE {
  ?doc a/rdfs:subClassOf* dk:Document .
  OPTIONAL { ?doc dk:mentions ?e }
} GROUP BY ?doc"""

DOCUMENT_RELATIONS = _PREFIXES + f"""
SELECT DISTINCT ?doc ?s ?p ?o ?ev ?docTitle ?sentence ?start ?end ?confidence WHERE {{
  GRAPH ?doc {{
    {_RELATION_PREDICATES}
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
    OPTIONAL {{ ?ev dk:sentenceText ?sentence }}
    OPTIONAL {{ ?ev dk:charStart ?start }}
    OPTIONAL {{ ?ev dk:charEnd ?end }}
    OPTIONAL {{ ?ev dk:confidence ?confidence }}
  }}
  OPTIONAL {{ ?doc dk:title ?docTitle }}
}}"""

DOCUMENT_POSITIONS = _PREFIXES + """
SELECT DISTINCT ?doc ?pos ?person ?org ?title ?ev ?docTitle ?sentence ?start ?end ?confidence WHERE {
  GRAPH ?doc {
    ?pos a dk:Position ; dk:holder ?person ; dk:organization ?org .
    OPTIONAL { ?pos dk:roleTitle ?title }
    OPTIONAL { ?pos dk:evidence ?ev .
      OPTIONAL { ?ev dk:sentenceText ?sentence }
      OPTIONAL { ?ev dk:charStart ?start }
      OPTIONAL { ?ev dk:charEnd ?end }
      OPTIONAL { ?ev dk:confidence ?confidence } }
  }
  OPTIONAL { ?doc dk:title ?docTitle }
}"""

DOCUMENT_AGREEMENTS = _PREFIXES + """
SELECT DISTINCT ?doc ?ag WHERE { GRAPH ?doc { ?ag dk:party ?p } }"""


def _document_record(r: Row, mentions: int | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": public_id(r["doc"]),
        "iri": str(r["doc"]),
        "title": str(r["title"]) if "title" in r else None,
        "sourceFile": str(r["sourceFile"]) if "sourceFile" in r else None,
        "publishedDate": str(r["published"]) if "published" in r else None,
        "ingestedAt": str(r["ingested"]) if "ingested" in r else None,
        "sha256": str(r["sha256"]) if "sha256" in r else None,
    }
    if mentions is not None:
        d["mentionCount"] = mentions
    return d


async def list_documents(select: Select, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    counts = {str(r["doc"]): int(r["mentions"]) for r in await select(DOCUMENT_COUNTS)}
    docs: dict[str, dict[str, Any]] = {}
    for r in await select(DOCUMENT_LIST):
        iri = str(r["doc"])
        if public_id(iri) is not None and iri not in docs:
            docs[iri] = _document_record(r, counts.get(iri, 0))
    items = sorted(docs.values(), key=lambda d: d["id"])
    return items[offset:offset + limit], len(items)


async def get_document(select: Select, index: EntityIndex, pid: str) -> dict[str, Any]:
    """A document with the entities it mentions and every fact its graph states."""
    iri = iri_of(pid)
    if iri is None:
        raise NotFound("document", pid)
    subs = {"doc": iri}
    heads = await select(DOCUMENT_HEAD, substitutions=subs)
    if not heads:
        raise NotFound("document", pid)
    doc = _document_record(heads[0])
    doc["mentions"] = index.refs_sorted(r["e"] for r in await select(DOCUMENT_MENTIONS, substitutions=subs))
    facts: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in await select(DOCUMENT_RELATIONS, substitutions=subs):
        facts[(local_name(r["p"]), str(r["s"]), str(r["o"]))].append(_evidence(r))
    relations = []
    for (p, s, o), evs in facts.items():
        sr, orf = index.ref_dict(s), index.ref_dict(o)
        if sr is None or orf is None:
            continue
        relations.append({"predicate": p, "subject": sr, "object": orf, "evidence": _sorted_evidence(evs)})
    relations.sort(key=lambda f: (f["predicate"], f["subject"]["label"].lower(), f["object"]["label"].lower()))
    doc["relations"] = relations
    positions: dict[str, dict[str, Any]] = {}
    for r in await select(DOCUMENT_POSITIONS, substitutions=subs):
        person, org = index.ref_dict(r["person"]), index.ref_dict(r["org"])
        if person is None or org is None:
            continue
        entry = positions.setdefault(str(r["pos"]), {
            "title": str(r["title"]) if "title" in r else None,
            "person": person, "organization": org, "evidence": []})
        if "ev" in r:
            entry["evidence"].append(_evidence(r))
    doc["positions"] = sorted(positions.values(), key=lambda p: (p["person"]["label"].lower(),
                                                                 p["organization"]["label"].lower()))
    for p in doc["positions"]:
        p["evidence"] = _sorted_evidence(p["evidence"])
    ags = {str(r["ag"]) for r in await select(DOCUMENT_AGREEMENTS, substitutions=subs)}
    agreements = await _agreements(select, index, await _agreement_heads(select, sorted(ags)), evidence=True)
    for a in agreements:
        a["evidence"] = [e for e in a["evidence"] if e["document"] == pid]
    doc["agreements"] = sorted(agreements, key=_agreement_order)
    return doc


# --- statistics ----------------------------------------------------------------------------
COUNT_DOCUMENTS = _PREFIXES + """
SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a/rdfs:subClassOf* dk:Document }"""

COUNT_RELATIONS = _PREFIXES + f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
    {_RELATION_PREDICATES}
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dk:evidence ?ev .
  }} }}
}} GROUP BY ?p"""
"""Binary facts some document states (they carry evidence); reference-base facts are not counted."""

COUNT_POSITIONS = _PREFIXES + """
SELECT (COUNT(DISTINCT ?pos) AS ?n) WHERE { ?pos a dk:Position }"""

COUNT_TRIPLES = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"""


async def stats(select: Select, index: EntityIndex) -> dict[str, Any]:
    """Counts: documents, entities by kind, agreements by kind and status, relations, positions.

    Entities are those some document mentions and relations those some document states.
    """
    by_kind: dict[str, int] = defaultdict(int)
    for iri in index.mentioned:
        by_kind[index.refs[iri].kind] += 1
    heads = _head(await select(AGREEMENT_HEAD))
    ag_kind: dict[str, int] = defaultdict(int)
    ag_status: dict[str, int] = defaultdict(int)
    for h in heads.values():
        ag_kind[h["kind"]] += 1
        ag_status[h["status"] or "Unknown"] += 1
    relations = {local_name(r["p"]): int(r["n"]) for r in await select(COUNT_RELATIONS)}
    return {
        "documents": int((await select(COUNT_DOCUMENTS))[0]["n"]),
        "entities": len(index.mentioned),
        "entitiesByKind": dict(sorted(by_kind.items())),
        "agreements": len(heads),
        "agreementsByKind": dict(sorted(ag_kind.items())),
        "agreementsByStatus": dict(sorted(ag_status.items())),
        "relations": sum(relations.values()),
        "relationsByPredicate": dict(sorted(relations.items())),
        "positions": int((await select(COUNT_POSITIONS))[0]["n"]),
        "triples": int((await select(COUNT_TRIPLES))[0]["n"]),
    }


# --- neighbourhood graph -----------------------------------------------------------------------
NEIGHBOURS = _PREFIXES + f"""
SELECT DISTINCT ?e ?s ?p ?o ?title WHERE {{
  {{ {_RELATION_PREDICATES} ?e ?p ?o . BIND(?e AS ?s) }}
  UNION {{ {_RELATION_PREDICATES} ?s ?p ?e . BIND(?e AS ?o) }}
  UNION {{ ?pos a dk:Position ; dk:holder ?e ; dk:organization ?o . BIND(?e AS ?s) BIND(dk:holds AS ?p)
           OPTIONAL {{ ?pos dk:roleTitle ?title }} }}
  UNION {{ ?pos a dk:Position ; dk:organization ?e ; dk:holder ?s . BIND(?e AS ?o) BIND(dk:holds AS ?p)
           OPTIONAL {{ ?pos dk:roleTitle ?title }} }}
  UNION {{ VALUES ?p {{ dk:party dk:subject dk:site }} ?s ?p ?e . BIND(?e AS ?o)
           ?s a/rdfs:subClassOf* dk:Agreement . }}
  UNION {{ VALUES ?p {{ dk:party dk:subject dk:site }} ?e ?p ?o . BIND(?e AS ?s)
           ?e a/rdfs:subClassOf* dk:Agreement . }}
}}"""


async def neighbourhood(select: Select, index: EntityIndex, pid: str, *, depth: int = 1,
                        max_nodes: int = 200) -> dict[str, Any]:
    """Nodes and edges within ``depth`` hops of an entity; agreements are nodes too.

    An edge's ``predicate`` is the relation's local name, ``holds`` for a position
    (its ``label`` is the role title) and ``party``/``subject``/``site`` for agreements.
    """
    iri = iri_of(pid)
    if iri is None or str(iri) not in index.refs:
        raise NotFound("entity", pid)
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    agreement_kinds: dict[str, str] = {}

    async def node(x: str, hops: int) -> dict[str, Any] | None:
        if x in nodes:
            return nodes[x]
        ref = index.refs.get(x)
        if ref is not None:
            nodes[x] = ref.as_dict() | {"group": "entity"}
        else:
            pid_x = public_id(x)
            if pid_x is None:
                return None
            if x not in agreement_kinds:
                heads = _head(await select(AGREEMENT_HEAD, substitutions={"ag": URIRef(x)}))
                agreement_kinds[x] = heads[x]["kind"] if x in heads else ""
            if not agreement_kinds[x]:
                return None
            kind = agreement_kinds[x]
            nodes[x] = {"id": pid_x, "iri": x, "label": kind, "kind": kind, "group": "agreement"}
        nodes[x]["depth"] = hops
        return nodes[x]

    await node(str(iri), 0)
    frontier = [str(iri)]
    truncated = False
    for hops in range(1, depth + 1):
        nxt: list[str] = []
        for x in frontier:
            for r in await select(NEIGHBOURS, substitutions={"e": URIRef(x)}):
                s, o = str(r["s"]), str(r["o"])
                other = o if s == x else s
                if other not in nodes and len(nodes) >= max_nodes:
                    truncated = True
                    continue
                is_new = other not in nodes
                if await node(other, hops) is None or await node(s, hops) is None or await node(o, hops) is None:
                    continue
                if is_new:
                    nxt.append(other)
                p = local_name(r["p"])
                key = (nodes[s]["id"], nodes[o]["id"], p)
                edge = edges.setdefault(key, {"source": key[0], "target": key[1], "predicate": p, "label": p})
                if "title" in r:
                    edge["label"] = str(r["title"])
        frontier = nxt
    return {
        "center": pid,
        "nodes": sorted(nodes.values(), key=lambda n: (n["depth"], n["group"], n["label"].lower(), n["id"])),
        "edges": sorted(edges.values(), key=lambda e: (e["source"], e["target"], e["predicate"])),
        "truncated": truncated,
    }


# --- timeline -----------------------------------------------------------------------------------
async def timeline(select: Select, index: EntityIndex, *, granularity: str = "month",
                   **filters: Any) -> dict[str, Any]:
    """Dated agreements in date order, and how many fall in each year or month."""
    items, total = await list_agreements(select, index, dated_only=True, limit=10**9, offset=0,
                                         evidence=False, **filters)
    width = 4 if granularity == "year" else 7
    buckets: dict[str, int] = defaultdict(int)
    for a in items:
        buckets[a["date"][:width]] += 1
    return {
        "data": items,
        "count": total,
        "buckets": [{"period": k, "count": n} for k, n in sorted(buckets.items())],
    }
