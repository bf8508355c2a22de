"""The `kg` command end to end: exit codes, one-line errors, export, stats, check, query, help."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from typer.testing import CliRunner

import kg
from kg import vocab as v
from kg.cli import app, version
from kg.config import ONTOLOGY_DIR, Settings
from tests.conftest import ROOT, SEEDS
from tests.rest_fixture import fixture_store_at

runner = CliRunner()


@pytest.fixture(scope="module")
def build_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", str(SEEDS), "--store", str(store), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Built 5 documents" in result.output
    return store, result.output


@pytest.fixture(scope="module")
def built(build_output: tuple[Path, str]) -> Path:
    return build_output[0]


def _rows(output: str) -> list[tuple[str, ...]]:
    """A rich table's body rows as tuples of stripped cells."""
    return [
        tuple(c.strip() for c in line.strip("│").split("│")) for line in output.splitlines() if line.startswith("│")
    ]


def test_build_summary_counts_are_the_stats_counts(build_output: tuple[Path, str]) -> None:
    from kg.stats import collect
    from kg.store import Store

    store, output = build_output
    rows = _rows(output)
    assert rows[:2] == [("documents read in this build", "5"), ("triples written for them", rows[1][1])]
    stats = runner.invoke(app, ["stats", "--store", str(store)])
    assert stats.exit_code == 0, stats.output
    assert rows[2:] == _rows(stats.output)
    s = collect(Store(store, read_only=True))
    assert dict(rows[2:5]) == {
        "documents in the store": str(s.documents),
        "named graphs": str(s.graphs),
        "triples in the store": str(s.triples),
    }
    assert ("individuals of class NewsArticle", "5") in rows and (
        "individuals of class Company",
        str(s.classes["Company"]),
    ) in rows
    assert (("manufacturer facts", str(s.facts["manufacturer"]))) in rows


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

    rows = Store(store).select(
        "PREFIX dk: <https://w3id.org/defence-kg/ontology#> "
        "SELECT ?c WHERE { GRAPH ?g { ?g a dk:NewsArticle . ?c a dk:Country } } ORDER BY ?c"
    )
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
    onto.write_text(
        text + "\n<https://w3id.org/defence-kg/id/organization/test-clash> a "
        "<https://w3id.org/defence-kg/ontology#Company> , <https://w3id.org/defence-kg/ontology#Person> .\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--store", str(built), "--ontology", str(onto)])
    assert result.exit_code == 1
    assert "consistency (HermiT): INCONSISTENT" in result.output


def test_env_var_selects_the_store(built: Path) -> None:
    result = runner.invoke(app, ["stats"], env={**os.environ, "KG_STORE": str(built)})
    assert result.exit_code == 0, result.output


def test_the_default_store_is_under_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().store_path == Path("data") / "store"
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert result.output == f"error: {Path('data') / 'store'}: no store here yet; run `kg build` first\n"


def test_the_ontology_resolves_to_the_checkout_in_a_source_tree() -> None:
    assert ONTOLOGY_DIR == ROOT / "ontology"
    assert Settings().ontology == ROOT / "ontology" / "defence.ttl"
    assert Settings().rules == ROOT / "ontology" / "rules"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"kg (defence-kg) {version()}\n"
    assert version() == kg.__version__  # the installed metadata and the source agree


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("build", ["KG_STORE", "./data/store", "KG_ONTOLOGY", "KG_REFERENCE", "KG_USE_REFERENCE=0", "./seeds"]),
        ("serve", ["KG_STORE", "KG_HOST", "127.0.0.1", "KG_PORT", "8000"]),
        ("query", ["KG_STORE", "--file", "--format", "csv", "turtle"]),
        ("stats", ["KG_STORE", "./data/store"]),
    ],
)
def test_help_shows_each_options_variable_and_default(command: str, shown: list[str]) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for text in shown:
        assert text in result.output, text
    assert "[env var: KG_STORE]" in result.output


# --- kg query ------------------------------------------------------------------------

COMPANIES = """PREFIX dk: <https://w3id.org/defence-kg/ontology#>
PREFIX id: <https://w3id.org/defence-kg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?company ?label ?country WHERE {
  ?company a dk:Company ; rdfs:label ?label .
  OPTIONAL { ?company dk:country ?country }
} ORDER BY ?label"""


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "store"
    fixture_store_at(path).close()
    return path


def _query(store: Path, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["query", "--store", str(store), *args], input=stdin)


def test_query_prints_a_table_with_the_querys_prefixes(fixture_store: Path) -> None:
    result = _query(fixture_store, COMPANIES)
    assert result.exit_code == 0, result.output
    assert _rows(result.output) == [
        ("id:organization/baykar", "Baykar", "id:country/turkiye"),
        ("id:organization/georgia", "Georgia", ""),  # unbound: an empty cell
        ("id:organization/leonardo", "Leonardo", "id:country/italy"),
    ]
    assert result.output.splitlines()[1].split() == ["┃", "company", "┃", "label", "┃", "country", "┃"]
    assert result.output.rstrip().endswith("3 rows")


def test_query_csv_is_the_sparql_csv_format(fixture_store: Path) -> None:
    result = _query(fixture_store, "--format", "csv", COMPANIES)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (
        b"company,label,country\r\n"
        b"https://w3id.org/defence-kg/id/organization/baykar,Baykar,https://w3id.org/defence-kg/id/country/turkiye\r\n"
        b"https://w3id.org/defence-kg/id/organization/georgia,Georgia,\r\n"
        b"https://w3id.org/defence-kg/id/organization/leonardo,Leonardo,https://w3id.org/defence-kg/id/country/italy\r\n"
    )


def test_query_json_from_a_file_and_from_stdin(fixture_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "companies.rq"
    rq.write_text(COMPANIES, encoding="utf-8")
    for args, stdin in ((["--file", str(rq)], None), (["--file", "-"], COMPANIES)):
        result = _query(fixture_store, "--format", "json", *args, stdin=stdin)
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["head"]["vars"] == ["company", "label", "country"]
        assert [b["label"]["value"] for b in body["results"]["bindings"]] == ["Baykar", "Georgia", "Leonardo"]


def test_query_ask_and_construct(fixture_store: Path) -> None:
    ask = _query(fixture_store, "ASK { ?s a <https://w3id.org/defence-kg/ontology#Company> }")
    assert (ask.exit_code, ask.output) == (0, "true\n")
    construct = _query(
        fixture_store,
        "--format",
        "ntriples",
        "CONSTRUCT { ?c a <urn:x:Firm> } WHERE { ?c a <https://w3id.org/defence-kg/ontology#Company> "
        "FILTER(?c = <https://w3id.org/defence-kg/id/organization/leonardo>) }",
    )
    assert construct.exit_code == 0, construct.output
    assert (
        construct.stdout == "<https://w3id.org/defence-kg/id/organization/leonardo> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:Firm> .\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELECT ?x WHERE { ?x ?y }"], "error: SPARQL syntax: error at 1:26: expected one of LATERAL, SERVICE, [_]"),
        (
            ["PREFIX dk: <https://w3id.org/defence-kg/ontology#> # a comment\nINSERT DATA { dk:a dk:b dk:c }"],
            "error: kg query is read-only: SPARQL Update is refused (run updates through the server, "
            "with KG_UPDATE_ENABLED and its token)",
        ),
        (
            ["--format", "csv", "CONSTRUCT WHERE { ?s ?p ?o }"],
            "error: a CONSTRUCT or DESCRIBE answer is RDF: use one of turtle, ntriples, nquads, trig, rdfxml, jsonld, n3",
        ),
        (
            ["--format", "turtle", "SELECT * {}"],
            "error: a SELECT or ASK answer is a result set: use one of json, xml, csv, tsv",
        ),
        (
            ["--format", "yaml", "SELECT * {}"],
            "error: unknown format 'yaml': use one of table, json, xml, csv, tsv, "
            "turtle, ntriples, nquads, trig, rdfxml, jsonld, n3",
        ),
        ([], "error: give the query as an argument or with --file, not both"),
        (
            ["--file", "missing.rq"],
            "error: missing.rq: cannot read the query: [Errno 2] No such file or directory: 'missing.rq'",
        ),
    ],
)
def test_query_refuses_bad_input_with_one_line_and_exit_2(fixture_store: Path, args: list[str], message: str) -> None:
    before = fixture_store_generation(fixture_store)
    result = _query(fixture_store, *args)
    assert (result.exit_code, result.output) == (2, message + "\n")
    assert fixture_store_generation(fixture_store) == before  # nothing written


def fixture_store_generation(store: Path) -> str:
    from kg.store import Store

    return Store(store, read_only=True).generation


def test_query_without_a_store_exits_1(tmp_path: Path) -> None:
    result = _query(tmp_path / "nothing", "ASK {}")
    assert (result.exit_code, result.output) == (
        1,
        f"error: {tmp_path / 'nothing'}: no store here yet; run `kg build` first\n",
    )


def test_query_against_an_in_memory_store_from_the_environment() -> None:
    result = runner.invoke(app, ["query", "ASK { ?s ?p ?o }"], env={"KG_STORE": ":memory:"})
    assert (result.exit_code, result.output) == (0, "false\n")
