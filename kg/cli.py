"""The command line: ``kg build | serve | export | check | stats``.

Settings come from ``KG_*`` environment variables, overridden by flags; every
command takes the store location from ``--store`` / ``KG_STORE``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.config import PROJECT_ROOT, Settings
from kg.errors import KgError

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.store import Store

app = typer.Typer(help="Defence-industry knowledge graph: build, serve, export and check.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store folder [env KG_STORE; default ./data/store].",
                                               show_default=False)]
OntologyOpt = Annotated[Path | None, typer.Option("--ontology", help="Ontology file [env KG_ONTOLOGY].",
                                                  show_default=False)]
ReferenceOpt = Annotated[Path | None, typer.Option("--reference", help="Reference base, .ttl or .owl "
                                                   "[env KG_REFERENCE].", show_default=False)]


def _settings(store: Path | None = None, **changes: object) -> Settings:
    s = Settings.from_env()
    if store is not None:
        s = s.with_(store_path=store)
    return s.with_(**{k: val for k, val in changes.items() if val is not None})


def _fail(e: Exception) -> NoReturn:
    err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _open(settings: Settings, *, existing: bool = False) -> Store:
    """The store; ``existing`` ones are opened read-only, so they can be read while a server runs."""
    from kg.store import Store

    if existing and settings.store_path is not None and not settings.store_path.exists():
        raise KgError(f"{settings.store_path}: no store here yet; run `kg build` first")
    return Store(settings.store_path, read_only=existing and settings.store_path is not None)


@app.command()
def build(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files (.txt, .md) and folders [default: seeds/].",
                                                       show_default=False)] = None,
    store: StoreOpt = None,
    ontology: OntologyOpt = None,
    reference: ReferenceOpt = None,
    no_reference: Annotated[bool, typer.Option("--no-reference", help="Use only the countries of the reference "
                                               "base (measures open-world discovery).")] = False,
    workers: Annotated[int | None, typer.Option(help="Extraction processes [default: CPU count].")] = None,
) -> None:
    """Ingest documents; re-ingesting a document replaces its graph."""
    from kg.pipeline import build as run_build
    from kg.pipeline import load_schema
    from kg.readmodel import ReadModel

    try:
        settings = _settings(store, ontology=ontology, reference=reference,
                             use_reference=False if no_reference else None)
        schema = load_schema(settings)
        st = _open(settings)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("extracting", total=None)
            report = run_build(paths or [PROJECT_ROOT / "seeds"], store=st, settings=settings, schema=schema,
                               workers=workers, batch_size=settings.build_batch,
                               on_start=lambda n: bar.update(task, total=n),
                               progress=lambda k: bar.advance(task, k),
                               readmodel=ReadModel.beside(st))
    except KgError as e:
        _fail(e)
    table = Table(title=f"Built {report.documents} documents in {report.seconds:.2f} s")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(report.documents))
    table.add_row("triples written for documents", str(report.triples))
    table.add_row("triples in the store", str(report.store_triples))
    for kind, n in sorted(report.entities.items()):
        table.add_row(f"entities: {kind}", str(n))
    for kind, n in sorted(report.facts.items()):
        table.add_row(f"facts: {kind}", str(n))
    out.print(table)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on [env KG_HOST; default 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env KG_PORT; default 8000].")] = None,
) -> None:
    """Serve the SPARQL endpoint, the REST API and the query page."""
    import uvicorn

    from api.main import create_app
    from api.server import serve_limits

    try:
        settings = _settings(store, host=host, port=port).validate()
        application = create_app(settings)
    except KgError as e:
        _fail(e)
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="info", **serve_limits(settings))


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
        st = _open(_settings(store), existing=True)
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
        graphs = _document_graphs(_open(settings, existing=True))
        union = Graph()
        for g in graphs.values():
            union += g
        consistency = check_consistency([onto, ref, union])
        # Each document graph is self-contained and validated on its own: an agreement
        # reported by two documents may carry two statuses, one per document.
        failures = {name: report for name, g in graphs.items()
                    if not (report := validate_shapes(g, shapes, onto)).conforms}
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
        s = collect(_open(_settings(store), existing=True))
    except KgError as e:
        _fail(e)
    table = Table(title="Knowledge graph")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(s.documents))
    table.add_row("named graphs", str(s.graphs))
    table.add_row("triples", str(s.triples))
    for name, n in s.classes.items():
        table.add_row(f"class: {name}", str(n))
    for name, n in s.facts.items():
        table.add_row(f"fact: {name}", str(n))
    out.print(table)


def _document_graphs(store: Store) -> dict[str, Graph]:
    """Each document's named graph as an rdflib Graph, by graph name."""

    docs = {str(r["doc"]) for r in store.select(
        "PREFIX dk: <https://w3id.org/defence-kg/ontology#> SELECT ?doc WHERE { GRAPH ?doc { ?doc a ?c } "
        "?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* dk:Document }")}
    return {name: store.graph(name) for name in sorted(docs)}


if __name__ == "__main__":
    app()
