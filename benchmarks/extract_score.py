"""Score the extractor alone against a gold file, with a minimal mapping of its own.

    python benchmarks/extract_score.py [--gold FILE] [--docs DIR] [--countries-only] [-v]

Builds a Lexicon from ontology/reference.ttl when it exists (else from an empty
graph: built-in countries only), extracts every document, writes one named graph
per document (typed NewsArticle) to a TriG file and runs the shared scorer on it
together with ontology/defence.ttl (for the class and property hierarchy).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import Lexicon, extract  # noqa: E402
from kg.extract.model import Extraction  # noqa: E402

DK = Namespace("https://w3id.org/defence-kg/ontology#")
ID = Namespace("https://w3id.org/defence-kg/id/")
SCORER = Path("/work/shared/eval/score.py")


def slug(name: str) -> str:
    s = name.replace("ı", "i").replace("İ", "I")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def to_graph(ds: Dataset, stem: str, x: Extraction) -> None:
    doc = ID[f"document/{stem}"]
    g = ds.graph(doc)
    g.add((doc, RDF.type, DK.NewsArticle))

    def iri(ref):  # type: ignore[no-untyped-def]
        return ID[f"{ref.coarse}/{slug(ref.name)}"]

    iris = {}
    for e in x.entities:
        node = URIRef(e.iri) if e.iri else iri(e.ref)
        iris[e.ref] = node
        g.add((node, RDF.type, DK[e.kind]))
        g.add((node, RDFS.label, Literal(e.name)))
        for label in e.labels:
            g.add((node, SKOS.altLabel, Literal(label)))

    def node(ref):  # type: ignore[no-untyped-def]
        return iris.get(ref, iri(ref))

    for r in x.relations:
        g.add((node(r.subject), DK[r.key], node(r.object)))
    for i, p in enumerate(x.positions):
        n = ID[f"position/{stem}-{i}"]
        g.add((n, RDF.type, DK.Position))
        g.add((n, DK.holder, node(p.holder)))
        g.add((n, DK.organization, node(p.organization)))
        g.add((n, DK.roleTitle, Literal(p.title)))
    for i, a in enumerate(x.agreements):
        n = ID[f"agreement/{stem}-{i}"]
        g.add((n, RDF.type, DK[a.kind]))
        for party in a.parties:
            g.add((n, DK.party, node(party)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default="/work/shared/eval/seeds.gold.json")
    ap.add_argument("--docs", default=str(ROOT / "seeds"))
    ap.add_argument("--reference", default=str(ROOT / "ontology" / "reference.ttl"))
    ap.add_argument("--countries-only", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    ref = Graph()
    if Path(a.reference).exists():
        ref.parse(a.reference)
    t0 = time.perf_counter()
    lex = Lexicon.from_graph(ref, countries_only=a.countries_only)
    t1 = time.perf_counter()
    ds = Dataset()
    files = sorted(Path(a.docs).glob("*.txt"))
    for f in files:
        to_graph(ds, f.name, extract(f.read_text(encoding="utf-8"), lexicon=lex))
    t2 = time.perf_counter()
    print(
        f"lexicon {t1 - t0:.2f}s ({len(lex.entries)} entries, reference={'yes' if len(ref) else 'no'}), "
        f"{len(files)} documents in {t2 - t1:.2f}s",
        file=sys.stderr,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".trig", delete=False) as out:
        out.write(ds.serialize(format="trig"))
    cmd = [
        sys.executable,
        str(SCORER),
        "--gold",
        a.gold,
        "--file",
        out.name,
        "--file",
        str(ROOT / "ontology" / "defence.ttl"),
    ]
    if a.verbose:
        cmd.append("-v")
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
