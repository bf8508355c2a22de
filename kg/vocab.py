"""The ontology's terms and structure: the one place namespaces are spelled out, and the
one place the class hierarchy, the kinds and the relations' domains and ranges are read.

Two halves:

- **Terms** as constants (``vocab.Company``, ``vocab.manufacturer``). Every one must be
  declared in ``ontology/defence.ttl``: the module checks that when it is imported, so a
  typo here or a rename in Protégé fails at import instead of silently producing triples
  nobody can query.
- **Structure**, read once from ``defence.ttl`` into a :class:`Vocabulary` (the module's
  :data:`VOCABULARY`) and never restated in code: the classes and their hierarchy (super
  and sub classes, depth), the entity kinds, agreement kinds and statuses in their order,
  the relations between entities, every object property's domain and range. Code that
  works on an ontology a user edited (the extractor reads ``KG_ONTOLOGY``) builds its own
  with :meth:`Vocabulary.from_graph`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.config import ONTOLOGY_DIR
from kg.errors import OntologyError

BASE = "https://w3id.org/defence-kg/"
DK = Namespace(BASE + "ontology#")
"""Classes and properties of the ontology."""
ID = Namespace(BASE + "id/")
"""Individuals: ``ID[f"{kind}/{slug}"]``; documents are ``ID["document/<stem>"]``."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs that are not documents: ``GRAPH.ontology``, ``GRAPH.reference``."""

ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
SHAPES_GRAPH = GRAPH["shapes"]
META_GRAPH = GRAPH["meta"]
"""A remote store's own bookkeeping (its generation token, :mod:`kg.remote`); no document or fact."""

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

ID_KINDS = ("organization", "person", "country", "place", "aircraft", "programme", "agreement", "position", "document")
"""The first path segment of every IRI under ``ID``: the entity kinds, fact nodes and documents."""

PREFIXES: dict[str, str] = {
    "dk": str(DK),
    "id": str(ID),
    "graph": str(GRAPH),
    **{kind: str(ID) + kind + "/" for kind in ID_KINDS},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
}
"""The project's prefixes, which Turtle, TriG, RDF/XML and JSON-LD output declare: the
namespaces above, and one per kind (``organization:baykar``, as ``reference.ttl`` writes it)."""

# --- classes -----------------------------------------------------------------
Organization = DK.Organization
Company = DK.Company
JointVenture = DK.JointVenture
Division = DK.Division
GovernmentBody = DK.GovernmentBody
ArmedForce = DK.ArmedForce
Country = DK.Country
Place = DK.Place
Person = DK.Person
Aircraft = DK.Aircraft
UnmannedAerialVehicle = DK.UnmannedAerialVehicle
CombatAircraft = DK.CombatAircraft
UnmannedCombatAerialVehicle = DK.UnmannedCombatAerialVehicle
Programme = DK.Programme
Agreement = DK.Agreement
MemorandumOfUnderstanding = DK.MemorandumOfUnderstanding
JointVentureAgreement = DK.JointVentureAgreement
Acquisition = DK.Acquisition
Procurement = DK.Procurement
Partnership = DK.Partnership
AgreementStatus = DK.AgreementStatus
Position = DK.Position
Document = DK.Document
NewsArticle = DK.NewsArticle
Evidence = DK.Evidence
MonetaryAmount = DK.MonetaryAmount

# --- agreement status individuals ---------------------------------------------
Proposed = DK.Proposed  # in talks, proposed, under negotiation
Signed = DK.Signed
Completed = DK.Completed  # established, completed, closed
Cancelled = DK.Cancelled

# --- object properties ---------------------------------------------------------
party = DK.party
buyer = DK.buyer  # agreement -> the party that buys (sub-property of dk:party)
seller = DK.seller  # agreement -> the party that sells
acquiredOrganization = DK.acquiredOrganization  # acquisition -> the company bought
jointVenture = DK.jointVenture  # joint venture agreement -> the company it sets up
previousOwner = DK.previousOwner  # acquisition -> who sold the company bought (no party)
manufacturer = DK.manufacturer
operator = DK.operator
country = DK.country
parentOrganization = DK.parentOrganization
subOrganization = DK.subOrganization
supplier = DK.supplier  # subject supplies the object (supplier -> customer)
participant = DK.participant  # programme -> party taking part
holder = DK.holder  # position -> person
organization = DK.organization  # position -> organisation or country
status = DK.status
subject = DK.subject  # agreement -> aircraft or programme it is about
site = DK.site  # agreement -> place of production / headquarters
value = DK.value  # agreement -> MonetaryAmount
evidence = DK.evidence  # fact node or reified statement -> Evidence
document = DK.document  # evidence -> Document
mentions = DK.mentions  # document -> entity

# --- datatype properties ---------------------------------------------------------
roleTitle = DK.roleTitle
date = DK.date
amount = DK.amount
currency = DK.currency  # ISO 4217 code
confidence = DK.confidence
extractionRule = DK.extractionRule  # evidence -> "<rule file>:<rule id>"
sentenceText = DK.sentenceText
charStart = DK.charStart
charEnd = DK.charEnd
title = DK.title
sourceFile = DK.sourceFile
sha256 = DK.sha256
ingestedAt = DK.ingestedAt
publishedDate = DK.publishedDate
acronym = DK.acronym
demonym = DK.demonym
isoCode = DK.isoCode  # ISO 3166-1 alpha-3 on countries


# --- the structure, read from the ontology ----------------------------------------------
def local_name(term: object) -> str | None:
    """The local name of a ``dk:`` IRI, else None.

    >>> local_name(DK.Company), local_name(RDFS.label)
    ('Company', None)
    """
    text = str(term) if isinstance(term, URIRef) else None
    return text[len(DK) :] if text is not None and text.startswith(DK) else None


@dataclass(frozen=True)
class Vocabulary:
    """What the code needs to know of the ontology's structure, by ``dk:`` local name.

    >>> VOCABULARY.super_classes["ArmedForce"]
    ('ArmedForce', 'GovernmentBody', 'Organization')
    >>> VOCABULARY.depth["UnmannedCombatAerialVehicle"], VOCABULARY.kind_segment("ArmedForce")
    (2, 'organization')
    >>> sorted(VOCABULARY.ranges["operator"])[:3]
    ['ArmedForce', 'Company', 'Country']
    """

    classes: frozenset[str]
    super_classes: dict[str, tuple[str, ...]]
    """class → itself and its ancestors, nearest first."""
    sub_classes: dict[str, frozenset[str]]
    """class → itself and every class under it."""
    depth: dict[str, int]
    """class → the length of the longest path up to a class with no super class (those are 0)."""
    properties: frozenset[str]
    """The object properties."""
    domains: dict[str, frozenset[str]]
    """object property → the classes of its ``rdfs:domain`` (``owl:unionOf`` read), closed under sub classes."""
    ranges: dict[str, frozenset[str]]
    """object property → the classes of its ``rdfs:range``, likewise."""
    inverses: dict[str, str]
    """object property → the property stated ``owl:inverseOf`` it."""
    entity_classes: frozenset[str]
    """The classes of entities: a document ``dk:mentions`` them (its range), with their sub classes."""
    agreement_kinds: tuple[str, ...]
    """The kinds of agreement, in the order of the ontology's ``owl:AllDisjointClasses`` list of them."""
    statuses: tuple[str, ...]
    """The agreement statuses from the first reported stage to the last (its ``owl:AllDifferent`` list)."""

    @classmethod
    def from_graph(cls, graph: Graph) -> Self:
        classes = {n for c in graph.subjects(RDF.type, OWL.Class) if (n := local_name(c))}
        parents: dict[str, set[str]] = {c: set() for c in classes}
        for child, parent in graph.subject_objects(RDFS.subClassOf):
            if (a := local_name(child)) and (b := local_name(parent)):
                parents.setdefault(a, set()).add(b)

        def ancestors(c: str) -> tuple[str, ...]:
            out, todo = [c], [c]
            while todo:
                for p in sorted(parents.get(todo.pop(0), ())):
                    if p not in out:
                        out.append(p)
                        todo.append(p)
            return tuple(out)

        def depth(c: str, seen: frozenset[str] = frozenset()) -> int:
            ups = [p for p in parents.get(c, ()) if p not in seen]
            return 1 + max(depth(p, seen | {c}) for p in ups) if ups else 0

        supers = {c: ancestors(c) for c in parents}
        subs: dict[str, set[str]] = {c: set() for c in parents}
        for c, ups in supers.items():
            for u in ups:
                subs.setdefault(u, set()).add(c)

        def class_set(node: object) -> frozenset[str]:
            if isinstance(node, URIRef):
                name = local_name(node)
                return frozenset(subs.get(name, {name})) if name else frozenset()
            if isinstance(node, BNode):
                members = graph.value(node, OWL.unionOf)
                if members is not None:
                    return frozenset(x for m in Collection(graph, members) for x in class_set(m))
            return frozenset()

        props = {n for p in graph.subjects(RDF.type, OWL.ObjectProperty) if (n := local_name(p))}
        inverses = {
            a: b for s, o in graph.subject_objects(OWL.inverseOf) if (a := local_name(s)) and (b := local_name(o))
        }
        agreements = subs.get("Agreement", set()) - {"Agreement"}
        statuses = {n for i in graph.subjects(RDF.type, DK.AgreementStatus) if (n := local_name(i))}
        return cls(
            classes=frozenset(parents),
            super_classes=supers,
            sub_classes={c: frozenset(s) for c, s in subs.items()},
            depth={c: depth(c) for c in parents},
            properties=frozenset(props),
            domains={n: class_set(graph.value(DK[n], RDFS.domain)) for n in props},
            ranges={n: class_set(graph.value(DK[n], RDFS.range)) for n in props},
            inverses=inverses,
            entity_classes=class_set(graph.value(DK.mentions, RDFS.range)),
            agreement_kinds=_listed(graph, OWL.AllDisjointClasses, OWL.members, agreements),
            statuses=_listed(graph, OWL.AllDifferent, OWL.distinctMembers, statuses),
        )

    @classmethod
    def from_file(cls, path: Path) -> Self:
        return cls.from_graph(_read(path))

    # --- derived -----------------------------------------------------------------------
    def is_a(self, cls: str | None, ancestor: str) -> bool:
        return cls is not None and ancestor in self.super_classes.get(cls, (cls,))

    @property
    def entity_kinds(self) -> tuple[str, ...]:
        """The entity classes from the most specific to the most general: every class before its
        super classes, so an entity's kind is the first of these among its types. Grouped by top
        class; within one, deeper first, then by local name, Z to A (the order the API has always used)."""

        def key(c: str) -> tuple[str, int, tuple[int, ...]]:
            return self.super_classes[c][-1], -self.depth[c], tuple(-ord(ch) for ch in c)

        return tuple(sorted(self.entity_classes, key=key))

    @property
    def kind_classes(self) -> dict[str, str]:
        """IRI kind (``id/<kind>/<slug>``) → the class whose individuals are minted under it:
        the entity classes named like a kind of :data:`ID_KINDS` (a country is a place, but
        has a kind of its own)."""
        by_name = {c.lower(): c for c in self.entity_classes}
        return {k: by_name[k] for k in ID_KINDS if k in by_name}

    def kind_segment(self, cls: str) -> str:
        """The IRI kind of an entity of class ``cls``: its nearest class that has one."""
        segments = {c: k for k, c in self.kind_classes.items()}
        for c in self.super_classes.get(cls, (cls,)):
            if c in segments:
                return segments[c]
        raise OntologyError(f"class {cls!r} is not under any of {', '.join(sorted(segments.values()))}")

    @property
    def entity_relations(self) -> tuple[str, ...]:
        """The object properties from entities to entities (and their inverses), by name."""
        entity = self.entity_classes
        return tuple(
            sorted(
                p
                for p in self.properties
                if self.domains[p] and self.ranges[p] and self.domains[p] <= entity and self.ranges[p] <= entity
            )
        )

    @property
    def fact_relations(self) -> tuple[str, ...]:
        """The relations a document states as binary facts (reified with their evidence): the
        relations between entities that are not declared the inverse of another."""
        inverse = set(self.inverses.values())
        return tuple(p for p in self.entity_relations if p not in inverse)


def _listed(graph: Graph, kind: URIRef, predicate: URIRef, wanted: Iterable[str]) -> tuple[str, ...]:
    """``wanted`` in the order of the first ``kind`` axiom whose ``predicate`` list holds them all."""
    wanted = set(wanted)
    for axiom in graph.subjects(RDF.type, kind):
        members = graph.value(axiom, predicate)
        names = [n for m in Collection(graph, members) if (n := local_name(m))] if members is not None else []
        if wanted and wanted <= set(names):
            return tuple(n for n in names if n in wanted)
    return tuple(sorted(wanted))


ONTOLOGY_FILE = ONTOLOGY_DIR / "defence.ttl"


def _read(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as e:
        raise OntologyError(f"cannot read the ontology {path}: {e}") from e


_ONTOLOGY = _read(ONTOLOGY_FILE)
VOCABULARY = Vocabulary.from_graph(_ONTOLOGY)
"""The packaged ontology's structure, read once."""

ENTITY_KINDS = VOCABULARY.entity_kinds
AGREEMENT_KINDS = VOCABULARY.agreement_kinds
STATUSES = VOCABULARY.statuses
ENTITY_RELATIONS = VOCABULARY.entity_relations
FACT_RELATIONS = VOCABULARY.fact_relations


def _check_terms(graph: Graph) -> None:
    """Every ``dk:`` constant of this module is declared in the ontology (a typo fails here)."""
    declared = {n for n in map(local_name, graph.subjects(RDF.type, None)) if n}
    missing = sorted(
        n
        for name, value in globals().items()
        if not name.startswith("_") and (n := local_name(value)) and n not in declared
    )
    if missing:
        raise OntologyError(f"kg.vocab names terms {ONTOLOGY_FILE} does not declare: {', '.join(missing)}")


_check_terms(_ONTOLOGY)
del _ONTOLOGY

__all__ = [
    "BASE",
    "DK",
    "ID",
    "GRAPH",
    "ONTOLOGY_IRI",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "SHAPES_GRAPH",
    "META_GRAPH",
    "SCHEMA",
    "ORG",
    "ID_KINDS",
    "PREFIXES",
    "DCTERMS",
    "FOAF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "ONTOLOGY_FILE",
    "VOCABULARY",
    "Vocabulary",
    "ENTITY_KINDS",
    "AGREEMENT_KINDS",
    "STATUSES",
    "ENTITY_RELATIONS",
    "FACT_RELATIONS",
    "local_name",
]
