"""The saved queries (queries/*.rq) over HTTP: GET /queries lists them, and each
one is its own typed operation, GET /queries/{name}, generated from its header
(grlc's idea), answering JSON or CSV exactly as `budgetkg query` writes them."""
from __future__ import annotations

import inspect
import sys
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from budgetkg.query.run import bind
from budgetkg.query.saved import PHASES, SCOPES, YEARS, Parameter, ParameterError, SavedQuery
from budgetkg.serve.safety import Refused, check_query
from budgetkg.serve.workers import Job

SUFFIXES = {".json": "json", ".csv": "csv"}
MEDIA = {"json": "application/json", "csv": "text/csv"}


def describe(q: SavedQuery) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description, "example": q.example,
            "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                            "choices": list(p.choices), "description": p.description, "expects": p.expects()}
                           for p in q.parameters],
            "url": f"/queries/{q.name}"}


def _annotation(p: Parameter):
    """The parameter as a typed OpenAPI query parameter (the stage's own check runs too)."""
    doc = f"{p.description} ({p.expects()})"
    default = p.default if p.default is not None else None
    if p.type == "year":
        kind, extra = int, {"ge": YEARS.start, "le": YEARS.stop - 1}
        default = int(default) if default is not None else None
    elif p.type == "integer":
        kind, extra = int, {}
        default = int(default) if default is not None else None
    elif p.type == "code":
        kind, extra = str, {"pattern": r"^\d{3}(\d{2}){0,2}$"}
    elif p.type == "decimal":
        kind, extra = str, {"pattern": r"^[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?$"}
    elif p.type in ("enum", "phase", "scope"):
        words = p.choices if p.type == "enum" else tuple(PHASES if p.type == "phase" else SCOPES)
        kind, extra = Literal[words], {}
    else:
        kind, extra = str, {"min_length": 1}
    if p.required:
        return Annotated[kind, Query(description=doc, **extra)], inspect.Parameter.empty
    return Annotated[kind | None, Query(description=doc, **extra)], default


async def answer_saved(request: Request, q: SavedQuery, fmt: str) -> Response:
    state = request.app.state
    params = {k: v for k, v in request.query_params.items() if k != "format"}
    try:
        sparql = bind(q, params)
    except ParameterError as e:
        raise Refused(400, str(e)) from None
    answer = await state.run(Job(sparql, "SELECT", fmt, saved=True))
    headers = {"X-Result-Truncated": str(state.config.row_cap)} if answer.truncated else {}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _format(request: Request, suffix: str | None) -> str:
    if suffix:
        return SUFFIXES[suffix]
    wanted = request.query_params.get("format") or ""
    if wanted in MEDIA:
        return wanted
    accept = request.headers.get("accept", "")
    first_csv, first_json = accept.find("text/csv"), accept.find("json")
    if first_csv >= 0 and (first_json < 0 or first_csv < first_json):
        return "csv"
    return "json"


def _operation(q: SavedQuery, suffix: str | None):
    async def run_saved_query(request: Request, **_params) -> Response:
        return await answer_saved(request, q, _format(request, suffix))

    params = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for p in q.parameters:
        annotation, default = _annotation(p)
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                        default=default))
    run_saved_query.__signature__ = inspect.Signature(params)
    run_saved_query.__name__ = f"query_{q.name.replace('-', '_')}"
    return run_saved_query


def add_saved_query_routes(app: FastAPI, queries: dict[str, SavedQuery]) -> None:
    router = APIRouter()
    for name, q in list(queries.items()):
        try:
            check_query(q.sparql)  # our own files obey the same rules
        except Refused as e:
            print(f"budgetkg serve: saved query {q.path} not served: {e.message}", file=sys.stderr)
            del queries[name]
            continue
        summary = f"{q.title['en']} · {q.title['zh']}"
        description = f"{q.description['en']}\n\n{q.description['zh']}\n\nCLI: `{q.example}`"
        router.add_api_route(f"/queries/{q.name}", _operation(q, None), methods=["GET"], summary=summary,
                             description=description, operation_id=f"query_{q.name}", tags=["saved queries"],
                             responses={200: {"content": {"application/json": {}, "text/csv": {}}},
                                        400: {"description": "a parameter that is not of its type"}},
                             response_class=Response)
        for suffix in SUFFIXES:
            router.add_api_route(f"/queries/{q.name}{suffix}", _operation(q, suffix), methods=["GET"],
                                 include_in_schema=False)

    @router.get("/queries", tags=["saved queries"], summary="The saved queries: titles, descriptions, parameters")
    async def list_queries() -> JSONResponse:
        return JSONResponse([describe(q) for q in queries.values()])

    @router.get("/queries/{name}", include_in_schema=False)
    async def unknown_query(name: str) -> Response:
        raise Refused(404, f"no saved query {name!r} (GET /queries lists them: {', '.join(queries)})")

    app.include_router(router)
