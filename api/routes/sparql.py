"""The SPARQL 1.1 Protocol at ``/sparql``: query (GET, POST form, POST direct), update,
and the service description (GET without a query).

Routes parse the request and raise; :mod:`api.errors` turns exceptions into answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api import protocol_docs
from api.deps import EngineDep, SettingsDep
from api.errors import NotAcceptable, UnsupportedMediaType
from api.negotiation import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    media_type,
    negotiate,
)
from api.routes.rest.deps import if_none_match
from api.security import check_query_length, check_token, check_update_policy, query_policy, read_body
from api.service_description import describe
from api.sparql_cache import HEADROOM, tag_of
from api.sparql_syntax import BadIri, DatasetConflict, iri_term
from kg.errors import InputError
from kg.store import Dataset

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

# The policy check lexes the text, a quarter to half a microsecond per character. Up to
# this many characters it runs on the event loop (half a millisecond at most); a longer
# text goes to a thread, so a large query does not stall the other requests while it is read.
INLINE_POLICY_CHARS = 1024
# A tagged answer may be kept by a client, which asks again with If-None-Match before using it.
SPARQL_CACHE_CONTROL = "no-cache"


@dataclass
class Params:
    """A protocol request's parameters (URL query string, plus a form body when there is one)."""

    values: dict[str, list[str]]

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def one(self, name: str) -> str | None:
        found = self.all(name)
        if len(found) > 1:
            raise InputError(f"the request has {len(found)} '{name}' parameters; send exactly one")
        return found[0] if found else None


def _params(request: Request, form: bytes | None = None) -> Params:
    """The URL's parameters and the form's, percent-decoded as UTF-8 (anything else is 400)."""
    values: dict[str, list[str]] = {}
    _parse_into(values, request.scope.get("query_string", b""), "the URL's query string")
    if form is not None:
        _parse_into(values, form, "the form body")
    return Params(values)


def _parse_into(values: dict[str, list[str]], raw: bytes, where: str) -> None:
    try:
        text = raw.decode("ascii")  # percent-encoded: any other byte is already wrong
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeError:
        raise InputError(f"{where} is not UTF-8 (after percent-decoding)") from None
    for key, found in pairs:
        values.setdefault(key, []).append(found)


def _content_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset!r} is not supported: send UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the request body is not UTF-8") from None


def _dataset(params: Params, default_name: str, named_name: str) -> tuple[list[str], list[str]]:
    return params.all(default_name), params.all(named_name)


def _iris(values: list[str]) -> None:
    """Dataset parameters must each be one absolute IRI (they become terms, never text)."""
    for value in values:
        try:
            iri_term(value)
        except BadIri as e:
            raise InputError(f"dataset parameter: {e}") from None


def _base(request: Request) -> str:
    return str(request.url.replace(query=None, fragment=None))


@router.get(
    "/sparql",
    summary="SPARQL query by GET, or the service description",
    response_class=Response,
    **protocol_docs.SPARQL_GET,
)
async def sparql_query_get(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    params = _params(request)
    if params.all("update"):
        raise InputError("updates must be sent by POST (SPARQL 1.1 Protocol, section 2.2)")
    query = params.one("query")
    if query is None:
        return describe(request, settings, params.one("format"))
    check_query_length(settings, query, in_url=True)
    return await _query(request, engine, settings, query, params)


@router.post(
    "/sparql",
    summary="SPARQL query or update by POST (form or direct)",
    response_class=Response,
    **protocol_docs.SPARQL_POST,
)
async def sparql_query_or_update_post(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    media, charset = _content_type(request)
    if media not in (FORM, QUERY, UPDATE):
        raise UnsupportedMediaType(f"unsupported Content-Type {media or '(none)'!r}: use {FORM}, {QUERY} or {UPDATE}")
    if media == UPDATE:
        check_token(settings, request.headers.get("authorization"))
    body = await read_body(request, settings.max_body_bytes, settings.body_timeout)
    if media == FORM:
        if charset not in (None, "utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {charset!r} is not supported: send UTF-8")
        params = _params(request, body)
        queries, updates = params.all("query"), params.all("update")
        if queries and updates:
            raise InputError("the request has both 'query' and 'update'; send one")
        if updates:
            check_token(settings, request.headers.get("authorization"))
            return await _update(request, engine, settings, params.one("update") or "", params)
        query = params.one("query")
        if query is None:
            raise InputError("the form has no 'query' or 'update' parameter")
        check_query_length(settings, query, in_url=False)
        return await _query(request, engine, settings, query, params)
    params = _params(request)
    text = _utf8(body, charset)
    if media == QUERY:
        check_query_length(settings, text, in_url=False)
        return await _query(request, engine, settings, text, params)
    return await _update(request, engine, settings, text, params)


async def _query(request: Request, engine: EngineDep, settings: SettingsDep, query: str, params: Params) -> Response:
    default, named = _dataset(params, "default-graph-uri", "named-graph-uri")
    _iris(default + named)
    if len(query) <= INLINE_POLICY_CHARS:
        form = request.app.state.checked_queries.form(query)
    else:
        form = await run_in_threadpool(query_policy, settings, query)
    override = params.one("format")
    accept = request.headers.get("accept")
    results_format = graph_format = None
    if form in ("SELECT", "ASK", None):
        results_format = negotiate(accept, SELECT_FORMATS if form != "ASK" else ASK_FORMATS, override=override)
    if form in ("CONSTRUCT", "DESCRIBE", None):
        graph_format = negotiate(accept, GRAPH_FORMATS, override=override)
    if form is not None and results_format is None and graph_format is None:
        offered = SELECT_FORMATS if form == "SELECT" else ASK_FORMATS if form == "ASK" else GRAPH_FORMATS
        raise NotAcceptable(
            f"no acceptable format for a {form} result; available: " + ", ".join(media_type(f) for f in offered)
        )
    dataset = Dataset(default=tuple(default), named=tuple(named)) if default or named else None
    base = _base(request)
    state = engine.state
    app = request.app.state
    tag = tag_of(state, query, dataset, base, f"{results_format}|{graph_format}") if app.sparql_tags else None
    headers = {"Vary": "Accept"}
    if tag is not None:
        if request.method == "GET":
            headers |= {"ETag": tag, "Cache-Control": SPARQL_CACHE_CONTROL}
            inm = request.headers.get("if-none-match")
            if inm and if_none_match(inm, tag):
                app.metrics.sparql_cache_hits.inc()
                return Response(status_code=304, headers=headers)
        kept = app.sparql_cache.get(tag)
        if kept is not None:
            app.metrics.sparql_cache_hits.inc()
            body, fmt = kept
            return Response(body, media_type=media_type(fmt), headers=headers)
    result = await engine.execute(
        query, results_format=results_format, graph_format=graph_format, dataset=dataset, base_iri=base
    )
    if result.kind == "unacceptable":
        raise NotAcceptable(f"no acceptable format for this query's {result.format} result")
    if tag is not None and engine.state == state:  # answered from the generation the tag names
        app.sparql_cache.put(tag, (result.body, result.format), len(result.body) + HEADROOM)
    return Response(result.body, media_type=media_type(result.format), headers=headers)


async def _update(request: Request, engine: EngineDep, settings: SettingsDep, update: str, params: Params) -> Response:
    check_query_length(settings, update, in_url=False)
    default, named = _dataset(params, "using-graph-uri", "using-named-graph-uri")
    _iris(default + named)
    try:
        update = await run_in_threadpool(check_update_policy, settings, update, default, named)
    except DatasetConflict as e:
        raise InputError(str(e)) from None
    await engine.update(update, base_iri=_base(request))
    return Response(status_code=204)
