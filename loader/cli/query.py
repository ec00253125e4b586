"""`budgetkg queries`, `budgetkg query NAME [--param k=v …]` and
`budgetkg sparql QUERY_OR_FILE`: saved and free SPARQL on a store, printed as
a table, CSV or JSON."""
from __future__ import annotations

import sys
from pathlib import Path

from budgetkg.cli.options import add_store_arguments, open_store
from budgetkg.query.run import FORMATS, bind, run_sparql, saved_query, write_result
from budgetkg.query.saved import saved_queries


def register(sub) -> None:
    p = sub.add_parser("queries", help="list the saved queries (queries/*.rq) and their parameters")
    p.add_argument("name", nargs="?", help="show one query in full, with its SPARQL")
    p.set_defaults(func=run_list)

    p = sub.add_parser("query", help="run a saved query",
                       description="Run one saved query (see `budgetkg queries`) on the store.")
    p.add_argument("name")
    p.add_argument("--param", "-p", action="append", default=[], metavar="K=V",
                   help="a parameter value (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="table")
    add_store_arguments(p)
    p.set_defaults(func=run_query)

    p = sub.add_parser("sparql", help="run a SPARQL SELECT query (text or a .rq file) on the store")
    p.add_argument("sparql", metavar="QUERY_OR_FILE")
    p.add_argument("--format", choices=FORMATS, default="table")
    add_store_arguments(p)
    p.set_defaults(func=run_free)


def run_list(args) -> int:
    if args.name:
        q = saved_query(args.name)
        print(f"{q.name}: {q.title['en']} / {q.title['zh']}\n\n{q.description['en']}\n{q.description['zh']}\n")
        for p in q.parameters:
            print(f"  {p.name} ({p.type}{', required' if p.required else ''}"
                  f"{', default ' + p.default if p.default is not None else ''}): {p.description}")
        print(f"\nexample: {q.example}\n\n{q.sparql}")
        return 0
    for q in saved_queries().values():
        params = " ".join(f"{p.name}={p.type}" for p in q.parameters)
        print(f"{q.name:24} {q.title['en']} / {q.title['zh']}" + (f"  [{params}]" if params else ""))
    return 0


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        params[key.strip()] = value
    return params


def run_query(args) -> int:
    # an unknown query or a bad value fails before the store is opened
    return run_and_write(args, bind(saved_query(args.name), parse_params(args.param)))


def run_free(args) -> int:
    text = args.sparql
    if text.endswith(".rq") or (len(text) < 4096 and "{" not in text and Path(text).is_file()):
        text = Path(text).read_text(encoding="utf-8")
    return run_and_write(args, text)


def run_and_write(args, sparql: str) -> int:
    """Run SPARQL on the store the options name and print it in --format."""
    store = open_store(args)
    try:
        result = run_sparql(store, sparql)
    finally:
        store.close()
    write_result(result, args.format, sys.stdout)
    return 0
