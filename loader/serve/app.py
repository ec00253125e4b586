"""The HTTP application: the SPARQL endpoint, the saved queries, the pages, and
/health and /metrics; every query runs in the worker pool under the time limit
and row cap of the configuration."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from budgetkg import __version__
from budgetkg.query.saved import saved_queries
from budgetkg.serve.metrics import Counters, CountingMiddleware
from budgetkg.serve.pages import STATIC
from budgetkg.serve.pages import router as pages_router
from budgetkg.serve.safety import Refused
from budgetkg.serve.saved_routes import add_saved_query_routes
from budgetkg.serve.sparql import router as sparql_router
from budgetkg.serve.workers import Answer, Job, Source, TimedOut, WorkerPool


@dataclass(frozen=True)
class ServeConfig:
    source: Source
    timeout: float = 10.0  # seconds a query may run
    row_cap: int = 10_000  # rows (or triples) a result may hold
    body_cap: int = 256 * 1024  # bytes a request body may hold
    workers: int = 2  # query worker processes


def create_app(config: ServeConfig) -> FastAPI:
    counters = Counters()
    pool = WorkerPool(config.source, config.workers, config.timeout, config.row_cap)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await pool.start()
        yield
        await pool.stop()

    # no /docs or /redoc: their pages load scripts from a CDN; /openapi.json is the API
    app = FastAPI(title="budgetkg", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Chinese budget disclosures (部门预算/决算公开) as a validated RDF graph: "
                              "a read-only SPARQL 1.1 endpoint and the saved queries.")
    app.state.config = config
    app.state.counters = counters

    async def run(job: Job) -> Answer:
        try:
            answer = await pool.run(job)
        except TimedOut:
            counters.timeouts += 1
            raise Refused(503, f"the query was stopped at the time limit of {config.timeout:g} s") from None
        counters.query_done(answer.seconds, answer.truncated)
        return answer

    app.state.run = run

    @app.exception_handler(Refused)
    async def refused(request: Request, e: Refused) -> Response:
        return PlainTextResponse(e.message + "\n", status_code=e.status)

    @app.get("/health", tags=["service"], summary="Is the server up, and its counters")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__, "source": config.source.describe(),
                             "workers": pool.size, "workers_replaced": pool.replaced,
                             "time_limit_seconds": config.timeout, "row_cap": config.row_cap,
                             "counters": counters.as_dict()})

    @app.get("/metrics", tags=["service"], summary="Counters in the Prometheus text format",
             response_class=PlainTextResponse)
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(counters.prometheus(), media_type="text/plain; version=0.0.4")

    app.include_router(sparql_router)
    app.state.saved_queries = saved_queries()
    add_saved_query_routes(app, app.state.saved_queries)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       expose_headers=["X-Result-Truncated"])
    app.add_middleware(CountingMiddleware, counters=counters)
    return app
