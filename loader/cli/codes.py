"""`budgetkg codes build [FILE_OR_DIR...]` regenerates ontology/codes/ from the CSVs in
data/classifications/ and the codes printed in the corpus;
`budgetkg codes import FILE.csv|FILE.xlsx --scheme function --year 2024` loads an
official list and reports what the loaded documents print against it."""
from __future__ import annotations

import sys
from pathlib import Path

from budgetkg import paths
from budgetkg.cli.options import add_store_arguments, open_store
from budgetkg.graph import codes

PRINTED_CODES = """
PREFIX bkg: <https://budgetkg.org/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?code ?name ?doc WHERE {{
  ?c skos:inScheme <{scheme}> ; skos:notation ?code ; bkg:printedName ?name ; dcterms:source ?doc .
}}"""


def register(sub) -> None:
    p = sub.add_parser("codes", help="national code lists (SKOS): build them, import an official list")
    s = p.add_subparsers(dest="codes_command", required=True, metavar="ACTION")
    b = s.add_parser("build", help="regenerate ontology/codes/*.ttl")
    b.add_argument("inputs", nargs="*", type=Path, metavar="FILE_OR_DIR",
                   help="documents whose printed codes join the lists (default: corpus/)")
    b.add_argument("--out", type=Path, default=paths.CODES_DIR)
    b.set_defaults(func=run_build)
    i = s.add_parser("import", help="load an official code list (columns code, name) and compare")
    i.add_argument("file", type=Path)
    i.add_argument("--scheme", required=True, choices=sorted(codes.HIERARCHICAL))
    i.add_argument("--year", required=True, type=int)
    add_store_arguments(i)
    i.set_defaults(func=run_import)


def run_build(args) -> int:
    from budgetkg.store.load import document_groups, read_document
    inputs = args.inputs or [paths.REPO / "corpus"]
    docs = []
    for group in document_groups(inputs):
        try:
            docs.append(read_document(group))
        except Exception as e:  # noqa: BLE001 - report and go on, like load
            print(f"  skipped {' + '.join(map(str, group))}: {e}", file=sys.stderr)
    written = codes.build_files(docs, args.out)
    print(f"{len(written)} code-list files from {len(docs)} documents in {args.out}")
    return 0


def run_import(args) -> int:
    rows = codes.read_code_table(args.file)
    store = open_store(args, "create")
    try:
        graph = codes.official_graph_iri(args.scheme, args.year)
        store.replace_graph(graph, codes.to_ntriples(codes.official_scheme(args.scheme, args.year, rows,
                                                                           args.file.name)))
        printed: dict[str, dict[str, set[str]]] = {}
        for r in store.query(PRINTED_CODES.format(scheme=codes.scheme_iri(args.scheme, args.year))):
            printed.setdefault(r["code"], {}).setdefault(r["name"], set()).add(r["doc"])
    finally:
        store.close()
    findings = codes.compare_official(rows, printed)
    print(f"{args.file}: {len(rows)} codes loaded into <{graph}>; "
          f"{len(printed)} printed codes checked, {len(findings)} findings")
    for f in findings:
        print(f"  {f.message}")
    # the stored reports were made without the list: they say its codes are not verified
    print(f"`budgetkg validate --store` checks the stored {args.year} documents against it")
    return 1 if findings else 0
