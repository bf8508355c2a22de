"""The REST requests a dashboard sends, found in the server's own OpenAPI description.

The dashboard endpoints (entity list and search, entity detail, agreements of a party,
stats, neighbourhood graph) are looked up in ``/openapi.json`` rather than hard-coded,
so the benchmark follows the API as it evolves: each ``GET`` path under ``/api/`` gets
its parameters filled from the data by name; paths that do not answer 200 are reported
and left out of the load.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

from benchmarks.load import fetch

_ID_NAMES = re.compile(r"(^|_)(id|pid|entity|party|iri|uri|node|center|centre|focus)$")
_FILTERS = ("party", "q", "name")  # optional parameters a dashboard sets: search text, the focus entity
_TEXT_NAMES = re.compile(r"^(q|query|name|search|text|term|prefix)$")


def public_id(iri: str) -> str | None:
    try:
        from kg.queries import public_id as pid
    except ImportError:
        return None
    return pid(iri)


def _value(name: str, schema: dict[str, Any], values: dict[str, str]) -> str | None:
    n = name.lower()
    if "enum" in schema:
        return str(schema["enum"][0])
    if n == "party" or _ID_NAMES.search(n):
        return values["id"]
    if _TEXT_NAMES.match(n):
        return values["term"]
    if n in ("kind", "type", "class"):
        return values.get("kind")
    if schema.get("type") == "integer":
        return None  # limits, offsets, depths: the server's defaults are what dashboards use
    return None


def discover(port: int, *, entity_iri: str, term: str, timeout: float) -> tuple[list[dict[str, Any]], list[str]]:
    """The dashboard requests for one entity and one search term; and the paths left out (why)."""
    status, body, _ = fetch(port, "/openapi.json", timeout=timeout, accept="application/json")
    if status != 200:
        return [], [f"/openapi.json answered {status}"]
    spec = json.loads(body)
    pid = public_id(entity_iri) or entity_iri
    values = {"id": pid, "term": term, "kind": "organization"}
    requests: list[dict[str, Any]] = []
    skipped: list[str] = []
    for path, ops in sorted(spec.get("paths", {}).items()):
        op = ops.get("get")
        if op is None or not path.startswith("/api/"):
            continue
        url, query, ok = path, {}, True
        for p in op.get("parameters", []):
            v = _value(p["name"], p.get("schema", {}), values)
            if p.get("in") == "path":
                if v is None:
                    ok = False
                    break
                url = url.replace("{" + p["name"] + "}", quote(v, safe=""))
            elif p.get("in") == "query" and v is not None and (p.get("required") or p["name"] in _FILTERS):
                query[p["name"]] = v
        if not ok:
            skipped.append(f"{path}: cannot fill its path parameters")
            continue
        full = url + ("?" + urlencode(query) if query else "")
        st, _, _ = fetch(port, full, timeout=timeout, accept="application/json")
        if st != 200:
            skipped.append(f"{full}: answered {st}")
            continue
        requests.append({"endpoint": path, "path": full})
    return requests, skipped
