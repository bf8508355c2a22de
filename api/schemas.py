"""Response models of the REST API (``/api/v1``): the JSON shapes dashboards rely on.

Naming ladder: ``XPublic`` is one resource as returned, ``XsPublic(data, count)`` a page
of them with the total ``count`` of matches (before ``limit``/``offset``), and
``XSummary`` the short form embedded in other resources.

Ids are stable public ids: the entity's IRI path after
``https://w3id.org/defence-kg/id/`` with ``/`` written ``.``, e.g.
``organization.bae-systems``, ``country.georgia``, ``document.000_8b7e041c7c2624cb``
(see :mod:`kg.queries`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kg.vocab import AGREEMENT_KINDS, ENTITY_KINDS, STATUSES

# The kinds are read from the ontology when kg.vocab is imported; pydantic (and the OpenAPI enum)
# takes a Literal's values at run time, which a static checker cannot see.
EntityKind = Literal[ENTITY_KINDS]  # type: ignore[valid-type]  # values read from the ontology at import
AgreementKind = Literal[AGREEMENT_KINDS]  # type: ignore[valid-type]  # likewise
AgreementStatus = Literal[STATUSES]  # type: ignore[valid-type]  # likewise

ID_DESCRIPTION = (
    "Stable public id: the IRI path after https://w3id.org/defence-kg/id/ with '/' written '.', "
    "e.g. organization.bae-systems (the coarse kind is kept because slugs collide across kinds)."
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityRef(_Model):
    id: str = Field(description=ID_DESCRIPTION, examples=["organization.baykar"])
    iri: str
    label: str = Field(description="Canonical name (rdfs:label).")
    kind: str = Field(description="Most specific ontology class, e.g. Company, UnmannedCombatAerialVehicle.")


class EntitySummary(EntityRef):
    score: float | None = Field(None, description="Fuzzy-match score (0..1) when match=fuzzy, else null.")


class EntitiesPublic(_Model):
    data: list[EntitySummary]
    count: int = Field(description="Total number of matches before limit/offset.")


class EvidencePublic(_Model):
    document: str | None = Field(description="Public id of the document the sentence is from.")
    documentTitle: str | None
    sentence: str | None
    start: int | None = Field(description="Character offset of the sentence in the document.")
    end: int | None
    confidence: float | None


class RelationPublic(_Model):
    predicate: str = Field(description="manufacturer, operator, country, parentOrganization, supplier, participant")
    direction: Literal["out", "in"] = Field(
        description="out: this entity is the subject (this → other); in: it is the object (other → this)."
    )
    other: EntityRef
    evidence: list[EvidencePublic] = Field(description="Sentences stating the fact; empty for reference-base facts.")


class PositionPublic(_Model):
    direction: Literal["out", "in"] = Field(description="out: this entity holds the post; in: the post is here.")
    title: str | None
    person: EntityRef
    organization: EntityRef
    evidence: list[EvidencePublic]


class MoneyPublic(_Model):
    amount: float
    currency: str | None = Field(description="ISO 4217 code.")


class AgreementReport(_Model):
    document: str | None = Field(description="The document that reports the agreement (its public id).")
    status: str | None = Field(description="The stage this document's own sentence gives, or null.")
    date: str | None = Field(description="The date this document's sentence gives (ISO 8601), or null.")
    published: str | None = Field(description="When the document was published, when known.")


class AgreementSummary(_Model):
    id: str | None = Field(description=ID_DESCRIPTION)
    iri: str
    kind: str = Field(
        description="MemorandumOfUnderstanding, JointVentureAgreement, Acquisition, Procurement or Partnership."
    )
    status: str | None = Field(
        description="The status of the latest report that states one (Proposed, Signed, "
        "Completed, Cancelled), or null when none does."
    )
    date: str | None = Field(
        description="The date of the latest report that gives one (ISO 8601 year, "
        "year-month or date as stated), or null."
    )
    reports: list[AgreementReport] = Field(
        description="Every document's report of the agreement, oldest first "
        "(by the date it gives, else its publication date)."
    )
    value: MoneyPublic | None
    parties: list[EntityRef]
    subjects: list[EntityRef] = Field(description="Aircraft or programmes the agreement is about.")
    sites: list[EntityRef]


class AgreementPublic(AgreementSummary):
    evidence: list[EvidencePublic]


class AgreementsPublic(_Model):
    data: list[AgreementPublic]
    count: int


class EntityAgreement(AgreementSummary):
    roles: list[str] = Field(description="How the entity takes part: party, subject and/or site.")


class DocumentRef(_Model):
    id: str
    title: str | None


class EntityPublic(EntityRef):
    types: list[str] = Field(description="Every ontology class asserted for the entity.")
    labels: list[str] = Field(description="Every name it goes by (rdfs:label and skos:altLabel).")
    relations: list[RelationPublic]
    positions: list[PositionPublic]
    agreements: list[EntityAgreement]
    documents: list[DocumentRef] = Field(description="Documents that mention the entity.")


_FIRST = "In a listing, the first `link_limit` by label; the count gives them all."


class AircraftPublic(EntityRef):
    manufacturers: list[EntityRef] = Field(description=_FIRST)
    manufacturerCount: int
    operators: list[EntityRef] = Field(description=_FIRST)
    operatorCount: int


class AircraftListPublic(_Model):
    data: list[AircraftPublic]
    count: int


class ProgrammePublic(EntityRef):
    participants: list[EntityRef] = Field(description=_FIRST)
    participantCount: int


class ProgrammesPublic(_Model):
    data: list[ProgrammePublic]
    count: int


class DocumentSummary(_Model):
    id: str
    iri: str
    title: str | None
    sourceFile: str | None
    publishedDate: str | None
    ingestedAt: str | None
    sha256: str | None
    mentionCount: int = Field(description="Number of entities the document mentions.")


class DocumentsPublic(_Model):
    data: list[DocumentSummary]
    count: int


class StatedRelation(_Model):
    predicate: str
    subject: EntityRef
    object: EntityRef
    evidence: list[EvidencePublic]


class StatedPosition(_Model):
    title: str | None
    person: EntityRef
    organization: EntityRef
    evidence: list[EvidencePublic]


class DocumentPublic(_Model):
    id: str
    iri: str
    title: str | None
    sourceFile: str | None
    publishedDate: str | None
    ingestedAt: str | None
    sha256: str | None
    mentions: list[EntityRef]
    relations: list[StatedRelation] = Field(description="Binary facts the document states, with evidence.")
    positions: list[StatedPosition]
    agreements: list[AgreementPublic] = Field(description="Agreements the document states (evidence from it).")


class StatsPublic(_Model):
    documents: int
    entities: int = Field(description="Entities mentioned by at least one document.")
    entitiesByKind: dict[str, int]
    agreements: int
    agreementsByKind: dict[str, int]
    agreementsByStatus: dict[str, int] = Field(description="'Unknown' counts agreements with no status.")
    relations: int = Field(
        description="Distinct binary facts stated by documents (reference-base facts are not counted)."
    )
    relationsByPredicate: dict[str, int]
    positions: int
    triples: int = Field(description="Triples in all named graphs (ontology and reference base included).")


class GraphNode(_Model):
    id: str
    iri: str
    label: str
    kind: str
    group: Literal["entity", "agreement"]
    depth: int = Field(description="Hops from the centre.")


class GraphEdge(_Model):
    source: str
    target: str
    predicate: str = Field(
        description="A relation, 'holds' (person → organisation: a position), or "
        "party/subject/site (agreement → entity)."
    )
    label: str = Field(description="The predicate, or the role title of a position.")


class GraphPublic(_Model):
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="True when max_nodes cut the neighbourhood short.")


class TimelineBucket(_Model):
    period: str = Field(description="YYYY or YYYY-MM")
    count: int


class TimelinePublic(_Model):
    data: list[AgreementSummary] = Field(description="A page of the dated agreements, oldest first.")
    count: int
    buckets: list[TimelineBucket]


class NetworkNode(EntityRef):
    group: Literal["firm", "government", "country"] = Field(
        description="How the party is drawn: a firm (company, "
        "joint venture, division), a government body "
        "(armed forces included) or a country."
    )
    agreements: int = Field(description="Agreements of the answer it is a party to.")


class NetworkEdge(_Model):
    agreement: str | None = Field(description="Public id of the agreement.")
    source: str
    target: str
    kind: str = Field(description="The agreement's kind.")
    status: str | None
    date: str | None


class NetworkPublic(_Model):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge] = Field(
        description="One per agreement and pair of its parties that are nodes, "
        "in agreement order (oldest first, undated last)."
    )
    count: int = Field(description="Agreements that match the filters.")
    truncated: bool = Field(
        description="True when more agreements match than limit: the edges are those of the first limit of them."
    )


class ErrorPublic(_Model):
    """The body of every error answer but a request validation error (422)."""

    detail: str = Field(
        description="What went wrong, in one line.", examples=["no entity with id 'organization.nowhere'"]
    )
