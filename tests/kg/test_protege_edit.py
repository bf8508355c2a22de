"""An individual added to the reference base in an OWL editor is recognised by the next build.

Protégé and owlready2 save RDF/XML; the reference base is read from whichever file
KG_REFERENCE / --reference names, so an edit takes effect with no code change.
"""

from __future__ import annotations

from pathlib import Path

import owlready2
from rdflib import Graph, URIRef

from kg import vocab as v
from kg.config import Settings
from kg.pipeline import build
from kg.store import Store
from tests.conftest import ROOT

NEW_FIRM = "Qorvath"  # a made-up name with no corporate cue: only the lexicon can know it is a firm
# no fact and no cue: without the reference base, nothing says what Qorvath is
ARTICLE = "Analysts at the show also talked about Qorvath at some length.\n"
NEW_IRI = f"{v.ID}organization/qorvath"


def add_firm_with_owlready(reference_ttl: Path, out_owl: Path) -> None:
    """What an ontology engineer does in Protégé: open the base, add a Company, save as RDF/XML."""
    rdfxml = out_owl.with_name("reference-in.owl")
    Graph().parse(reference_ttl, format="turtle").serialize(rdfxml, format="xml")
    world = owlready2.World()
    # The base imports the ontology by its IRI; Protégé resolves that through
    # ontology/catalog-v001.xml, owlready2 through the ontology already being in the world.
    world.get_ontology((ROOT / "ontology" / "defence.owl").as_uri()).load()
    onto = world.get_ontology(rdfxml.as_uri()).load()
    company = world[str(v.Company)]
    assert company is not None, "dk:Company must be declared where owlready2 can see it"
    with onto:
        firm = company("qorvath", namespace=onto.get_namespace(f"{v.ID}organization/"))
        firm.label = [owlready2.locstr(NEW_FIRM, lang="en")]
    onto.save(file=str(out_owl), format="rdfxml")


def companies(store: Store) -> set[str]:
    rows = store.select(
        "PREFIX dk: <https://w3id.org/defence-kg/ontology#> SELECT ?e WHERE { "
        "GRAPH ?doc { ?doc a dk:NewsArticle . ?e a dk:Company } }"
    )
    return {str(r["e"]) for r in rows}


def test_individual_added_in_an_owl_editor_is_found_by_the_next_build(tmp_path: Path) -> None:
    doc = tmp_path / "radar.txt"
    doc.write_text(ARTICLE)
    before = Store()
    build([doc], store=before, settings=Settings(store_path=None), workers=1)
    assert NEW_IRI not in companies(before)

    edited = tmp_path / "reference.owl"
    add_firm_with_owlready(ROOT / "ontology" / "reference.ttl", edited)
    after = Store()
    build([doc], store=after, settings=Settings(store_path=None, reference=edited), workers=1)
    assert NEW_IRI in companies(after)
    label = after.select(
        f"SELECT ?l WHERE {{ GRAPH ?g {{ ?g a <{v.NewsArticle}> . "
        f"<{NEW_IRI}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"
    )
    assert [str(r["l"]) for r in label] == [NEW_FIRM]
    assert (URIRef(NEW_IRI), v.RDF.type, v.Company) in after.graph(str(v.REFERENCE_GRAPH))
