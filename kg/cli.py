"""The command line: ``kg build | serve | query | export | check | stats``.

Settings come from ``KG_*`` environment variables, overridden by flags; every
command takes the store location from ``--store`` / ``KG_STORE`` (default
``data/store`` under the working directory). ``--help`` shows each option's
variable and default.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kg.config import DEFAULT_STORE, MEMORY_STORE, ONTOLOGY_DIR, Settings, store_location
from kg.errors import InputError, KgError, QuerySyntaxError

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.stats import Stats
    from kg.store import Store, Term
    from kg.store import Table as Answer

# Help texts hold no square brackets: rich markup would eat them. Typer adds each
# option's "[env var: …]" and "[default: …]" itself.
app = typer.Typer(
    help="Defence-industry knowledge graph: build, serve, query, export and check.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="KG_STORE",
        show_default=f"./{DEFAULT_STORE}",
        help=f"Store folder, relative to the working directory; {MEMORY_STORE} for an empty in-memory store.",
    ),
]
OntologyOpt = Annotated[
    Path | None,
    typer.Option(
        "--ontology", envvar="KG_ONTOLOGY", show_default=str(ONTOLOGY_DIR / "defence.ttl"), help="Ontology file."
    ),
]
ReferenceOpt = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        envvar="KG_REFERENCE",
        show_default=str(ONTOLOGY_DIR / "reference.ttl"),
        help="Reference base, .ttl or .owl.",
    ),
]
DEFAULT_DOCUMENTS = Path("seeds")


def version() -> str:
    """The installed distribution's version; in a bare source checkout, the source's."""
    from importlib import metadata

    try:
        return metadata.version("defence-kg")
    except metadata.PackageNotFoundError:
        from kg import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        out.print(f"kg (defence-kg) {version()}", highlight=False)
        raise typer.Exit(0)


@app.callback()
def main(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Defence-industry knowledge graph: build, serve, query, export and check."""


def _settings(store: Path | None = None, **changes: object) -> Settings:
    s = Settings.from_env()
    if store is not None:
        s = s.with_(store_path=store_location(str(store)))
    return s.with_(**{k: val for k, val in changes.items() if val is not None})


def _fail(e: Exception, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _open(settings: Settings, *, existing: bool = False) -> Store:
    """The store; ``existing`` ones are opened read-only, so they can be read while a server runs."""
    if settings.remote is not None:  # KG_REMOTE_*: the graph lives in a SPARQL 1.1 server
        from kg.remote import RemoteStore

        return RemoteStore(settings.remote, local=settings.store_path, read_only=existing)  # type: ignore[return-value]  # RemoteStore has Store's interface, not its class
    from kg.store import Store

    if existing and settings.store_path is not None and not settings.store_path.exists():
        raise KgError(f"{settings.store_path}: no store here yet; run `kg build` first")
    return Store(settings.store_path, read_only=existing and settings.store_path is not None)


@app.command()
def build(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files (.txt, .md) and folders.", show_default=f"./{DEFAULT_DOCUMENTS}")
    ] = None,
    store: StoreOpt = None,
    ontology: OntologyOpt = None,
    reference: ReferenceOpt = None,
    no_reference: Annotated[
        bool,
        typer.Option(
            "--no-reference",
            help="Use only the countries of the reference "
            "base (measures open-world discovery); KG_USE_REFERENCE=0 "
            "does the same.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="Extraction processes (with --cluster local: its workers).", show_default="CPU count"),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Extract on a Dask distributed cluster: its scheduler address (tcp://host:8786), or "
            "local for a local cluster on this machine's cores. Writes stay batched here.",
        ),
    ] = None,
) -> None:
    """Ingest documents; re-ingesting a document replaces its graph."""
    from kg.pipeline import build as run_build
    from kg.pipeline import load_schema
    from kg.readmodel import ReadModel
    from kg.stats import collect

    try:
        settings = _settings(
            store, ontology=ontology, reference=reference, use_reference=False if no_reference else None
        )
        schema = load_schema(settings)
        with closing(_open(settings)) as st:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                disable=not err.is_terminal,
            ) as bar:
                task = bar.add_task("extracting", total=None)
                report = run_build(
                    paths or [DEFAULT_DOCUMENTS],
                    store=st,
                    settings=settings,
                    schema=schema,
                    workers=workers,
                    batch_size=settings.build_batch,
                    on_start=lambda n: bar.update(task, total=n),
                    progress=lambda k: bar.advance(task, k),
                    readmodel=ReadModel.beside(st),
                    cluster=cluster,
                )
            totals = collect(st)
    except KgError as e:
        _fail(e)
    # This run's own counts, then the store's, counted as `kg stats` counts them.
    out.print(
        _counts_table(
            f"Built {report.documents} documents in {report.seconds:.2f} s",
            totals,
            run=[
                ("documents read in this build", report.documents),
                ("triples written for them", report.triples),
            ],
        )
    )


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on.", envvar="KG_HOST", show_default=Settings.host)
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port.", envvar="KG_PORT", show_default=str(Settings.port))] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the query page."""
    from api.main import create_app
    from api.server import serve as run

    try:
        settings = _settings(store, host=host, port=port).validate()
        application = create_app(settings)
    except KgError as e:
        _fail(e)
    run(application, settings, log_level="info")


@app.command()
def export(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="trig or nquads.")] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write [default: stdout].")] = None,
) -> None:
    """Write the whole dataset (every named graph) as TriG or N-Quads."""
    if format not in ("trig", "nquads"):
        _fail(KgError(f"unknown export format {format!r}: use trig or nquads"))
    try:
        with closing(_open(_settings(store), existing=True)) as st:
            if output is None:
                st.dump(sys.stdout.buffer, format=format)
                sys.stdout.flush()
            else:
                tmp = output.with_name(output.name + ".part")
                with tmp.open("wb") as f:
                    st.dump(f, format=format)
                tmp.replace(output)  # never leave a half-written export under the real name
    except (KgError, OSError) as e:
        _fail(e)


@app.command()
def check(
    store: StoreOpt = None,
    ontology: OntologyOpt = None,
    reference: ReferenceOpt = None,
) -> None:
    """Check ontology consistency (HermiT) and validate each document graph against the SHACL shapes."""
    from rdflib import Graph

    from kg.ontology import check_consistency, load_graph, validate_shapes

    try:
        settings = _settings(store, ontology=ontology, reference=reference)
        onto, ref = load_graph(settings.ontology), load_graph(settings.reference)
        shapes = load_graph(settings.shapes)
        with closing(_open(settings, existing=True)) as st:
            graphs = _document_graphs(st)
        union = Graph()
        for g in graphs.values():
            union += g
        consistency = check_consistency([onto, ref, union])
        # Each document graph is self-contained and validated on its own: an agreement
        # reported by two documents may carry two statuses, one per document.
        failures = {
            name: report for name, g in graphs.items() if not (report := validate_shapes(g, shapes, onto)).conforms
        }
    except KgError as e:
        _fail(e)
    verdict = "[green]consistent[/green]" if consistency.consistent else "[red]INCONSISTENT[/red]"
    out.print(f"consistency (HermiT): {verdict}" + ("" if consistency.consistent else f" — {consistency.message}"))
    if consistency.unsatisfiable:
        out.print(f"unsatisfiable classes: {', '.join(consistency.unsatisfiable)}")
    if failures:
        out.print(f"SHACL shapes: [red]violations[/red] in {len(failures)} of {len(graphs)} document graphs")
        for name, report in failures.items():
            out.print(f"--- {name}\n{report.text}", highlight=False)
    else:
        out.print(f"SHACL shapes: [green]conforms[/green] ({len(graphs)} document graphs)")
    raise typer.Exit(0 if consistency.consistent and not failures else 1)


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Counts of documents, triples, entities by class and facts by kind."""
    from kg.stats import collect

    try:
        with closing(_open(_settings(store), existing=True)) as st:
            s = collect(st)
    except KgError as e:
        _fail(e)
    out.print(_counts_table("Knowledge graph", s))


def _counts_table(title: str, s: Stats, *, run: Sequence[tuple[str, int]] = ()) -> Table:
    """The store's counts (what `kg build` ends with and `kg stats` prints), after ``run``'s rows."""
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, n in run:
        table.add_row(name, str(n))
    if run:
        table.add_section()
    table.add_row("documents in the store", str(s.documents))
    table.add_row("named graphs", str(s.graphs))
    table.add_row("triples in the store", str(s.triples))
    for name, n in s.classes.items():
        table.add_row(f"individuals of class {name}", str(n))
    for name, n in s.facts.items():
        table.add_row(f"{name} facts", str(n))
    return table


QUERY_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld", "n3")


@app.command()
def query(
    text: Annotated[
        str | None, typer.Argument(metavar="QUERY", help="The SPARQL query; or give --file.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Read the query from this file; - for standard input.", show_default=False),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table, or a SPARQL results format for SELECT and "
            "ASK: json, xml, csv, tsv; or an RDF format for CONSTRUCT and DESCRIBE: "
            "turtle, ntriples, nquads, trig, rdfxml, jsonld, n3.",
        ),
    ] = "table",
    store: StoreOpt = None,
) -> None:
    """Run a SPARQL query against the store, read-only; print a table or a SPARQL result format.

    Exit codes: 0 answered; 1 no store, or evaluation failed; 2 a bad query, format or option.
    """
    if (text is None) == (file is None):
        _fail(KgError("give the query as an argument or with --file, not both"), 2)
    if format not in QUERY_FORMATS:
        _fail(KgError(f"unknown format {format!r}: use one of {', '.join(QUERY_FORMATS)}"), 2)
    sparql = text or ""
    try:
        sparql = _read_query(file) if file is not None else text or ""
        with closing(_open(_settings(store), existing=True)) as st:
            if format == "table":
                answer = st.tabulate(sparql)
            else:
                st.serialize(sparql, sys.stdout.buffer, format=format)
                sys.stdout.flush()
                return
    except QuerySyntaxError as e:
        if _is_update(sparql):
            _fail(
                KgError(
                    "kg query is read-only: SPARQL Update is refused (run updates through the server, "
                    "with KG_UPDATE_ENABLED and its token)"
                ),
                2,
            )
        _fail(KgError(f"SPARQL syntax: {e}"), 2)
    except InputError as e:
        _fail(e, 2)
    except (KgError, OSError) as e:
        _fail(e)
    _print_answer(answer, _prefixes(sparql))


def _read_query(file: Path) -> str:
    try:
        return sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{file}: cannot read the query: {e}") from e


_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def _prefixes(sparql: str) -> dict[str, str]:
    """The query's own PREFIX declarations: the table writes IRIs with them, as Jena's does."""
    return {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(sparql)}


def _is_update(sparql: str) -> bool:
    """Whether text that did not parse as a query starts, after its prologue, like an update."""
    text = re.sub(r"<[^>\s]*>", "<>", sparql)  # IRIs may hold '#'
    text = re.sub(r"#[^\n]*", " ", text)
    text = re.sub(r"(?:PREFIX\s+[\w.-]*:\s*<>|BASE\s*<>)\s*", "", text.strip(), flags=re.IGNORECASE)
    return _UPDATE.match(text.lstrip()) is not None


def _print_answer(answer: Answer, prefixes: dict[str, str]) -> None:
    if answer.boolean is not None:
        out.print("true" if answer.boolean else "false", highlight=False)
        return
    table = Table(*answer.columns, caption=f"{len(answer.rows)} row{'' if len(answer.rows) == 1 else 's'}")
    for row in answer.rows:
        table.add_row(*(_cell(term, prefixes) for term in row))
    out.print(table, highlight=False)


def _cell(term: Term | None, prefixes: dict[str, str]) -> Text:
    """A term as the table shows it: an IRI as prefix:local (the query's prefixes) or <iri>,
    a literal as its text, a blank node as _:id, unbound as nothing."""
    from rdflib import BNode, URIRef

    if term is None:
        return Text("")
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            local = iri[len(ns) :]
            if ns and iri.startswith(ns) and re.fullmatch(r"[\w-]([\w./-]*[\w-])?", local):
                return Text(f"{prefix}:{local}")
        return Text(f"<{iri}>")
    if isinstance(term, BNode):
        return Text(f"_:{term}")
    return Text(str(term))


def _document_graphs(store: Store) -> dict[str, Graph]:
    """Each document's named graph as an rdflib Graph, by graph name."""
    from kg import vocab

    docs = {
        str(r["doc"])
        for r in store.select(
            f"SELECT ?doc WHERE {{ GRAPH ?doc {{ ?doc a ?c }} ?c <{vocab.RDFS.subClassOf}>* <{vocab.Document}> }}"
        )
    }
    return {name: store.graph(name) for name in sorted(docs)}


if __name__ == "__main__":
    app()
