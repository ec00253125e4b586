"""`budgetkg validate [FILE_OR_DIR...] [--store DIR | --endpoint URL]`.

With files: extract each document, build its graph and validate it (nothing
is stored). Without files: validate every document already in the store,
replace its report graph, and run the checks across documents. Exit status:
0 conforms, 1 a Violation was found, 2 a document or the store could not be read."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox

from budgetkg.cli.options import add_store_arguments, open_store
from budgetkg.graph import codes
from budgetkg.graph.document import document_graph
from budgetkg.store.load import document_error, document_groups, read_document
from budgetkg.validate.cross_document import run_checks
from budgetkg.validate.shapes import (
    ENGINES,
    Finding,
    Report,
    report_graph_iri,
    report_ntriples,
    validate_graph,
    validate_ntriples,
)

DOCUMENTS_QUERY = """
PREFIX bkg: <https://budgetkg.org/def/>
SELECT ?g ?document ?year (GROUP_CONCAT(?file; separator=" + ") AS ?files) WHERE {
  GRAPH ?g { ?document a bkg:Document ; bkg:fiscalYear ?year . OPTIONAL { ?document bkg:sourceFile ?file } }
} GROUP BY ?g ?document ?year ORDER BY ?files
"""


def register(sub) -> None:
    p = sub.add_parser("validate", help="check the published numbers add up (SHACL, shapes/)",
                       description="Validate documents against the shapes of shapes/: structure, every "
                                   "identity of the published numbers within rounding, and codes against "
                                   "the national lists. Give files to validate them without storing; "
                                   "give none to validate the store and refresh its report graphs.")
    p.add_argument("inputs", nargs="*", type=Path, metavar="FILE_OR_DIR")
    add_store_arguments(p)
    p.add_argument("--format", choices=["text", "json", "ttl"], default="text",
                   help="text (default): a report, largest differences first; json; ttl: SHACL reports")
    p.add_argument("--engine", choices=ENGINES, default="pyshacl",
                   help="what runs the shapes (default pyshacl: Core on rdflib, SPARQL on pyoxigraph)")
    p.add_argument("--warnings", action="store_true",
                   help="text format: list warnings and notes too, not just count them")
    p.set_defaults(func=run)


def run(args) -> int:
    failed: list[str] = []
    if args.inputs:
        reports = validate_files(args.inputs, args.engine, failed)
    else:
        reports = validate_store(args, failed)
    write(reports, failed, args.format, args.warnings)
    if failed:
        return 2
    return 1 if any(not r.conforms for r in reports) else 0


def validate_files(inputs: list[Path], engine: str, failed: list[str]) -> list[Report]:
    reports = []
    for group in document_groups(inputs):
        name = " + ".join(str(p) for p in group)
        try:
            doc = read_document(group)
            reports.append(validate_graph(document_graph(doc), doc.year, name, engine))
        except Exception as e:  # noqa: BLE001 - a bad document, or one the shapes fail on: the batch goes on
            failed.append(document_error(group, e))
    return reports


def validate_store(args, failed: list[str]) -> list[Report]:
    from tqdm import tqdm
    store = open_store(args, "write")
    try:
        rows = store.query(DOCUMENTS_QUERY)
        reports = []
        printed_codes: dict[int, str] = {}  # a year's codes its lists lack, shared by its documents
        for row in tqdm(rows, desc="validating", unit="doc", disable=args.format != "text" or None):
            year = row["year"]
            if year not in printed_codes:
                # and the year's imported official lists: codes are verified against them
                printed_codes[year] = "".join(store.graph_ntriples(iri(scheme, year)) for scheme in codes.HIERARCHICAL
                                              for iri in (codes.printed_codes_graph_iri, codes.official_graph_iri))
            nt = store.graph_ntriples(row["g"]) + printed_codes[year]
            report = validate_ntriples(nt, row["document"], year, row.get("files", row["document"]), args.engine)
            store.replace_graph(report_graph_iri(row["document"]), report_ntriples(report))
            reports.append(report)
        cross = run_checks(store)
        store.replace_graph(report_graph_iri(cross.document), report_ntriples(cross))
        if not rows:
            failed.append(f"{store.describe()}: no documents; load some first (budgetkg load FILE_OR_DIR)")
        return reports + ([cross] if cross.findings else [])
    finally:
        store.close()


def write(reports: list[Report], failed: list[str], fmt: str, warnings: bool) -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump({"conforms": all(r.conforms for r in reports) and not failed,
                   "documents": [r.to_json() for r in reports], "errors": failed},
                  out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "ttl":
        nt = "".join(report_ntriples(r) for r in reports)
        quads = ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(quads, out.buffer, format=ox.RdfFormat.TURTLE,
                     prefixes={"sh": "http://www.w3.org/ns/shacl#", "bkg": codes.BKG,
                               "bkgsh": "https://budgetkg.org/def/shapes/"})
        out.flush()
    else:
        write_text(reports, warnings, out)
    for msg in failed:
        print(f"budgetkg: error: {msg}", file=sys.stderr)


def write_not_read(reports: list[Report], out) -> None:
    """Our reading's findings, apart from the publisher's: what was not read,
    then identities that break where the reading is incomplete."""
    for r in reports:
        if not r.not_read:
            continue
        print(f"NOT FULLY READ  {r.source}", file=out)
        for f in r.not_read:
            if not f.doubt:
                print(f"           {f.message}", file=out)
        doubtful = [f for f in r.not_read if f.doubt]
        if doubtful:
            print(f"           {len(doubtful)} broken identit{'y' if len(doubtful) == 1 else 'ies'} not reported as "
                  f"the publisher's (the reading may explain them), e.g. {doubtful[0].table} {doubtful[0].where}: "
                  f"{doubtful[0].identity or doubtful[0].message} ({doubtful[0].doubt})", file=out)


def write_text(reports: list[Report], warnings: bool, out) -> None:
    """One block per finding, largest differences first across all documents."""
    rows: list[tuple[Report, Finding]] = [(r, f) for r in reports for f in r.findings
                                          if f.severity == "Violation" or (warnings and f in r.findings
                                                                           and f not in r.not_read)]
    rows.sort(key=lambda rf: (rf[1].severity != "Violation",
                              -abs(rf[1].difference) if rf[1].difference is not None else 0))
    for r, f in rows:
        print(f"{f.severity.upper():9}  {r.source}  {f.table}  {f.where}".rstrip(), file=out)
        print(f"           {f.identity or f.message}", file=out)
        if f.difference is not None:
            print(f"           expected {f.expected}  printed {f.printed}  difference {f.difference:+}  "
                  f"(tolerance {f.tolerance} {f.unit})", file=out)
        elif f.identity and f.message and f.message != f.identity and f.severity == "Violation":
            print(f"           {f.message}", file=out)
    write_not_read(reports, out)
    for r in reports:
        state = "conforms" if r.conforms else ", ".join(
            (["NOT FULLY READ"] if r.not_read else []) + ([f"{len(r.violations)} violation(s)"] if r.violations else []))
        extra = f", {len(r.warnings)} warning(s)" if r.warnings else ""
        notes = len(r.findings) - len(r.violations) - len(r.warnings) - len(r.not_read)
        extra += f", {notes} note(s)" if notes else ""
        print(f"{r.source}: {state}{extra}", file=out)
    bad = [r for r in reports if r.violations]
    unread = [r for r in reports if r.not_read]
    print(f"{len(reports)} report(s): {len(unread)} not fully read, {len(bad)} with violations, "
          f"{sum(len(r.violations) for r in reports)} violation(s), "
          f"{sum(len(r.warnings) for r in reports)} warning(s)", file=out)
