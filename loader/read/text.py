"""Reading a text extraction of a disclosure (UTF-8 or GB18030) into raw tables.

Text loses cell positions: empty cells are simply missing and wrapped names
and headers spill onto the following lines. This module only finds tables,
rows, names and the printed amounts in their left-to-right order; placing
the amounts in columns is the reconstruction stage's job (reconstruct/).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from budgetkg.amounts import TABLE_AMOUNT, parse_amount
from budgetkg.errors import ExtractionError
from budgetkg.model import RawDocument, RawRow, RawTable, Token, Where
from budgetkg.read import metadata
from budgetkg.read.lines import Line, Page
from budgetkg.read.text_performance import read_overall_performance, read_project_performance
from budgetkg.registry import TableType, registry, squash

CODE_ROW = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s+(\S.*)$")
ENUMERATED = re.compile(r"^[一二三四五六七八九十]+[、.．]")
ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d))\s*")
EMPTY_DECLARED = re.compile(r"无该项|此表无数据|无数据|本表为空|不涉及")
YEAR = re.compile(r"(20\d\d)\s*年(?:度)?\s*(?:部门|单位)?(?:预算|决算|基本支出|本年|预算数|决算数)")
MONEY_UNIT = re.compile(r"单位[：:]\s*(万元|元|千元|亿元)")
UNIT_NAME = re.compile(r"(?:编制单位|单位名称|部门名称)[：:]\s*(\S+)")
NOT_A_ROW = re.compile(r"^(?:备注|编制单位|单位[：:]|注[：:])")


def decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise ExtractionError(str(path), "the file is empty: expected the text of a budget disclosure")
    if b"\x00" in data[:65536] or data[:5] == b"%PDF-" and not str(path).lower().endswith(".pdf"):
        raise ExtractionError(str(path), "this is a binary file, not a text extraction "
                              "(for a PDF, give a path ending in .pdf)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(str(path), "not UTF-8 or GB18030 text")


def split_pages(text: str) -> list[Page]:
    """Pages are separated by a form feed or by three or more empty lines."""
    pages: list[Page] = []
    current: list[Line] = []
    blank_run = 0
    for i, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split("\f")
        for j, part in enumerate(parts):
            if j > 0 and current:
                pages.append(Page(len(pages) + 1, current))
                current, blank_run = [], 0
            if part == "":
                blank_run += 1
                if blank_run == 3 and current:
                    pages.append(Page(len(pages) + 1, current))
                    current = []
                continue
            blank_run = 0
            current.append(Line(i, part))
    if current:
        pages.append(Page(len(pages) + 1, current))
    return pages


def page_title(page: Page) -> tuple[TableType, str, Line] | None:
    reg = registry()
    for ln in page.lines:
        if len(ln.text.strip()) > 40:
            continue
        found = reg.match_title(ln.text)
        if found and squash(ln.text) == squash(found[1]):
            return found[0], found[1], ln
    return None


def clean_name(text: str) -> str:
    """A printed label without white space or a leading 一、/1./（一）."""
    return ENUMERATION.sub("", re.sub(r"\s+", "", text))


def amount_tokens(words: list[str]) -> int:
    """How many of `words`, counted from the end, are printed amounts."""
    n = 0
    for w in reversed(words):
        if not TABLE_AMOUNT.match(w):
            break
        n += 1
    return n


def make_tokens(words: list[str], line: Line) -> list[Token]:
    return [Token(w, parse_amount(w), None, Where(line=line.number)) for w in words]


def read_text(path: Path) -> RawDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ExtractionError(str(path), f"cannot read the file: {e.strerror}") from None
    text = decode(path, data)
    pages = split_pages(text)

    doc = RawDocument(unit=None, year=None, kind=None, money_unit=None,
                      source={"file": str(path), "sha256": hashlib.sha256(data).hexdigest()},
                      pages=len(pages))
    seen: dict[str, int] = {}
    groups: list[tuple[TableType, str, Line, list[Page]]] = []
    for page in pages:
        found = page_title(page)
        if found is None:
            # a page without a title continues the table before it (long tables)
            if groups and (groups[-1][0].id == "project_performance"
                           or any(amount_tokens(ln.text.split()) for ln in page.lines)):
                groups[-1][3].append(page)
            continue
        key = page.key()
        if key in seen:
            doc.warnings.append(f"page {page.number} (line {page.lines[0].number}) repeats page "
                                f"{seen[key]} ({found[1]}); counted once")
            continue
        seen[key] = page.number
        groups.append((found[0], found[1], found[2], [page]))

    if not groups:
        raise ExtractionError(str(path), "no budget table found: none of the known table titles "
                              "(收支总表, 收入总表, 支出总表, …) occurs on its own line; is this a "
                              "部门预算/决算 disclosure? New titles go in loader/table_types.toml")

    all_lines = [ln for p in pages for ln in p.lines]
    doc.unit = most_common(m.group(1) for ln in all_lines for m in [UNIT_NAME.search(ln.text)] if m)
    doc.money_unit = most_common(m.group(1) for ln in all_lines for m in [MONEY_UNIT.search(ln.text)] if m)
    doc.year = most_common(int(m.group(1)) for ln in all_lines for m in YEAR.finditer(ln.text))
    titles = " ".join(title for _, title, _, _ in groups)
    doc.kind = "final_accounts" if "决算" in titles else "budget"
    doc.scope = most_common(s for ln in all_lines for s in [metadata.scope_words(ln.text)] if s)

    for ttype, title, title_line, group_pages in groups:
        lines = [ln for p in group_pages for ln in p.lines]
        table = RawTable(type=ttype.id, title=title, columns=[], where=Where(line=title_line.number))
        units = [m.group(1) for ln in lines for m in [MONEY_UNIT.search(ln.text)] if m]
        table.money_unit = units[0] if units else doc.money_unit
        table.empty = any(EMPTY_DECLARED.search(ln.text) for ln in lines)
        if ttype.id == "project_performance":
            read_project_performance(table, group_pages)
        elif ttype.id == "overall_performance":
            read_overall_performance(table, lines)
            table.columns = list(ttype.templates[0])
            table.column_sums = ttype.column_sums(table.columns)
        elif ttype.sections:
            read_sections(table, ttype, lines, title_line)
        else:
            read_rows(table, ttype, lines, title_line)
        doc.amount_tokens += count_amounts(table, lines)
        doc.tables.append(table)

    check_truncated(path, doc, pages)
    return doc


def most_common(values):
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def count_amounts(table: RawTable, lines: list[Line]) -> int:
    """Amount tokens the table's pages print in cells: every amount of a row
    line (code or label followed by amounts) or of an amounts-only line.
    Prose (goals, notes) holds numbers too, but not in amount cells."""
    if table.type in ("project_performance", "overall_performance"):
        # as the PDF reader counts them: what the reading kept as amounts, and every number
        # of the table it kept nowhere (未读, text_performance.report_unkept)
        return sum(len(r.tokens) for r in table.rows) + len(table.unplaced) + sum(
            len(p.sources) for p in table.projects)
    n = 0
    for ln in lines:
        words = ln.text.split()
        if not words or NOT_A_ROW.match(ln.text.strip()):
            continue
        k = amount_tokens(words)
        if table.section_columns:
            n += sum(1 for w in words if TABLE_AMOUNT.match(w))
        else:
            n += k
    return n


def check_truncated(path: Path, doc: RawDocument, pages: list[Page]) -> None:
    """A document cut off mid-table: its last table has rows but no title after
    them and no closing note. Titles and 备注 close every page of the template."""
    last = pages[-1]
    if page_title(last) is None and not doc.tables[-1].type.endswith("performance") and (
            any(amount_tokens(ln.text.split()) for ln in last.lines)):
        raise ExtractionError(str(path), "the document is truncated: its last page holds table "
                              "rows but no table title", line=last.lines[-1].number)


# ---------------------------------------------------------------- code tables

def header_text(lines: list[Line], used: set[int]) -> str:
    return "".join(squash(ln.text) for ln in lines if ln.number not in used)


def read_rows(table: RawTable, ttype: TableType, lines: list[Line], title_line: Line) -> None:
    """Rows of a table listed by code (or by label: 合计, 货物类 …): a row is a
    code or label followed by its amounts; a name may wrap onto the next lines
    and its amounts then follow on a line of their own."""
    used: set[int] = set()
    pending: RawRow | None = None  # a row whose amounts have not come yet
    seen_code = False
    for ln in lines:
        s = ln.text.strip()
        if not s or ln is title_line or NOT_A_ROW.match(s):
            used.add(ln.number)
            continue
        words = s.split()
        k = amount_tokens(words)
        m = CODE_ROW.match(ln.text) if ttype.codes != "none" else None
        if m:
            rest = m.group(2).split()
            k = amount_tokens(rest)
            row = RawRow(m.group(1), clean_name("".join(rest[:len(rest) - k])),
                         make_tokens(rest[len(rest) - k:], ln), Where(line=ln.number))
            table.rows.append(row)
            pending = row if k == 0 else None
            seen_code = True
            used.add(ln.number)
        elif k == len(words):
            # amounts on a line of their own: a wrapped row's, or the total row
            # (printed right under the header, its label 合计 elsewhere on the page)
            if pending is not None:
                pending.tokens = make_tokens(words, ln)
                pending = None
            elif not seen_code and not any(r.tokens for r in table.rows):
                table.rows.append(RawRow(None, "合计", make_tokens(words, ln), Where(line=ln.number)))
            else:
                table.unplaced.extend(make_tokens(words, ln))
            used.add(ln.number)
        elif k > 0:
            # a label with amounts: 合计 2,553.37 … / 货物类 1,153.60 …
            name = clean_name("".join(words[:len(words) - k]))
            table.rows.append(RawRow(None, name, make_tokens(words[len(words) - k:], ln),
                                     Where(line=ln.number)))
            pending = None
            used.add(ln.number)
        elif pending is not None and len(squash(s)) <= 12:
            pending.name += clean_name(s)  # a wrapped name
            used.add(ln.number)
    header = header_text(lines, used)
    table.columns = registry().choose_columns(ttype, header) or []
    if not table.columns:
        table.columns = fallback_columns(ttype, table)
    table.column_sums = ttype.column_sums(table.columns)


def fallback_columns(ttype: TableType, table: RawTable) -> list[str]:
    """No known layout matches the header: keep the widest template, and say so."""
    widest = max(ttype.templates, key=len) if ttype.templates else ()
    table.notes.append("header matches no known column layout; assumed: " + " ".join(widest))
    return list(widest)


# ------------------------------------------------------------- summary tables

def side_of(label: str) -> str | None:
    """Which section of a summary table a printed label belongs to."""
    s = clean_name(label)
    if not s or s in ("收入", "支出", "收入支出", "项目", "收", "支", "入", "出"):
        return None
    if any(w in s for w in ("结转下年", "年末结转", "结余分配", "支出总计")):
        return "支出"
    if any(w in s for w in ("上年结转", "年初结转", "弥补", "收入总计", "本年收入")):
        return "收入"
    if "支出" in s or s in ("预备费",) or s.endswith("支出合计"):
        return "支出"
    if "收入" in s or "财政专户" in s or "事业基金" in s or (
            s.endswith("拨款") and s.startswith(("一般公共预算", "政府性基金", "国有资本经营", "财政"))):
        return "收入"
    return None


def split_labels(words: list[str]) -> list[tuple[str, str | None]]:
    """Split a run of label words into one or two labels (left 收入, right 支出)."""
    joined = "".join(words)
    for i in range(1, len(words)):
        left, right = "".join(words[:i]), "".join(words[i:])
        if side_of(left) == "收入" and side_of(right) == "支出":
            return [(left, "收入"), (right, "支出")]
    return [(joined, side_of(joined))]


def read_sections(table: RawTable, ttype: TableType, lines: list[Line], title_line: Line) -> None:
    """Summary tables print 收入 items on the left and 支出 items on the right of
    the same lines; each side is a label followed by its amounts."""
    used: set[int] = set()
    dangling: tuple[str, int] | None = None
    for ln in lines:
        s = ln.text.strip()
        if not s or ln is title_line or NOT_A_ROW.match(s):
            used.add(ln.number)
            continue
        words = s.split()
        segments: list[tuple[list[str], list[str]]] = []  # (label words, amount words)
        for w in words:
            if TABLE_AMOUNT.match(w) and segments:
                segments[-1][1].append(w)
            elif TABLE_AMOUNT.match(w):
                segments.append(([], [w]))
            elif segments and segments[-1][1]:
                segments.append(([w], []))
            elif segments:
                segments[-1][0].append(w)
            else:
                segments.append(([w], []))
        rows: list[RawRow] = []
        for label_words, amounts in segments:
            labels = split_labels(label_words)
            for j, (label, side) in enumerate(labels):
                toks = make_tokens(amounts, ln) if j == len(labels) - 1 else []
                if side is None and not toks:
                    continue
                rows.append(RawRow(None, clean_name(label), toks, Where(line=ln.number), side,
                                   enumerated=bool(ENUMERATED.match(squash(label)))))
        if not rows:
            # a wrapped label (国有资本经营预算拨\n款): its head alone is no label
            if dangling is not None and len(squash(s)) <= 3 and not amount_tokens(words):
                joined = dangling[0] + squash(s)
                side = side_of(joined)
                if side:
                    table.rows.append(RawRow(None, clean_name(joined), [], Where(line=dangling[1]), side,
                                             enumerated=bool(ENUMERATED.match(joined))))
                    used.update((ln.number, dangling[1]))
                dangling = None
            elif not amount_tokens(words):
                dangling = (squash(s), ln.number)
            continue
        dangling = None
        # lines of only a right-hand label keep to the 支出 side
        for row in rows:
            if row.section is None:
                row.section = "支出" if any(r.section == "收入" for r in rows) else "收入"
        table.rows.extend(rows)
        used.add(ln.number)
    # the header's words wrap among the rows: read the layout off the whole page
    header = header_text(lines, set())
    reg = registry()
    sections = reg.choose_sections(ttype, header)
    if sections is None:
        cols = reg.choose_columns(ttype, header) or fallback_columns(ttype, table)
        sections = {"收入": list(cols), "支出": list(cols)}
    table.section_columns = sections
    table.columns = list(dict.fromkeys(c for cs in sections.values() for c in cs))
    out = sections.get("支出", [])
    table.column_sums = ttype.column_sums(out) if len(out) > 1 else []
