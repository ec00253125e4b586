"""The arithmetic a disclosure obeys, as identities between cells.

Each identity says `lhs = Σ rhs` (or `lhs ≥ Σ rhs` for a part of a larger
table) within the rounding tolerance. They are written once, generically,
from what the registry says about each table type: its column sums, its code
hierarchy, its total row, its sections, and which tables are parts of which.
The solver uses them to place amounts; the same list reports inconsistencies.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from budgetkg.model import RawRow, RawTable, Where
from budgetkg.registry import is_total_column, registry, squash


@dataclass(frozen=True)
class Cell:
    table: int  # index into the document's raw tables
    row: int
    column: str


@dataclass
class Identity:
    kind: str  # "eq": lhs = Σ rhs;  "ge": lhs ≥ Σ rhs
    lhs: Cell
    rhs: list[Cell]
    table: str  # the table type it belongs to (the lhs's)
    description: str
    where: Where
    cross_table: bool = False
    # the same quantity printed twice: both are roundings of one number, so no tolerance
    exact: bool = False


FUNCTION_LEVELS = {3: 5, 5: 7}
# 支出 by use (基本/项目 …): a second breakdown of the same total, printed beside the classes
BY_USE = {"基本支出", "项目支出", "单位预留机动经费", "上缴上级支出", "事业单位经营支出", "经营支出",
          "对下级单位补助支出", "对附属单位补助支出"}
# words of a performance table's title that make it a selection of the projects, not all of them
PARTIAL_PROJECT_LISTS = ("重点项目", "一般性项目", "一级项目")
SOURCES = {"一般公共预算": "一般公共预算", "政府性基金": "政府性基金", "国有资本经营": "国有资本经营"}


def code_children(rows: list[RawRow]) -> dict[int, list[int]]:
    """Parent row index -> child row indexes, by code prefix (201 > 20140 > 2014004). The
    parent is the nearest row above with its code: a table printing a block of rows per
    unit (深圳) prints the codes again in each block."""
    by_code = {r.code: i for i, r in enumerate(rows) if r.code}
    above: dict[str, int] = {}
    children: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        if not r.code:
            continue
        for plen in (len(r.code) - 2, len(r.code) - 4):
            parent = r.code[:plen]
            if len(r.code) > 3 and plen >= 3 and parent in by_code:
                children.setdefault(above.get(parent, by_code[parent]), []).append(i)
                break
        above[r.code] = i
    return children


def top_level_rows(rows: list[RawRow]) -> list[int]:
    """The coded rows the total row (合计) adds up: the top-level (shortest) codes; in a list
    printed at 款 level (no 类 rows), also a finer code whose 款 is not printed (北京's 3021101
    差旅费 among 款 with no 30211 row). A list with 类 rows has every row under one."""
    coded = [i for i, r in enumerate(rows) if r.code]
    shortest = min((len(rows[i].code) for i in coded), default=0)
    printed = {rows[i].code for i in coded}
    return [i for i in coded if len(rows[i].code) == shortest or shortest >= 5 and rows[i].code.isdigit()
            and not any(rows[i].code[:n] in printed for n in range(shortest, len(rows[i].code), 2))]


def _overall_columns(t, word: str) -> list[str]:
    """An overall performance table's columns that together are its 总额 (the first column), or its
    基本支出 / 项目支出: 基本支出合计 (text), or every column whose lowest header is the word
    (财政拨款/基本支出 + 其他资金/基本支出)."""
    if word == "总额":
        return [c for c in t.columns[:1] if c.endswith("总额")]
    return [c for c in t.columns if c in (word, word + "合计") or c.rsplit("/", 1)[-1] == word]


def total_row(rows: list[RawRow]) -> int | None:
    for i, r in enumerate(rows):
        if r.code is None and squash(r.name) in ("合计", "总计", "支出合计", "收入合计", "收入总计", "支出总计"):
            return i
    return None


def column_parts(t, row) -> list[tuple[str, list[str]]]:
    """The column identities of one row: (total column, part columns)."""
    cols = t.columns_for(row)
    if t.section_columns and row.section == "收入" and len(cols) < 2:
        return []
    ttype = registry().types.get(t.type)
    sums = ttype.column_sums(cols) if ttype and t.section_columns else t.column_sums
    return [(total, parts) for total, parts in sums if total in cols and parts]


def layout_parts(t) -> list[tuple[int, list[int], str]]:
    """Rows that add up to another row by the printed layout, not by codes:
    the sections of a summary table, and the named parts of a table's 合计 row
    (货物类 + 工程类 + 服务类). Each is (whole row, part rows, what it sums)."""
    if t.section_columns:
        return section_layout(t)
    ttype = registry().types.get(t.type)
    out = named_row_sums(t, ttype)
    if any(r.code for r in t.rows) or not (ttype and (ttype.row_parts or ttype.list_total)):
        return out
    tot = total_row(t.rows)
    if ttype.list_total:  # a flat list of lines: the 合计 row adds up all the others
        lines, subtotals = list_lines(t)
        if tot is not None:
            out.append((tot, lines, "Σ its lines"))
        return out + [(s, parts, "Σ its projects") for s, parts in subtotals]
    parts = [i for i, r in enumerate(t.rows) if r.name in ttype.row_parts]
    if not parts:
        return out
    if tot is not None:
        out.append((tot, parts, "Σ top-level rows"))
    return out + purchase_lines(t, set(parts))


def list_lines(t) -> tuple[list[int], list[tuple[int, list[int]]]]:
    """The lines a flat list's 合计 adds up, and the subtotals among them: where the rows name
    their projects (`project`) and the others each print a unit's subtotal over the projects
    below it, the 合计 adds up the subtotals and each subtotal its projects."""
    tot = total_row(t.rows)
    lines = [i for i in range(len(t.rows)) if i != tot]
    subs = [i for i in lines if getattr(t.rows[i], "project", None) is None]
    if not subs or len(subs) == len(lines) or any(i < subs[0] for i in lines if i not in subs):
        return lines, []
    ends = subs[1:] + [len(t.rows)]
    return subs, [(s, [i for i in range(s + 1, e) if i != tot]) for s, e in zip(subs, ends)]


def named_row_sums(t, ttype) -> list[tuple[int, list[int], str]]:
    """The registry's row_sums: rows that add up to a row without a code (parts
    named by name, or by code)."""
    if not ttype or not ttype.row_sums:
        return []
    index = {squash(r.name): i for i, r in enumerate(t.rows) if r.code is None}
    index.update({r.code: i for i, r in enumerate(t.rows) if r.code})
    out = []
    for whole, parts in ttype.row_sums:
        present = [index[squash(p)] for p in parts if squash(p) in index]
        if squash(whole) in index and present:
            out.append((index[squash(whole)], present,
                        "Σ " + " + ".join(t.rows[i].code or t.rows[i].name for i in present)))
    return out


# a procurement item named 品目/采购方式 (其他办公设备/分散自行组织)
PROCUREMENT_ITEM = re.compile(r"/(政府集中采购|部门集中采购|分散自行组织|分散采购|自行采购|集中采购)$")


def purchase_lines(t, categories: set[int]) -> list[tuple[int, list[int], str]]:
    """A detailed procurement list (Jiangsu): under each category, budget lines,
    each followed by the catalogue items bought with it. A category = Σ its lines,
    a line = Σ its items. Nothing when the table is not such a list."""
    if not any(PROCUREMENT_ITEM.search(squash(r.name)) for r in t.rows):
        return []
    out: list[tuple[int, list[int], str]] = []
    category, lines, line, items = None, [], None, []

    def close_line():
        if line is not None and items:
            out.append((line, list(items), "Σ its catalogue items"))

    for i, r in enumerate(t.rows):
        if i in categories:
            close_line()
            if category is not None and lines:
                out.append((category, lines, "Σ its budget lines"))
            category, lines, line, items = i, [], None, []
        elif category is None:
            continue
        elif PROCUREMENT_ITEM.search(squash(r.name)):
            items.append(i)
        else:
            close_line()
            line, items = i, []
            lines.append(i)
    close_line()
    if category is not None and lines:
        out.append((category, lines, "Σ its budget lines"))
    return out


def table_identities(ti: int, t: RawTable) -> list[Identity]:
    out: list[Identity] = []
    # columns: 合计 = Σ parts, on every row
    for ri, row in enumerate(t.rows):
        for total, parts in column_parts(t, row):
            out.append(Identity("eq", Cell(ti, ri, total), [Cell(ti, ri, p) for p in parts],
                                t.type, f"{total} = {' + '.join(parts)}", row.where))
    # rows that sum by layout, in every column of their section
    for whole, parts, what in layout_parts(t):
        for col in t.columns_for(t.rows[whole]):
            out.append(Identity("eq", Cell(ti, whole, col), [Cell(ti, k, col) for k in parts], t.type,
                                f"{t.rows[whole].name} = {what} ({col})", t.rows[whole].where))
    if t.section_columns:
        out.extend(balance_identities(ti, t))
        return out
    # hierarchy: a parent code = Σ its children, in every column
    for parent, kids in code_children(t.rows).items():
        for col in t.columns:
            out.append(Identity("eq", Cell(ti, parent, col), [Cell(ti, k, col) for k in kids], t.type,
                                f"{t.rows[parent].code} = Σ children ({col})", t.rows[parent].where))
    # totals: the 合计 row = Σ the top-level (shortest) codes
    tot = total_row(t.rows)
    top = top_level_rows(t.rows)
    if tot is not None and top:
        for col in t.columns:
            out.append(Identity("eq", Cell(ti, tot, col), [Cell(ti, i, col) for i in top], t.type,
                                f"合计 = Σ top-level rows ({col})", t.rows[tot].where))
    return out


# points: a label printed this much further right than the one above it is a part of it
INDENT_STEP = 3.0


def _is_total(name: str) -> bool:
    return "总计" in name or name.endswith(("合计", "小计"))


def _caption(r) -> bool:
    """A numbered row printing no amount (一、部门预算): a caption over the rows, no quantity."""
    return bool(r.enumerated) and not _is_total(squash(r.name)) \
        and not (getattr(r, "tokens", None) or getattr(r, "values", None))


def _heads_amounts(t, i: int) -> bool:
    """A caption over rows that print amounts (一、部门预算 over 财政拨款 …): it names no
    quantity, so no other table's column can agree with it."""
    if not _caption(t.rows[i]):
        return False
    for r in t.rows[i + 1:]:
        if r.section != t.rows[i].section or r.enumerated or _is_total(squash(r.name)):
            return False
        if getattr(r, "tokens", None) or getattr(r, "values", None):
            return True
    return False


def _source(name: str) -> str | None:
    """The source of funds a row names (一般公共预算财政拨款 -> 一般公共预算)."""
    return next((k for k in SOURCES if k in name), None)


def nested_by_indent(t, idx: list[int]) -> dict[int, int]:
    """Rows of a summary section indented under the row they break down (类 > 款 > 项
    printed without codes): row -> that row. Only rows of one kind (numbered 一、 or not)
    nest; a row of the other kind, a (sub)total or 基本/项目… ends the nesting."""
    parent: dict[int, int] = {}
    stack: list[int] = []
    for i in idx:
        r = t.rows[i]
        name = squash(r.name)
        if r.indent is None or _is_total(name) or (r.section == "支出" and name in BY_USE) \
                or (stack and t.rows[stack[0]].enumerated != r.enumerated):
            stack = []
            if r.indent is None or _is_total(name) or name in BY_USE:
                continue
        while stack and t.rows[stack[-1]].indent > r.indent - INDENT_STEP:
            stack.pop()
        if stack:
            parent[i] = stack[-1]
        stack.append(i)
    return parent


def _listed_by_use(t, idx: list[int]) -> set[int]:
    """基本/项目… rows that are items of the classes' list: a run of them without 基本支出
    (二十四、对附属单位补助支出, 二十五、上缴上级支出) is no second breakdown of the total."""
    out: set[int] = set()
    run: list[int] = []
    for i in idx + [-1]:
        name = squash(t.rows[i].name) if i >= 0 else ""
        if name in BY_USE:
            run.append(i)
            continue
        if run and "基本支出" not in {squash(t.rows[k].name) for k in run}:
            out.update(run)
        run = []
    return out


def section_layout(t) -> list[tuple[int, list[int], str]]:
    """Summary tables: headings (一、本年收入) sum the items under them, subtotals
    (本年收入合计) the items above them, and 总计 the top level."""
    out: list[tuple[int, list[int], str]] = []
    for section in ("收入", "支出"):
        idx = [i for i, r in enumerate(t.rows) if r.section == section]
        # Rows after a (sub)total: the kind of the first one (numbered 一、 or not)
        # is the top level; rows of the other kind are items of the row above.
        top: list[int] = []
        by_use: list[int] = []
        top_kind: bool | None = None
        heading, items = None, []
        totals: list[int] = []
        parent = nested_by_indent(t, idx)
        listed = _listed_by_use(t, idx)
        nested: dict[int, list[int]] = {}
        above: set[str | None] = set()  # sources of funds named above the last subtotal (since the last 总计)
        block: set[str | None] = set()
        for i in idx:
            r = t.rows[i]
            name = squash(r.name)
            if not _is_total(name):
                block.add(_source(name))
            if _caption(r):
                continue  # 一、部门预算 printing no amount: a caption over the rows, not one of them
            # 基本/项目…: a second breakdown of the total, printed beside the classes
            if section == "支出" and name in BY_USE and i not in listed:
                by_use.append(i)
                continue
            if i in parent:
                # 其中 (of which) is a part, not an addend; so is a row under a 其中 row (其中：财政拨款
                # 资金结转 / 非财政拨款资金结余 aligned after the colon): one more of the same parent's parts
                if not name.startswith("其中") and not squash(t.rows[parent[i]].name).startswith("其中"):
                    nested.setdefault(parent[i], []).append(i)
                continue
            if _is_total(name) and r.enumerated and not top and heading is None and "总计" not in name:
                # 一、本年支出合计 printed first, its items below it (and 二、年终结转结余 after them)
                top_kind, heading, items = True, i, []
                top.append(i)
                continue
            if _is_total(name):
                if heading is not None and items:
                    out.append((heading, items, "Σ items"))
                if top:
                    out.append((i, top, "Σ the rows above"))
                if len(by_use) > 1:
                    out.append((i, by_use, "Σ 基本/项目… above"))
                by_use = []
                totals.append(i)
                top = [] if "总计" in name else [i]
                top_kind, heading, items = None, None, []
                above, block = set() if "总计" in name else above | block, set()
                continue
            # after a subtotal, a row naming a source of funds named above it (年初结转和结余, then
            # 一般公共预算财政拨款 / 政府性基金预算财政拨款 as 本年收入 listed them) is a part of the
            # row before it, by source: one of its items, no more of the total
            if heading is not None and _source(name) in above - {None} and _source(squash(t.rows[heading].name)) is None:
                items.append(i)
                continue
            if top_kind is None:
                top_kind = r.enumerated
            if r.enumerated == top_kind:
                if heading is not None and items:
                    out.append((heading, items, "Σ items"))
                heading, items = i, []
                top.append(i)
            elif heading is not None:
                items.append(i)
            else:
                top.append(i)
        if heading is not None and items:
            out.append((heading, items, "Σ items"))
        # a row's parts by layout and by indent are one list (年初财政拨款结转和结余 over 一般公共预算…
        # indented and 政府性基金… not)
        for k, (w, ks, what) in enumerate(out):
            if what == "Σ items" and w in nested:
                out[k] = (w, sorted(ks + nested.pop(w)), what)
        out += [(p, kids, "Σ items") for p, kids in nested.items()]
        if len(by_use) > 1 and totals:
            # 基本/项目… printed after the totals (Jiangsu) break down the year's spending:
            # the 本年/当年 subtotal when there is one, else the last total
            this_year = [i for i in totals if squash(t.rows[i].name).startswith(("本年", "当年"))]
            out.append(((this_year or totals)[-1], by_use, "Σ 基本/项目… below"))
    return out


def section_totals(t) -> dict[str, int]:
    """The 总计 row of each section of a summary table."""
    out: dict[str, int] = {}
    for i, r in enumerate(t.rows):
        if r.section in ("收入", "支出") and "总计" in squash(r.name):
            out[r.section] = i
    return out


def balance_identities(ti: int, t) -> list[Identity]:
    """收入总计 = 支出总计, and what comes in from each source of funds is what is
    spent from it (the 支出 column of that source)."""
    out: list[Identity] = []
    totals = section_totals(t)
    if "收入" not in totals or "支出" not in totals:
        return out
    ci, ce = t.section_columns["收入"][0], t.section_columns["支出"][0]
    out.append(Identity("eq", Cell(ti, totals["支出"], ce), [Cell(ti, totals["收入"], ci)], t.type,
                        "支出总计 = 收入总计", t.rows[totals["支出"]].where))
    # headings and their items, for the numbered rows of a source below
    layout = [(w, ks) for w, ks, _ in section_layout(t) if not _is_total(squash(t.rows[w].name))]
    for key in SOURCES:
        col = next((c for c in t.section_columns["支出"] if key in c), None)
        rows = [i for i, r in enumerate(t.rows) if r.section == "收入" and key in r.name
                and not r.enumerated and "合计" not in r.name and "总计" not in r.name]
        if rows:
            # a numbered row of that source (一、一般公共预算财政拨款) with no part naming it adds too
            # (年初结转和结余's 其中 row is the rest of that source)
            parts = {k for w, ks in layout for k in ks if key in t.rows[w].name}
            heads = {w for w, ks in layout if any(key in t.rows[k].name for k in ks)}
            rows += [i for i, r in enumerate(t.rows) if r.section == "收入" and key in r.name and r.enumerated
                     and i not in heads and i not in parts and not _is_total(squash(r.name))]
            rows.sort()
        if col and rows and len(t.section_columns["支出"]) > 1:
            out.append(Identity("eq", Cell(ti, totals["支出"], col),
                                [Cell(ti, i, t.section_columns["收入"][0]) for i in rows], t.type,
                                f"支出总计 {col} = Σ 收入 from {key}", t.rows[totals["支出"]].where))
    return out


def income_total_row(summary, income) -> int | None:
    """The summary's row that the income table's grand total prints again: the
    row its total column names (本年收入合计); 收入总计 when the income table has
    a 上年结转 column; else 本年收入合计/收入合计, or 收入总计 when the summary
    prints no 结转 income at all (None when it cannot be told)."""
    if not income.columns or not summary.section_columns or "收入" not in summary.section_columns:
        return None
    first = income.columns[0]
    if not (is_total_column(first) or len(income.columns) == 1):
        return None
    grand = section_totals(summary).get("收入")
    if first not in ("合计", "金额", "小计", "总计"):
        return find_row(summary, first, "收入")
    if any("结转" in c for c in income.columns):
        return grand
    for name in ("本年收入合计", "收入合计"):
        named = find_row(summary, name, "收入")
        if named is not None:
            return named
    if any(r.section == "收入" and "结转" in r.name for r in summary.rows):
        return None
    return grand


def find_row(t: RawTable, name: str, section: str | None = None) -> int | None:
    key = squash(name)
    for i, r in enumerate(t.rows):
        if squash(r.name) == key and (section is None or r.section == section):
            return i
    return None


def document_identities(tables: list[RawTable], kind: str | None = "budget") -> list[Identity]:
    out: list[Identity] = []
    for ti, t in enumerate(tables):
        if not t.empty:
            out.extend(table_identities(ti, t))
    out.extend(cross_table_identities(tables, kind))
    return out


def cross_table_identities(tables: list[RawTable], kind: str | None) -> list[Identity]:
    """The tables agree with each other: the same quantity printed twice is
    equal; a table of one source of funds is part of the all-funds table."""
    out: list[Identity] = []
    first = {}
    for ti, t in enumerate(tables):
        if not t.empty:
            first.setdefault(t.type, ti)
    reg = registry()

    def ident(kind, a: Cell, b: list[Cell], desc: str, where: Where):
        out.append(Identity(kind, a, b, tables[a.table].type, desc, where, cross_table=True,
                            exact=kind == "eq" and len(b) == 1))

    s = first.get("summary")
    if s is not None:
        summary = tables[s]
        for tid in ("income",):
            if tid not in first:
                continue
            ti = first[tid]
            t = tables[ti]
            tot = total_row(t.rows)
            if tot is None:
                continue
            # income columns are the 收入 rows of the summary (一般公共预算拨款收入 …)
            for col in t.columns:
                if is_total_column(col):
                    continue
                si = find_row(summary, col, "收入")
                if si is not None and not _heads_amounts(summary, si):
                    ident("eq", Cell(ti, tot, col), [Cell(s, si, summary.section_columns["收入"][0])],
                          f"收入总表 {col} = 收支总表 {col}", t.rows[tot].where)
            # and its grand total is the summary's total income
            si = income_total_row(summary, t)
            if si is not None:
                ident("eq", Cell(ti, tot, t.columns[0]), [Cell(s, si, summary.section_columns["收入"][0])],
                      f"收入总表 {t.rows[tot].name} = 收支总表 {summary.rows[si].name}", t.rows[tot].where)
        # a budget's income by class is what it plans to spend on the class;
        # final accounts differ (what came in vs what went out)
        for tid in ("income", "expenditure") if kind != "final_accounts" else ("expenditure",):
            if tid not in first:
                continue
            ti = first[tid]
            t = tables[ti]
            total_col = t.columns[0] if t.columns and is_total_column(t.columns[0]) else None
            if total_col is None:
                continue
            # each class (类) agrees with the summary's 支出 row of the same name (a class printed
            # once per unit, as 深圳 does, is not the summary's)
            printed = Counter(r.code for r in t.rows)
            for ri, r in enumerate(t.rows):
                if r.code and len(r.code) == 3 and printed[r.code] == 1:
                    si = find_row(summary, r.name, "支出")
                    if si is not None:
                        ident("eq", Cell(ti, ri, total_col),
                              [Cell(s, si, summary.section_columns["支出"][0])],
                              f"{t.title} {r.code} = 收支总表 {r.name}", r.where)
    # parts of a larger table: cell by cell, code and column alike
    for ti, t in enumerate(tables):
        ttype = reg.types.get(t.type)
        if t.empty or not ttype or not ttype.superset:
            continue
        for sup in ttype.superset:
            if sup not in first:
                continue
            si = first[sup]
            big = tables[si]
            # rows are matched by code (or name); a code printed on several rows (one per unit)
            # names no one row, so it is matched nowhere
            keys = Counter(r.code or squash(r.name) for r in big.rows)
            mine = Counter(r.code or squash(r.name) for r in t.rows)
            big_rows = {r.code or squash(r.name): i for i, r in enumerate(big.rows)}
            for ri, r in enumerate(t.rows):
                key = r.code or squash(r.name)
                bi = big_rows.get(key) if keys[key] == 1 and mine[key] == 1 else None
                if bi is None:
                    continue
                for col in t.columns:
                    bcol = col if col in big.columns else (
                        big.columns[0] if is_total_column(col) and big.columns and is_total_column(big.columns[0])
                        else None)
                    if bcol:
                        ident("ge", Cell(si, bi, bcol), [Cell(ti, ri, col)],
                              f"{big.title} ⊇ {t.title} ({r.code or r.name}, {col})", big.rows[bi].where)
    # the overall performance table's totals are the expenditure table's: on its 合计 row, else its one row
    o, e = first.get("overall_performance"), first.get("expenditure")
    ot = tables[o] if o is not None else None
    orow = None if ot is None else total_row(ot.rows) if total_row(ot.rows) is not None else (
        0 if len(ot.rows) == 1 else None)
    if e is not None and orow is not None:
        et = tables[e]
        tot = total_row(et.rows)
        if tot is not None:
            for ocols, ecol in ((_overall_columns(ot, "总额"), et.columns[0] if et.columns else None),
                                (_overall_columns(ot, "基本支出"), "基本支出"),
                                (_overall_columns(ot, "项目支出"), "项目支出")):
                if ecol in et.columns and ocols:
                    ident("eq", Cell(e, tot, ecol), [Cell(o, orow, c) for c in ocols],
                          f"支出总表 {ecol} = 整体绩效目标表 {' + '.join(ocols)}", ot.rows[orow].where)
        # 财政拨款 includes the general public budget's appropriations
        g = first.get("general_budget_expenditure")
        if g is not None:
            gt = tables[g]
            gtot = total_row(gt.rows)
            if gtot is not None:
                for ocols, gcol in ((("基本支出财政拨款", "财政拨款/基本支出"), "基本支出"),
                                    (("项目支出财政拨款", "财政拨款/项目支出"), "项目支出")):
                    for ocol in (c for c in ocols if c in ot.columns):
                        if gcol in gt.columns:
                            ident("ge", Cell(o, orow, ocol), [Cell(g, gtot, gcol)],
                                  f"整体绩效目标表 {ocol} ⊇ {gt.title} {gcol}", ot.rows[orow].where)
    # projects: Σ project amounts = 项目支出 of the expenditure table
    p = first.get("project_performance")
    if p is not None and e is not None and tables[p].rows:
        et = tables[e]
        tot = total_row(et.rows)
        # a title that names a selection (重点项目, 一般性项目, 一级项目) lists only some projects: ≥
        partial = any(w in squash(tables[p].title) for w in PARTIAL_PROJECT_LISTS)
        if tot is not None and "项目支出" in et.columns:
            ident("ge" if partial else "eq", Cell(e, tot, "项目支出"),
                  [Cell(p, i, "金额") for i in list_lines(tables[p])[0]],
                  f"支出总表 项目支出 {'≥' if partial else '='} Σ 项目绩效目标表 金额", et.rows[tot].where)
    return out
