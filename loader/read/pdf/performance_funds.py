"""The funds block of a department's (整体) performance table, read as rows of the table.

Above or beside its goal and indicators, a 部门整体支出绩效目标表 prints the department's
money: a header whose first column names the total (预算支出总额, 资金总额, 总额) and whose
other columns name sources of funds and expenditure types, one or two levels deep
(财政拨款 over 合计 | 基本支出 | 项目支出; 按收入性质分 over 一般公共预算 | …), maybe under a
caption over them all (年度预算申请, 预算金额（万元）); then a row of amounts per unit or
task, labelled by the name printed on the row or, failing one, by 部门名称.
Each row becomes a RawRow with one Token per column, named by its header path
(财政拨款/基本支出; a group's 合计 takes the group's name, as elsewhere), so that its amounts
are placed, counted and written to the graph like any table's, and the header's structure
gives the column sums (总额 = Σ sources; a group's 合计 = Σ its parts).
Some print the block as key | value rows instead (资金总额 | 8200.95, 项目支出 | …, 其中：财政拨款 | …):
one row of the table, its keys the columns; or, when the total is a transfer payment's 年度金额
(its project's amount), the parts are that project's sources of funds.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from budgetkg.amounts import AMOUNT, parse_amount
from budgetkg.model import RawRow, RawTable, Token, Where
from budgetkg.read.pdf.grid import Cell, Grid
from budgetkg.read.pdf.header import norm

# the tables that print such a block
TYPES = ("overall_performance", "transfer_performance")
# the column that is the block's total, printed first
TOTAL = re.compile(r"^(?:预算支出总额|资金总额|年度资金总额|预算总额|支出总额|总额)$")
# a group's own total: the column takes the group's name
GROUP_TOTAL = re.compile(r"^(?:合计|小计)$")
# the other columns: sources of funds and expenditure types, or a group of them
PART = re.compile(r"^(?:(?:其中[:：])?(?:财政拨款|财政资金|其他资金|一般公共预算(?:拨款)?|政府性基金(?:预算)?(?:拨款)?|"
                  r"国有资本经营预算(?:拨款)?|财政专户管理资金|专户资金|单位资金|事业收入|经营收入|其他收入|"
                  r"上年结转(?:资金)?|基本支出|项目支出)|合计|小计|按收入性质分|按支出性质分|按资金来源分|按支出类型分)$")
# a group whose parts break the total down on their own (按收入性质分 | 按支出性质分)
BREAKDOWN = re.compile(r"^按.+分$")
# the key of the department's name, printed above the block
DEPARTMENT = re.compile(r"^(?:部门|单位|部门（单位）|预算单位|专项（项目）)名称$")
# the block printed as key | value rows (资金情况: 年度金额 | 5612.00, 其中：市级财政资金 | 5612.00 …)
KEY_TOTAL = re.compile(r"^(?:年度金额|实施期资金总额|年度资金总额|资金总额|预算金额)[:：]?$")
KEY_SOURCE = re.compile(r"^(?:其中[:：])?((?:中央|省级|市级|县级|区级)?财政资金|财政拨款|其他资金|基本支出|项目支出)[:：]?$")
# the parts that break the total down by expenditure type (the others are sources of funds)
EXPENDITURE_TYPE = re.compile(r"^(?:基本支出|项目支出)$")
# what a header prints after its name (（万元）), and a column of codes (单位编码), not amounts
HEADER_NOTE = re.compile(r"[（(][^）)]*[）)]$")
IDENTIFIER = re.compile(r"^(?:序号|编号|[^\d]{0,6}(?:编码|代码))$")
ENUMERATION = re.compile(r"^\d{1,2}[.．、](?!\d)")
TOTAL_ROW = re.compile(r"(?:合计|总计)$")


def _amount(text: str) -> Decimal | None:
    t = norm(text)
    return parse_amount(t) if AMOUNT.match(t) else None


def _name(cell: Cell) -> str:
    return HEADER_NOTE.sub("", norm(cell.text))


def read(t: RawTable, grids: list[Grid]) -> list[tuple[int, str]]:
    """Add the funds block's rows to `t`. Returns (page, text) of the amounts of a row
    reprinted on a continuation page (a merged cell cut by the page break): read once."""
    reprinted: list[tuple[int, str]] = []
    if t.type not in TYPES:
        return reprinted
    department = ""
    for g in grids:
        for r in range(g.nrows):
            cells = g.row_cells(r)
            for a, b in zip(cells, cells[1:]):
                if a.r0 == r and DEPARTMENT.match(_name(a)) and norm(b.text):
                    department = norm(b.text)
            if _key_value(t, g, r, department):
                continue
            total = next((c for c in cells if c.r0 == r and TOTAL.match(_name(c))), None)
            if total is None:
                continue
            cols = _columns(g, total)
            if cols is None:
                continue
            for row in _rows(g, total, cols, department):
                earlier = next((x for x in t.rows if x.name == row.name and x.where.page != row.where.page
                                and _printed(x) == _printed(row)), None)
                if earlier is not None:
                    reprinted += [(g.page, k.text) for k in row.tokens]
                    continue
                t.rows.append(row)
                t.columns += [name for name, _, _ in cols if name not in t.columns]
                for s in _sums(cols):
                    if s not in t.column_sums:
                        t.column_sums.append(s)
    return reprinted


def without(numbers: list[tuple[int, str, Decimal]], reprinted: list[tuple[int, str]]
            ) -> list[tuple[int, str, Decimal]]:
    """The numbers not kept by the reading, but for the cells of the reprinted rows (each once)."""
    left = Counter((page, text.replace(",", "")) for page, text in reprinted)
    out = []
    for page, text, value in numbers:
        if left[(page, text.replace(",", ""))] > 0:
            left[(page, text.replace(",", ""))] -= 1
        else:
            out.append((page, text, value))
    return out


def _key_value(t: RawTable, g: Grid, r: int, department: str) -> bool:
    """The block as key | value rows from row r: its total, then its sources of funds. With a
    project whose amount the total is (a transfer payment's 年度金额), the sources are that
    project's; else the block is a row of the table, its keys the columns."""
    pairs = []
    for rr in range(r, g.nrows):
        cells = g.row_cells(rr)
        key = next((c for c in cells if c.r0 == rr and (KEY_SOURCE if pairs else KEY_TOTAL).match(_name(c))), None)
        value = next((c for c in cells if key is not None and c.r0 == rr and abs(c.x0 - key.x1) < 2), None)
        if key is None or value is None or (norm(value.text) and _amount(value.text) is None):
            break
        pairs.append((_name(key), value))
    if len(pairs) < 2 or _amount(pairs[0][1].text) is None:
        return False
    where = Where(page=g.page)
    project = t.projects[-1] if t.projects else None
    if project is not None and project.amount == _amount(pairs[0][1].text) and project.where.page == g.page:
        for key, value in pairs[1:]:
            name = KEY_SOURCE.match(key).group(1)
            if norm(value.text) and name not in project.sources and not EXPENDITURE_TYPE.match(name):
                project.sources[name] = _amount(value.text)
        return True
    names = [pairs[0][0].rstrip(":：")] + [
        KEY_SOURCE.match(k).group(1) for k, _ in pairs[1:]]
    tokens = [Token(norm(v.text), _amount(v.text), (n,), where) for n, (_, v) in zip(names, pairs) if norm(v.text)]
    t.rows.append(RawRow(None, department, tokens, where))
    t.columns += [n for n in names if n not in t.columns]
    # each kind of part (expenditure types, sources) adds up to the total when two or more are printed
    # (泉州 prints 项目支出 | 基本支出 and, alone, 其他资金: a part of a breakdown it does not finish)
    for kind in (True, False):
        parts = [n for n in names[1:] if bool(EXPENDITURE_TYPE.match(n)) == kind]
        if len(parts) >= 2:
            t.column_sums.append((names[0], parts))
    return True


def _printed(row: RawRow) -> list[tuple[str, tuple[str, ...] | None]]:
    return [(k.text, k.columns) for k in row.tokens]


def _columns(g: Grid, total: Cell) -> list[tuple[str, float, float]] | None:
    """The block's columns left to right as (name, x0, x1): the header's leaves (cells ending
    where the total does), from the total rightwards while their words are the block's."""
    leaves = sorted((c for c in g.cells if c.r1 == total.r1 and c.r0 >= total.r0 and c.x0 >= total.x0 - 1),
                    key=lambda c: c.x0)
    block = []
    for c in leaves:
        if c is not total and not PART.match(_name(c)):
            break
        block.append(c)
    if len(block) < 2:
        return None
    x0, x1 = block[0].x0, block[-1].x1
    cols = []
    for leaf in block:
        path = [_group(g, leaf, total, x0, x1)] if leaf is not total else []
        name = "/".join([p for p in path if p] + [_name(leaf)])
        if path and path[0] and GROUP_TOTAL.match(_name(leaf)):
            name = path[0]  # 财政拨款 over 合计 | 基本支出 | 项目支出: the 合计 is 财政拨款
        cols.append((name, leaf.x0, leaf.x1))
    return cols


def _group(g: Grid, leaf: Cell, total: Cell, x0: float, x1: float) -> str:
    """The name of the group cell over a leaf, within the header (rows from the total's top);
    a blank cell goes on with the group at its left (a merge the PDF lost), and a cell over
    every column is the block's caption, not a group."""
    above = [c for c in g.cells if c.r1 == leaf.r0 and c.r0 >= total.r0 and c.x0 <= leaf.x0 + 1
             and c.x1 >= leaf.x1 - 1]
    if not above or (above[0].x0 <= x0 + 1 and above[0].x1 >= x1 - 1):
        return ""
    cell = above[0]
    while not _name(cell):
        left = [c for c in g.cells if c.r0 == cell.r0 and c.r1 == cell.r1 and abs(c.x1 - cell.x0) < 1
                and c.x0 >= x0 - 1]
        if not left:
            return ""
        cell = left[0]
    return _name(cell)


def _rows(g: Grid, total: Cell, cols: list[tuple[str, float, float]], department: str) -> list[RawRow]:
    """The rows of amounts under the header, until a row prints something else under its columns."""
    idents = [(c.x0, c.x1) for c in g.cells if IDENTIFIER.match(_name(c))]
    out = []
    for r in range(total.r1, g.nrows):
        cells = g.row_cells(r)
        under = [(name, next((c for c in cells if c.x0 <= (x0 + x1) / 2 <= c.x1), None)) for name, x0, x1 in cols]
        starting = [(name, c) for name, c in under if c is not None and c.r0 == r]
        if not starting:
            continue  # cells merged down from the row above
        if any(norm(c.text) and _amount(c.text) is None for _, c in starting):
            break
        where = Where(page=g.page)
        tokens = [Token(norm(c.text), _amount(c.text), (name,), where)
                  for name, c in starting if norm(c.text)]
        if not tokens:
            continue
        labels = [c for c in cells if c.r0 == r and c.x1 <= cols[0][1] + 1 and norm(c.text)
                  and not any(x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 for x0, x1 in idents)]
        label = ENUMERATION.sub("", norm(labels[0].text)) if labels else department
        if TOTAL_ROW.search(label):
            label = "合计"  # 金额合计: the rows' total
        out.append(RawRow(None, label, tokens, where))
    return out


def _sums(cols: list[tuple[str, float, float]]) -> list[tuple[str, list[str]]]:
    """The column identities the header states: the total is the sum of the groups (a group by
    its own total, else its parts) and of the columns in no group; a group 按…分 breaks the
    total down by itself; a group's own total is the sum of its parts."""
    names = [n for n, _, _ in cols]
    total, rest = names[0], names[1:]
    groups: dict[str, list[str]] = {}
    for n in rest:
        head, sep, _ = n.partition("/")
        groups.setdefault(head if sep else n, []).append(n)
    out, whole = [], []
    for head, members in groups.items():
        parts = [m for m in members if m != head]
        if BREAKDOWN.match(head):
            out.append((total, members))
        elif head in members:  # the group's 合计, named by the group
            whole.append(head)
            if parts:
                out.append((head, parts))
        else:
            whole += members
    if whole:
        out.insert(0, (total, whole))
    return out
