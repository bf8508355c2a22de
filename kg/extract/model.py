"""What extraction produces: plain frozen values, no RDF and no IRIs.

``kg.mapping`` is the only consumer that turns these into triples. Entities are
referred to by :class:`Ref` (coarse kind + canonical name), which is also what the
IRI is minted from, so the same firm named the same way in two documents is one node.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A reference to an entity: coarse kind and canonical name."""

    coarse: str
    name: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: the sentence (text and character offsets in the document)."""

    sentence: str
    start: int
    end: int
    confidence: float
    rule: str = ""  # the rule that read it: "<file>:<rule id>"


@dataclass(frozen=True, slots=True)
class Entity:
    kind: str  # ontology class local name, e.g. "Company", "UnmannedAerialVehicle"
    name: str  # canonical name
    labels: frozenset[str] = frozenset()  # every surface form used in the document
    iri: str | None = None  # the reference base's IRI when the reference base knew it
    coarse: str = "organization"  # the IRI kind (kg.vocab.ID_KINDS) of its class

    @property
    def ref(self) -> Ref:
        return Ref(self.coarse, self.name)


@dataclass(frozen=True, slots=True)
class Relation:
    key: str  # a relation of kg.vocab.FACT_RELATIONS
    subject: Ref
    object: Ref
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Position:
    holder: Ref  # a person
    organization: Ref  # an organisation, or a country for ministers and presidents
    title: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217


@dataclass(frozen=True, slots=True)
class Agreement:
    kind: str  # one of kg.vocab.AGREEMENT_KINDS
    parties: tuple[Ref, ...]
    evidence: Evidence
    status: str | None = None  # one of kg.vocab.STATUSES
    date: str | None = None  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    value: Money | None = None
    subjects: tuple[Ref, ...] = ()
    sites: tuple[Ref, ...] = ()
    roles: tuple[tuple[str, Ref], ...] = ()  # (property local name: buyer, seller, acquiredOrganization, jointVenture)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document's body."""

    title: str
    body_end: int  # character offset where reader comments begin (len(text) if none)
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    positions: tuple[Position, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    published: str | None = None  # ISO date when the text states it
