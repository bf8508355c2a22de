"""Protégé, for real: the OWL API that Protégé 5 uses loads every ontology file as OWL 2 DL.

``tests/owlapi/OwlCheck.java`` is compiled against Debian's ``libowlapi-java`` (5.1.x; ``make
owlapi`` installs it) and loads one file the way Protégé does: imports resolved offline, only
through ``ontology/catalog-v001.xml``. It reports unparsed triples (what the OWL API could not
turn into axioms) and OWL 2 DL profile violations. Skipped without Java or the jars; under
``CI=true`` a missing tool fails instead, so CI cannot go green by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import OWL, RDF, URIRef

from kg import vocab
from kg.ontology import load_graph
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology"
CATALOG = ONTOLOGY / "catalog-v001.xml"
CHECKER = ROOT / "tests" / "owlapi" / "OwlCheck.java"
JARS = Path("/usr/share/java")
ONTOLOGY_IRI = vocab.ONTOLOGY_IRI
REFERENCE_IRI = "https://w3id.org/defence-kg/reference"

# libowlapi-java's jars and those of the Debian packages it depends on (unversioned names).
CLASSPATH_JARS = (
    "owlapi-api",
    "owlapi-apibinding",
    "owlapi-impl",
    "owlapi-parsers",
    "owlapi-rio",
    "owlapi-tools",
    "guava",
    "caffeine",
    "commons-codec",
    "commons-io",
    "commons-logging",
    "commons-rdf-api",
    "commons-text",
    "hppcrt",
    "httpclient",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jsr305",
    "jaxb-api",
    "jsonld-java",
    "atinject-jsr330-api",
    "xz",
    "slf4j-api",
    "slf4j-nop",
)


def require_tool(found: bool, message: str) -> None:
    """Skip when a tool is missing; under CI (``CI=true``) fail instead (as ``require_shared``)."""
    if found:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: run `make owlapi`)", pytrace=False)
    pytest.skip(message + " (run `make owlapi`)", allow_module_level=True)


def classpath() -> str:
    jars = [JARS / f"{name}.jar" for name in CLASSPATH_JARS]
    # rdf4j's modules, by their unversioned names (rdf4j-rio-turtle.jar, not rdf4j-rio-turtle-3.7.7.jar).
    jars += sorted(j for j in JARS.glob("rdf4j-*.jar") if not j.stem[-1].isdigit())
    missing = [j.name for j in jars if not j.exists()]
    require_tool(
        not missing and any(j.name.startswith("rdf4j-rio-turtle") for j in jars),
        f"the OWL API jars are not all in {JARS}: missing {missing or ['rdf4j-rio-turtle.jar']}",
    )
    return os.pathsep.join(str(j) for j in jars)


@dataclass
class Check:
    """What OwlCheck printed about one file."""

    returncode: int
    stdout: str
    values: dict[str, str] = field(default_factory=dict)
    closure: dict[str, dict[str, str]] = field(default_factory=dict)
    """Ontology IRI of each member of the imports closure -> its format, source, triples, axioms, unparsed."""
    violations: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, returncode: int, stdout: str) -> Check:
        check = cls(returncode, stdout)
        for line in stdout.splitlines():
            key, _, value = line.partition(": ")
            if key == "closure-member":
                iri, *pairs = value.split("\t")
                check.closure[iri] = dict(p.split("=", 1) for p in pairs)
            elif key == "violation":
                check.violations.append(value)
            elif key == "unresolved-import":
                check.unresolved.append(value)
            else:
                check.values[key] = value
        return check

    def count(self, key: str) -> int:
        return int(self.values[key])


Run = Callable[..., Check]


@pytest.fixture(scope="session")
def owlcheck(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Compile OwlCheck once; return ``run(file, catalog=None) -> Check``."""
    java, javac = shutil.which("java"), shutil.which("javac")
    require_tool(bool(java and javac), "java and javac (Java 17) are needed for the OWL API check")
    cp = classpath()
    classes = tmp_path_factory.mktemp("owlcheck")
    subprocess.run([javac, "-d", str(classes), "-cp", cp, str(CHECKER)], check=True, capture_output=True, text=True)

    def run(path: Path, catalog: Path | None = None) -> Check:
        args = [java, "-cp", os.pathsep.join([str(classes), cp]), "OwlCheck"]
        args += ["--catalog", str(catalog)] if catalog else []
        done = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 2), done.stderr
        return Check.parse(done.returncode, done.stdout)

    return run


@pytest.fixture(scope="module")
def reference(owlcheck: Run) -> Check:
    return owlcheck(ONTOLOGY / "reference.ttl", catalog=CATALOG)


# --- the real files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["defence.ttl", "defence.owl"])
def test_ontology_loads_as_owl2_dl_with_nothing_unparsed(owlcheck: Run, name: str) -> None:
    check = owlcheck(ONTOLOGY / name)
    assert check.returncode == 0, check.stdout
    assert check.values["ontology"] == ONTOLOGY_IRI
    assert check.values["version"] == f"{ONTOLOGY_IRI}/0.1.0"
    assert check.count("unparsed-triples") == 0, check.stdout
    assert check.violations == []
    assert check.count("dl-violations") == 0
    assert check.count("declarations") > 100 and check.count("logical-axioms") > 100


def test_rdfxml_rendering_holds_the_same_axioms_as_the_turtle(owlcheck: Run) -> None:
    ttl, owl = owlcheck(ONTOLOGY / "defence.ttl"), owlcheck(ONTOLOGY / "defence.owl")
    assert {k: ttl.values[k] for k in ("axioms", "logical-axioms", "declarations")} == {
        k: owl.values[k] for k in ("axioms", "logical-axioms", "declarations")
    }


def test_reference_opens_on_its_own_through_the_catalog(reference: Check) -> None:
    assert reference.returncode == 0, reference.stdout
    assert reference.values["ontology"] == REFERENCE_IRI
    assert reference.values["imports"] == f"[{ONTOLOGY_IRI}]"
    assert set(reference.closure) == {REFERENCE_IRI, ONTOLOGY_IRI}
    assert reference.closure[ONTOLOGY_IRI]["source"].removeprefix("file:") == str(ONTOLOGY / "defence.ttl")
    assert reference.unresolved == []


def test_reference_with_its_import_is_owl2_dl_with_nothing_unparsed(reference: Check) -> None:
    assert reference.count("unparsed-triples") == 0, reference.stdout
    assert {iri: m["unparsed"] for iri, m in reference.closure.items()} == {REFERENCE_IRI: "0", ONTOLOGY_IRI: "0"}
    assert reference.violations == []
    assert reference.count("dl-violations") == 0
    assert reference.count("individuals") > 400


def test_catalog_maps_the_ontology_iri_and_version_iri_to_defence_ttl() -> None:
    onto = load_graph(ONTOLOGY / "defence.ttl")
    (header,) = onto.subjects(RDF.type, OWL.Ontology)
    names = {str(header), *(str(v) for v in onto.objects(header, OWL.versionIRI))}
    ns = {"c": "urn:oasis:names:tc:entity:xmlns:xml:catalog"}
    entries = {e.get("name"): e.get("uri") for e in ET.parse(CATALOG).getroot().iterfind(".//c:uri", ns)}
    assert entries == dict.fromkeys(names, "defence.ttl")
    ref = load_graph(ONTOLOGY / "reference.ttl")
    assert {str(o) for o in ref.objects(URIRef(REFERENCE_IRI), OWL.imports)} <= set(entries)


# --- the checker can fail ---------------------------------------------------------------------------


def test_without_the_catalog_the_import_is_not_fetched_and_the_load_fails(owlcheck: Run) -> None:
    check = owlcheck(ONTOLOGY / "reference.ttl")
    assert check.returncode == 2
    assert check.unresolved == [ONTOLOGY_IRI]
    assert check.values["error"].startswith("UnloadableImportException")


def test_an_import_missing_from_the_catalog_fails_the_load(owlcheck: Run, tmp_path: Path) -> None:
    text = (ONTOLOGY / "reference.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "reference.ttl"
    broken.write_text(
        text.replace(f"owl:imports <{ONTOLOGY_IRI}>", f"owl:imports <{ONTOLOGY_IRI}/9.9.9>"), encoding="utf-8"
    )
    check = owlcheck(broken, catalog=CATALOG)
    assert check.returncode == 2
    assert check.unresolved == [f"{ONTOLOGY_IRI}/9.9.9"]


def test_importing_the_version_iri_resolves_through_the_catalog_too(owlcheck: Run, tmp_path: Path) -> None:
    text = (ONTOLOGY / "reference.ttl").read_text(encoding="utf-8")
    versioned = tmp_path / "reference.ttl"
    versioned.write_text(
        text.replace(f"owl:imports <{ONTOLOGY_IRI}>", f"owl:imports <{ONTOLOGY_IRI}/0.1.0>"), encoding="utf-8"
    )
    check = owlcheck(versioned, catalog=CATALOG)
    assert check.returncode == 0, check.stdout
    assert ONTOLOGY_IRI in check.closure and check.violations == []


@pytest.mark.parametrize(
    ("extra", "unparsed", "violation"),
    [
        # an object property also declared a data property: illegal punning in OWL 2 DL
        ("dk:manufacturer a owl:DatatypeProperty .", 0, "IllegalPunning"),
        # a class expression that is not attached to anything: the OWL API cannot translate it
        ("[] owl:unionOf ( dk:Company dk:Aircraft ) .", 1, None),
    ],
)
def test_a_broken_ontology_is_reported(
    owlcheck: Run, tmp_path: Path, extra: str, unparsed: int, violation: str | None
) -> None:
    broken = tmp_path / "defence.ttl"
    broken.write_text((ONTOLOGY / "defence.ttl").read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")
    check = owlcheck(broken)
    assert check.returncode == 0, check.stdout
    assert check.count("unparsed-triples") == unparsed
    if violation:
        assert check.violations and all(v.startswith(violation) for v in check.violations)
    else:
        assert check.violations == []


def test_a_reference_individual_using_an_undeclared_property_is_a_violation(owlcheck: Run, tmp_path: Path) -> None:
    """What the reference base alone used to be in Protégé: dk: properties nobody declares."""
    broken = tmp_path / "reference.ttl"
    text = (ONTOLOGY / "reference.ttl").read_text(encoding="utf-8")
    broken.write_text(text + "\ncountry:australia dk:ally country:canada .\n", encoding="utf-8")
    check = owlcheck(broken, catalog=CATALOG)
    assert check.returncode == 0, check.stdout
    assert [v.split(":", 1)[0] for v in check.violations] == ["UseOfUndeclaredAnnotationProperty"]


# --- the skip rule ----------------------------------------------------------------------------------


def test_a_missing_tool_skips_on_a_laptop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make owlapi"):
        require_tool(False, "no javac")


def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no javac \(CI=true: run `make owlapi`\)"):
        require_tool(False, "no javac")
