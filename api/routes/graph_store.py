"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

Indirect identification (``?default``, ``?graph=IRI``) and direct identification
(``/store/<path>``: the graph IRI is the request URL). GET and HEAD for anyone; PUT,
POST and DELETE need the update token. ``POST /store`` creates a new graph and answers
201 with its IRI in ``Location``. Statuses: 201 when a graph is created, 204 when an
existing one is changed, 404 for a missing graph.
"""

from __future__ import annotations

import email.policy
import uuid
from email.parser import BytesParser
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api import protocol_docs
from api.deps import EngineDep, SettingsDep
from api.errors import NotAcceptable, UnsupportedMediaType
from api.negotiation import GRAPH_FORMATS, UPLOAD_FORMATS, format_for_content_type, media_type, negotiate
from api.security import check_token, check_xml, read_body
from kg.errors import InputError, NotFound
from kg.store import Dataset, Store

router = APIRouter(tags=["graph store"])

GraphPath = Annotated[
    str, Path(description="Direct identification: the graph's IRI is this request's URL without its query string.")
]

_DEFAULT = object()


def _target(request: Request, path: str | None) -> Any:
    """The graph IRI, ``_DEFAULT`` for the default graph, or None for the store itself."""
    if path:
        return str(request.url.replace(query=None, fragment=None))
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise InputError("use either ?default or ?graph=IRI, not both")
    if len(graphs) > 1:
        raise InputError("use exactly one ?graph=IRI")
    if "default" in params:
        return _DEFAULT
    if graphs:
        if not graphs[0]:
            raise InputError("?graph= needs an IRI")
        return graphs[0]
    return None


def _endpoint(request: Request) -> str:
    return str(request.url.replace(query=None, fragment=None)).rstrip("/")


async def _exists(engine: EngineDep, iri: str) -> bool:
    rows = await engine.select("SELECT ?g WHERE { GRAPH ?g { } }", substitutions={"g": URIRef(iri)})
    return bool(rows)


async def _read(request: Request, engine: EngineDep, path: str | None) -> Response:
    target = _target(request, path)
    if target is None:
        raise InputError("name a graph: /store?default or /store?graph=IRI")
    fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS, override=request.query_params.get("format"))
    if fmt is None:
        raise NotAcceptable("graphs are available as " + ", ".join(media_type(f) for f in GRAPH_FORMATS))
    if target is _DEFAULT:
        dataset = Dataset(default=(None,), named=())
    else:
        if not await _exists(engine, target):
            raise NotFound(f"no graph <{target}> in the store")
        dataset = Dataset(default=(target,), named=())
    result = await engine.execute(
        "CONSTRUCT WHERE { ?s ?p ?o }", results_format=None, graph_format=fmt, dataset=dataset
    )
    headers = {"Vary": "Accept", "ETag": f'"g-{engine.state}"'}
    body = b"" if request.method == "HEAD" else result.body
    return Response(body, media_type=media_type(fmt), headers=headers)


def _parts(content_type: str, body: bytes) -> list[tuple[str | None, bytes]]:
    """A body as (content type, bytes) parts: multipart/form-data gives one per file."""
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        return [(content_type, body)]
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise InputError("the multipart body cannot be read")
    parts: list[tuple[str | None, bytes]] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append((part.get("content-type"), payload if isinstance(payload, bytes) else b""))
    return parts


def _parse(parts: list[tuple[str | None, bytes]], base: str) -> list[Any]:
    triples: list[Any] = []
    for content_type, data in parts:
        triples.extend(Store.parse_triples(data, format=_format(content_type, data), base_iri=base))
    return triples


def _format(content_type: str | None, data: bytes) -> str:
    media = (content_type or "").split(";")[0].strip().lower()
    if "xml" in media or "trix" in media:
        check_xml(data)  # before any parser, whatever the XML flavour (RDF/XML, TriX)
    fmt = format_for_content_type(content_type, UPLOAD_FORMATS)
    if fmt is None:
        raise UnsupportedMediaType(
            f"unsupported Content-Type {media or '(none)'!r}: send one of "
            + ", ".join(media_type(f) for f in UPLOAD_FORMATS)
        )
    return fmt


async def _body(request: Request, settings: SettingsDep) -> list[tuple[str | None, bytes]]:
    check_token(settings, request.headers.get("authorization"))
    body = await read_body(request, settings.max_body_bytes, settings.body_timeout)
    parts = _parts(request.headers.get("content-type", ""), body)
    for content_type, data in parts:
        _format(content_type, data)  # refuse bad types and XML declarations before taking the write lock
    return parts


@router.get(
    "/store",
    summary="Get a graph (?default or ?graph=IRI)",
    response_class=Response,
    **protocol_docs.store_read(direct=False),
)
async def get_graph(request: Request, engine: EngineDep) -> Response:
    return await _read(request, engine, None)


@router.head(
    "/store",
    summary="Headers of a graph (?default or ?graph=IRI)",
    response_class=Response,
    **protocol_docs.store_read(direct=False, head=True),
)
async def head_graph(request: Request, engine: EngineDep) -> Response:
    return await _read(request, engine, None)


@router.get(
    "/store/{path:path}",
    summary="Get a graph named by its URL",
    response_class=Response,
    **protocol_docs.store_read(direct=True),
)
async def get_graph_direct(request: Request, engine: EngineDep, path: GraphPath) -> Response:
    return await _read(request, engine, path)


@router.head(
    "/store/{path:path}",
    summary="Headers of a graph named by its URL",
    response_class=Response,
    **protocol_docs.store_read(direct=True, head=True),
)
async def head_graph_direct(request: Request, engine: EngineDep, path: GraphPath) -> Response:
    return await _read(request, engine, path)


async def _put(request: Request, engine: EngineDep, settings: SettingsDep, path: str | None) -> Response:
    readside = request.app.state.readside  # keeps the REST read model in step with the write
    target = _target(request, path)
    if target is None:
        raise InputError("name a graph: /store?default or /store?graph=IRI")
    parts = await _body(request, settings)
    iri = None if target is _DEFAULT else target
    base = iri or _endpoint(request)

    triples = await run_in_threadpool(_parse, parts, base)  # parsed before the write: reads go on meanwhile

    def put(store: Store) -> bool:
        existed = iri is None or store.has_graph(iri)
        with readside.writing(store, [iri]):
            store.replace_graph(iri, triples)
        return existed

    existed = await engine.write(put)
    return Response(status_code=204 if existed else 201)


async def _post(request: Request, engine: EngineDep, settings: SettingsDep, path: str | None) -> Response:
    readside = request.app.state.readside  # keeps the REST read model in step with the write
    target = _target(request, path)
    parts = await _body(request, settings)
    created_iri = None
    if target is None:
        created_iri = f"{_endpoint(request)}/{uuid.uuid4().hex}"
        target = created_iri
    iri = None if target is _DEFAULT else target
    base = iri or _endpoint(request)

    triples = await run_in_threadpool(_parse, parts, base)

    def post(store: Store) -> bool:
        existed = iri is None or store.has_graph(iri)
        with readside.writing(store, [iri]):
            store.add_triples(iri, triples)
        return existed

    existed = await engine.write(post)
    if created_iri is not None:
        return Response(status_code=201, headers={"Location": created_iri})
    return Response(status_code=204 if existed else 201)


async def _delete(request: Request, engine: EngineDep, settings: SettingsDep, path: str | None) -> Response:
    readside = request.app.state.readside  # keeps the REST read model in step with the write
    target = _target(request, path)
    if target is None:
        raise InputError("name a graph: /store?default or /store?graph=IRI")
    check_token(settings, request.headers.get("authorization"))
    iri = None if target is _DEFAULT else target

    def delete(store: Store) -> bool:
        if iri is None:
            store.update("DROP DEFAULT")
            return True
        if not store.has_graph(iri):
            return False
        with readside.writing(store, [iri]):
            store.drop_graphs([iri])
        return True

    if not await engine.write(delete):
        raise NotFound(f"no graph <{iri}> in the store")
    return Response(status_code=204)


@router.put("/store", summary="Replace a graph", response_class=Response, **protocol_docs.store_write(direct=False))
async def put_graph(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    return await _put(request, engine, settings, None)


@router.put(
    "/store/{path:path}",
    summary="Replace a graph named by its URL",
    response_class=Response,
    **protocol_docs.store_write(direct=True),
)
async def put_graph_direct(request: Request, engine: EngineDep, settings: SettingsDep, path: GraphPath) -> Response:
    return await _put(request, engine, settings, path)


@router.post(
    "/store",
    summary="Add to a graph, or create a new graph (no ?graph)",
    response_class=Response,
    **protocol_docs.store_write(direct=False, post=True),
)
async def post_graph(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    return await _post(request, engine, settings, None)


@router.post(
    "/store/{path:path}",
    summary="Add to a graph named by its URL",
    response_class=Response,
    **protocol_docs.store_write(direct=True, post=True),
)
async def post_graph_direct(request: Request, engine: EngineDep, settings: SettingsDep, path: GraphPath) -> Response:
    return await _post(request, engine, settings, path)


@router.delete(
    "/store",
    summary="Delete a graph (?default empties the default graph)",
    response_class=Response,
    **protocol_docs.store_delete(direct=False),
)
async def delete_graph(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    return await _delete(request, engine, settings, None)


@router.delete(
    "/store/{path:path}",
    summary="Delete a graph named by its URL",
    response_class=Response,
    **protocol_docs.store_delete(direct=True),
)
async def delete_graph_direct(request: Request, engine: EngineDep, settings: SettingsDep, path: GraphPath) -> Response:
    return await _delete(request, engine, settings, path)
