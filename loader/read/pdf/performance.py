"""Performance tables (项目绩效目标表, 整体绩效目标表) read from their grids.

A project block prints key/value cells (项目名称 | X, 项目金额 | 687.00,
年度绩效目标 | ...) followed by an indicator block whose header names
一级指标 / 二级指标 / 三级指标 / 指标值 (and 度量单位, 指标方向, 权重 ...).
Cells merged down several rows (the category) apply to every row they span.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from budgetkg.amounts import AMOUNT, parse_amount
from budgetkg.model import Indicator, Project, RawTable, Where
from budgetkg.read.pdf.grid import Grid
from budgetkg.read.pdf.header import norm

PROJECT_NAME = re.compile(r"^(?:项目名称|项目)$")
PROJECT_AMOUNT = re.compile(r"^(?:项目金额|预算金额|项目资金|资金总额|年度资金总额|项目总金额|金额|预算数|"
                            r"本年预算|年度预算|项目预算|.*资金总额.*|.*预算金额.*)(?:（万元）|（元）)?$")
GOAL = re.compile(r"^(?:年度绩效目标|绩效目标|项目目标|年度目标|总体目标|项目绩效目标|年度总体目标|整体绩效目标)$")
MISSION = re.compile(r"^(?:部门职能|单位职能|职能职责|主要职能|部门职责|单位职责)")
OPERATORS = {"＝": "=", "=": "=", "＜": "<", "<": "<", "＞": ">", ">": ">", "≥": "≥", "≤": "≤",
             ">=": "≥", "<=": "≤", "＞＝": "≥", "＜＝": "≤", "大于等于": "≥", "小于等于": "≤",
             "不低于": "≥", "不高于": "≤", "不少于": "≥", "不多于": "≤", "不超过": "≤",
             "等于": "=", "大于": ">", "小于": "<", "高于": ">", "低于": "<"}
VALUE = re.compile(r"^(＞＝|＜＝|>=|<=|大于等于|小于等于|不低于|不高于|不少于|不多于|不超过|等于|大于|小于|高于|低于|"
                   r"[≥≤＝=＜<＞>])?\s*(-?\d+(?:\.\d+)?)\s*(.*)$")

# indicator header words -> field
FIELDS = [
    ("category", re.compile(r"^一级指标$")),
    ("sub", re.compile(r"^二级指标$")),
    ("name", re.compile(r"^(?:三级指标|指标名称|绩效指标|指标内容)$")),
    ("operator", re.compile(r"^(?:指标性质|指标方向|比较符|运算符|符号)$")),
    ("value", re.compile(r"^(?:指标值|目标值|绩效指标值|年度指标值|指标目标值|绩效目标值)$")),
    ("unit", re.compile(r"^(?:度量单位|计量单位|单位)$")),
    ("weight", re.compile(r"^(?:权重|分值|权重（%）|指标权重)$")),
]


def normalise_operator(op: str | None) -> str | None:
    if not op:
        return None
    op = norm(op)
    return OPERATORS.get(op, None)


def parse_value(text: str, op_cell: str | None = None, unit_cell: str | None = None
                ) -> tuple[str | None, str, str | None]:
    """'≥75000个' -> ('≥', '75000', '个'); '优' -> (None, '优', None)."""
    text = norm(text)
    op = normalise_operator(op_cell)
    m = VALUE.match(text)
    if m:
        op = normalise_operator(m.group(1)) or op
        unit = m.group(3) or (norm(unit_cell) if unit_cell else None)
        return op, m.group(2), unit or None
    return op, text, (norm(unit_cell) if unit_cell else None)


def _amount(text: str) -> Decimal | None:
    t = norm(text).replace("万元", "").replace("元", "")
    if AMOUNT.match(t):
        try:
            return parse_amount(t)
        except InvalidOperation:
            return None
    return None


def read(t: RawTable, grids: list[Grid]) -> None:
    """Fill `t.projects` / `t.indicators` from the table's grids."""
    project: Project | None = None
    fields: dict[str, tuple[float, float]] | None = None
    category = sub = None
    for g in grids:
        for r in range(g.nrows):
            cells = g.row_cells(r)
            texts = [norm(c.text) for c in cells]
            where = Where(page=g.page)
            # an indicator header row
            found = {}
            for c, tx in zip(cells, texts):
                for fname, rx in FIELDS:
                    if rx.match(tx) and fname not in found:
                        found[fname] = (c.x0, c.x1)
            if "name" in found and ("value" in found or "category" in found):
                fields = found
                continue
            # key / value cells
            handled = False
            for i, tx in enumerate(texts[:-1]):
                nxt = texts[i + 1]
                if PROJECT_NAME.match(tx) and nxt:
                    project = Project(nxt, Decimal(0), "", where)
                    t.projects.append(project)
                    fields, category, sub = None, None, None
                    handled = True
                elif PROJECT_AMOUNT.match(tx) and nxt and project is not None:
                    amt = _amount(nxt)
                    if amt is not None:
                        project.amount = amt
                    handled = True
                elif GOAL.match(tx) and nxt:
                    if project is not None:
                        project.goal = nxt
                    else:
                        t.notes.append(nxt)
                    handled = True
                elif MISSION.match(tx) and nxt:
                    t.mission = nxt
                    handled = True
            if handled or fields is None:
                continue
            # an indicator row: each field from the cell under its header
            vals: dict[str, str] = {}
            for fname, (x0, x1) in fields.items():
                for c in cells:
                    cx = (c.x0 + c.x1) / 2
                    if x0 - 1 <= cx <= x1 + 1 or (c.x0 <= (x0 + x1) / 2 <= c.x1):
                        vals[fname] = norm(c.text)
                        break
            if vals.get("category"):
                category = vals["category"]
            if vals.get("sub"):
                sub = vals["sub"]
            name = vals.get("name") or ""
            if not name or name == (sub or ""):
                if not vals.get("value"):
                    continue
            op, value, unit = parse_value(vals.get("value", ""), vals.get("operator"), vals.get("unit"))
            ind = Indicator(category or sub, name or (sub or ""), op, value, unit, where,
                            weight=vals.get("weight") or None)
            if project is not None:
                project.indicators.append(ind)
            else:
                t.indicators.append(ind)
