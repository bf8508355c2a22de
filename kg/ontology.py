"""Load the ontology, render it for Protégé, and check data against it.

The Turtle file ``ontology/defence.ttl`` is the source of truth; ``defence.owl`` is
its RDF/XML rendering (:func:`render_rdfxml`). :func:`check_consistency` asks HermiT
(through owlready2) whether a set of graphs is logically consistent, and
:func:`validate_shapes` runs the SHACL shapes in ``ontology/shapes.ttl`` through pySHACL.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.config import ONTOLOGY_DIR
from kg.errors import OntologyError

ONTOLOGY_TTL = ONTOLOGY_DIR / "defence.ttl"
ONTOLOGY_OWL = ONTOLOGY_DIR / "defence.owl"
REFERENCE_TTL = ONTOLOGY_DIR / "reference.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"

_FORMATS = {
    ".ttl": "turtle",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".nt": "nt",
}

# The IRI of the ontology that check_consistency hands to the reasoner.
_MERGED_IRI = URIRef("https://w3id.org/defence-kg/consistency-check")


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    """What the reasoner concluded about a set of graphs."""

    consistent: bool
    unsatisfiable: list[str]
    """IRIs of classes equivalent to owl:Nothing (empty when inconsistent: HermiT stops first)."""
    message: str
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ShapesReport:
    """What pySHACL concluded about a data graph."""

    conforms: bool
    results: Graph
    """The SHACL validation report graph (``sh:ValidationReport`` and its ``sh:result``\\ s)."""
    text: str


def load_graph(path: str | Path) -> Graph:
    """Parse an RDF file, choosing the syntax from the extension.

    ``.ttl`` is Turtle, ``.owl``/``.rdf``/``.xml`` RDF/XML, ``.nt`` N-Triples.

    Raises:
        OntologyError: the extension is unknown, the file is missing, or it does
            not parse; the message names the file and repeats the parser's message.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OntologyError(f"{path.name}: unknown RDF file extension {path.suffix!r}")
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise OntologyError(f"{path.name}: no such file") from exc
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise OntologyError(f"{path.name}: cannot parse as {fmt}: {exc}") from exc
    return graph


def render_rdfxml(ttl_path: str | Path = ONTOLOGY_TTL, owl_path: str | Path = ONTOLOGY_OWL) -> Graph:
    """Write the RDF/XML rendering of a Turtle file (for Protégé and OWL tools); return the graph."""
    graph = load_graph(ttl_path)
    _bind_prefixes(graph)
    Path(owl_path).write_text(graph.serialize(format="xml"), encoding="utf-8")
    return graph


def check_consistency(graphs: list[Graph]) -> ConsistencyReport:
    """Merge ``graphs`` (TBox, reference base, any ABox) and ask HermiT whether they are consistent.

    Ontology headers and imports are dropped and replaced by one header, so the
    reasoner sees one self-contained ontology. Reified statements (``rdf:Statement``
    with ``rdf:subject``/``rdf:predicate``/``rdf:object``) are dropped too: they are
    outside OWL 2 DL, and the facts they reify are asserted directly anyway.

    An inconsistent ontology gives ``consistent=False`` with a message; HermiT
    does not explain itself, so the message names the individuals whose asserted
    types fall in disjoint classes when there are any.

    Raises:
        OntologyError: Java is not installed, or the reasoner failed for another reason.
    """
    import time

    import owlready2

    java = shutil.which("java")
    if java is None:
        raise OntologyError("HermiT needs Java: no `java` on PATH")
    owlready2.JAVA_EXE = java

    merged = _merge_for_reasoning(graphs)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kg-hermit-") as tmp:
        owl_file = Path(tmp) / "merged.owl"
        owl_file.write_text(merged.serialize(format="xml"), encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology(owl_file.as_uri()).load()
            with onto:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, ignore_unsupported_datatypes=True, debug=0
                )
            unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            seconds = time.perf_counter() - started
            hints = explain_disjointness(merged)
            detail = "; ".join(hints) if hints else (str(exc) or "HermiT gives no explanation")
            return ConsistencyReport(False, [], f"HermiT: the ontology is inconsistent: {detail}", seconds)
        except owlready2.OwlReadyJavaError as exc:
            raise OntologyError(f"HermiT failed: {exc}") from exc
        finally:
            world.close()
    seconds = time.perf_counter() - started
    if unsatisfiable:
        return ConsistencyReport(
            True, unsatisfiable, f"HermiT: consistent, {len(unsatisfiable)} unsatisfiable classes", seconds
        )
    return ConsistencyReport(True, unsatisfiable, "HermiT: consistent", seconds)


def validate_shapes(
    data: Graph, shapes: Graph, ontology: Graph | None = None, *, inference: str = "none"
) -> ShapesReport:
    """Validate ``data`` against SHACL ``shapes`` with pySHACL.

    ``ontology`` is mixed into the data graph (not into ``data`` itself) so that
    ``sh:targetClass dk:Agreement`` also reaches nodes typed with a sub-class.
    """
    from pyshacl import validate

    conforms, results, text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        abort_on_first=False,
        allow_warnings=False,
    )
    return ShapesReport(bool(conforms), results, str(text))


def explain_disjointness(graph: Graph) -> list[str]:
    """Name the individuals whose asserted types fall in two disjoint classes.

    Uses only told ``rdfs:subClassOf`` links, ``owl:disjointWith`` and
    ``owl:AllDisjointClasses``; a cheap explanation of the usual reason an ABox
    is inconsistent, since HermiT reports no reason of its own.
    """
    supers: dict[URIRef, set[URIRef]] = {}

    def ancestors(cls: URIRef) -> set[URIRef]:
        if cls not in supers:
            supers[cls] = {cls}
            for parent in graph.objects(cls, RDFS.subClassOf):
                if isinstance(parent, URIRef):
                    supers[cls] |= ancestors(parent)
        return supers[cls]

    disjoint: set[frozenset[URIRef]] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            disjoint.add(frozenset((a, b)))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        listed = graph.value(node, OWL.members)
        members = [m for m in graph.items(listed) if isinstance(m, URIRef)] if listed is not None else []
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                disjoint.add(frozenset((a, b)))

    hints = []
    for individual in sorted(set(graph.subjects(RDF.type, OWL.NamedIndividual)) | _typed_individuals(graph), key=str):
        classes: set[URIRef] = set()
        for t in graph.objects(individual, RDF.type):
            if isinstance(t, URIRef) and t != OWL.NamedIndividual:
                classes |= ancestors(t)
        clashes = sorted(tuple(sorted(pair)) for pair in disjoint if pair <= classes)
        for a, b in clashes:
            hints.append(f"{individual} is typed both {_local(a)} and {_local(b)}, which are disjoint")
    return hints


def _typed_individuals(graph: Graph) -> set[URIRef]:
    meta = {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        RDFS.Datatype,
        OWL.AllDisjointClasses,
        OWL.AllDifferent,
        OWL.Restriction,
        RDFS.Class,
    }
    return {s for s, t in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and t not in meta}


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _merge_for_reasoning(graphs: list[Graph]) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    headers = set(merged.subjects(RDF.type, OWL.Ontology))
    for header in headers:
        merged.remove((header, None, None))
    merged.remove((None, OWL.imports, None))
    statements = set(merged.subjects(RDF.type, RDF.Statement))
    for statement in statements:
        for p in (RDF.type, RDF.subject, RDF.predicate, RDF.object):
            merged.remove((statement, p, None))
    merged.add((_MERGED_IRI, RDF.type, OWL.Ontology))
    _bind_prefixes(merged)
    return merged


def _bind_prefixes(graph: Graph) -> None:
    from kg import vocab

    graph.bind("dk", vocab.DK)
    graph.bind("schema", vocab.SCHEMA, replace=True)
    graph.bind("org", vocab.ORG)
    graph.bind("skos", vocab.SKOS)
    graph.bind("prov", vocab.PROV)
    graph.bind("foaf", vocab.FOAF)
    graph.bind("dcterms", vocab.DCTERMS)


__all__ = [
    "ONTOLOGY_DIR",
    "ONTOLOGY_TTL",
    "ONTOLOGY_OWL",
    "REFERENCE_TTL",
    "SHAPES_TTL",
    "ConsistencyReport",
    "ShapesReport",
    "load_graph",
    "render_rdfxml",
    "check_consistency",
    "validate_shapes",
    "explain_disjointness",
]
