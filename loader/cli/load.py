"""`budgetkg load FILE_OR_DIR... [--store DIR | --endpoint URL]`."""
from __future__ import annotations

import sys
from pathlib import Path

from budgetkg.cli.options import add_store_arguments, open_store
from budgetkg.graph import provenance
from budgetkg.store.load import document_groups, load


def register(sub) -> None:
    p = sub.add_parser("load", help="extract documents and load them into the graph store",
                       description="Extract each document (.txt, .pdf, or a saved extraction .json), "
                                   "turn it into RDF and load it as one named graph, together with the "
                                   "ontology and code lists. Loading a document again replaces its graph.")
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_DIR")
    add_store_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-validate", action="store_true",
                   help="skip validation against shapes/ (no report graph is stored)")
    p.add_argument("--source-url", metavar="URL",
                   help="where the publisher published the document (dcterms:source); one document only. "
                        "A FILE.meta.json/.meta.toml sidecar may give it too: if both are given they must agree")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="the document's publication date (dcterms:issued); one document only, like --source-url")
    p.set_defaults(func=run)


def run(args) -> int:
    meta = {k: v for k, v in (("url", args.source_url), ("published", args.published)) if v}
    if meta:  # a citation names one document: checked before the store is opened
        try:
            provenance.checked(meta, "budgetkg load")
            groups = document_groups(args.inputs)
        except (ValueError, OSError) as e:
            print(f"budgetkg: error: {e}", file=sys.stderr)
            return 2
        if len(groups) != 1:
            print(f"budgetkg: error: --source-url and --published describe one document; {len(groups)} given "
                  f"(a FILE.meta.json sidecar beside each file gives each its own)", file=sys.stderr)
            return 2
    store = open_store(args, "create")
    try:
        s = load(store, args.inputs, progress=not args.quiet, validate=not args.no_validate, meta=meta)
    finally:
        store.close()
    sys.stdout.flush()
    for d in s.documents:
        if d.ok:
            checked = "; NOT FULLY READ" if d.not_read else ""
            if d.report is not None:
                checked += ("; conforms" if d.report.conforms else f"; {len(d.report.violations)} VIOLATIONS"
                            if d.report.violations else "") + (
                    f", {len(d.report.warnings)} warnings" if d.report.warnings else "")
            print(f"  loaded  {d.name}: {d.observations} observations, {d.triples} triples{checked} "
                  f"-> <{d.graph}>")
            for reason in d.not_read:  # our reading's shortfall, apart from the publisher's numbers
                print(f"          not read: {reason}")
        else:  # one line per failed document, on stderr like every error
            print(f"budgetkg: error: {d.error}", file=sys.stderr, flush=True)
    counted = f"store: {s.store_triples} triples" if s.store_triples is not None else "store: not counted"
    print(f"{len(s.loaded)} documents loaded, {len(s.failed)} failed; "
          f"{sum(d.observations for d in s.loaded)} observations, "
          f"{sum(d.triples for d in s.loaded)} document triples (+{s.static_triples} ontology/code lists); "
          f"{counted}; {s.seconds:.1f} s", flush=True)
    if s.store_error:
        print(f"budgetkg: error: {s.store_error}", file=sys.stderr)
    unread = [d for d in s.loaded if d.not_read]
    if unread:
        print(f"{len(unread)} documents not fully read (what is missing is listed above): none of them conforms")
    inconsistent = [d for d in s.loaded if d.report is not None and d.report.violations]
    if inconsistent:
        print(f"{len(inconsistent)} documents break identities of their own numbers: "
              f"`budgetkg validate --store` lists where")
    return 2 if s.failed or s.store_error else 0
