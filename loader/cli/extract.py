"""`budgetkg extract`: documents to the extraction contract (JSON) or a summary.

One file (or the two PDF halves of one disclosure) is one document. A folder
or several files are a batch: extracted in parallel processes with a progress
bar, where one bad file is reported and the others go on.
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from budgetkg.cli.interrupt import stop_searches_on_ctrl_c
from budgetkg.errors import ExtractionError
from budgetkg.model import Document
from budgetkg.read.grouping import document_groups


def register(sub) -> None:
    p = sub.add_parser("extract", help="read documents into exact tables",
                       description="Read budget disclosures (text extractions or PDFs) into exact tables.")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                   help="a .txt or .pdf file, the two PDF halves of one disclosure, or folders")
    p.add_argument("--json", action="store_true",
                   help="print the extraction contract (one JSON object per document, one per line in a batch)")
    p.add_argument("--report", action="store_true",
                   help="one line per document (fully read, or what is not) and a total line")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for a batch")
    p.set_defaults(func=run)


def extract_tables(paths: list[Path]) -> Document:
    """The document, or an error when it holds no budget table at all (an
    image-only PDF, another kind of document): never an empty success."""
    from budgetkg.reconstruct.extract import extract_document
    doc = extract_document(paths)
    if not doc.tables:
        raise ExtractionError(" + ".join(str(p) for p in paths),
                              "no budget table found (a scan without a text layer, or not a budget disclosure?)")
    return doc


def extract_one(paths: list[Path]) -> tuple[list[str], dict | None, str | None]:
    try:
        return [str(p) for p in paths], extract_tables(paths).to_json(), None
    except ExtractionError as e:
        return [str(p) for p in paths], None, str(e)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch: reported, one line
        return [str(p) for p in paths], None, f"{' + '.join(map(str, paths))}: {type(e).__name__}: " \
            + " ".join(str(e).split())[:300]


def run(args) -> int:
    paths = [Path(p) for p in args.paths]
    batch = any(p.is_dir() for p in paths) or len(document_groups(paths)) > 1
    if not batch and not args.report:
        doc = extract_tables(paths)
        if args.json:
            print(json.dumps(doc.to_json(), ensure_ascii=False, indent=1))
        else:
            print(summary(doc))
        return 0
    return run_batch(document_groups(paths), args)


def run_batch(groups: list[list[Path]], args) -> int:
    from tqdm import tqdm
    failed = 0
    # each worker stops its solver search on Ctrl-C too, so the batch ends within seconds
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(groups))),
                             initializer=stop_searches_on_ctrl_c) as pool:
        futures = [pool.submit(extract_one, g) for g in groups]
        bar = tqdm(as_completed(futures), total=len(futures), unit="doc", file=sys.stderr,
                   disable=not sys.stderr.isatty() and os.environ.get("BUDGETKG_PROGRESS") != "1")
        results = []
        for fut in bar:
            files, doc, error = fut.result()
            results.append((files, doc, error))
    for _files, doc, error in sorted(results, key=lambda r: r[0]):
        if error:
            failed += 1
            print(f"budgetkg: error: {error}", file=sys.stderr)
        elif args.json:
            print(json.dumps(doc, ensure_ascii=False))
        elif args.report:
            print(report_line(doc))
        else:
            print(summary_json(doc))
            print()
    if args.report:
        print(report_total([doc for _f, doc, _e in results if doc], failed))
    print(f"{len(groups) - failed} of {len(groups)} documents extracted"
          + (f"; {failed} failed (see the errors above)" if failed else ""), file=sys.stderr)
    return 2 if failed else 0


def report_line(j: dict) -> str:
    """`FILE: fully read (…)` or `FILE: NOT FULLY READ: what is missing; …`."""
    src, cov = j["document"]["source"], j["coverage"]
    files = " + ".join(s["file"] for s in src) if isinstance(src, list) else src["file"]
    a, ids = cov["amounts"], cov["identities"]
    counts = (f"{sum(cov['tables'].values())} tables, {a['printed']} amounts, "
              f"{ids['checked'] - ids['broken']} of {ids['checked']} identities held")
    if cov["fully_read"]:
        return f"{files}: fully read ({counts})"
    return f"{files}: NOT FULLY READ ({counts}): " + "; ".join(cov["not_read"])


def report_total(docs: list[dict], failed: int = 0) -> str:
    """Documents fully read, the share of amounts in typed tables, identities held."""
    covs = [d["coverage"] for d in docs]
    printed = sum(c["amounts"]["printed"] for c in covs)
    typed = sum(min(c["observations"], c["amounts"]["printed"]) for c in covs)
    checked = sum(c["identities"]["checked"] for c in covs)
    held = checked - sum(c["identities"]["broken"] for c in covs)
    tenths = 1000 * typed // printed if printed else 0  # rounded down: 100.0% only when every amount is
    share = f"{tenths // 10}.{tenths % 10}%" if printed else "-"
    return (f"total: {sum(c['fully_read'] for c in covs)} of {len(docs) + failed} documents fully read"
            + (f" ({failed} failed)" if failed else "")
            + f"; {typed:,} of {printed:,} amounts ({share}) in typed tables; "
            f"{held:,} of {checked:,} identities held")


def summary(doc: Document) -> str:
    return summary_json(doc.to_json())


def summary_json(j: dict) -> str:
    d, acc = j["document"], j["accounting"]
    src = d["source"]
    files = ", ".join(s["file"] for s in src) if isinstance(src, list) else src["file"]
    lines = [f"{files}: {d['unit']} · {d['year']} · {d['kind']} · {d['money_unit']}",
             f"{len(j['tables'])} tables · {acc['amount_tokens']} amounts: {acc['placed']} placed, "
             f"{acc['unresolved']} unresolved · {len(j['inconsistencies'])} inconsistencies"]
    for t in j["tables"]:
        where = f"page {t['page']}" if "page" in t else f"line {t.get('line')}"
        what = "declared empty" if t["empty"] else (
            f"{len(t.get('projects', []))} projects" if t["type"] == "project_performance"
            else f"{len(t['rows'])} rows")
        extra = f", {len(t['unresolved'])} unresolved" if t["unresolved"] else ""
        lines.append(f"  {t['type']:<27} {t['title']:<24} {where:<10} {what}{extra}")
    unresolved = [(t["title"], u) for t in j["tables"] for u in t["unresolved"]]
    if unresolved:
        lines.append("Unresolved values (more than one column fits the arithmetic):")
        for title, u in unresolved:
            where = f"page {u['page']}" if "page" in u else f"line {u.get('line')}"
            cands = ", ".join(u["candidates"]) or "none"
            lines.append(f"  {title} {where} row {u['row']}: {u['value']} -> one of: {cands}")
    cov = j.get("coverage")
    if cov and not cov["fully_read"]:
        lines.append("NOT FULLY READ:")
        lines += [f"  {reason}" for reason in cov["not_read"]]
    if j["inconsistencies"]:
        lines.append("Document inconsistencies (printed numbers break an identity beyond rounding):"
                     if not cov or cov["fully_read"] else
                     "Broken identities (the document is not fully read: the reading may explain them):")
        for i in j["inconsistencies"]:
            where = f"page {i['page']}" if "page" in i else f"line {i.get('line')}"
            lines.append(f"  {i['table']} {where}: {i['identity']}: expected {i['expected']}, "
                         f"printed {i['printed']} (difference {i['difference']})")
    for w in j["warnings"]:
        lines.append(f"Note: {w}")
    return "\n".join(lines)
