"""Benchmark: every saved query on a loaded store, through budgetkg's own path
(budgetkg.query.run.run_saved: bind, run, rows as Python values) and as the
same bound SPARQL run directly on pyoxigraph (solutions read, nothing converted).

    budgetkg load corpus --store data/store          # once: the full corpus
    .venv/bin/python bench/queries.py --store data/store [--repeat 5] [--only NAME]


Each query runs with the parameters of its header's example; the figure is the
median of `--repeat` runs after one warm-up run. A query passes when its median
through budgetkg is under one second (the issue's bound)."""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

from budgetkg.query.run import bind, run_saved
from budgetkg.query.saved import saved_queries
from budgetkg.store.backends import DEFAULT_STORE, EmbeddedStore

BOUND_SECONDS = 1.0


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")


def median_seconds(fn, repeat: int) -> float:
    fn()  # warm-up: caches, lazy imports
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", action="append", help="a query name (repeatable)")
    args = ap.parse_args(argv)
    store = EmbeddedStore(args.store)
    documents = store.query("PREFIX bkg: <https://budgetkg.org/def/> SELECT (COUNT(*) AS ?n) WHERE { ?d a bkg:Document }")
    print(f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{store.describe()}: {documents[0]['n']} documents, {store.triple_count()} triples; "
          f"median of {args.repeat} runs after a warm-up\n")
    print(f"{'query':26} {'rows':>5} {'budgetkg s':>11} {'pyoxigraph s':>13} {'ratio':>6}")
    slow = []
    for name, q in saved_queries().items():
        if args.only and name not in args.only:
            continue
        params = example_params(q.example)
        sparql = bind(q, params)
        rows = len(run_saved(store, name, params).rows)
        ours = median_seconds(lambda: run_saved(store, name, params), args.repeat)  # noqa: B023
        direct = median_seconds(lambda: list(store.store.query(sparql, use_default_graph_as_union=True)),  # noqa: B023
                                args.repeat)
        print(f"{name:26} {rows:5} {ours:11.3f} {direct:13.3f} {ours / direct if direct else float('nan'):6.2f}",
              flush=True)
        if ours >= BOUND_SECONDS:
            slow.append(name)
    store.close()
    print(f"\n{'all under' if not slow else 'NOT all under'} {BOUND_SECONDS:g} s" + (f": {', '.join(slow)}" if slow else ""))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
