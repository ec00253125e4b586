"""`budgetkg serve [--store DIR | --endpoint URL] [--host 127.0.0.1] [--port 8000]`:
the read-only SPARQL endpoint, the saved queries and the pages over HTTP."""
from __future__ import annotations

import os

from budgetkg.cli.options import add_store_arguments
from budgetkg.store.backends import DEFAULT_STORE, EmbeddedStore, RemoteStore


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the graph over HTTP: SPARQL endpoint, saved queries, pages",
                       description="A read-only SPARQL 1.1 endpoint (/sparql), the saved queries (/queries), "
                                   "pages to browse them (/), /health and /metrics. Queries run in worker "
                                   "processes, each stopped at the time limit.")
    add_store_arguments(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="a query running longer is stopped (default: %(default)s)")
    p.add_argument("--row-cap", type=int, default=10_000, metavar="N",
                   help="rows a result may hold; a cut result says so in X-Result-Truncated (default: %(default)s)")
    p.add_argument("--body-cap", type=int, default=256 * 1024, metavar="BYTES",
                   help="largest request body accepted (default: %(default)s)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2, metavar="N",
                   help="query worker processes (default: the number of CPUs)")
    p.set_defaults(func=run)


def run(args) -> int:
    import uvicorn

    from budgetkg.serve.app import ServeConfig, create_app
    from budgetkg.serve.workers import Source

    # fails here, in one line, if there is no store or no server
    if args.endpoint:
        remote = RemoteStore(args.endpoint)
        remote.check_union_default_graph()
        source = Source(endpoint=remote.endpoint)
    else:
        store = EmbeddedStore(args.store or DEFAULT_STORE, create=False, read_only=True)
        source = Source(store=str(store.path))
        store.close()
    if min(args.timeout, args.row_cap, args.body_cap, args.workers) <= 0:
        raise ValueError("--timeout, --row-cap, --body-cap and --workers must be positive")
    config = ServeConfig(source, args.timeout, args.row_cap, args.body_cap, args.workers)
    url = f"http://{args.host}:{args.port}/"
    print(f"budgetkg: serving {source.describe()} at {url}  (SPARQL: {url}sparql, API: {url}openapi.json)", flush=True)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="warning")
    return 0
