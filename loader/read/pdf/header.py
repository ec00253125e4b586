"""A grid's header: where it ends, and what each column is called.

Column names are the printed header text with white space removed and
wrapped lines joined. Banners (a header cell over every value column, e.g.
`2024年预算数`, `一般公共预算支出`) name no column. Where a group header's first
child is 小计 or 合计, that child takes the group's name (公务用车购置及运行费
is its 小计). Names still repeated within one panel (预算数 / 决算数 under each
group) are qualified by their group: `合计/预算数`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetkg.amounts import AMOUNT
from budgetkg.read.pdf.backend import Char
from budgetkg.read.pdf.grid import Cell, Grid, text_lines
from budgetkg.registry import TOTAL_COLUMNS, addends

CODE_HEADER = re.compile(r"^(?:类|款|项|.*编码|.*代码|编号)$")
LABEL_HEADER = re.compile(r"^(?:项目|科目|序号|单位|类别|.*名称|.*大类|.*形式|.*方式|.*科目|.*用途|.*品目|"
                          r"功能分类|经济分类|支出功能分类|部门预算支出经济分类)$")
CODE_TEXT = re.compile(r"^\d{2,9}$")
ENUM_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d))")
QUALIFIER = "/"


def norm(text: str) -> str:
    """A header or label as compared and printed: no white space, full-width brackets."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


@dataclass
class Col:
    """A logical column: one or more atomic grid columns under one header leaf."""

    c0: int
    c1: int
    x0: float
    x1: float
    leaf: Cell | None
    path: list[Cell] = field(default_factory=list)
    kind: str = "value"  # value / code / label
    name: str | None = None
    panel: int = 0
    section: str | None = None
    group: int = 0  # 1: a second classification's code and name columns (部门 | 政府 economic codes)


@dataclass
class Header:
    rows: int  # number of header rows at the top of the grid
    cols: list[Col]
    sums: list[tuple[str, list[str]]]
    text: str  # the whole header, squashed (for registry.choose_columns)

    def col_at(self, x: float) -> Col | None:
        for c in self.cols:
            if c.x0 - 0.5 <= x <= c.x1 + 0.5:
                return c
        return None

    def col_of(self, atomic: int) -> Col | None:
        for c in self.cols:
            if c.c0 <= atomic < c.c1:
                return c
        return None

    @property
    def value_cols(self) -> list[Col]:
        return [c for c in self.cols if c.kind == "value"]


def is_body_text(text: str) -> bool:
    return bool(text) and (bool(AMOUNT.match(text)) or bool(CODE_TEXT.match(text))
                           or bool(ENUM_START.match(text)))


def header_rows(grid: Grid) -> int:
    """Leading rows that print no amount, code or enumerated label."""
    for r in range(grid.nrows):
        for cell in grid.row_cells(r):
            if cell.r0 == r and is_body_text(cell.text):
                return r
    # no body text at all (an empty table): the header ends at the first blank row
    for r in range(1, grid.nrows):
        if not any(cell.text for cell in grid.row_cells(r) if cell.r0 == r):
            return r
    return grid.nrows


def _overprinted(cell: Cell, line: list[Char]) -> bool:
    """Another of the cell's lines lies on the same text line over the same place: the
    two cannot both be shown, one is a neighbour's text clipped at the cell's rule."""
    return any(o is not line and abs(o[0].top - line[0].top) <= 1.0 and abs(o[0].bottom - line[0].bottom) <= 1.0
               and min(o[-1].x1, line[-1].x1) - max(o[0].x0, line[0].x0) > 0 for o in cell.lines)


def _rejoin_overflow(grid: Grid, h: int) -> None:
    """A header word too wide for its cell runs over the rule into the next cell
    (公|务用车购置及运行维护|费): a line of one or two characters that continues,
    on the same text line and with no gap, the neighbour's line belongs to it. So does
    a longer one printed over its cell's own word (部门预算支|出经济分类科目 over 预算数,
    clipped from view): a cell shows one text per line."""
    header = [cell for cell in grid.cells if cell.r0 < h and cell.lines]
    for a in header:
        for b in header:
            if abs(a.x1 - b.x0) > 1.0 or a.bottom <= b.top or b.bottom <= a.top:
                continue
            for la in list(a.lines):
                for lb in list(b.lines):
                    if la not in a.lines or lb not in b.lines:
                        continue
                    ch = max(la[-1].bottom - la[-1].top, 1.0)
                    same_line = abs(la[-1].top - lb[0].top) <= 1.0 and abs(la[-1].bottom - lb[0].bottom) <= 1.0
                    if not same_line or not -0.5 * ch <= lb[0].x0 - la[-1].x1 <= 0.15 * ch:
                        continue
                    if _overprinted(a, la) and not _overprinted(b, lb):
                        short, src, dst = la, a, b
                    elif _overprinted(b, lb) and not _overprinted(a, la):
                        short, src, dst = lb, b, a
                    else:
                        short, long_, src, dst = (la, lb, a, b) if len(la) < len(lb) else (lb, la, b, a)
                        if len(short) > 2 or len(long_) < 3:
                            continue
                    src.chars = [c for c in src.chars if not any(c is s for s in short)]
                    dst.chars = dst.chars + short
                    src.lines, dst.lines = text_lines(src.chars), text_lines(dst.chars)


# a header row of `**` under every column (Shaanxi) marks the columns, it names none
PLACEHOLDER = re.compile(r"^[*＊]+$")


def _drop_above(grid: Grid, h: int) -> None:
    """A character straddling the grid's top rule is the end of the line above
    (单位：万|元 wrapped onto the rule), not a word of the header under it."""
    for cell in grid.cells:
        if cell.r0 == 0 and cell.r0 < h and cell.chars:
            keep = [ch for ch in cell.chars if not ch.top < grid.top - 1.0 < grid.top + 1.0 < ch.bottom]
            if len(keep) < len(cell.chars):
                cell.chars, cell.lines = keep, text_lines(keep)


def analyse(grid: Grid, sections: bool = False, panels: bool = True) -> Header:
    h = header_rows(grid)
    _drop_above(grid, h)
    _rejoin_overflow(grid, h)
    # the header leaf over each atomic column: its lowest non-empty header cell
    paths: list[list[Cell]] = []
    for c in range(grid.ncols):
        path: list[Cell] = []
        for r in range(h):
            cell = grid.cells[grid.at[(r, c)]]
            if cell.text and not PLACEHOLDER.match(norm(cell.text)) and (not path or path[-1] is not cell) \
                    and cell.r0 < h:
                path.append(cell)
        paths.append(path)
    cols: list[Col] = []
    for c in range(grid.ncols):
        leaf = paths[c][-1] if paths[c] else None
        if cols and leaf is not None and cols[-1].leaf is leaf:
            cols[-1].c1 = c + 1
            cols[-1].x1 = grid.xs[c + 1]
            continue
        cols.append(Col(c, c + 1, grid.xs[c], grid.xs[c + 1], leaf, list(paths[c])))
    _classify(grid, h, cols)
    # panels: a label column after a value column starts a new one (项目 | 预算数 | 项目 | 预算数),
    # unless the table type prints labels between a row's amounts (数量 | 采购时间 | 预算金额)
    panel, seen_value = 0, False
    for col in cols:
        if col.kind != "value" and seen_value and (panels or sections):
            panel += 1
            seen_value = False
        if col.kind == "value":
            seen_value = True
        col.panel = panel
    _code_groups(cols)
    values = [c for c in cols if c.kind == "value"]
    banners = _banners(values)
    sums: list[tuple[str, list[str]]] = []
    _name(values, banners)
    if sections:
        _sections(grid, h, cols)
    sums = _sums(values, banners)
    text = "".join(norm(cell.text) for cell in grid.cells if cell.r0 < h)
    return Header(h, cols, sums, text)


def _code_groups(cols: list[Col]) -> None:
    """Code columns printed again after the first code's name columns, before any amount
    (类 款 名称 | 类 款 名称 | amounts), are a second classification's: group 1, with the
    name columns after them. Each row's code is the first group's; the second is its own."""
    for panel in {c.panel for c in cols}:
        group, seen_code, seen_label = 0, False, False
        for col in (c for c in cols if c.panel == panel):
            if col.kind == "value":
                break
            if col.kind == "code" and seen_code and seen_label and group == 0:
                group = 1
            seen_code |= col.kind == "code"
            seen_label |= col.kind == "label" and seen_code
            col.group = group
        # two name columns, each printing code-name, one headed 政府…经济分类 and one 部门…经济分类
        # (北京's 政府支出经济分类科目 | 部门支出经济分类科目): the 政府 one is the second classification
        labels = [c for c in cols if c.panel == panel and c.kind == "label" and not c.group]
        heads = ["".join(norm(cell.text) for cell in c.path) for c in labels]
        if len(labels) == 2 and all("经济分类" in h for h in heads) and sum("政府" in h for h in heads) == 1:
            labels[["政府" in h for h in heads].index(True)].group = 1


def _body_texts(grid: Grid, h: int, col: Col) -> list[str]:
    out = []
    for r in range(h, grid.nrows):
        for c in range(col.c0, col.c1):
            cell = grid.cells[grid.at[(r, c)]]
            if cell.r0 == r and cell.c0 == c and cell.c1 <= col.c1 and cell.text:
                out.append(norm(cell.text))
    return out


def _classify(grid: Grid, h: int, cols: list[Col]) -> None:
    for col in cols:
        name = norm(col.leaf.text) if col.leaf else ""
        body = _body_texts(grid, h, col)
        if name and CODE_HEADER.match(name):
            col.kind = "code"
        elif name and LABEL_HEADER.match(name):
            col.kind = "label"
        elif any(AMOUNT.match(t) and not CODE_TEXT.match(t) for t in body) or (
                name and any(AMOUNT.match(t) for t in body)):
            col.kind = "value"
        elif body and all(CODE_TEXT.match(t) for t in body):
            col.kind = "code"
        elif body:
            col.kind = "label"
        else:
            col.kind = "value" if name else "label"


def _banners(values: list[Col]) -> set[int]:
    """Header cells over every value column (of the table, or of its panel)."""
    out: set[int] = set()
    if not values:
        return out
    by_panel: dict[int, list[Col]] = {}
    for v in values:
        by_panel.setdefault(v.panel, []).append(v)
    for group in [values] + list(by_panel.values()):
        lo, hi = min(v.c0 for v in group), max(v.c1 for v in group)
        for v in group:
            for cell in v.path[:-1]:
                if cell.c0 <= lo and cell.c1 >= hi and (len(group) > 1 or cell is not v.leaf):
                    out.add(id(cell))
    return out


def _group_name(path: list[Cell], banners: set[int]) -> str | None:
    """The name a header path gives its column (the 小计/合计 rule applied)."""
    path = [c for c in path if id(c) not in banners]
    if not path:
        return None
    leaf = norm(path[-1].text)
    if leaf in TOTAL_COLUMNS and len(path) >= 2:
        return _group_name(path[:-1], banners)
    return leaf


def _name(values: list[Col], banners: set[int]) -> None:
    for v in values:
        v.name = _group_name(v.path, banners)
    # a name cut off at its cell's edge (因公出国（ in a narrow column) is one printed whole in another panel
    whole = {v.name for v in values if v.name and v.name.count("（") == v.name.count("）")}
    for v in values:
        if v.name and v.name.count("（") > v.name.count("）"):
            fits = [w for w in whole if w.startswith(v.name)]
            if len(fits) == 1:
                v.name = fits[0]
    # repeated names within a panel are qualified by their group
    seen: dict[tuple[int, str], list[Col]] = {}
    for v in values:
        if v.name:
            seen.setdefault((v.panel, v.name), []).append(v)
    for group in seen.values():
        if len(group) < 2:
            continue
        paths = [[c for c in v.path if id(c) not in banners] for v in group]
        # the innermost group that tells them apart (2025年预算数 | 2026年预算数 over
        # the same items: the items' own group 公务用车购置及运行费 repeats too)
        for k in range(1, max(len(p) for p in paths)):
            parents = [_group_name(p[:len(p) - k], banners) if len(p) > k else None for p in paths]
            if all(parents) and len(set(parents)) == len(parents):
                break
        else:
            parents = [_group_name(p[:-1], banners) if len(p) > 1 else None for p in paths]
        for v, parent in zip(group, parents):
            if parent and parent != v.name:
                v.name = parent + QUALIFIER + v.name  # type: ignore[operator]


def _sections(grid: Grid, h: int, cols: list[Col]) -> None:
    """Summary tables: each panel is 收入 or 支出, by the header above it."""
    panels: dict[int, list[Col]] = {}
    for c in cols:
        panels.setdefault(c.panel, []).append(c)
    for group in panels.values():
        words = "".join(norm(cell.text) for c in group for cell in c.path[:1])
        if not words:
            words = "".join(norm(cell.text) for c in group for cell in c.path)
        sec = None
        if "收入" in words and "支出" not in words:
            sec = "收入"
        elif "支出" in words and "收入" not in words:
            sec = "支出"
        elif "收入" in words:
            sec = "收入" if words.find("收入") < words.find("支出") else "支出"
        for c in group:
            c.section = sec


def _sums(values: list[Col], banners: set[int]) -> list[tuple[str, list[str]]]:
    """Column identities the header tree shows: a group's 小计/合计 column is
    the sum of its other children; so is a leading 合计 at the top level."""
    out: list[tuple[str, list[str]]] = []
    # children of each group cell (and of the top level) in order
    groups: dict[int | None, list[tuple[Cell, Col]]] = {}
    for v in values:
        path = [c for c in v.path if id(c) not in banners]
        for depth, cell in enumerate(path):
            parent = id(path[depth - 1]) if depth else None
            key = (parent, v.panel) if parent is None else parent
            kids = groups.setdefault(key, [])
            if not any(k is cell for k, _ in kids):
                kids.append((cell, v))
    reps: dict[int, str | None] = {}
    for v in values:
        path = [c for c in v.path if id(c) not in banners]
        for depth, cell in enumerate(path):
            # a cell stands for one column if it is that column's leaf or a group named by its 小计
            if depth == len(path) - 1 or (_group_name(path[:depth + 1], banners) == _group_name(path, banners)
                                          and norm(path[-1].text) in TOTAL_COLUMNS):
                reps.setdefault(id(cell), v.name)
    for kids in groups.values():
        if len(kids) < 2:
            continue
        first = kids[0][0]
        if norm(first.text) not in TOTAL_COLUMNS:
            continue
        total = reps.get(id(first))
        parts = [reps.get(id(k)) for k, _ in kids[1:]]
        if total and parts and all(parts) and addends(parts):  # type: ignore[arg-type]
            out.append((total, addends(parts)))  # type: ignore[arg-type]
    return out
