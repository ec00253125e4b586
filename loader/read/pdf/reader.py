"""Reading a disclosure PDF (or the two PDFs of one disclosure) into a
`RawDocument`: titles -> table types through the registry, grids -> header
and rows, each printed amount a `Token` naming the one column its cell sits
under. Placing values and checking sums is the reconstruction stage's job."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from budgetkg.amounts import AMOUNT, TABLE_AMOUNT, parse_amount
from budgetkg.errors import ExtractionError
from budgetkg.model import PERFORMANCE_TYPES, AlsoCode, PageRef, RawDocument, RawRow, RawTable, TocEntry, Token, Where
from budgetkg.read import metadata, toc
from budgetkg.read.pdf import performance
from budgetkg.read.pdf.backend import Char, PageData, open_pdf
from budgetkg.read.pdf.grid import Grid, find_grids, outside_chars, split_words, text_lines
from budgetkg.read.pdf.header import CODE_TEXT, QUALIFIER, Col, Header, analyse, header_rows, norm
from budgetkg.registry import TOTAL_COLUMNS, TableType, addends, caption_title, is_total_column, registry, squash

ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|"
                         r"\([一二三四五六七八九十\d]+\)|\d+[.．、](?!\d))\s*")
LINE_NUMBER_COLUMNS = {"行次", "栏次", "序号"}
COLUMN_NUMBER_LABEL = re.compile(r"^(?:[*＊/]+|栏次|行次|序号|/)*$")
UNIT_OF_MONEY = re.compile(r"(?:金额)?单位\s*[:：]")  # ends a unit name printed on its line
MONEY_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元)")
UNIT_NAME = re.compile(r"(?:编制单位|编制部门|单位名称|部门名称|预算单位|预算主管部门|主管部门|部门)\s*[:：]\s*(.*)$")
EMPTY_DECLARED = re.compile(r"无该项|此表无数据|本表无数据|无数据|为空表|本表为空|不涉及|无此项")
NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：]")
YEAR_KIND = re.compile(r"(20\d\d)\s*年度?\s*(?:区级|省级|市级|县级)?\s*(?:部门|单位|预算单位)?\s*(预算|决算)")
TOC_LEADER = re.compile(r"[….·]{3,}|…+")
PAGE_NUMBER = re.compile(r"^[-—－\s]*\d{1,3}[-—－\s]*$|^第\d+页|^页?[（(]\d{1,3}[)）]$")
# lines around a grid that are never its title: a bracketed subtitle （2024年度）, a bare 表7 / 附表14,
# a sentence; notes, page numbers and 单位：万元 / 编制单位 lines are matched apart
NOT_A_TITLE = re.compile(r"^[（(][^（）()]*[)）]$|^(?:附?表|公开)\s*\d{1,3}\s*表?$|^(?:金额)?单位\s*[:：]")
SENTENCE = re.compile(r"[。，；]")
TITLE_SUFFIX = re.compile(r"[（(][^（）()]{1,12}[)）]$")
ENUMERATED = re.compile(r"^[一二三四五六七八九十]+[、.．]")
BAD_PREFIX = re.compile(r"[，。；：:,;见详附如]")
CODE_IN_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,3})(?=[^\d.,])(.+)$")
SKIP_IN_CODE = {"类", "款", "项"}
CLASSIFICATION_NAME = re.compile(r"(?:科目)?(?:名称|编码|代码)?$")  # the header's words that are not the classification
OCR_AMOUNT = re.compile(r"-?\d[\d,]*\.\d{2,6}")


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str  # squashed
    words: list[str]


@dataclass
class Ctx:
    """A table being read: its title and the grids that print it."""

    ttype: TableType | None
    title: str
    page: int
    grids: list[Grid] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # unit, notes around it
    closed: bool = False
    tail_closed: bool = False


def _lines(chars: list[Char], page: int) -> list[Line]:
    out = []
    for ln in text_lines(chars):
        text = "".join(c.text for c in ln)
        out.append(Line(page, min(c.top for c in ln), max(c.bottom for c in ln),
                        ln[0].x0, ln[-1].x1, text, split_words(ln, 1.5)))
    return out


def match_title(text: str) -> tuple[TableType, str] | None:
    """The table type a printed line is the title of, if any."""
    text = norm(text)
    if not text or TOC_LEADER.search(text) or len(text) > 60:
        return None
    if text.endswith(("说明", "情况")):
        return None
    reg = registry()
    for cand in (text, TITLE_SUFFIX.sub("", text)):
        cand = ENUMERATION.sub("", cand)
        m = reg.match_title(cand)
        if m:
            prefix = squash(cand)[: len(squash(cand)) - len(squash(m[1]))]
            if BAD_PREFIX.search(prefix):
                return None  # `详见…项目绩效目标表`: a sentence naming a table
            return m
    return None


def _is_toc(lines: list[Line]) -> bool:
    return toc.is_toc([ln.text for ln in lines])


def _toc_entries(lines: list[Line], page: int) -> list[TocEntry]:
    """The tables a 目录 lists, and those it declares empty (read/toc.py)."""
    return toc.toc_entries([ln.text for ln in lines], page, match_title)


def _join_titles(lines: list[Line]) -> list[Line]:
    """A title wrapped onto a second line (`…培训费支出预` + `算表`) becomes one line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if i + 1 < len(lines) and not match_title(ln.text):
            nx = lines[i + 1]
            h = ln.bottom - ln.top
            if (len(nx.text) <= 12 and nx.top - ln.bottom < 1.2 * h
                    and match_title(ln.text + nx.text) and not match_title(nx.text)):
                out.append(Line(ln.page, ln.top, nx.bottom, min(ln.x0, nx.x0), max(ln.x1, nx.x1),
                                ln.text + nx.text, ln.words + nx.words))
                i += 2
                continue
        out.append(ln)
        i += 1
    return out


def clean_name(text: str) -> str:
    text = norm(text)
    prev = None
    while prev != text:
        prev = text
        text = ENUMERATION.sub("", text)
    return text


def _narrative(ln: Line) -> bool:
    """A line of running text: it ends the table before it."""
    t = ln.text
    if MONEY_UNIT.search(t) or UNIT_NAME.search(t) or NOTE.match(t) or EMPTY_DECLARED.search(t):
        return False
    if PAGE_NUMBER.match(t):
        return False
    return len(t) >= 12


class _Reader:
    def __init__(self) -> None:
        self.ctxs: list[Ctx] = []
        self.toc: list[TocEntry] = []
        self.in_toc = False  # the previous page was a 目录 page: it may go on
        self.no_text: list[PageRef] = []  # pages without a text layer
        self.ocr_read: list[PageRef] = []  # of those, the ones OCR read (the `ocr` extra)
        self.pages = 0
        self.warnings: list[str] = []
        self.texts: list[str] = []  # heading-ish lines, for unit / year / kind
        self.covers: list[str] = []  # each file's first pages, where its title is printed
        self.scopes: Counter[str] = Counter()  # 部门预算 / 单位预算 … wherever a line says it
        self.amount_tokens = 0
        self.page_lines: list[Line] = []  # the page's lines outside grids: where an unknown table's title is
        self.prev_lines: list[Line] = []  # the page before's: a caption may end it (…情况如下：)
        self.code_parts: dict[tuple[int, int], list[str]] = {}  # (table, panel) -> last 类/款/项 printed

    # ------------------------------------------------------------ pages
    def page(self, data: PageData, file_label: str) -> None:
        self.pages += 1
        if not data.chars:
            # an image and no text: a scan; nothing, or only ruling lines: a blank page
            if data.images:
                self.warnings.append(f"{file_label}page {data.number} has no text layer")
                self.no_text.append(PageRef(data.number, file_label.strip() or None))
            return
        grids = find_grids(data)
        lines = _lines(outside_chars(data, grids), data.number)
        if data.number <= 2:
            self.covers.append(" ".join(ln.text for ln in lines))
        self.scopes.update(s for s in map(metadata.scope_words, (ln.text for ln in lines)) if s)
        if data.number <= 3 or any(match_title(ln.text) for ln in lines):
            self.texts += [ln.text for ln in lines[:8]]
        # a form's `部门名称 | X` cells name the unit as a `部门名称：X` line does
        self.texts += metadata.label_cells([[c.text for c in g.row_cells(r)] for g in grids
                                            for r in range(min(g.nrows, 3))])
        was_toc, self.in_toc = self.in_toc, False
        # the grid's lines only where a 目录 may be: its heading, a 是否空表 header row, or the page after one
        heads = "".join(c.text for g in grids if g.cells for cell in g.row_cells(0) for c in cell.chars)
        listing = not grids and toc.lists_tables_in_text([ln.text for ln in lines], match_title)
        if _is_toc(lines) or toc.is_toc([heads]) or was_toc or listing:
            toc_lines = lines + _lines([c for g in grids for cell in g.cells for c in cell.chars], data.number)
            if _is_toc(lines) or _is_toc(toc_lines) or listing or (
                    was_toc and toc.continues_toc([ln.text for ln in toc_lines], match_title)):
                self.toc += _toc_entries(toc_lines, data.number)
                self.in_toc = True
                return
        lines = _join_titles(lines)
        self.prev_lines, self.page_lines = self.page_lines, lines
        items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in lines]
        items += [(g.top, 1, g) for g in grids]
        items.sort(key=lambda it: (it[0], it[1]))
        for _, kind, obj in items:
            if kind == 0:
                self._line(obj)  # type: ignore[arg-type]
            else:
                self._grid(obj)  # type: ignore[arg-type]

    def current(self) -> Ctx | None:
        if self.ctxs and not self.ctxs[-1].closed:
            return self.ctxs[-1]
        return None

    def _line(self, ln: Line) -> None:
        m = match_title(ln.text)
        if m is not None:
            cur = self.current()
            if cur is not None and cur.ttype is m[0] and not cur.grids and cur.page == ln.page \
                    and len(cur.lines) == 1:
                self.ctxs.pop()  # `二、收入预算总表` heading the table's own title: one table
            elif cur is not None:
                cur.closed = True
            last = self.ctxs[-1] if self.ctxs else None
            if last is not None and last.ttype is m[0] and last.grids and last.grids[-1].page == ln.page - 1 \
                    and squash(clean_title(last.title)) == squash(clean_title(ln.text)):
                # the title printed again on the next page: the same table goes on
                last.closed = last.tail_closed = False
                return
            self.ctxs.append(Ctx(m[0], ln.text, ln.page, lines=[ln]))
            return
        cur = self.current()
        if cur is None:
            # notes printed just under a table's last grid still belong to it
            last = self.ctxs[-1] if self.ctxs else None
            if last is not None and last.grids and last.grids[-1].page == ln.page \
                    and 0 <= ln.top - last.grids[-1].bottom < 80 and not last.tail_closed:
                last.lines.append(ln)
            return
        if _narrative(ln):
            if cur.grids:
                cur.closed = True
                if not (cur.grids[-1].page == ln.page and 0 <= ln.top - cur.grids[-1].bottom < 80):
                    cur.tail_closed = True
            cur.lines.append(ln)  # e.g. a subtitle between title and grid
            return
        cur.lines.append(ln)

    def _grid(self, g: Grid) -> None:
        if self.ctxs and self.ctxs[-1].closed:
            self.ctxs[-1].tail_closed = True
        cur = self.current()
        if not g.has_text():
            if cur is not None:
                cur.grids.append(g)
            return
        # a title printed inside the grid's first row
        first = [c for c in g.row_cells(0)]
        if len(first) == 1 and match_title(first[0].text):
            m = match_title(first[0].text)
            if cur is not None:
                cur.closed = True
            self.ctxs.append(Ctx(m[0], norm(first[0].text), g.page, grids=[g]))  # type: ignore[index]
            return
        if cur is not None:
            cur.grids.append(g)
            return
        # a grid no title announces: keep it as an unknown table if it prints amounts
        if g.nrows >= 2 and g.ncols >= 2 and any(TABLE_AMOUNT.match(norm(c.text)) and norm(c.text) != "0"
                                                 for c in g.cells):
            last = self.ctxs[-1] if self.ctxs else None
            if last is not None and last.ttype is None and self._continues(last, g):
                last.grids.append(g)  # the unknown table goes on at the top of the next page
                return
            title = self._title_above(g)
            # a caption sentence names the table (…重点项目绩效目标情况如下： is a 项目绩效目标表), which
            # then goes on over the grids that follow, as a titled table does
            m = match_title(caption) if (caption := caption_title(title)) else None
            # or its header row does, a header only one type prints (registry: `headers`)
            ttype = m[0] if m else registry().match_header([norm(c.text) for c in g.row_cells(0)])
            ctx = Ctx(ttype, title, g.page, grids=[g])
            ctx.closed = ttype is None
            self.ctxs.append(ctx)

    def _continues(self, last: Ctx, g: Grid) -> bool:
        """`g`, at the top of its page with nothing printed above it, is ruled as the grid that
        ended the page before: the same table going on."""
        prev = last.grids[-1]
        above = [ln for ln in self.page_lines if ln.page == g.page and ln.bottom <= g.top + 1
                 and not PAGE_NUMBER.match(ln.text)]
        return (prev.page == g.page - 1 and not above and prev.ncols == g.ncols
                and abs(prev.x0 - g.x0) < 4 and abs(prev.x1 - g.x1) < 4)

    def _title_above(self, g: Grid) -> str:
        """The printed title of a grid no known title announces: the nearest line above it on its
        page, below the grid before it, that is not a note, a page number, a unit line or a
        sentence."""
        above = [ln for ln in self.page_lines if ln.page == g.page and ln.bottom <= g.top + 1]
        before = [c.grids[-1].bottom for c in self.ctxs if c.grids and c.grids[-1].page == g.page
                  and c.grids[-1].bottom <= g.top + 1]
        if before:
            above = [ln for ln in above if ln.top >= max(before) - 1]
        for ln in reversed(above):
            if ln.text.endswith(("如下：", "如下:")):
                return ln.text  # `本部门重点项目绩效目标情况如下：`: the sentence that captions the grid
            if SENTENCE.search(ln.text):
                return ""  # running text ends the search: the grid is printed inside it
            if not _not_a_title(ln.text):
                return ln.text if len(ln.text) <= 60 else ""
        last = self.ctxs[-1] if self.ctxs else None
        if not above and not before and last is not None and last.ttype is None and last.grids \
                and last.grids[-1].page == g.page - 1:
            return last.title  # at the top of the page after an unknown table's: its next part
        if not above and not before:  # at the top of its page: a caption may end the page before
            done = max((c.grids[-1].bottom for c in self.ctxs if c.grids and c.grids[-1].page == g.page - 1),
                       default=0)
            tail = [ln for ln in self.prev_lines if ln.page == g.page - 1 and ln.top >= done - 1
                    and not PAGE_NUMBER.match(ln.text)]
            if tail and caption_title(tail[-1].text):
                return tail[-1].text
        return ""

    # ------------------------------------------------------------ tables
    def tables(self) -> list[RawTable]:
        out = []
        for ctx in self.ctxs:
            t = self.table(ctx)
            if t is not None:
                out.append(t)
        return out

    def table(self, ctx: Ctx) -> RawTable | None:
        ttype = ctx.ttype
        type_id = ttype.id if ttype else "other"
        title = clean_title(ctx.title) if ctx.title else ""
        t = RawTable(type=type_id, title=title, columns=[], where=Where(page=ctx.page))
        notes_text = "".join(ln.text for ln in ctx.lines)
        for ln in ctx.lines:
            mu = MONEY_UNIT.search(ln.text)
            if mu and t.money_unit is None:
                t.money_unit = mu.group(1)
            if NOTE.match(ln.text):
                t.notes.append(ln.text)
        if ttype is None:
            t.title = ctx.title or f"table on page {ctx.page}"
            self.warnings.append(f"page {ctx.page}: unknown table '{t.title}' kept as type 'other'")
        if ttype is not None and ttype.id in PERFORMANCE_TYPES:
            performance.read(t, ctx.grids)
            # project amounts, and their parts by source of funds (其中：财政资金 | 其他资金)
            self.amount_tokens += (sum(len(r.tokens) for r in t.rows) + len(t.unplaced)
                                   + sum(len(p.sources) for p in t.projects))
            return t
        grids = [g for g in ctx.grids]
        master: Header | None = None
        master_grid: Grid | None = None
        declared_empty = bool(EMPTY_DECLARED.search(notes_text))
        sections = bool(ttype and ttype.sections)
        panels = not ttype or ttype.panels
        text_grids = [g for g in grids if g.has_text()]
        banner: list[tuple[float, float, str]] = []
        for g in grids:
            if not g.has_text():
                continue
            for cell in g.cells:
                if EMPTY_DECLARED.search(norm(cell.text)) and len(norm(cell.text)) > 4:
                    declared_empty = True
            if master is None:
                hdr = analyse(g, sections, panels)
                if hdr.rows >= g.nrows and g is not text_grids[-1]:
                    # a header printed alone at the foot of a page: its banners
                    # (收入 / 支出) carry over to the grid that continues it
                    banner += [(c.x0, c.x1, norm(c.text)) for c in g.cells if c.text]
                    continue
                for col in hdr.cols:
                    if col.section is None and sections:
                        for x0, x1, text in banner:
                            if x0 - 2 <= (col.x0 + col.x1) / 2 <= x1 + 2 and ("收入" in text or "支出" in text):
                                col.section = "收入" if "收入" in text else "支出"
                master, master_grid = hdr, g
                h = master.rows
            else:
                h = header_rows(g)
                if (abs(g.x0 - master_grid.x0) < 4 and abs(g.x1 - master_grid.x1) < 4):  # type: ignore[union-attr]
                    hdr = master
                elif h > 0:
                    hdr = analyse(g, sections, panels)
                    _inherit(hdr, master)
                else:
                    hdr = master
            before = len(t.rows)
            self._rows(t, g, hdr, h)
            if before:
                self._drop_reprinted_total(t, before)
        if master is not None:
            self._columns(t, ttype, master)
        n = sum(len(r.tokens) for r in t.rows) + len(t.unplaced)
        if declared_empty:
            if n == 0 or all(tok.value == 0 for r in t.rows for tok in r.tokens):
                t.empty = True
            else:
                self.warnings.append(
                    f"page {ctx.page}: '{t.title}' says it has no data but prints {n} amounts")
        elif not grids and ttype is not None:
            self.warnings.append(f"page {ctx.page}: '{t.title}' has a title but no table grid")
        elif n == 0 and ttype is not None:
            self.warnings.append(f"page {ctx.page}: '{t.title}' prints no amounts and does not say it is empty")
        self.amount_tokens += n
        return t

    def _drop_reprinted_total(self, t: RawTable, first: int) -> None:
        """A continuation page that reprints the table's 合计 row above its own rows (佛山's 支出决算表
        on p10 and p11): the same total, read once. Only a total row, printed first on the new page with
        the very amounts of a total row already read; said in a warning, never dropped silently."""
        row = t.rows[first] if len(t.rows) > first else None
        if row is None or row.code is not None or not is_total_column(squash(row.name)) or not row.tokens:
            return
        printed = [(tok.text, tok.columns) for tok in row.tokens]
        for earlier in t.rows[:first]:
            if (earlier.code is None and squash(earlier.name) == squash(row.name)
                    and earlier.where.page != row.where.page
                    and [(tok.text, tok.columns) for tok in earlier.tokens] == printed):
                del t.rows[first]
                self.warnings.append(f"page {row.where.page}: '{t.title}' reprints its {row.name} row of page "
                                     f"{earlier.where.page} (the same {len(printed)} amounts): read once")
                return

    def _rows(self, t: RawTable, g: Grid, hdr: Header, h: int) -> None:
        # a second classification is named by its columns' header (政府预算支出经济分类科目名称),
        # not by a banner over other columns too
        group = [c for c in hdr.cols if c.group]
        also_name = next((n for c in group for cell in c.path
                          if group[0].c0 <= cell.c0 and cell.c1 <= group[-1].c1
                          for n in [CLASSIFICATION_NAME.sub("", norm(cell.text))] if n and n not in SKIP_IN_CODE), "")
        # panel by panel (a two-panel page reads down its left half first)
        by_panel: dict[int, list[dict]] = {}
        for r in range(h, g.nrows):
            rows: list[dict] = []
            cur: dict | None = None
            cells = g.row_cells(r)
            for cell in cells:
                col = hdr.col_at((cell.x0 + min(cell.x1, cell.x0 + 30)) / 2) if cell.c1 - cell.c0 > 1 else \
                    hdr.col_at((cell.x0 + cell.x1) / 2)
                if col is None:
                    col = hdr.col_at(cell.x0 + 1)
                text = norm(cell.text)
                starts = cell.r0 == r
                if col is None or col.kind != "value":
                    new_panel = col is not None and (cur is None or cur["panel"] != col.panel)
                    # a label printed between the row's amounts (数量 | 采购时间 | 预算金额): the same row
                    inside = col is not None and not new_panel and bool(cur and cur["values"])
                    if cur is None or new_panel or (cur["values"] and starts and text and not inside):
                        cur = {"panel": col.panel if col else 0, "section": col.section if col else None,
                               "code": [], "labels": [], "values": [], "tokens": [], "outer": []}
                        rows.append(cur)
                    if not text:
                        continue
                    if not starts:
                        cur["outer"].append(text)
                        continue
                    if inside:  # what a row prints after its amounts (a date, a description) does not name it
                        continue
                    if col is not None and col.group:  # a second classification's code and name
                        also = cur.setdefault("also", {"code": [], "labels": [], "classification": also_name})
                        if col.kind != "code":
                            also["labels"].append(text)
                        elif CODE_TEXT.match(text):
                            also["code"].append(text.zfill(2) if also["code"] else text)
                    elif col is not None and col.kind == "code":
                        codes = [c for c in hdr.cols if c.kind == "code" and c.panel == col.panel and not c.group]
                        if not cur["code"] and text.isdigit() and len(text) <= 2 and codes.index(col) > 0:
                            # a 款 or 项 printed alone in its own column (类 | 款 | 项): its code
                            # goes on from the rows above it (_emit), 201 / 05 / 01 is 2010501
                            cur["code_at"] = codes.index(col)
                            cur["code"].append(text.zfill(2))
                        elif CODE_TEXT.match(text) or (text.isdigit() and cur["code"]):
                            # 款/项 printed without its leading zero (`301 2` for 30102)
                            cur["code"].append(text.zfill(2) if cur["code"] else text)
                        elif text not in SKIP_IN_CODE:
                            cur["labels"].append(text)
                    else:
                        if not cur["labels"] and cell.lines and cell.lines[0]:
                            cur["indent"] = round(min(ch.x0 for ch in cell.lines[0]) - cell.x0, 1)
                        cur["labels"].append(text)
                else:
                    if cur is None or (cur["panel"] != col.panel and cur["values"]):
                        cur = {"panel": col.panel, "section": col.section, "code": [], "labels": [],
                               "values": [], "tokens": [], "outer": []}
                        rows.append(cur)
                    cur["values"].append(cell)
                    if not starts or not text:
                        continue
                    cur["tokens"] += self._tokens(cell, hdr, col, g.page)
            for rw in rows:
                by_panel.setdefault(rw["panel"], []).append(rw)
        for p in sorted(by_panel):
            for rw in by_panel[p]:
                self._emit(t, rw, g.page)

    def _tokens(self, cell, hdr: Header, col: Col, page: int) -> list[Token]:
        text = norm(cell.text)
        if AMOUNT.match(text):
            return [Token(text, parse_amount(text), (col.name,) if col.name else None, Where(page=page))]
        out = []
        for line in cell.lines:
            # several values in one cell: place each by its own position
            chunk: list[Char] = []
            groups: list[list[Char]] = []
            for ch in line:
                if chunk and ch.x0 - chunk[-1].x1 > 0.9 * max(ch.bottom - ch.top, 1):
                    groups.append(chunk)
                    chunk = []
                chunk.append(ch)
            if chunk:
                groups.append(chunk)
            for grp in groups:
                w = "".join(c.text for c in grp)
                if AMOUNT.match(w):
                    c2 = hdr.col_at((grp[0].x0 + grp[-1].x1) / 2) or col
                    name = c2.name if c2.kind == "value" else col.name
                    out.append(Token(w, parse_amount(w), (name,) if name else None, Where(page=page)))
        return out

    def _emit(self, t: RawTable, rw: dict, page: int) -> None:
        enumerated = bool(rw["labels"]) and bool(ENUMERATED.match(norm(rw["labels"][0])))
        labels = [clean_name(x) for x in rw["labels"]]
        labels = [x for x in labels if x]
        if rw.get("code_at"):
            prev = self.code_parts.get((id(t), rw["panel"]), [])
            if len(prev) >= rw["code_at"]:
                rw["code"] = prev[:rw["code_at"]] + rw["code"]
        code = "".join(rw["code"]) or None
        if rw["code"]:
            self.code_parts[(id(t), rw["panel"])] = list(rw["code"])
        if code is None and labels:
            m = CODE_IN_NAME.match(labels[0])
            if m:
                code, labels[0] = m.group(1), clean_name(m.group(2).lstrip("-－—"))
        outer = [clean_name(x) for x in rw["outer"] if clean_name(x)]
        if labels and labels[-1] in TOTAL_COLUMNS and (len(labels) > 1 or outer):
            name = labels[-2] if len(labels) > 1 else outer[-1]
        elif labels:
            name = "/".join(labels)
        else:
            name = ""
        tokens = rw["tokens"]
        if code is None and _column_numbers(name, tokens):
            return  # `** 1 2 3 …` or `栏次 1 2 3`: the columns' numbers, not amounts
        if not name and code is None:
            if not tokens:
                return
            if any(r.name or r.code for r in t.rows) or not _label_free(rw):
                t.unplaced += tokens
                return
            name = "合计"
        t.rows.append(RawRow(code, name, tokens, Where(page=page),
                             section=rw["section"] if t.type in _SECTION_TYPES else None,
                             enumerated=enumerated, indent=rw.get("indent"), also=_also(rw)))

    def _columns(self, t: RawTable, ttype: TableType | None, hdr: Header) -> None:
        # 行次/栏次 number the lines (决算's 收入支出决算总表): neither a column nor amounts
        for row in t.rows:
            row.tokens = [tok for tok in row.tokens if not (tok.columns and tok.columns[0] in LINE_NUMBER_COLUMNS)]
        t.unplaced = [tok for tok in t.unplaced if not (tok.columns and tok.columns[0] in LINE_NUMBER_COLUMNS)]
        names: list[str] = []
        sec: dict[str, list[str]] = {}
        for c in hdr.value_cols:
            if c.name in LINE_NUMBER_COLUMNS:
                continue
            if c.name and c.name not in names:
                names.append(c.name)
            if c.name and c.section and t.type in _SECTION_TYPES:
                lst = sec.setdefault(c.section, [])
                if c.name not in lst:
                    lst.append(c.name)
        t.columns = [_canonical(n, ttype) for n in names]
        rename = dict(zip(names, t.columns))
        if sec:
            t.section_columns = {k: [rename.get(n, n) for n in v] for k, v in sec.items()}
        for row in t.rows:
            for tok in row.tokens:
                if tok.columns:
                    tok.columns = tuple(rename.get(n, n) for n in tok.columns)
        for tok in t.unplaced:
            if tok.columns:
                tok.columns = tuple(rename.get(n, n) for n in tok.columns)
        sums = [(rename.get(a, a), [rename.get(p, p) for p in ps]) for a, ps in hdr.sums]
        if not sums and ttype is not None:
            sums = [(a, list(ps)) for a, ps in ttype.column_sums(t.columns) if ps]
        if not sums and len(t.columns) > 1 and t.columns[0].endswith(("合计", "总计")) \
                and not t.section_columns and QUALIFIER not in "".join(t.columns) and addends(t.columns[1:]):
            sums = [(t.columns[0], addends(t.columns[1:]))]
        t.column_sums = sums


_SECTION_TYPES = {tid for tid, tt in registry().types.items() if tt.sections}


def _also(rw: dict) -> tuple[AlsoCode, ...]:
    """A second classification's code and name on the row (group 1 columns), named by its
    name column's header: 政府预算支出经济分类科目名称 is 政府预算支出经济分类."""
    also = rw.get("also")
    if also and not also["code"] and also["labels"]:  # code and name in one cell: 50101-工资奖金津补贴
        m = CODE_IN_NAME.match(clean_name(also["labels"][0]))
        if m:
            also = {**also, "code": [m.group(1)], "labels": [m.group(2).lstrip("-－—"), *also["labels"][1:]]}
    if not also or not also["code"]:
        return ()
    name = "/".join(x for x in (clean_name(x) for x in also["labels"]) if x)
    return (AlsoCode(also["classification"], "".join(also["code"]), name),)


def _label_free(rw: dict) -> bool:
    return not rw["labels"] and not rw["code"]


def _canonical(name: str, ttype: TableType | None) -> str:
    """A printed column name spelled as the registry spells it, when they
    differ only in white space, quotes or bracket width."""
    if ttype is None:
        return name
    key = squash(norm(name))
    for tpl in ttype.templates:
        for c in tpl:
            if squash(norm(c)) == key:
                return c
    return name


def _inherit(hdr: Header, master: Header) -> None:
    """A continuation page that reprints a shorter header: keep the first
    page's sections and names where the positions agree."""
    for c in hdr.cols:
        m = master.col_at((c.x0 + c.x1) / 2)
        if m is not None and m.kind == c.kind:
            c.section = m.section
            c.name = c.name or m.name


def clean_title(text: str) -> str:
    m = match_title(text)
    text = norm(text)
    if m is None:
        return text
    # drop the prefix (`五、2018年度江苏省高级人民法院`) the registry tolerated
    printed = ENUMERATION.sub("", text)
    if squash(printed) == squash(m[1]):
        return m[1]  # the registry's spelling (quotes the PDF printed apart)
    return printed


def _not_a_title(text: str) -> bool:
    return bool(NOTE.match(text) or PAGE_NUMBER.match(text) or MONEY_UNIT.search(text) or UNIT_NAME.search(text)
                or NOT_A_TITLE.search(text) or EMPTY_DECLARED.search(text))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_pdf(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise ExtractionError(str(path), f"cannot read the file: {e.strerror or e}") from e
    if not head:
        raise ExtractionError(str(path), "the file is empty")
    if b"%PDF-" not in head:
        raise ExtractionError(str(path), "not a PDF file (no %PDF- header)")


def read_pdf(paths: list[Path] | Path) -> RawDocument:
    """One disclosure from one PDF, or from the halves of one (tables + text)."""
    if isinstance(paths, (str, Path)):
        paths = [Path(paths)]
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("read_pdf needs at least one file")
    reader = _Reader()
    sources = []
    for path in paths:
        _check_pdf(path)
        try:
            doc = open_pdf(path)
        except Exception as e:  # pdfium raises PdfiumError for damaged files
            raise ExtractionError(str(path), f"damaged or unreadable PDF ({e})") from e
        label = f"{path.name} " if len(paths) > 1 else ""
        try:
            n = len(doc)
            if n == 0:
                raise ExtractionError(str(path), "the PDF has no pages")
            for k in range(n):
                try:
                    data = doc.page(k)
                except ExtractionError:
                    raise
                except Exception as e:
                    raise ExtractionError(str(path), f"damaged page ({e})", page=k + 1) from e
                reader.page(data, label)
            read_scans(reader, path, label)
            # a table does not continue into the next file
            cur = reader.current()
            if cur is not None:
                cur.closed = True
        finally:
            doc.close()
        sources.append({"file": str(path), "sha256": sha256(path)})
    tables = reader.tables()
    out = RawDocument(unit=None, year=None, kind=None, money_unit=None,
                      source=sources[0] if len(sources) == 1 else sources, tables=tables,
                      amount_tokens=reader.amount_tokens, warnings=list(reader.warnings),
                      pages=reader.pages, toc=reader.toc, pages_without_text=reader.no_text,
                      pages_ocr=reader.ocr_read)
    _document_facts(out, reader)
    found = {t.type for t in tables}
    reported = set()
    for entry in reader.toc:
        if entry.type not in found and entry.type not in reported and not entry.empty:
            reported.add(entry.type)
            out.warnings.append(f"目录 lists '{entry.title}' ({entry.type}) but the document has no such table")
    if not tables:
        out.warnings.append("no budget table found in the document")
    return out


def read_scans(reader: _Reader, path: Path, label: str) -> None:
    """With the `ocr` extra, the pages of `path` without a text layer are read
    by OCR: a narrative page's lines count for unit, year, kind and the 目录; a
    scanned table stays unread (OCR gives no cells) and is named."""
    from budgetkg.read import ocr
    file = label.strip() or None
    scans = [p for p in reader.no_text if p.file == file]
    if not scans or not ocr.available():
        return
    reader.in_toc = False
    for ref in scans:
        texts = [norm(t) for t in ocr.page_lines(path, ref.page)]
        # a title, or a column of bare amounts: a table, whose cells OCR does not give
        tables = [t for t in texts if match_title(t)] or (
            ["a grid of amounts"] if sum(bool(OCR_AMOUNT.fullmatch(t)) for t in texts) >= 5 else [])
        if toc.is_toc(texts) or toc.lists_tables(texts, match_title) or (
                reader.in_toc and toc.continues_toc(texts, match_title)):
            reader.toc += toc.toc_entries(texts, ref.page, match_title)
            reader.in_toc = True
        elif tables:
            reader.warnings.append(f"{ref}: a scanned table ('{tables[0]}'): OCR reads its text, not its cells")
            continue
        reader.no_text.remove(ref)
        reader.ocr_read.append(ref)
        reader.texts += texts[:8]
        if ref.page <= 2:
            reader.covers.append(" ".join(texts))


def _column_numbers(name: str, tokens: list[Token]) -> bool:
    """A row numbering the columns under the header: no name but marks (**,
    栏次, 行次), and whole numbers counting up by one."""
    # a lone number is a column's number only under printed marks (`** ** 1`)
    if not COLUMN_NUMBER_LABEL.match(name) or len(tokens) < (1 if name else 2):
        return False
    if any(not tok.text.isdigit() for tok in tokens):
        return False
    values = [int(tok.text) for tok in tokens]
    return all(b - a == 1 for a, b in zip(values, values[1:]))


def _document_facts(out: RawDocument, reader: _Reader) -> None:
    units = Counter(t.money_unit for t in out.tables if t.money_unit)
    if units:
        # the document's unit is that of its function-code tables, else the commonest
        main = Counter(t.money_unit for t in out.tables if t.money_unit and t.type in
                       ("income", "expenditure", "general_budget_expenditure", "summary"))
        out.money_unit = (main or units).most_common(1)[0][0]
        for t in out.tables:
            if t.money_unit is None and not t.empty and t.rows:
                t.money_unit = out.money_unit
    names: Counter[str] = Counter()
    for ctx in reader.ctxs:
        for ln in ctx.lines:
            m = UNIT_NAME.search(ln.text)
            if m:
                name = _unit_name(ln, m)
                if name:
                    names[name] += 1
    for text in reader.texts:
        m = UNIT_NAME.search(text)
        if m:
            v = re.split(UNIT_OF_MONEY, m.group(1))[0]
            if len(v) >= 4:
                names[v] += 1
    kinds: Counter[str] = Counter()
    for t in out.tables:
        if "决算" in t.title:
            kinds["final_accounts"] += 1
        elif "预算" in t.title:
            kinds["budget"] += 1
    years: Counter[int] = Counter()
    heading_units: Counter[str] = Counter()
    for text in reader.texts:
        for m in YEAR_KIND.finditer(text):
            years[int(m.group(1))] += 1
            kinds["final_accounts" if m.group(2) == "决算" else "budget"] += 1
            before = re.sub(r"^第[一二三四五六七八九十]+部分", "", text[:m.start()])
            before = re.sub(r"^(?:江苏省|上海市普陀区|上海市)?$", "", before)
            if len(before) >= 4 and metadata.plausible_unit(before):
                heading_units[before] += 1
        for m in re.finditer(r"(20\d\d)\s*年", text):
            if match_title(text):
                years[int(m.group(1))] += 1
    # the document's own title (its cover, or a first heading) when the pages print no better
    titles = [metadata.title_facts(text) for text in reader.covers]
    unit = (names or heading_units).most_common(1)[0][0] if (names or heading_units) else None
    # the last resort: the first narrative sentence naming a unit and a year, a year printed alone
    para = metadata.first_paragraph_facts(reader.texts)
    alone = next(filter(None, map(metadata.year_line, reader.texts)), None)
    out.unit = unit or next((t.unit for t in titles if t.unit), None) or para.unit
    scope = None
    if out.unit:
        out.unit, scope = metadata.clean_unit(out.unit)
    out.year = (years.most_common(1)[0][0] if years else next((t.year for t in titles if t.year), None)
                or para.year or alone)
    out.kind = (kinds.most_common(1)[0][0] if kinds else next((t.kind for t in titles if t.kind), None)) or para.kind
    scopes = reader.scopes + Counter(s for s in map(metadata.scope_words, [t.title for t in out.tables]) if s)
    out.scope = (next((t.scope for t in titles if t.scope), None)
                 or (scopes.most_common(1)[0][0] if scopes else None) or scope)


def _unit_name(ln: Line, m: re.Match) -> str:
    value = m.group(1)
    value = re.split(UNIT_OF_MONEY, value)[0]
    if not value:
        # `部门：` and the name printed apart
        words = [norm(w) for w in ln.words]
        for i, w in enumerate(words):
            if re.search(r"[:：]$", w) and i + 1 < len(words):
                value = re.split(UNIT_OF_MONEY, words[i + 1])[0]
                break
    return value if len(value) >= 2 else ""
