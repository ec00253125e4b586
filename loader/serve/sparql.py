"""The SPARQL 1.1 Protocol at /sparql: GET ?query=, POST form-encoded, POST
application/sparql-query; results in the format negotiated; a service
description on GET without a query. Updates and anything that would fetch a URL
are refused before a worker sees the query."""
from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from budgetkg.serve.formats import GRAPH_FORMATS, RESULT_FORMATS, negotiate, write_triples
from budgetkg.serve.safety import Refused, check_query
from budgetkg.serve.workers import TURTLE_PREFIXES, Job

router = APIRouter()
FORM = "application/x-www-form-urlencoded"
GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


def _refuse_dataset_params(params) -> None:
    for name in GRAPH_PARAMS:
        if params.get(name):
            raise Refused(400, f"{name} is not supported: the default graph is the union of the store's named "
                               f"graphs; name a graph with GRAPH <…> in the query")


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, or 413 past `cap` bytes (whatever Content-Length says)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise Refused(413, f"request body over {cap} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise Refused(413, f"request body over {cap} bytes")
    return bytes(body)


async def run_query(request: Request, text: str, format_param: str | None) -> Response:
    state = request.app.state
    checked = await run_in_threadpool(check_query, text)
    fmt = negotiate(checked.is_graph, format_param, request.headers.get("accept"))
    answer = await state.run(Job(checked.text, checked.form, fmt.name))
    headers = {"X-Result-Truncated": str(state.config.row_cap)} if answer.truncated else {}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def service_description(request: Request) -> Response:
    endpoint = str(request.url_for("sparql_get"))
    result_formats = " ".join(f"<http://www.w3.org/ns/formats/{n}>" for n in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    turtle = f"""
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  dcterms:title "budgetkg: Chinese budget disclosures as a validated RDF graph (read-only)" ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {", ".join(result_formats.split())} ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    fmt = negotiate(True, request.query_params.get("format"), request.headers.get("accept"))
    triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
    prefixes = {"sd": "http://www.w3.org/ns/sparql-service-description#", **TURTLE_PREFIXES}
    return Response(write_triples(triples, fmt, prefixes), media_type=fmt.media_type)


QUERY_DOC = ("A SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query. Without it, the service description. "
             "The default graph is the union of the named graphs.")
FORMAT_DOC = ("Result format (else the Accept header): " + ", ".join(RESULT_FORMATS) + " for SELECT/ASK; "
              + ", ".join(GRAPH_FORMATS) + " for CONSTRUCT/DESCRIBE")


@router.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query (GET)", responses={
    200: {"description": "results, or the service description",
          "content": {f.media_type: {} for f in [*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()]}},
    400: {"description": "malformed query, or one that would fetch a URL (SERVICE, FROM <url>)"},
    403: {"description": "an update: the endpoint is read-only"},
    503: {"description": "the query ran past the time limit and was stopped"}})
async def sparql_get(request: Request, query: str | None = None, format: str | None = None) -> Response:
    _refuse_dataset_params(request.query_params)
    if request.query_params.get("update"):
        raise Refused(403, "this endpoint is read-only: SPARQL UPDATE is not accepted")
    if query is None:
        if "text/html" in request.headers.get("accept", "") and not format:  # a person, in a browser
            return RedirectResponse("/editor", status_code=303)
        return service_description(request)
    return await run_query(request, query, format)


sparql_get.__doc__ = f"query: {QUERY_DOC}\n\nformat: {FORMAT_DOC}"


@router.post("/sparql", summary="SPARQL 1.1 query (POST form or application/sparql-query)", openapi_extra={
    "requestBody": {"required": True, "content": {
        FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}},
                          "required": ["query"]}},
        "application/sparql-query": {"schema": {"type": "string"}}}}},
    responses={400: {"description": "malformed query, or one that would fetch a URL"},
               403: {"description": "an update: the endpoint is read-only"},
               413: {"description": "request body too large"},
               415: {"description": "neither form-encoded nor application/sparql-query"}})
async def sparql_post(request: Request, format: str | None = None) -> Response:
    _refuse_dataset_params(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, request.app.state.config.body_cap)
    if content_type == "application/sparql-update":
        raise Refused(403, "this endpoint is read-only: SPARQL UPDATE is not accepted")
    if content_type == "application/sparql-query":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "the query is not UTF-8") from None
        return await run_query(request, text, format)
    if content_type == FORM:
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise Refused(400, "the form is not UTF-8") from None
        if form.get("update"):
            raise Refused(403, "this endpoint is read-only: SPARQL UPDATE is not accepted")
        _refuse_dataset_params({k: v[0] for k, v in form.items()})
        if "query" not in form:
            raise Refused(400, "the form has no query parameter")
        fmt = format or (form.get("format") or [None])[0]
        return await run_query(request, form["query"][0], fmt)
    raise Refused(415, "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query")
