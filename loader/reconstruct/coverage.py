"""Coverage: what of a document was read, and what was not.

A document is *fully read* when every amount its table pages print is in a
cell of a typed table, every table the template requires (registry: `standard`)
is printed or declared empty, every table its 目录 lists is printed, every page
has text, and it gives at least one observation. Otherwise `not_read` says what
is missing, one line each; that is our reading's shortfall, never the
publisher's inconsistency.
"""
from __future__ import annotations

from collections import Counter

from budgetkg.model import PROJECT_TABLES, Coverage, Document, OtherTable, Table
from budgetkg.registry import registry

# how many places a reason names before it says "and N more"
SHOWN = 5


def table_amounts(table: Table) -> int:
    """The amounts a table holds: placed cells, unresolved values, project amounts."""
    placed = sum(len(r.values) for r in table.rows) if table.type not in PROJECT_TABLES else 0
    return placed + len(table.unresolved) + project_amounts(table)


def project_amounts(table: Table) -> int:
    """Projects whose amount is an observation of its own; a self-evaluation's project
    amount is a cell of its rows (年度资金总额 | 全年执行数)."""
    if table.type == "performance_self_evaluation":
        return 0
    return len(table.projects) + sum(len(p.sources) for p in table.projects)  # and their parts by source


def observations(doc: Document) -> int:
    return sum(sum(len(r.values) for r in t.rows) + project_amounts(t)
               for t in doc.tables if t.type != "other")


def document_coverage(doc: Document, identities: int = 0, stopped: str | None = None) -> Coverage:
    """`stopped`: why placement stopped short of proving its placements (the time budget)."""
    found = Counter(t.type for t in doc.tables)
    cov = Coverage(pages=doc.pages, amounts=doc.amount_tokens, placed=doc.placed,
                   unresolved=doc.unresolved_count, observations=observations(doc), tables=dict(found),
                   toc=list(doc.toc), pages_without_text=list(doc.pages_without_text),
                   pages_ocr=list(doc.pages_ocr), identities=identities,
                   identities_broken=len(doc.inconsistencies))
    cov.other_tables = [OtherTable(t.title, t.where, table_amounts(t)) for t in doc.tables if t.type == "other"]
    # declared empty: by the table itself (本部门无该项收支…) or by the 目录
    cov.declared_empty = [(t.title, _empty_reason(t)) for t in doc.tables if t.empty]
    toc_empty = {e.type for e in doc.toc if e.empty}
    cov.declared_empty += [(e.title, e.reason) for e in doc.toc
                           if e.empty and e.type not in found]
    listed = set()
    for e in doc.toc:
        if e.type and e.type not in found and e.type not in toc_empty and e.type not in listed:
            listed.add(e.type)
            cov.toc_missing.append(e.title)
    # a regional table that prints a standard table's content stands in for it (registry: `covers`);
    # a 目录 that lists the template's tables says which the document has: one it does not list
    # is not in the document's template (佛山's 2019 决算 lists 8, without 国有资本经营预算)
    covered = {c for t in registry().types.values() if t.id in found for c in t.covers}
    listed_types = {e.type for e in doc.toc if e.type}
    if sum(bool(registry().types[t].standard) for t in listed_types) >= 5:
        covered |= {t.id for t in registry().types.values() if t.id not in listed_types}
    cov.missing_standard = [t.id for t in registry().types.values()
                            if doc.kind in t.standard and t.id not in found and t.id not in toc_empty
                            and t.id not in listed and t.id not in covered]
    cov.not_read = not_read(doc, cov)
    if stopped:  # no identity was proven held or broken: the numbers were not fully read
        cov.not_read.append(stopped)
    return cov


def _empty_reason(table: Table) -> str | None:
    return next((n for n in table.notes if "无" in n or "空表" in n), None)


def _places(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def not_read(doc: Document, cov: Coverage) -> list[str]:
    """Why the document is not fully read, one line each (empty: fully read)."""
    out = []
    if cov.unresolved:
        out.append(f"{cov.unresolved} of {cov.amounts} amounts unresolved: "
                   + _places([f"{len(t.unresolved)} in {t.title} ({_wheres(t)})" for t in doc.tables if t.unresolved]))
    with_amounts = [o for o in cov.other_tables if o.amounts]
    if with_amounts:
        out.append(f"{cov.amounts_in_other} amounts in tables of no known type: "
                   + _places([f"'{o.title}' ({o.where}, {o.amounts})" for o in with_amounts]))
    if cov.toc_missing:
        out.append("the 目录 lists tables the document does not print: " + _places(cov.toc_missing))
    if cov.missing_standard:
        types = registry().types
        out.append("standard tables not found: " + _places(
            [f"{t} ({types[t].titles[0]})" for t in cov.missing_standard]))
    if cov.pages_without_text:
        out.append("pages without text: " + _places([str(p) for p in cov.pages_without_text]))
    if not cov.observations:
        out.append("no observations: no amount was read into a typed table")
    return out


def _wheres(table: Table) -> str:
    """Where a table's unresolved values are printed: `line 90`, `pages 5, 6`."""
    lines = sorted({u.where.line for u in table.unresolved if u.where.line is not None})
    pages = sorted({u.where.page for u in table.unresolved if u.where.page is not None})
    if pages:
        return ("page " if len(pages) == 1 else "pages ") + _places([str(p) for p in pages])
    if lines:
        return ("line " if len(lines) == 1 else "lines ") + _places([str(n) for n in lines])
    return str(table.where)
