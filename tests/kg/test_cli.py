"""The `kg` command end to end: exit codes, one-line errors, export, stats, check."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from typer.testing import CliRunner

from kg import vocab as v
from kg.cli import app
from tests.conftest import ROOT, SEEDS

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", str(SEEDS), "--store", str(store), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Built 5 documents" in result.output
    return store


def test_build_prints_a_summary(built: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(built)])
    assert result.exit_code == 0, result.output
    assert "documents" in result.output and "│ 5 │" in result.output.replace(" ", "").replace("│5│", "│ 5 │")


def test_export_trig_has_every_document_graph(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.trig"
    result = runner.invoke(app, ["export", "--store", str(built), "--format", "trig", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert {f"{v.ID}document/{p.stem}" for p in SEEDS.glob("*.txt")} <= names
    assert not (tmp_path / "dump.trig.part").exists()


def test_export_nquads_to_stdout(built: Path) -> None:
    result = runner.invoke(app, ["export", "--store", str(built), "--format", "nquads"])
    assert result.exit_code == 0
    assert f"<{v.ID}document/000_8b7e041c7c2624cb>" in result.stdout


def test_unknown_export_format_is_refused(built: Path) -> None:
    result = runner.invoke(app, ["export", "--store", str(built), "--format", "xml"])
    assert result.exit_code == 1
    assert "unknown export format 'xml': use trig or nquads" in result.output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bin.txt", b"\x00\x01\x02", "bin.txt: binary file (contains NUL bytes), not a text document"),
        ("empty.txt", b"", "empty.txt: empty document"),
        ("latin.txt", b"caf\xe9", "latin.txt: not UTF-8 text (invalid byte at offset 3)"),
    ],
)
def test_bad_documents_exit_1_with_a_one_line_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(tmp_path / name), "--store", str(store)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith(message)


def test_unwritable_store_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["build", str(SEEDS), "--store", str(blocker / "store")])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot open the store at") and str(blocker) in result.output


def test_failed_build_keeps_the_previous_graph(built: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built, store)
    before = runner.invoke(app, ["export", "--store", str(store), "--format", "nquads"]).stdout
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    result = runner.invoke(app, ["build", str(folder), "--store", str(store)])
    assert result.exit_code == 1
    assert runner.invoke(app, ["export", "--store", str(store), "--format", "nquads"]).stdout == before


def test_no_reference_build_still_knows_countries(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Italy and Ukraine are exploring a strategic partnership to produce drones together.\n")
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(doc), "--store", str(store), "--no-reference"])
    assert result.exit_code == 0, result.output
    from kg.store import Store

    rows = Store(store).select("PREFIX dk: <https://w3id.org/defence-kg/ontology#> "
                               "SELECT ?c WHERE { GRAPH ?g { ?g a dk:NewsArticle . ?c a dk:Country } } ORDER BY ?c")
    assert [r["c"] for r in rows] == [URIRef(f"{v.ID}country/italy"), URIRef(f"{v.ID}country/ukraine")]


@pytest.mark.slow
def test_check_passes_on_the_seed_build(built: Path) -> None:
    result = runner.invoke(app, ["check", "--store", str(built)])
    assert result.exit_code == 0, result.output
    assert "consistency (HermiT): consistent" in result.output
    assert "SHACL shapes: conforms" in result.output


@pytest.mark.slow
def test_check_reports_an_inconsistent_ontology(built: Path, tmp_path: Path) -> None:
    onto = tmp_path / "defence.ttl"
    text = (ROOT / "ontology" / "defence.ttl").read_text(encoding="utf-8")
    # A firm that is also a person contradicts the disjointness of the top classes.
    onto.write_text(text + "\n<https://w3id.org/defence-kg/id/organization/test-clash> a "
                    "<https://w3id.org/defence-kg/ontology#Company> , <https://w3id.org/defence-kg/ontology#Person> .\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["check", "--store", str(built), "--ontology", str(onto)])
    assert result.exit_code == 1
    assert "consistency (HermiT): INCONSISTENT" in result.output


def test_env_var_selects_the_store(built: Path) -> None:
    result = runner.invoke(app, ["stats"], env={**os.environ, "KG_STORE": str(built)})
    assert result.exit_code == 0, result.output
