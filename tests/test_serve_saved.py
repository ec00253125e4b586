"""The saved queries over HTTP on the real server: each answers exactly what
`budgetkg query` prints (JSON and CSV), each is one typed operation of the
OpenAPI schema generated from its header, and schemathesis, fuzzing every
operation of /openapi.json with a bounded number of examples, finds no server
error."""
from __future__ import annotations

import csv
import io
import shlex

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

import serve_support
from budgetkg.cli import main as budgetkg_main
from budgetkg.query.saved import saved_queries
from serve_support import WANLI

QUERIES = saved_queries()
TIME_LIMIT = "stopped at the time limit"


@pytest.fixture(scope="module")
def server():
    return serve_support.server()


def example_params(example: str) -> dict[str, str]:
    """The parameters of a header's `example: budgetkg query NAME --param k=v …`."""
    words = shlex.split(example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w in ("--param", "-p"))


def cli_output(capsys, name: str, params: dict[str, str], fmt: str) -> str:
    capsys.readouterr()
    args = ["query", name, "--format", fmt, "--store", str(serve_support.store_path())]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    assert budgetkg_main(args) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_every_saved_query_over_http_equals_the_cli(server, capsys, name, fmt):
    params = example_params(QUERIES[name].example)
    r = httpx.get(f"{server.url}/queries/{name}.{fmt}", params=params, timeout=60)
    assert r.status_code == 200, r.text
    assert r.text == cli_output(capsys, name, params, fmt)
    assert r.headers["content-type"].startswith({"json": "application/json", "csv": "text/csv"}[fmt])


def test_documents_of_a_year_with_real_values(server):
    r = httpx.get(f"{server.url}/queries/documents.csv", params={"year": "2024"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted((row["unit_name"], row["budget_phase"]) for row in rows) == [
        ("上海市普陀区人民政府万里街道办事处", "approved"), ("上海市普陀区财政局", "executed"),
        ("重庆市永川区公安局", "approved")]
    by_unit = {row["unit_name"]: row for row in rows}
    assert by_unit[WANLI]["observations"] == "875"
    # the Putuo finance bureau's final account breaks one of its own identities
    assert by_unit["上海市普陀区财政局"]["violations"] == "1"


def test_format_by_accept_header_and_suffix(server):
    r = httpx.get(f"{server.url}/queries/documents", params={"year": "2025"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[1].split(",")[1:4] == [WANLI, "2025", "approved"]
    r = httpx.get(f"{server.url}/queries/documents", params={"year": "2025"})
    assert [(row["unit_name"], row["year"]) for row in r.json()["rows"]] == [(WANLI, 2025)]


def test_parameters_are_checked(server):
    r = httpx.get(f"{server.url}/queries/documents", params={"year": "twenty"})
    assert r.status_code == 422 and "year" in r.text  # typed by the OpenAPI schema
    r = httpx.get(f"{server.url}/queries/documents", params={"phase": "draft"})
    assert r.status_code == 422
    r = httpx.get(f"{server.url}/queries/documents", params={"colour": "red"})
    assert r.status_code == 400 and "no such parameter" in r.text  # never silently ignored
    r = httpx.get(f"{server.url}/queries/no-such-query")
    assert r.status_code == 404 and "documents" in r.text


def test_query_list_is_the_headers(server):
    listed = {q["name"]: q for q in httpx.get(f"{server.url}/queries").json()}
    assert set(listed) == set(QUERIES)
    for name, q in QUERIES.items():
        assert listed[name]["title"] == q.title and listed[name]["description"] == q.description
        assert [p["name"] for p in listed[name]["parameters"]] == [p.name for p in q.parameters]


def test_openapi_has_one_typed_operation_per_saved_query(server):
    spec = httpx.get(f"{server.url}/openapi.json").json()
    for name, q in QUERIES.items():
        op = spec["paths"][f"/queries/{name}"]["get"]
        assert op["operationId"] == f"query_{name}"
        assert op["summary"].startswith(q.title["en"])
        params = {p["name"]: p for p in op["parameters"]}
        assert list(params) == [p.name for p in q.parameters]
        for p in q.parameters:
            assert params[p.name]["required"] == p.required
            schema = params[p.name]["schema"]
            schema = schema.get("anyOf", [schema])[0]
            if p.type == "year":
                assert schema["type"] == "integer" and schema["minimum"] == 1990
            elif p.type == "enum":
                assert schema["enum"] == list(p.choices)
            elif p.type == "code":
                assert schema["pattern"]
    assert "/sparql" in spec["paths"] and {"get", "post"} <= set(spec["paths"]["/sparql"])


def test_fuzzing_the_openapi_schema_finds_no_server_error():
    # schemathesis' own pytest plugin does not run under pytest 9: its strategies, driven here;
    # on the 3 s server, where a query stopped at its time limit (503, by design) costs 3 s
    server = serve_support.limited_server()
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(QUERIES) + 5  # each saved query, /queries, /sparql GET and POST, /health, /metrics
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def no_server_error(case):
            response = case.call(base_url=server.url, timeout=30)
            stopped = response.status_code == 503 and TIME_LIMIT in response.text
            assert response.status_code < 500 or stopped, (case.method, case.path, case.query, response.text[:300])

        no_server_error()
