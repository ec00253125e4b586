"""From ruling lines to tables of cells: merge the page's rules, group the ones
that touch into grids, split each grid into atomic cells at its rules and
merge the atomic cells no rule separates (spanned header and label cells).
Characters outside every grid become text lines (titles, units, notes)."""
from __future__ import annotations

from dataclasses import dataclass, field

from budgetkg.read.pdf.backend import Char, PageData, Segment

TOL = 2.0  # points: rules this close are one rule; this close they touch


@dataclass
class Cell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    lines: list[list[Char]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The cell's text, white space removed, wrapped lines joined."""
        return "".join(ch.text for line in self.lines for ch in line)

    def words(self) -> list[str]:
        """The cell's text split at wide gaps (two values printed in one cell)."""
        out: list[str] = []
        for line in self.lines:
            out += split_words(line)
        return out


@dataclass
class Grid:
    page: int
    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    # atomic (row, col) -> index into cells
    at: dict[tuple[int, int], int]

    @property
    def x0(self) -> float:
        return self.xs[0]

    @property
    def x1(self) -> float:
        return self.xs[-1]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def row_cells(self, r: int) -> list[Cell]:
        """The cells that cover atomic row r, left to right."""
        seen: list[int] = []
        for c in range(self.ncols):
            k = self.at[(r, c)]
            if k not in seen:
                seen.append(k)
        return [self.cells[k] for k in seen]

    def has_text(self) -> bool:
        return any(c.chars for c in self.cells)


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines (top to bottom), each left to right."""
    lines: list[list[Char]] = []
    bands: list[list[float]] = []  # [top, bottom] of each line
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        h = max(ch.bottom - ch.top, 1.0)
        for band, line in zip(bands, lines):
            ov = min(band[1], ch.bottom) - max(band[0], ch.top)
            if ov > 0.5 * min(h, band[1] - band[0]) and not _collides(line, ch):
                line.append(ch)
                band[0] = min(band[0], ch.top)
                band[1] = max(band[1], ch.bottom)
                break
        else:
            lines.append([ch])
            bands.append([ch.top, ch.bottom])
    order = sorted(range(len(lines)), key=lambda i: bands[i][0] + bands[i][1])
    return [sorted(lines[i], key=lambda c: c.x0) for i in order]


def _collides(line: list[Char], ch: Char) -> bool:
    """A character overlapping one already on the line belongs to another line."""
    for o in line[-3:]:
        if min(o.x1, ch.x1) - max(o.x0, ch.x0) > 0.6 * min(o.x1 - o.x0, ch.x1 - ch.x0):
            return True
    return False


def split_words(line: list[Char], gap: float = 0.9) -> list[str]:
    """A line's text split where the gap between characters is wider than
    `gap` times the character height (column gaps, not letter spacing)."""
    words: list[str] = []
    cur = ""
    prev: Char | None = None
    for ch in line:
        if prev is not None:
            h = max(min(prev.bottom - prev.top, ch.bottom - ch.top), 1.0)
            if ch.x0 - prev.x1 > gap * h:
                words.append(cur)
                cur = ""
        cur += ch.text
        prev = ch
    if cur:
        words.append(cur)
    return words


def _merge(segs: list[Segment]) -> list[Segment]:
    """Collinear rules that overlap or nearly touch become one."""
    out: list[Segment] = []
    for s in sorted(segs, key=lambda s: (round(s.pos), s.a)):
        for o in reversed(out[-8:]):
            if abs(o.pos - s.pos) <= TOL and s.a <= o.b + TOL and o.a <= s.b + TOL:
                o.a, o.b = min(o.a, s.a), max(o.b, s.b)
                break
        else:
            out.append(Segment(s.kind, s.pos, s.a, s.b))
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def find_grids(page: PageData) -> list[Grid]:
    hs = _merge([s for s in page.segments if s.kind == "h"])
    vs = _merge([s for s in page.segments if s.kind == "v"])
    hs = _merge(hs + _open_row_rules(hs, vs))
    # connected components of touching rules
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.a - TOL <= v.pos <= h.b + TOL and v.a - TOL <= h.pos <= v.b + TOL:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue
        g = _build(page, gh, gv)
        if g is not None:
            grids.append(g)
    grids.sort(key=lambda g: (g.top, g.x0))
    _fill(page, grids)
    return grids


def _open_row_rules(hs: list[Segment], vs: list[Segment]) -> list[Segment]:
    """The missing top and bottom rules of a row broken across pages: its verticals start
    and end together but, left of the cells that print their rules (北京's 绩效目标表: the
    project's merged cells beside its indicators), touch no horizontal rule. Rules are added
    only where a vertical with the same ends does touch one, so the row joins that grid."""
    def touches(v: Segment, y: float) -> bool:
        return any(h.a - TOL <= v.pos <= h.b + TOL and abs(h.pos - y) <= TOL for h in hs)

    orphans = [v for v in vs if not any(h.a - TOL <= v.pos <= h.b + TOL and v.a - TOL <= h.pos <= v.b + TOL
                                        for h in hs)]
    out = []
    for v in vs:
        if v in orphans or not (touches(v, v.a) and touches(v, v.b)):
            continue
        row = [o for o in orphans if abs(o.a - v.a) <= TOL and abs(o.b - v.b) <= TOL]
        if len(row) >= 2:
            a, b = min(o.pos for o in row + [v]), max(o.pos for o in row + [v])
            out += [Segment("h", v.a, a, b), Segment("h", v.b, a, b)]
    return out


def _covers(segs: list[Segment], pos: float, a: float, b: float) -> bool:
    """Whether a rule at `pos` covers most of the span a..b."""
    need = 0.6 * (b - a)
    got = 0.0
    for s in segs:
        if abs(s.pos - pos) <= TOL:
            got += max(0.0, min(s.b, b) - max(s.a, a))
    return got >= need


def _build(page: PageData, hs: list[Segment], vs: list[Segment]) -> Grid | None:
    xs = _cluster([v.pos for v in vs])
    ys = _cluster([h.pos for h in hs])
    # open-sided tables: horizontal rules running past the outer verticals
    left, right = min(h.a for h in hs), max(h.b for h in hs)
    if left < xs[0] - 3 * TOL:
        xs.insert(0, left)
    if right > xs[-1] + 3 * TOL:
        xs.append(right)
    # a first or last row whose outer rule is missing (a table broken across pages)
    top, bottom = min(v.a for v in vs), max(v.b for v in vs)
    if top < ys[0] - 3 * TOL:
        ys.insert(0, top)
    if bottom > ys[-1] + 3 * TOL:
        ys.append(bottom)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covers(vs, xs[c + 1], ys[r], ys[r + 1]):
                a, b = find(r * nc + c), find(r * nc + c + 1)
                if a != b:
                    parent[a] = b
            if r + 1 < nr and not _covers(hs, ys[r + 1], xs[c], xs[c + 1]):
                a, b = find(r * nc + c), find((r + 1) * nc + c)
                if a != b:
                    parent[a] = b
    spans: dict[int, list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            k = find(r * nc + c)
            s = spans.setdefault(k, [r, r + 1, c, c + 1])
            s[0], s[1] = min(s[0], r), max(s[1], r + 1)
            s[2], s[3] = min(s[2], c), max(s[3], c + 1)
    cells: list[Cell] = []
    at: dict[tuple[int, int], int] = {}
    for k, (r0, r1, c0, c1) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[1][2])):
        cells.append(Cell(r0, r1, c0, c1, xs[c0], ys[r0], xs[c1], ys[r1]))
        idx = len(cells) - 1
        for r in range(nr):
            for c in range(nc):
                if find(r * nc + c) == k:
                    at[(r, c)] = idx
    return Grid(page.number, xs, ys, cells, at)


def _locate(edges: list[float], v: float) -> int | None:
    if v < edges[0] or v > edges[-1]:
        return None
    for i in range(len(edges) - 1):
        if v <= edges[i + 1]:
            return i
    return len(edges) - 2


def _fill(page: PageData, grids: list[Grid]) -> None:
    for ch in page.chars:
        for g in grids:
            if g.x0 - 0.5 <= ch.cx <= g.x1 + 0.5 and g.top - 0.5 <= ch.cy <= g.bottom + 0.5:
                r, c = _locate(g.ys, ch.cy), _locate(g.xs, ch.cx)
                if r is not None and c is not None:
                    g.cells[g.at[(r, c)]].chars.append(ch)
                    break
    for g in grids:
        for cell in g.cells:
            if cell.chars:
                cell.lines = text_lines(cell.chars)


def outside_chars(page: PageData, grids: list[Grid]) -> list[Char]:
    out = []
    for ch in page.chars:
        if not any(g.x0 - 0.5 <= ch.cx <= g.x1 + 0.5 and g.top - 0.5 <= ch.cy <= g.bottom + 0.5
                   for g in grids):
            out.append(ch)
    return out
