"""The reconstruction stage, one for every reader: place each printed amount
in its column (or report it unresolved), and report the identities the
printed numbers break. Text and PDF readers both end here."""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkg.errors import ExtractionError
from budgetkg.model import PROJECT_TABLES, Document, Inconsistency, RawDocument, Row, Table, Unresolved
from budgetkg.reconstruct.coverage import document_coverage
from budgetkg.reconstruct.identities import document_identities
from budgetkg.reconstruct.solve import Solution, check_amounts, solve, value_at


def reconstruct(raw: RawDocument) -> Document:
    tables = raw.tables
    check_amounts(tables, source_name(raw.source))
    check_names(raw, source_name(raw.source))
    check_glued_amounts(raw, source_name(raw.source))
    check_one_disclosure(raw, source_name(raw.source))
    identities = document_identities(tables, raw.kind)
    solution = solve(tables, identities)
    doc = Document(unit=raw.unit, year=raw.year, kind=raw.kind, scope=raw.scope, money_unit=raw.money_unit,
                   source=raw.source, amount_tokens=raw.amount_tokens, warnings=list(raw.warnings),
                   pages=raw.pages, toc=list(raw.toc), pages_without_text=list(raw.pages_without_text),
                   pages_ocr=list(raw.pages_ocr))
    for ti, raw_table in enumerate(tables):
        table = Table(type=raw_table.type, title=raw_table.title, columns=raw_table.columns,
                      where=raw_table.where, empty=raw_table.empty, money_unit=raw_table.money_unit,
                      section_columns=raw_table.section_columns,
                      column_sums=list(raw_table.column_sums), projects=raw_table.projects,
                      indicators=raw_table.indicators, mission=raw_table.mission,
                      notes=list(raw_table.notes))
        for ri, raw_row in enumerate(raw_table.rows):
            row = Row(raw_row.code, raw_row.name, raw_row.section, raw_row.where, {},
                      enumerated=raw_row.enumerated, indent=raw_row.indent, project=raw_row.project,
                      also=raw_row.also)
            place_row(row, raw_row, len(raw_table.columns_for(raw_row)),
                      solution.feasible.get((ti, ri), []), table, doc)
            if raw_table.type not in PROJECT_TABLES:  # its amounts live on its projects
                table.rows.append(row)
        for tok in raw_table.unplaced:
            table.unresolved.append(Unresolved(tok.value, tok.text, "", tok.where,
                                               "an amount not on any row of the table", []))
            doc.unresolved_count += 1
        doc.placed += sum(len(p.sources) for p in raw_table.projects)  # a project's parts by source
        doc.tables.append(table)
    doc.inconsistencies = inconsistencies(tables, solution)
    if solution.note:  # placement stopped at the time budget
        doc.warnings.append(solution.note)
    doc.coverage = document_coverage(doc, len(identities), stopped=solution.note)
    return doc


MAX_NAME = 1000  # characters; real row, project and unit names stay under 200


def check_names(raw: RawDocument, path: str) -> None:
    """A name longer than any budget line's is a misread (or not a budget):
    an error naming where, before it reaches the graph."""
    named = [(raw.unit or "", None)] + [(t.title or "", t.where) for t in raw.tables] + [
        (r.name or "", r.where) for t in raw.tables for r in t.rows] + [
        (p.name or "", p.where) for t in raw.tables for p in t.projects]
    for name, where in named:
        if len(name) > MAX_NAME:
            raise ExtractionError(path, f"a name of {len(name):,} characters ({name[:20]}…): longer than any "
                                  f"budget line's ({MAX_NAME}), so not read as one",
                                  line=where.line if where else None, page=where.page if where else None)


# what a reader leaves at the end of a name when digits there did not read as
# an amount (`行政运行1,2,3.4.5`): a run of digits, commas and points
GLUED = re.compile(r"[0-9][0-9,.]*[,.][0-9,.]*[0-9]$")
AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?|[0-9]+(\.[0-9]+)?")


def check_glued_amounts(raw: RawDocument, path: str) -> None:
    """A row name ending in digits that are not an amount: a garbled amount
    glued to the name by the reader. An error, never a silently renamed row."""
    for t in raw.tables:
        for r in t.rows:
            m = GLUED.search(r.name or "")
            if m and not AMOUNT.fullmatch(m.group()):
                raise ExtractionError(path, f"{m.group()!r} after the row name {r.name[:m.start()]!r} is not an "
                                      f"amount", line=r.where.line, page=r.where.page)


def check_one_disclosure(raw: RawDocument, path: str) -> None:
    """One file, one disclosure: a 目录 printed again after the tables began,
    listing tables the first one listed, starts a second disclosure, whose
    tables would be merged under the first's unit and year. Refused; the
    files of a two-file disclosure (tables + narrative) are exempt."""
    if isinstance(raw.source, list) and len(raw.source) > 1:
        return
    # the tables began: the first table of a type a 目录 lists (the narrative's own tables, such as
    # 绩效自评表 between a narrative 目录 and the tables' 目录, do not begin them)
    listed = {e.type for e in raw.toc if e.type}
    table_pages = [t.where.page for t in raw.tables if t.where.page and t.type in listed]
    if not table_pages or not raw.toc:
        return
    first = min(table_pages)
    before = {e.type for e in raw.toc if e.type and e.where.page and e.where.page < first}
    again = [e for e in raw.toc if e.type in before and e.where.page and e.where.page > first]
    if again:
        raise ExtractionError(path, "a second 目录 (table of contents) after the tables began: the file holds more "
                              "than one disclosure; split it into one file per disclosure", page=again[0].where.page)


def source_name(source) -> str:
    """The file(s) a document was read from, as errors name them."""
    files = source if isinstance(source, list) else [source]
    return " + ".join(str(f.get("file", "?")) for f in files if isinstance(f, dict)) or "<document>"


def place_row(row: Row, raw_row, n_columns: int, feasible, table: Table, doc: Document) -> None:
    label = raw_row.code or raw_row.name
    if raw_row.tokens and not feasible:
        for tok in raw_row.tokens:
            table.unresolved.append(Unresolved(
                tok.value, tok.text, label, tok.where,
                f"the row prints {len(raw_row.tokens)} amounts but the table has only "
                f"{n_columns} columns", []))
        doc.unresolved_count += len(raw_row.tokens)
        return
    for j, tok in enumerate(raw_row.tokens):
        cols = list(dict.fromkeys(p[j] for p in feasible))
        if len(cols) == 1:
            row.values[cols[0]] = tok.value
            doc.placed += 1
        else:
            table.unresolved.append(Unresolved(
                tok.value, tok.text, label, tok.where,
                "more than one column satisfies every identity the tables obey", cols))
            doc.unresolved_count += 1


def inconsistencies(tables, solution: Solution) -> list[Inconsistency]:
    """Identities the printed numbers break, where the cells involved are certain."""
    out = []
    for ident, tolerance in solution.broken:
        cells = [ident.lhs, *ident.rhs]
        if any(len(solution.feasible.get((c.table, c.row), [])) > 1 for c in cells):
            continue
        printed = value_at(tables, solution.chosen, ident.lhs)
        expected = sum((value_at(tables, solution.chosen, c) for c in ident.rhs), Decimal(0))
        out.append(Inconsistency(tables[ident.lhs.table].title + f" ({ident.table})", ident.description
                                 + (" (at least)" if ident.kind == "ge" else ""), ident.where,
                                 expected, printed, tolerance))
    out.sort(key=lambda i: -abs(i.printed - i.expected))
    return out
