"""`budgetkg export --format ttl|trig|nq|csv [--store DIR | --endpoint URL] [-o FILE]`.

The CSV is the long format analysts load into pandas or R: one row per
observation, amounts in yuan as exact decimals."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyoxigraph as ox

from budgetkg.cli.options import add_store_arguments, open_store

CSV_COLUMNS = ["document", "unit", "year", "phase", "direction", "table", "table_title", "section",
               "row_code", "row_name", "column", "function_code", "economic_code", "funding_source",
               "expenditure_type", "is_total", "amount_yuan", "printed_value", "printed_unit",
               "page", "line", "observation"]

CSV_QUERY = """
PREFIX bkg: <https://budgetkg.org/def/>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?observation ?document ?unit ?year ?phase ?direction ?table ?table_title ?section ?row_code
       ?row_name ?column ?function_code ?economic_code ?funding_source ?expenditure_type ?is_total
       ?amount_yuan ?printed_value ?printed_unit ?page ?line
WHERE {
  ?obs a bkg:BudgetObservation ;
       bkg:document ?document ; obeu-dimension:organization ?org ; bkg:fiscalYear ?year ;
       obeu-dimension:budgetPhase ?ph ; obeu-dimension:operationCharacter ?dir ;
       bkg:table ?t ; bkg:rowName ?row_name ; obeu-measure:amount ?amount_yuan ;
       bkg:printedValue ?printed_value ; bkg:printedUnit ?printed_unit ; bkg:isTotal ?is_total .
  ?org skos:prefLabel ?unit .
  ?t bkg:tableType/skos:notation ?table ; dcterms:title ?table_title .
  BIND(STR(?obs) AS ?observation)
  BIND(REPLACE(STR(?ph), "^.*/", "") AS ?phase)
  BIND(REPLACE(STR(?dir), "^.*/", "") AS ?direction)
  OPTIONAL { ?obs bkg:section ?section }
  OPTIONAL { ?obs bkg:rowCode ?row_code }
  OPTIONAL { ?obs bkg:column ?column }
  OPTIONAL { ?obs obeu-dimension:functionalClassification/skos:notation ?function_code }
  OPTIONAL { ?obs obeu-dimension:economicClassification/skos:notation ?economic_code }
  OPTIONAL { ?obs bkg:fundingSource/skos:notation ?funding_source }
  OPTIONAL { ?obs bkg:expenditureType/skos:notation ?expenditure_type }
  OPTIONAL { ?obs bkg:page ?page }
  OPTIONAL { ?obs bkg:line ?line }
}
ORDER BY ?document ?table ?observation
"""

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}


def register(sub) -> None:
    p = sub.add_parser("export", help="write the whole graph (ttl, trig, nq) or its observations (csv)")
    p.add_argument("--format", required=True, choices=["ttl", "trig", "nq", "csv"])
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    add_store_arguments(p)
    p.set_defaults(func=run)


def csv_rows(store) -> list[dict]:
    rows = store.query(CSV_QUERY)
    for r in rows:
        r["document"] = r["document"].rsplit("/", 1)[-1]
        r["is_total"] = "true" if r.get("is_total") else "false"
    return rows


def write_csv(store, out) -> int:
    rows = csv_rows(store)
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        # Decimal's str is exact (no float on the way)
        w.writerow({k: ("" if r.get(k) is None else str(r[k])) for k in CSV_COLUMNS})
    return len(rows)


def write_rdf(store, fmt: str, out) -> None:
    quads = store.quads()
    if fmt == "ttl":  # Turtle has no graphs: the union of them
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        ox.serialize(triples, out, RDF_FORMATS[fmt])
    else:
        ox.serialize(quads, out, RDF_FORMATS[fmt])


def run(args) -> int:
    store = open_store(args)
    try:
        if args.format == "csv":
            if args.output:
                with args.output.open("w", encoding="utf-8", newline="") as f:
                    n = write_csv(store, f)
            else:
                n = write_csv(store, sys.stdout)
            print(f"{n} observations", file=sys.stderr)
        elif args.output:
            with args.output.open("wb") as f:
                write_rdf(store, args.format, f)
        else:
            write_rdf(store, args.format, sys.stdout.buffer)
    finally:
        store.close()
    return 0
