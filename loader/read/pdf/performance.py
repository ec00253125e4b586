"""Performance tables (项目绩效目标表, 整体绩效目标表) read from their grids.

A project block prints key/value cells (项目名称 | X, 项目金额 | 687.00,
年度绩效目标 | ...) followed by an indicator block whose header names
一级指标 / 二级指标 / 三级指标 / 指标值 (and 度量单位, 指标方向, 权重 ...).
Cells merged down several rows (the category) apply to every row they span.
Other layouts print the projects as rows under one header (项目名称 | 金额 |
绩效目标, and maybe the indicator columns): a project starts where a cell
under 项目名称 starts.
A self-evaluation (绩效自评表, printed by final accounts) adds a block of amounts
(年初预算数 | 全年预算数 | 全年执行数 [| 分值 | 执行率 | 得分], over rows such as
年度资金总额 / 其中：当年财政拨款, or one row per task of the department), and
beside each indicator's target what was achieved (实际完成值, 得分, 偏差原因).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgetkg.amounts import AMOUNT, parse_amount
from budgetkg.model import PROJECT_TABLES, Indicator, Project, RawRow, RawTable, Token, Where
from budgetkg.read.pdf import performance_funds
from budgetkg.read.pdf.grid import Grid
from budgetkg.read.pdf.header import norm
from budgetkg.registry import registry, squash

# 一级项目名称 / 二级项目名称 (广东): a project of the budget's 一级/二级 project list
TOTAL_NAMES = ("合计", "总计")
# 转移支付名称: a transfer payment, laid out as a project; 单位（项目）名称: a list of units' and
# projects' rows (a unit's row over its projects)
PROJECT_NAME = re.compile(r"^(?:(?:[一二]级)?(?:项目名称|项目)|(?:专项)?转移支付名称|单位（项目）名称)$")
PROJECT_AMOUNT = re.compile(r"^(?:项目金额|预算金额|年度金额|项目资金|资金总额|年度资金总额|项目总金额|项目总额|金额|预算数|"
                            r"本年预算|年度预算|项目预算|.*资金总额.*|.*预算金额.*)(?:（(?:单位[:：])?万?元）)?[:：]?$")
GOAL = re.compile(r"^(?:年度绩效目标|绩效目标|项目目标|年度目标|总体目标|项目绩效目标|年度总体目标|整体绩效目标)$")
# the goal of the project's whole period: its goal when the table prints no year's goal
PERIOD_GOAL = re.compile(r"^(?:项目)?实施期(?:绩效)?目标$")
MISSION = re.compile(r"^(?:部门职能|单位职能|职能职责|主要职能|部门职责|单位职责)")
OPERATORS = {"＝": "=", "=": "=", "＜": "<", "<": "<", "＞": ">", ">": ">", "≥": "≥", "≤": "≤",
             ">=": "≥", "<=": "≤", "＞＝": "≥", "＜＝": "≤", "大于等于": "≥", "小于等于": "≤",
             "不低于": "≥", "不高于": "≤", "不少于": "≥", "不多于": "≤", "不超过": "≤",
             "等于": "=", "大于": ">", "小于": "<", "高于": ">", "低于": "<"}
VALUE = re.compile(r"^(＞＝|＜＝|>=|<=|大于等于|小于等于|不低于|不高于|不少于|不多于|不超过|等于|大于|小于|高于|低于|"
                   r"[≥≤＝=＜<＞>])?\s*(-?\d+(?:\.\d+)?)\s*(.*)$")

MARKS = re.compile(r"^[*＊]+$")
# indicator header words -> field
FIELDS = [
    ("category", re.compile(r"^一级指标$")),
    ("sub", re.compile(r"^二级指标$")),
    ("name", re.compile(r"^(?:三级指标|指标名称|绩效指标|指标内容)$")),
    ("operator", re.compile(r"^(?:指标性质|指标方向|比较符|运算符|符号|绩效指标性质|指标值类型)$")),
    ("value", re.compile(r"^(?:指标值|目标值|绩效指标值|年度指标值|指标目标值|绩效目标值|本年绩效指标值)$")),
    ("unit", re.compile(r"^(?:度量单位|计量单位|单位|绩效度量单位)$")),
    ("weight", re.compile(r"^(?:权重|分值|权重（%）|指标权重)$")),
    ("actual", re.compile(r"^(?:实际完成值|实际完成情况|完成值|实际值|得分率)$")),
    ("score", re.compile(r"^(?:得分|自评得分|自评分数)$")),
    ("deviation", re.compile(r"^偏差原因")),
    # printed under 备注 beside the indicator (numbers, in some layouts): kept as printed, nothing more
    ("note", re.compile(r"^备注$")),
]
SCORE = FIELDS[8][1]
THIRD = re.compile(r"^(?:三级指标|指标名称|指标内容)$")
# the money columns of a self-evaluation's block of amounts (their phase is the
# header's: data/roles.toml), and the sub-columns a group header may have
MONEY = re.compile(r"^(?:年初预算数|全年预算数|调整预算数|全年执行数|执行数|预算数|决算数)$")
MONEY_PART = re.compile(r"^(?:总额|合计|小计|财政拨款|其他资金|当年财政拨款|上年结转资金?)$")
# a source of funds a project's amount is split into (其中：财政资金 | 其他资金); the
# key is the printed name, the graph maps it to a funding source (data/roles.toml)
SOURCE = re.compile(r"^(?:其中[:：])?(财政资金|财政拨款|其他资金)[:：]?$")
# what a header prints after the name it gives: （A）, （万元）, (B/A)
HEADER_NOTE = re.compile(r"[（(][^）)]*[）)]$")
# the block's scores: a rate and points, not money (kept on the project, never amounts)
BLOCK_SCORE = re.compile(r"^(?:分值|执行率|得分)$")


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


def _set_amount(t: RawTable, project: Project, text: str) -> None:
    """The project's printed amount, also a row of the table (column 金额), so
    that it is counted and placed like every printed amount."""
    amt = _amount(text)
    if amt is None:
        return
    project.amount = amt
    t.columns = ["金额"]
    printed = norm(text).replace("万元", "").replace("元", "")
    owner = next(i for i, p in enumerate(t.projects) if p is project)  # the row is the project's amount
    t.rows.append(RawRow(None, project.name, [Token(printed, amt, ("金额",), project.where)], project.where,
                         project=owner))


def _source(text: str) -> str | None:
    m = SOURCE.match(_header_name(text))
    return m.group(1) if m else None


def _set_source(project: Project, name: str, text: str) -> None:
    """One part of the project's amount by source; a blank cell is no part."""
    amt = _amount(text)
    if amt is not None:
        project.sources[name] = amt


def _source_columns(g: Grid, r: int, cells) -> dict[str, tuple[float, float]]:
    """The source columns of a projects-as-rows header: printed on its row or, under a
    group cell (其中：), on the header's second row."""
    below = [c for c in g.row_cells(r + 1) if c.r0 == r + 1] if r + 1 < g.nrows else []
    return {name: (c.x0, c.x1) for c in [*cells, *below] if (name := _source(c.text))}


def _under(cells, span: tuple[float, float]):
    """The cell printed under a header cell spanning `span`."""
    x0, x1 = span
    for c in cells:
        cx = (c.x0 + c.x1) / 2
        if x0 - 1 <= cx <= x1 + 1 or (c.x0 <= (x0 + x1) / 2 <= c.x1):
            return c
    return None


def _project_columns(cells, texts) -> dict[str, tuple[float, float]] | None:
    """A header naming the project's fields as columns (项目名称 | 金额 | 绩效目标):
    the projects are its rows. Key/value blocks print the name beside 项目名称."""
    cols: dict[str, tuple[float, float]] = {}
    for c, tx in zip(cells, texts):
        for key, rx in (("name", PROJECT_NAME), ("amount", PROJECT_AMOUNT), ("goal", GOAL)):
            if rx.match(tx) and key not in cols:
                cols[key] = (c.x0, c.x1)
    if "name" in cols and ("amount" in cols or "goal" in cols):
        return cols
    # 项目名称 | 自评分数: a list of projects, each with its score (and nothing else)
    score = [(c.x0, c.x1) for c, tx in zip(cells, texts) if SCORE.match(tx)]
    if "name" in cols and score and len([tx for tx in texts if tx]) == 2:
        return {"name": cols["name"], "score": score[0]}
    return None


def _header_name(text: str) -> str:
    return HEADER_NOTE.sub("", norm(text))


def _money_header(g: Grid, r: int, cells) -> Block | None:
    """A header of money columns (年初预算数 | 全年预算数 | 全年执行数), at least two;
    a group header (全年预算数 over 总额 | 财政拨款 | 其他资金) names its parts
    `全年预算数/总额`. Columns left to right as (name, x0, x1)."""
    groups = [c for c in cells if c.r0 == r and MONEY.match(_header_name(c.text))]
    if len(groups) < 2:
        return None
    below = g.row_cells(r + 1) if r + 1 < g.nrows else []
    cols = []
    for c in groups:
        name = _header_name(c.text)
        parts = [p for p in below if p.r0 == c.r1 and p.x0 >= c.x0 - 1 and p.x1 <= c.x1 + 1
                 and MONEY_PART.match(_header_name(p.text))] if c.r1 == r + 1 else []
        if len(parts) >= 2:
            cols += [(f"{name}/{_header_name(p.text)}", p.x0, p.x1) for p in parts]
        else:
            cols.append((name, c.x0, c.x1))
    scores = {_header_name(c.text): (c.x0, c.x1) for c in cells
              if c.r0 == r and BLOCK_SCORE.match(_header_name(c.text))}
    return Block(cols, scores)


@dataclass
class Block:
    cols: list[tuple[str, float, float]]  # money columns, left to right
    scores: dict[str, tuple[float, float]]  # 分值 / 执行率 / 得分


def _block_row(t: RawTable, project: Project | None, cells, r: int, block: Block, first: bool,
               where: Where) -> bool:
    """A row of a block of amounts: its label (the first cell that starts on the row,
    left of the amounts) and one token per money column. The executed amount of a
    project's first row (年度资金总额) is the project's amount. False: the block ended."""
    cols = block.cols
    x_first = min(x0 for _, x0, _ in cols)
    labels = [c for c in cells if c.r0 == r and c.x1 <= x_first + 1 and norm(c.text)]
    tokens = []
    for name, x0, x1 in cols:
        c = _under(cells, (x0, x1))
        if c is None or c.r0 != r:
            continue
        amt = _amount(c.text)
        if amt is not None:
            tokens.append(Token(norm(c.text).replace("万元", "").replace("元", ""), amt, (name,), where))
    # the row's own label: a task's name (任务名称 | 主要内容 | 完成情况: the first), never a
    # group label merged down the rows (项目资金（万元）)
    own = [c for c in labels if c.r1 == r + 1] or labels
    label = norm(own[0].text).rstrip("：:") if own else ""
    if not tokens:
        fund_row = bool(labels) and all(not _amount(c.text) for c in cells) and not any(
            FIELDS[2][1].match(norm(c.text)) for c in cells) and _is_fund_row(labels)
        if fund_row:
            _block_scores(t, project, cells, r, block, label, where)
        return fund_row
    for name, _, _ in cols:
        if name not in t.columns:
            t.columns.append(name)
    executed = [k for k in tokens if "执行数" in k.columns[0] and "/" not in k.columns[0]]
    if project is not None and first and len(executed) == 1:
        # a project's amount in a final account is what it spent (phase: executed); the
        # cell stays a cell of its row, which is where the graph has it
        project.amount = executed[0].value
    # the row is its project's: the block follows the project's name (several projects, one block each)
    owner = next((i for i, p in enumerate(t.projects) if p is project), None)
    t.rows.append(RawRow(None, label, tokens, where, project=owner))
    _block_scores(t, project, cells, r, block, label, where)
    return True


def _block_scores(t: RawTable, project: Project | None, cells, r: int, block: Block, label: str,
                  where: Where) -> None:
    """The row's scores (分值 | 执行率 | 得分): the budget's execution scored like an indicator."""
    got = {}
    for key, span in block.scores.items():
        c = _under(cells, span)
        if c is not None and c.r0 == r and re.search(r"\d", norm(c.text)):
            got[key] = norm(c.text)
    if got:  # a rate without points (其中 rows: 0.0%) scores nothing, but is the row's execution rate
        ind = Indicator(None, label, None, None, None, where, weight=got.get("分值"),
                        actual=got.get("执行率"), score=got.get("得分"))
        (project.indicators if project is not None else t.indicators).append(ind)


def _is_fund_row(labels) -> bool:
    """A row of the block whose amounts are all printed empty (其他资金 | | |)."""
    return any(re.search(r"资金|拨款|结转|合计", norm(c.text)) for c in labels)


def read(t: RawTable, grids: list[Grid]) -> None:
    """Fill `t.projects` / `t.indicators` from the table's grids."""
    reprinted = _read(t, grids)  # a project's amounts printed again on a continuation page
    reprinted += performance_funds.read(t, grids)  # the department's funds block (总体资金情况), as rows
    _printed_total(t)
    # nothing silently dropped: a number printed in the grid that the reading kept nowhere
    # is reported (it becomes an unresolved value, and is counted among the printed amounts)
    t.unplaced += [Token(text, value, (UNKEPT,), Where(page=page))
                   for page, text, value in performance_funds.without(unkept(t, grids), reprinted)]


# the column an unkept number is reported under: the reader did not know what it is
UNKEPT = "未读"
# a cell that prints one number: an amount, or an indicator's target or score (≥75000个, 95%)
NUMBER_CELL = re.compile(r"^(?:＞＝|＜＝|>=|<=|[≥≤＝=＜<＞>])?([-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
                         r"(?:%|％|[^\d\s.,%％]{1,4})?$")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
IDENTIFIER = re.compile(r"^(?:序号|编号|[^\d]{0,6}(?:编码|代码))$")


def _key(text: str) -> Decimal:
    return parse_amount(text).normalize()


def kept_numbers(t: RawTable) -> list[tuple[int | None, str]]:
    """(page, text) of every number the reading kept: row and unplaced tokens, project
    amounts, and the numbers of indicators' targets, weights, results and scores."""
    kept = []
    for r in t.rows:
        kept += [(k.where.page or r.where.page, k.text) for k in r.tokens]
    kept += [(k.where.page, k.text) for k in t.unplaced]
    inds = list(t.indicators)
    for p in t.projects:
        inds += p.indicators
        kept += [(p.where.page, str(v)) for v in p.sources.values()]
    for i in inds:
        for text in (i.value, i.weight, i.actual, i.score, i.name, i.note):
            kept += [(i.where.page, m) for m in NUMBER.findall(text or "")]
    return kept


def grid_numbers(grids: list[Grid]) -> list[tuple[int, str, Decimal]]:
    """(page, text, value) of every cell that prints one number, but for the identifiers
    under a 序号 or 编码 header or beside a 编码 key (a row's enumeration, a unit's code: not values)."""
    out = []
    for g in grids:
        idents = [(c.x0, c.x1) for c in g.cells if IDENTIFIER.match(norm(c.text))]
        keyed = {id(b) for r in range(g.nrows) for a, b in zip(g.row_cells(r), g.row_cells(r)[1:])
                 if a.r0 == b.r0 == r and IDENTIFIER.match(norm(a.text))}
        for c in g.cells:
            m = NUMBER_CELL.match(norm(c.text))
            if m and id(c) not in keyed and not any(x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 for x0, x1 in idents):
                out.append((g.page, m.group(1), parse_amount(m.group(1))))
    return out


def unkept(t: RawTable, grids: list[Grid]) -> list[tuple[int, str, Decimal]]:
    """The numbers printed in the grids that the reading kept nowhere: each kept number
    accounts for one cell of its page, of the same printed text if there is one (so that
    the cell reported is the one not kept: 25.00, not ≤25万元), else of the same value."""
    kept = kept_numbers(t)
    by_text = Counter((page, text.replace(",", "")) for page, text in kept)
    by_value = Counter((page, _key(text)) for page, text in kept)
    cells = grid_numbers(grids)
    left = []
    for page, text, value in cells:
        if by_text[(page, text.replace(",", ""))] > 0:
            by_text[(page, text.replace(",", ""))] -= 1
            by_value[(page, value.normalize())] -= 1
        else:
            left.append((page, text, value))
    out = []
    for page, text, value in left:
        key = (page, value.normalize())
        if by_value[key] > 0:
            by_value[key] -= 1
        else:
            out.append((page, text, value))
    return out


def _printed_total(t: RawTable) -> None:
    """An amount on a row without a project's name that is, within rounding, the sum of the
    projects' amounts is the table's printed total (湖州's 项目支出绩效表 prints it first, under
    the header): a row 合计, which the registry's list_total checks against the projects."""
    amounts = [r.tokens[0].value for r in t.rows if len(r.tokens) == 1 and r.tokens[0].columns == ("金额",)]
    if t.type != "project_performance" or len(amounts) < 2 or any(squash(r.name) in TOTAL_NAMES for r in t.rows):
        return
    for tok in t.unplaced:
        half = Decimal(5) * Decimal(10) ** (tok.value.as_tuple().exponent - 1)  # ± half the last digit
        if tok.columns == ("金额",) and abs(sum(amounts) - tok.value) <= (len(amounts) + 1) * half:
            t.unplaced.remove(tok)
            t.rows.append(RawRow(None, "合计", [tok], tok.where))
            return


def _read(t: RawTable, grids: list[Grid]) -> list[tuple[int, str]]:
    """Returns (page, text) of the amounts printed again where a project's cells are cut by a
    page break and reprinted on the next page: one amount, read once."""
    reprinted: list[tuple[int, str]] = []
    project: Project | None = None
    block: Block | None = None  # a self-evaluation's block of amounts
    block_first = False
    fields: dict[str, tuple[float, float]] | None = None
    pcols: dict[str, tuple[float, float]] | None = None  # the projects as rows
    head_cell = None
    sources: dict[str, tuple[float, float]] = {}  # the source columns of a projects-as-rows header
    tail: tuple[int, int, str] | None = None  # (page, first indicator, goal) of an unnamed cell at a page's foot
    category = sub = None
    for g in grids:
        top = True  # the grid's first body row: on a continuation page it goes on with the project above
        for r in range(g.nrows):
            cells = g.row_cells(r)
            texts = [norm(c.text) for c in cells]
            where = Where(page=g.page)
            money = _money_header(g, r, cells)
            if money is not None:
                block, block_first = money, True
                continue
            if block is not None:
                if any(c.r0 < r and c.r1 > r and MONEY.match(_header_name(c.text)) for c in cells) or \
                        all(MONEY_PART.match(tx) or BLOCK_SCORE.match(_header_name(tx)) or not tx
                            or c.r0 < r for c, tx in zip(cells, texts)):
                    continue  # the header's second row (总额 | 财政拨款 | 其他资金)
                if _block_row(t, project, cells, r, block, block_first, where):
                    block_first = False
                    continue
                block = None
            # an indicator header row
            found = {}
            for c, tx in zip(cells, texts):
                for fname, rx in FIELDS:
                    # a header's note (指标权重（%）) does not change the field it names
                    if (rx.match(tx) or rx.match(_header_name(tx))) and fname not in found:
                        found[fname] = (c.x0, c.x1)
            if "name" in found:  # 三级指标 names the indicator, not a 绩效指标 label merged beside the block
                third = [c for c, tx in zip(cells, texts) if THIRD.match(tx)]
                if third:
                    found["name"] = (third[0].x0, third[0].x1)
            header = _project_columns(cells, texts)
            if header is not None:
                pcols, fields = header, (found if "name" in found else None)
                sources = _source_columns(g, r, cells)
                head_cell = _under(cells, pcols["name"])
                continue
            if ("name" in found and ("value" in found or "category" in found)) or \
                    ("category" in found and "score" in found):  # 一级指标 | 分值 | 得分: scores by category
                fields, block = found, None
                continue
            if pcols is not None:
                cell = _under(cells, pcols["name"])
                if cell is head_cell:
                    continue  # the header's second row (其中：财政资金 | 其他资金)
                if cell is not None and MARKS.match(norm(cell.text)):
                    continue  # `** ** **`: the columns' marks under the header
                if cell is not None and cell.r0 == r and norm(cell.text) and "score" in pcols:
                    # a list of scores (项目名称 | 自评分数): each the score of the project it names, an
                    # indicator of the table (points, not money; no amount makes it a project of its own)
                    score = _under(cells, pcols["score"])
                    t.indicators.append(Indicator(None, norm(cell.text), None, None, None, where,
                                                  score=norm(score.text) if score is not None else None))
                    continue
                starts = cell is not None and cell.r0 == r
                amount = _under(cells, pcols["amount"]) if "amount" in pcols else None
                goal = _under(cells, pcols["goal"]) if "goal" in pcols else None
                if starts and any(c.r0 == r and squash(norm(c.text)) in TOTAL_NAMES for c in cells):
                    # the table's printed total (合计, maybe printed in the code column): a row 合计
                    project, category, sub, tail, top = None, None, None, None, False
                    _add_row(t, "合计", amount, where)
                    continue
                if starts and norm(cell.text) and top and project is not None and norm(cell.text) == project.name \
                        and (amount is None or _amount(amount.text) in (None, project.amount)):
                    # the project's cells printed again at the top of a continuation page: the same project
                    again = [amount] + [_under(cells, span) for span in sources.values()]
                    reprinted += [(g.page, norm(c.text)) for c in again
                                  if c is not None and c.r0 == r and _amount(c.text) is not None]
                elif starts and norm(cell.text) and "单位" in norm(head_cell.text) and ("goal" in pcols or fields) \
                        and _blank(cells, goal, fields):
                    # under 单位（项目）名称 over goals or indicators, a row with neither is a unit's, over its
                    # projects: a row of the table (its amount is the unit's subtotal), not a project
                    project, category, sub, tail, top = None, None, None, None, False
                    _add_row(t, norm(cell.text), amount, where)
                    continue
                elif starts and norm(cell.text):
                    project = Project(norm(cell.text), Decimal(0), norm(goal.text) if goal is not None else "",
                                      where)
                    t.projects.append(project)
                    if amount is not None:
                        _set_amount(t, project, amount.text)
                    for name, span in sources.items():
                        c = _under(cells, span)
                        if c is not None and c.r0 == r:
                            _set_source(project, name, c.text)
                    category = sub = None
                    if top and r == 0 and tail is not None and tail[0] == g.page - 1:
                        # the first row goes on with the unnamed cell that ended the page before:
                        # one cell cut by the page break, its name printed in this part
                        project.indicators, t.indicators[tail[1]:] = t.indicators[tail[1]:], []
                        project.goal = tail[2] + project.goal
                    tail = None
                elif starts and not (top and project is not None):
                    # a new project whose name is not printed in this part of its cell (cut at a
                    # page break), or a total: its indicators are the table's, never the project's
                    # above; an amount without a project is reported, not dropped
                    project, category, sub = None, None, None
                    amt = _amount(amount.text) if amount is not None else None
                    if amt is not None:
                        t.unplaced.append(Token(norm(amount.text), amt, ("金额",), where))
                    # an unnamed cell running to the page's last rule may go on on the next page
                    tail = (g.page, len(t.indicators), norm(goal.text) if goal is not None else "") \
                        if cell.r1 == g.nrows and amt is None and not norm(cell.text) else None
                top = False
                if fields is None:
                    continue
            # key / value cells
            handled = False
            for i, tx in enumerate(texts[:-1] if pcols is None else []):
                if fields is not None and (cells[i].r0 < r or cells[i + 1].r1 < cells[i].r1) and sum(
                        cells[i + 1].x0 <= (x0 + x1) / 2 <= cells[i + 1].x1 for x0, x1 in fields.values()) <= 1:
                    # a label merged down beside an indicator block's rows (整体绩效目标 | 数据管理 | …) names
                    # the block: the cell beside it is one cell of an indicator's row (a group header over
                    # the indicator's columns is not), not the label's value
                    continue
                nxt = texts[i + 1]
                if PROJECT_NAME.match(tx) and nxt:
                    project = Project(nxt, Decimal(0), "", where)
                    t.projects.append(project)
                    fields, category, sub = None, None, None
                    handled = True
                elif PROJECT_AMOUNT.match(tx) and nxt and project is not None:
                    _set_amount(t, project, nxt)
                    handled = True
                elif PROJECT_AMOUNT.match(tx) and _amount(nxt) is not None and not t.projects and _titled(t):
                    # a project's amount but no 项目名称 cell: the project the title names
                    project = Project(_titled(t), Decimal(0), "", where)
                    t.projects.append(project)
                    _set_amount(t, project, nxt)
                    fields, category, sub = None, None, None
                    handled = True
                elif _source(tx) and nxt and project is not None:
                    _set_source(project, _source(tx), nxt)
                    handled = True
                elif GOAL.match(tx) and nxt:
                    if project is not None:
                        project.goal = nxt
                    else:
                        t.notes.append(nxt)
                    handled = True
                elif PERIOD_GOAL.match(tx) and nxt and project is not None and not project.goal:
                    project.goal = nxt
                    handled = True
                elif MISSION.match(tx) and nxt:
                    t.mission = nxt
                    handled = True
            if handled or fields is None:
                continue
            # an indicator row: each field from the cell under its header
            vals: dict[str, str] = {}
            under = {}
            for fname, span in fields.items():
                c = _under(cells, span)
                if c is not None:
                    vals[fname] = norm(c.text)
                    under[fname] = c
            label = under.get("name")
            if label is not None and label.r0 == r and any(
                    under.get(k) is label for k in ("category", "sub", "value", "actual")):
                # one cell across the indicator's columns (总分 | 100 | 98): a total, not an indicator
                ind = Indicator(None, vals["name"], None, None, None, where, weight=vals.get("weight") or None,
                                score=vals.get("score") or None)
                (project.indicators if project is not None else t.indicators).append(ind)
                continue
            if vals.get("category"):
                if vals["category"] != category:
                    sub = None  # a new 一级指标: the 二级 above it is not its own
                category = vals["category"]
            if vals.get("sub"):
                sub = vals["sub"]
            # scores by category (一级指标 | 分值 | 得分) name no indicator: the category is scored
            name = vals.get("name") or ("" if "name" in fields else vals.get("category") or "")
            if not name or name == (sub or ""):
                if not vals.get("value"):
                    continue
            op, value, unit = parse_value(vals.get("value", ""), vals.get("operator"), vals.get("unit"))
            ind = Indicator(category or sub, name or (sub or ""), op, value, unit, where,
                            weight=vals.get("weight") or None, subcategory=sub if category else None,
                            actual=vals.get("actual") or None, score=vals.get("score") or None,
                            deviation=vals.get("deviation") or None, note=vals.get("note") or None)
            if project is not None:
                project.indicators.append(ind)
            else:
                t.indicators.append(ind)
    return reprinted


def _add_row(t: RawTable, name: str, cell, where: Where) -> None:
    """A row of a projects-as-rows table that is not a project's (合计, a unit's subtotal):
    its amount, if printed, in the column 金额, like the projects'."""
    amt = _amount(cell.text) if cell is not None else None
    if amt is not None:
        t.columns = ["金额"]
        t.rows.append(RawRow(None, name, [Token(norm(cell.text), amt, ("金额",), where)], where))


def _blank(cells, goal, fields) -> bool:
    """No goal and no indicator printed on the row."""
    spans = list((fields or {}).values())
    return (goal is None or not norm(goal.text)) and all(
        (c := _under(cells, span)) is None or not norm(c.text) for span in spans)


def _titled(t: RawTable) -> str | None:
    """The project a project table's title names (one table per project: 市级机关…管理费项目绩效目标表 is
    the project 市级机关…管理费): the title without its table type's title and its year."""
    if t.type not in PROJECT_TABLES:
        return None
    title = norm(t.title)  # as printed, quotes too (“泉州政务”新媒体号运营资金)
    for suffix in sorted(registry().types[t.type].titles, key=len, reverse=True):
        if title.endswith(norm(suffix)):
            name = re.sub(r"^\d{4}年度?|\d{4}年度?$", "", title[:-len(norm(suffix))])
            return name or None
    return None
