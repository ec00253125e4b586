"""How much of a document the identities cover: change each amount in turn and
count those no Violation notices (tests/test_validate.py asserts this for three
documents; this runs it on any).

    .venv/bin/python bench/mutation_coverage.py corpus/pdf/sh-putuo-wanli-2024-budget.pdf [--change 10]

The shapes' SPARQL constraints run directly on a pyoxigraph store (the `sparql`
engine), the amount changed in place and restored after each run."""
from __future__ import annotations

import argparse
import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from budgetkg.graph.document import MONEY_UNITS, document_graph
from budgetkg.reconstruct.extract import extract_document
from budgetkg.store.load import document_groups
from budgetkg.validate.shapes import context_ntriples, sparql_findings

AMOUNT = ox.NamedNode("http://data.openbudgets.eu/ontology/dsd/measure/amount")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
OBSERVATIONS = """
PREFIX bkg: <https://budgetkg.org/def/>
PREFIX obeu: <http://data.openbudgets.eu/ontology/dsd/measure/>
SELECT ?o ?amount ?unit ?label WHERE {
  ?o a bkg:BudgetObservation ; obeu:amount ?amount ; bkg:printedUnit ?unit ; bkg:rowName ?name .
  OPTIONAL { ?o bkg:rowCode ?code }
  BIND(COALESCE(?code, ?name) AS ?label)
} ORDER BY ?o
"""


def coverage(paths: list[Path], change: Decimal) -> None:
    doc = extract_document(paths)
    dg = document_graph(doc)
    store = ox.Store()
    nt = dg.ntriples() + "".join(dg.shared_ntriples().values()) + context_ntriples(doc.year)
    store.load(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    before = {f.identity for f in sparql_findings(store, dg.document) if f.severity == "Violation"}
    missed, unnamed, rows = [], [], list(store.query(OBSERVATIONS))
    start = time.perf_counter()
    for s in rows:
        old = ox.Quad(s["o"], AMOUNT, s["amount"])
        new = ox.Quad(s["o"], AMOUNT, ox.Literal(
            str(Decimal(s["amount"].value) + change * MONEY_UNITS[s["unit"].value]), datatype=DECIMAL))
        store.remove(old)
        store.add(new)
        found = [f for f in sparql_findings(store, dg.document)
                 if f.severity == "Violation" and f.identity not in before]
        store.remove(new)
        store.add(old)
        cell = s["o"].value.split("/table/")[1]
        if not found:
            missed.append(cell)
        elif not any(s["label"].value in f.identity for f in found):
            unnamed.append(cell)
    print(f"{paths[0].name}: {len(rows)} amounts, +{change} each: {len(rows) - len(missed)} noticed "
          f"({len(unnamed)} without naming the row), {len(missed)} not; {time.perf_counter() - start:.1f} s")
    for cell in missed:
        print(f"  not noticed: {cell}")
    for cell in unnamed:
        print(f"  row not named: {cell}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--change", type=Decimal, default=Decimal("1.00"), help="in the printed unit (default 1.00)")
    args = ap.parse_args()
    for group in document_groups(args.inputs):
        coverage(group, args.change)


if __name__ == "__main__":
    main()
