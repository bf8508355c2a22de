"""The served /openapi.json (issue 11): valid OpenAPI 3.1 by openapi-spec-validator, operation
ids named for what they do (one rule: the handler's name), and /sparql, /store, /id and the
REST routes documented with their parameters, bodies, media types, error answers and examples."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from api.negotiation import DESCRIPTION_FORMATS, GRAPH_FORMATS, SELECT_FORMATS, media_type

OPERATION_IDS = {
    "sparql_query_get",
    "sparql_query_or_update_post",
    "get_graph",
    "head_graph",
    "put_graph",
    "post_graph",
    "delete_graph",
    "get_graph_direct",
    "head_graph_direct",
    "put_graph_direct",
    "post_graph_direct",
    "delete_graph_direct",
    "check_liveness",
    "check_readiness",
    "get_metrics",
    "list_entities",
    "get_entity",
    "list_agreements",
    "get_agreement",
    "list_aircraft",
    "get_aircraft",
    "list_programmes",
    "get_programme",
    "list_documents",
    "get_document",
    "get_stats",
    "get_neighbourhood",
    "get_timeline",
    "get_network",
    "resolve_entity",
    "head_entity",
    "resolve_document",
    "head_document",
}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorPublic"}


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]


def codes(spec: dict[str, Any], path: str, method: str) -> set[str]:
    return set(spec["paths"][path][method]["responses"])


def test_the_served_description_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec)


def test_operation_ids_are_unique_snake_case_and_exactly_these(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not SNAKE_CASE.fullmatch(i)] == []
    assert set(ids) == OPERATION_IDS


def test_an_operation_id_is_its_handlers_name(client: TestClient, spec: dict[str, Any]) -> None:
    documented = {op["operationId"]: (path, method) for path, method, op in operations(spec)}
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.include_in_schema:
            for method in route.methods:
                assert documented[route.endpoint.__name__] == (route.path_format, method.lower())


def test_sparql_get_documents_its_parameters_answers_and_examples(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/sparql"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["query", "default-graph-uri", "named-graph-uri", "format"]
    assert codes(spec, "/sparql", "get") == {"200", "400", "403", "406", "414", "503"}
    content = op["responses"]["200"]["content"]
    assert set(content) == {media_type(f) for f in (*SELECT_FORMATS, *GRAPH_FORMATS)}
    assert all("example" in c for c in content.values())
    for code in ("400", "403", "406", "414", "503"):
        error = op["responses"][code]["content"]["application/json"]
        assert error["schema"] == ERROR_SCHEMA and set(error["example"]) == {"detail"}


def test_sparql_post_documents_the_three_forms(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/sparql"]["post"]
    body = op["requestBody"]["content"]
    assert set(body) == {"application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"}
    assert all("example" in c for c in body.values())
    assert set(body["application/x-www-form-urlencoded"]["schema"]["properties"]) == {
        "query",
        "update",
        "default-graph-uri",
        "named-graph-uri",
        "using-graph-uri",
        "using-named-graph-uri",
        "format",
    }
    assert codes(spec, "/sparql", "post") == {"200", "204", "400", "401", "403", "406", "408", "413", "415", "503"}
    assert op["security"] == [{}, {"updateToken": []}]
    assert spec["components"]["securitySchemes"]["updateToken"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/store", "get", {"200", "400", "404", "406", "503"}),
        ("/store", "head", {"200", "400", "404", "406", "503"}),
        ("/store", "put", {"201", "204", "400", "401", "403", "408", "413", "415"}),
        ("/store", "post", {"201", "204", "400", "401", "403", "408", "413", "415"}),
        ("/store", "delete", {"204", "400", "401", "403", "404"}),
        ("/store/{path}", "get", {"200", "400", "404", "406", "503"}),
        ("/store/{path}", "put", {"201", "204", "400", "401", "403", "408", "413", "415"}),
        ("/store/{path}", "delete", {"204", "400", "401", "403", "404"}),
    ],
)
def test_the_graph_store_answers(spec: dict[str, Any], path: str, method: str, expected: set[str]) -> None:
    assert codes(spec, path, method) == expected


def test_the_graph_store_documents_targets_bodies_and_examples(spec: dict[str, Any]) -> None:
    get = spec["paths"]["/store"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["default", "graph", "format"]
    assert "example" in get["parameters"][1]
    assert set(get["responses"]["200"]["content"]) == {media_type(f) for f in GRAPH_FORMATS}
    assert "content" not in spec["paths"]["/store"]["head"]["responses"]["200"]
    put = spec["paths"]["/store"]["put"]
    assert set(put["requestBody"]["content"]) == {
        "text/turtle",
        "application/x-turtle",
        "application/n-triples",
        "text/plain",
        "application/rdf+xml",
        "application/ld+json",
        "multipart/form-data",
    }
    assert put["requestBody"]["content"]["text/turtle"]["example"] == '<urn:a> <urn:b> "c" .'
    assert put["security"] == [{"updateToken": []}]
    assert "Location" in spec["paths"]["/store"]["post"]["responses"]["201"]["headers"]
    assert [p["name"] for p in spec["paths"]["/store/{path}"]["put"]["parameters"]] == ["path"]


def test_rest_routes_document_404_and_422_where_they_occur(spec: dict[str, Any]) -> None:
    for path, _, op in operations(spec):
        if not path.startswith("/api/v1/"):
            continue
        found = set(op["responses"])
        assert {"200", "304", "503"} <= found, path
        assert ("404" in found) == path.endswith("/{id}"), path
        if "404" in found:
            assert op["responses"]["404"]["content"]["application/json"]["schema"] == ERROR_SCHEMA
        can_fail = any(p["in"] == "query" for p in op.get("parameters", []))
        assert ("422" in found) == can_fail, path
    assert codes(spec, "/api/v1/entities/{id}", "get") == {"200", "304", "404", "503"}
    assert codes(spec, "/api/v1/graph/{id}", "get") == {"200", "304", "404", "422", "503"}


def test_entity_iris_are_documented(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/id/{kind}/{slug}"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["kind", "slug", "format"]
    assert codes(spec, "/id/{kind}/{slug}", "get") == {"200", "304", "404", "406", "503"}
    content = op["responses"]["200"]["content"]
    assert list(content) == [media_type(f) for f in DESCRIPTION_FORMATS]
    assert all("example" in c for c in content.values())
    assert codes(spec, "/id/document/{stem}", "head") == {"200", "304", "404", "406", "503"}


def test_the_documented_sparql_examples_run(client: TestClient, spec: dict[str, Any]) -> None:
    get = spec["paths"]["/sparql"]["get"]
    query = next(p for p in get["parameters"] if p["name"] == "query")["example"]
    r = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200
    example = get["responses"]["200"]["content"]["application/sparql-results+json"]["example"]
    assert r.json()["head"] == example["head"]
    assert r.json()["results"]["bindings"][0] == example["results"]["bindings"][0]
    body = spec["paths"]["/sparql"]["post"]["requestBody"]["content"]
    direct = client.post(
        "/sparql",
        content=body["application/sparql-query"]["example"],
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
    )
    assert direct.status_code == 200
    assert direct.text.startswith(get["responses"]["200"]["content"]["text/csv"]["example"])
    form = client.post("/sparql", data=body["application/x-www-form-urlencoded"]["example"])
    assert form.status_code == 200
