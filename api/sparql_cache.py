"""SPARQL answers named by what fixes them: the store generation and the request.

A query's answer is fixed by the data and the request: its text, its dataset
(``default-graph-uri``, ``named-graph-uri``), its base IRI and the format negotiated.
:func:`tag_of` names that pair as a weak ETag (the generation, then a digest of the
request), so

- a GET whose ``If-None-Match`` holds the tag is answered ``304`` without running the
  query (a dashboard polling an unchanged store costs no query), and
- an answer kept in the app's SPARQL answer cache (an :class:`api.answer_cache.AnswerCache`
  of ``KG_SPARQL_CACHE_MB``) under its tag is sent again without running the query.

A write, by this server or by a finished ``kg build``, moves the generation and so every
tag on: an answer is never served from an older store. Texts whose answer can differ
between two runs on the same data get no tag: those that call ``NOW``, ``RAND``,
``UUID``, ``STRUUID`` or ``BNODE`` (a new value each run) and those that could name
``SERVICE`` (another endpoint's data). They are recognised by the word anywhere in the
text, so a false alarm (a literal that holds it) costs the cache, never correctness.
"""

from __future__ import annotations

import hashlib

from api.sparql_syntax import could_name_service
from kg.store import Dataset

VOLATILE = ("now", "rand", "uuid", "bnode")  # STRUUID holds "uuid"
HEADROOM = 256  # bytes a kept answer holds beyond its body (its format and key), roughly


def tag_of(state: str, query: str, dataset: Dataset | None, base_iri: str, fmt: str) -> str | None:
    """The weak ETag of ``query``'s answer in ``fmt`` at store generation ``state``, or None
    when the text may answer differently on the same data.

    >>> tag_of("7", "SELECT * WHERE { ?s ?p ?o }", None, "http://x/", "json")
    'W/"7-q-53af8af6d9c2726f1456"'
    >>> tag_of("7", "SELECT (NOW() AS ?t) WHERE {}", None, "http://x/", "json") is None
    True
    """
    lowered = query.lower()
    if could_name_service(query) or any(word in lowered for word in VOLATILE):
        return None
    digest = hashlib.blake2b(digest_size=10)
    for part in (query, repr(dataset), base_iri, fmt):
        digest.update(part.encode(errors="surrogatepass"))
        digest.update(b"\0")
    return f'W/"{state}-q-{digest.hexdigest()}"'
