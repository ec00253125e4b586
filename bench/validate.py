"""Benchmark: validating a document against shapes/, engine by engine.

    .venv/bin/python bench/validate.py            # the seed, every engine (rdflib takes minutes)
    .venv/bin/python bench/validate.py --corpus   # every corpus document, the default engine
    .venv/bin/python bench/validate.py --large    # a document's tables repeated 1..16 times

For the seed it times, on the same graph (document + its year's code lists +
the ontology), each part of the shapes on each backend:

  SHACL Core (structure.ttl)            pyshacl on rdflib   | pyshacl on pyoxigraph
  SHACL-SPARQL (arithmetic, codes)      pyshacl on rdflib   | pyshacl on pyoxigraph | plain SPARQL (pyoxigraph)

then the whole validation per engine (loader/validate.py), which is what
`budgetkg validate` and `budgetkg load` run. Extraction is not timed.

--large: how validation grows with a document's size, the default engine
(above LARGE_DOCUMENT_TRIPLES every shape runs as SPARQL) on a corpus PDF's
tables repeated k times, one structure fault planted (an observation without
its amount), which must be found at every size."""
from __future__ import annotations

import argparse
import copy
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from budgetkg.graph.document import document_graph
from budgetkg.reconstruct.extract import extract_document
from budgetkg.store.load import document_groups
from budgetkg.validate.shapes import (
    ENGINES,
    LARGE_DOCUMENT_TRIPLES,
    context_ntriples,
    shapes_graph,
    sparql_findings,
    structure_findings,
    validate_graph,
    validate_ntriples,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "cq-yongchuan-psb-2024.txt"
LARGE = ROOT / "corpus" / "pdf" / "sh-putuo-zhengfuban-2025-budget.pdf"
AMOUNT = "<http://data.openbudgets.eu/ontology/dsd/measure/amount>"


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def parts(nt: str, document: str, slow: bool) -> None:
    def rdflib_graph():
        g = rdflib.Graph()
        g.parse(data=nt, format="nt")
        return g

    def ox_store():
        s = ox.Store()
        s.load(nt.encode(), format=ox.RdfFormat.N_TRIPLES)
        return s

    print(f"loading the data graph ({nt.count(chr(10))} triples): rdflib {timed(rdflib_graph):.2f} s, "
          f"pyoxigraph {timed(ox_store):.3f} s")
    g, s = rdflib_graph(), ox_store()
    rows = [
        ("SHACL Core", "pyshacl on rdflib", lambda: validate(g, shacl_graph=shapes_graph("core"), inference="none")),
        ("SHACL Core", "pyshacl on pyoxigraph", lambda: validate(s, shacl_graph=shapes_graph("core"), inference="none")),
        ("SHACL-SPARQL", "pyshacl on pyoxigraph", lambda: validate(s, shacl_graph=shapes_graph("sparql"), inference="none")),
        ("SHACL-SPARQL", "plain SPARQL on pyoxigraph", lambda: sparql_findings(s, document)),
    ]
    if slow:
        rows.insert(2, ("SHACL-SPARQL", "pyshacl on rdflib",
                        lambda: validate(g, shacl_graph=shapes_graph("sparql"), inference="none")))
    for shapes, engine, fn in rows:
        repeat = 1 if "rdflib" in engine and shapes == "SHACL-SPARQL" else 3
        print(f"  {shapes:13} {engine:27} {timed(fn, repeat):8.3f} s", flush=True)


def large(times: list[int]) -> None:
    """Validation time against size: LARGE's tables repeated k times."""
    doc = extract_document([LARGE])
    print(f"{LARGE.name}'s tables repeated k times, the default engine (pyshacl below "
          f"{LARGE_DOCUMENT_TRIPLES:,} triples with the context, SPARQL above):")
    for k in times:
        big = copy.deepcopy(doc)
        big.tables = [copy.deepcopy(t) for _ in range(k) for t in doc.tables]
        dg = document_graph(big)
        nt = dg.ntriples() + "".join(dg.shared_ntriples().values())
        lines = nt.split("\n")
        cut = next(i for i, line in enumerate(lines) if AMOUNT in line)  # one observation loses its amount
        missing = lines.pop(cut).split(" ", 1)[0][1:-1]
        nt = "\n".join(lines)
        triples = nt.count("\n") + context_ntriples(big.year).count("\n")
        t0 = time.perf_counter()
        report = validate_ntriples(nt, dg.document, big.year, LARGE.name)
        dt = time.perf_counter() - t0
        found = any(f.check == "ObservationShape" and f.value == missing and f.message.startswith("amount:")
                    for f in report.violations)
        store = ox.Store()
        store.load((nt + context_ntriples(big.year)).encode(), format=ox.RdfFormat.N_TRIPLES)
        core = timed(lambda store=store: structure_findings(store))
        print(f"  k={k:3} {dg.observations:6} observations {triples:8,} triples {dt:8.2f} s  "
              f"(of which SHACL Core as SPARQL {core:5.2f} s)  planted fault {'found' if found else 'MISSED'}",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", action="store_true", help="every corpus document, default engine")
    ap.add_argument("--large", nargs="*", type=int, metavar="K",
                    help="a document's tables repeated K times (default 1 2 4 8 16)")
    ap.add_argument("--quick", action="store_true", help="skip pyshacl on rdflib for SHACL-SPARQL (minutes)")
    args = ap.parse_args()
    print(f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{datetime.date.today()}")
    shapes_graph("core"), shapes_graph("sparql"), shapes_graph("all")  # parsed once, not timed
    if args.large is not None:
        large(args.large or [1, 2, 4, 8, 16])
        return
    if args.corpus:
        total = 0.0
        for group in document_groups([ROOT / "corpus"]):
            doc = extract_document(group)
            dg = document_graph(doc)
            dt = timed(lambda dg=dg, doc=doc, group=group: validate_graph(dg, doc.year, group[0].name))
            total += dt
            print(f"  {group[0].name:48} {dg.observations:4} observations {dt:6.2f} s")
        print(f"  all {total:.2f} s")
        return
    doc = extract_document([SEED])
    dg = document_graph(doc)
    nt = dg.ntriples() + "".join(dg.shared_ntriples().values()) + context_ntriples(doc.year)
    print(f"seed: {SEED.name}, {dg.observations} observations")
    parts(nt, dg.document, slow=not args.quick)
    print("whole validation (loader/validate.py), data graph built from the document graph:")
    for engine in ENGINES:
        if engine == "pyshacl-rdflib" and args.quick:
            continue
        dt = timed(lambda engine=engine: validate_graph(dg, doc.year, SEED.name, engine), 1 if "rdflib" in engine else 3)
        print(f"  {engine:18} {dt:8.3f} s", flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
