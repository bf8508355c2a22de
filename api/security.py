"""What a request may do: the update token, the SERVICE/LOAD policy, body limits, XML guard.

- Writes (SPARQL update, Graph Store PUT/POST/DELETE) need ``Authorization: Bearer
  <token>`` (compared in constant time); off unless ``update_enabled``.
- ``SERVICE`` is refused unless ``service_enabled`` and every SERVICE IRI is under an
  allowed prefix; ``LOAD`` is refused unless its IRI is in ``load_allow`` (empty by
  default). Both checks run on the tokenised text before the engine sees it: pyoxigraph
  *does* fetch SERVICE and LOAD IRIs over HTTP, so nothing else stands in the way.
- RDF/XML and TriX bodies with a DOCTYPE or ENTITY declaration are refused before any
  parser runs (entity expansion bombs).
"""

from __future__ import annotations

import asyncio
import hmac
import re
from collections.abc import Iterable

from fastapi import Request

from api.answer_cache import AnswerCache
from api.errors import BodyTooLarge, Forbidden, QueryTooLong, RequestTimeout, Unauthorized
from api.sparql_syntax import (
    Token,
    TooComplex,
    add_using,
    check_depth,
    could_name_service,
    query_form_of,
    targets_in,
    tokenize,
)
from kg.config import Settings
from kg.errors import InputError


def check_token(settings: Settings, authorization: str | None) -> None:
    """Raise unless writes are enabled and the request carries the right bearer token."""
    if not settings.update_enabled:
        raise Forbidden("updates are disabled on this server (KG_UPDATE_ENABLED is off)")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("updates need an 'Authorization: Bearer <token>' header")
    expected = (settings.update_token or "").encode()
    if not expected or not hmac.compare_digest(token.strip().encode(), expected):
        raise Forbidden("the update token is wrong")


def allowed(iri: str, prefixes: Iterable[str]) -> bool:
    """Is ``iri`` one of ``prefixes`` or under one (at a path boundary, so
    ``http://a.org`` does not allow ``http://a.org.evil.net/``)?"""
    for prefix in prefixes:
        if iri == prefix:
            return True
        boundary = prefix if prefix.endswith(("/", "#", "?")) else prefix + "/"
        if iri.startswith(boundary):
            return True
    return False


def query_policy(settings: Settings, text: str) -> str | None:
    """Check a query (depth, SERVICE) and return its form; runs off the event loop."""
    tokens = _tokens(settings, text)
    if could_name_service(text):
        _check_service(settings, tokens)
    return query_form_of(tokens)


class CheckedQueries:
    """Query texts that passed :func:`query_policy`, with their form, the ``size`` most
    recent: a text asked again (a dashboard's poll, an analyst's re-run) is not lexed
    again. A refused text is not kept: it is checked, and refused, each time."""

    def __init__(self, settings: Settings, size: int = 4096) -> None:
        self.settings = settings
        self._forms = AnswerCache(size)  # each text counts 1

    def form(self, text: str) -> str | None:
        """:func:`query_policy` of ``text``, from memory when it passed before."""
        kept: tuple[str | None] | None = self._forms.get(text)
        if kept is not None:
            return kept[0]
        found = query_policy(self.settings, text)
        self._forms.put(text, (found,), 1)
        return found


def check_update_policy(settings: Settings, text: str, default: list[str], named: list[str]) -> str:
    """Check an update (depth, LOAD, SERVICE), add the protocol's USING clauses and check
    the result again: the text the engine runs is the text that was checked."""
    for candidate in (text, add_using(text, default, named)):
        tokens = _tokens(settings, candidate)
        _check_load(settings, tokens)
        _check_service(settings, tokens)
    return candidate


def _tokens(settings: Settings, text: str) -> list[Token]:
    tokens = tokenize(text)
    try:
        check_depth(tokens, settings.max_query_depth)
    except TooComplex as e:
        raise InputError(f"{e} (KG_MAX_QUERY_DEPTH)") from None
    return tokens


def _check_service(settings: Settings, tokens: list[Token]) -> None:
    """Refuse SERVICE federation unless enabled and every target is allow-listed."""
    for target in targets_in(tokens, "SERVICE"):
        if not settings.service_enabled:
            raise Forbidden("SERVICE (federated query) is disabled on this server")
        if target.iri is None:
            raise Forbidden(f"SERVICE {target.written}: only absolute, allow-listed IRIs are accepted")
        if not allowed(target.iri, settings.service_allow):
            raise Forbidden(f"SERVICE <{target.iri}> is not in the allow-list")


def _check_load(settings: Settings, tokens: list[Token]) -> None:
    """Refuse LOAD unless its IRI is explicitly allowed: the server never fetches arbitrary addresses."""
    for target in targets_in(tokens, "LOAD"):
        if target.iri is None or target.iri not in settings.load_allow:
            raise Forbidden(f"LOAD {target.written}: the server does not fetch data from arbitrary addresses")


def check_query_length(settings: Settings, text: str, *, in_url: bool) -> None:
    if len(text) > settings.max_query_length:
        raise QueryTooLong(
            f"the query is {len(text)} characters long; the limit is {settings.max_query_length}",
            in_url=in_url,
        )


async def read_body(request: Request, limit: int, timeout: float = 30.0) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes, and with
    408 when it has not all arrived within ``timeout`` seconds."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the request body is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BodyTooLarge(f"the request body is over the limit of {limit} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise RequestTimeout(f"the request body did not arrive within {timeout:g} s") from None
    return b"".join(chunks)


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml(body: bytes) -> None:
    """Refuse XML with DOCTYPE/ENTITY declarations, and XML that is not UTF-8 (so the
    check cannot be dodged by another encoding), before any parser sees it."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:4096]:
        raise InputError("XML bodies must be UTF-8")
    text = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    head = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)", text)
    if head and head.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise InputError("XML bodies must be UTF-8")
    if _DECLARATION.search(body):
        raise InputError("XML with DOCTYPE or ENTITY declarations is refused (entity expansion is not allowed)")
