"""The ontology's terms as constants: the one place namespaces are spelled out.

Every name below must be declared in ``ontology/defence.ttl``; ``tests/test_vocab.py``
checks that, so a typo here or a rename in Protégé fails the test suite instead of
silently producing triples nobody can query.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

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

ID_KINDS = ("organization", "person", "country", "place", "aircraft", "programme", "agreement", "position",
            "document")
"""The first path segment of every IRI under ``ID``: the entity kinds, fact nodes and documents."""

PREFIXES: dict[str, str] = {
    "dk": str(DK), "id": str(ID), "graph": str(GRAPH),
    **{kind: str(ID) + kind + "/" for kind in ID_KINDS},
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
    "schema": str(SCHEMA), "org": str(ORG), "prov": str(PROV), "foaf": str(FOAF), "dcterms": str(DCTERMS),
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

__all__ = [
    "BASE", "DK", "ID", "GRAPH", "ONTOLOGY_IRI", "ONTOLOGY_GRAPH", "REFERENCE_GRAPH", "SHAPES_GRAPH", "META_GRAPH",
    "SCHEMA", "ORG", "ID_KINDS", "PREFIXES", "DCTERMS", "FOAF", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
]
