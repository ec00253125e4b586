"""The table-type registry: titles, column layouts and sum rules, read from
`table_types.toml` so that a new province's titles are data, not code."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

TOTAL_COLUMNS = ("合计", "小计")


def is_total_column(name: str) -> bool:
    """合计, 小计, 本年收入合计, 本年支出合计 …: a column that sums the others."""
    return name in TOTAL_COLUMNS or name.endswith(("合计", "总计"))


def addends(parts: list[str]) -> list[str]:
    """The columns that add up to a total, of the columns printed after it.
    `其中：X` printed beside a column is an amount *of* that column (金额 |
    其中:经费拨款; 公务用车购置及运行费 | 其中：公务用车购置), not an addend; only a
    `其中` leading a list it introduces (小计 | 其中：基本支出 | 项目支出) is one."""
    out = []
    for i, p in enumerate(parts):
        if p.startswith("其中") and not (i == 0 and any(not q.startswith("其中") for q in parts[1:])):
            continue
        out.append(p)
    return out


_QUOTES = re.compile(r"[\s\"'“”‘’「」『』〝〞]")


# how regions number and frame one title: 预算01表 收支总表 · 公开表2 · 表1.2026年市级部门收入预算总表 ·
# 表二 2026年部门收入总体情况表 · 附表14 …; the core left is what the registry's titles are compared on
_NUMBER = r"(?:\d{1,3}(?!\d)(?:[-—－]\d{1,2})?|\d{1,3}(?=20\d\d年)|[一二三四五六七八九十]{1,3}(?!般))"
_TABLE_NUMBER = re.compile(rf"^(?:附件\d+[:：]?)?(?:(?:预算|公开|附)?表{_NUMBER}|(?:预算|公开){_NUMBER}表)[:：.．、\-—－]?")
# 部门综合预算 (Shaanxi): 综合 = all funds, the frame of every table, not a kind of table
_FRAME = re.compile(r"^(?:20\d\d年度?)?(?:中央|省级|市级|区级|县级)?(?:本级)?(?:部门|单位)?(?:综合)?(?:预算|决算)?(?:本年)?")
# words that make a title another table when printed just in front of an all-funds one (a type none
# of whose titles says a fund or a kind of expenditure): 政府性基金收支总表 is not 收支总表,
# 国有资本经营预算财政拨款支出决算表 not 支出决算表, 基本支出总表 not 支出总表; a unit's or a project's
# name in front is tolerated (江苏省高级人民法院收支总表, 办公楼物业项目绩效目标表), and so is a fund in
# front of a table of one fund (一般公共预算 + 财政拨款"三公"经费支出决算表)
_QUALIFIERS = ("一般公共预算", "政府性基金", "国有资本经营预算", "财政拨款", "拨款", "三公经费", "基本", "项目",
               "专项业务经费", "会议费", "培训费", "结转资金", "经济分类", "功能分类")
_ENDINGS = (("总体情况表", "总表"), ("预算情况表", "表"), ("情况表", "表"), ("预算总表", "总表"),
            ("决算总表", "总表"), ("预算表", "表"), ("决算表", "表"))


@lru_cache(maxsize=1 << 16)
def title_core(title: str) -> str:
    """A title without its number, year, level and scope words, and with
    总体情况表/预算总表/情况表 … read as 总表/表: 收入总体情况表, 2026年市级部门收入预算总表
    and 收入总表 have one core, 收入总表."""
    key = _FRAME.sub("", _TABLE_NUMBER.sub("", squash(title)))
    for ending, core in _ENDINGS:
        if key.endswith(ending):
            return key[: -len(ending)] + core
    return key


# a sentence that captions the grid under it: `2026年，本部门重点项目绩效目标情况如下：`
_CAPTION = re.compile(r"([^，。；,;：:]+?)(?:的?情况)?如下[:：]$")


def caption_title(text: str) -> str | None:
    """The title a caption sentence gives its grid: its last clause, the table of what it
    says follows (`本部门重点项目绩效目标情况如下：` -> 本部门重点项目绩效目标表); None for any other line."""
    m = _CAPTION.search(squash(text or ""))
    return m.group(1) + "表" if m else None


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """Text with white space and quote marks removed: how titles and column
    names are compared (PDFs and text extractions disagree on both)."""
    return _QUOTES.sub("", text)


@dataclass(frozen=True)
class TableType:
    id: str
    en: str
    titles: tuple[str, ...]
    codes: str
    templates: tuple[tuple[str, ...], ...]
    sections: bool = False
    section_templates: tuple[dict[str, list[str]], ...] = ()
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    superset: tuple[str, ...] = ()
    row_parts: tuple[str, ...] = ()
    row_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    standard: tuple[str, ...] = ()  # the document kinds whose template requires it
    memo: tuple[str, ...] = ()  # words of columns that cut across the total (政府采购): never addends
    covers: tuple[str, ...] = ()  # standard tables whose content it prints instead
    list_total: bool = False  # the 合计 row = Σ every other row (a flat list of lines)
    panels: bool = True  # whether a label column after amounts starts a side-by-side panel
    headers: tuple[tuple[str, ...], ...] = ()  # header rows that type a grid no title announces

    def column_sums(self, columns: list[str]) -> list[tuple[str, list[str]]]:
        """The column identities that hold for this layout. Under two-level
        headers (合计/预算数, 合计/决算数 …) they hold within each lower header."""
        lower = {c.split("/", 1)[1] for c in columns if "/" in c}
        if self.sums and lower and all("/" in c for c in columns):
            out = []
            for suffix in sorted(lower):
                upper = [c.split("/", 1)[0] for c in columns if c.endswith("/" + suffix)]
                out += [(f"{total}/{suffix}", [f"{p}/{suffix}" for p in parts])
                        for total, parts in self.column_sums(upper)]
            return out
        present = set(columns)
        if self.sums:
            return [(total, [p for p in parts if p in present])
                    for total, parts in self.sums if total in present]
        parts = [p for p in addends(columns[1:]) if not any(w in p for w in self.memo)]
        if len(columns) > 1 and is_total_column(columns[0]) and parts:
            return [(columns[0], parts)]
        return []


def _prefix_fits(prefix: str) -> bool:
    """What a title may print before the registry's (a unit, a number, a project's name):
    up to 30 characters, or 45 when it is a name, not a sentence (no clause punctuation)."""
    return len(prefix) <= 30 or (len(prefix) <= 45 and not re.search(r"[，。；,;:：]", prefix))


@dataclass
class Registry:
    types: dict[str, TableType] = field(default_factory=dict)

    # titles already matched: readers ask for every line of every page, many times over
    _matches: dict[str, tuple[TableType, str] | None] = field(default_factory=dict, repr=False, compare=False)

    def match_title(self, text: str) -> tuple[TableType, str] | None:
        """The table type whose title `text` is (or ends with: some documents
        prefix the unit's name or a number, e.g. `表1 收入总表`)."""
        if text not in self._matches:
            self._matches[text] = self._match_title(text)
        return self._matches[text]

    def _match_title(self, text: str) -> tuple[TableType, str] | None:
        key = squash(text)
        for t in self.types.values():
            for title in t.titles:
                if key == squash(title):
                    return t, title
        core = title_core(text)
        for t in self.types.values():
            if len(core) >= 3 and any(title_core(title) == core for title in t.titles):
                return t, text
        best: tuple[int, TableType, str] | None = None
        for t in self.types.values():
            all_funds = not any(q in squash(title) for title in t.titles for q in _QUALIFIERS)
            for title in t.titles:
                s = squash(title)
                if key == s or (key.endswith(s) and _prefix_fits(key[: len(key) - len(s)])
                                and not (all_funds and key[: len(key) - len(s)].endswith(_QUALIFIERS))):
                    if best is None or len(s) > best[0]:
                        best = (len(s), t, title)
        return (best[1], best[2]) if best else None

    def match_header(self, cells: list[str]) -> TableType | None:
        """The type whose printed header row (registry: `headers`) a grid without a title prints:
        every cell of one of its headers is a cell of `cells` (佛山's 项目名称 | 自评分数, printed
        inside the narrative without a title)."""
        printed = {squash(c) for c in cells}
        for t in self.types.values():
            if any(all(squash(h) in printed for h in hdr) for hdr in t.headers):
                return t
        return None

    def choose_columns(self, t: TableType, header: str) -> list[str] | None:
        """The longest template of `t` whose column names all occur in the
        printed header text (`header` is squashed); None if none fits."""
        key = squash(header)
        fits = [tpl for tpl in t.templates if all(squash(c) in key for c in tpl)]
        return list(max(fits, key=len)) if fits else None

    def choose_sections(self, t: TableType, header: str) -> dict[str, list[str]] | None:
        key = squash(header)
        best = None
        for tpl in t.section_templates:
            cols = [c for cs in tpl.values() for c in cs]
            if all(squash(c) in key for c in cols):
                if best is None or len(cols) > sum(len(v) for v in best.values()):
                    best = tpl
        return {k: list(v) for k, v in best.items()} if best else None


@lru_cache(maxsize=1)
def registry() -> Registry:
    data = tomllib.loads(resources.files(__package__).joinpath("table_types.toml").read_text("utf-8"))
    reg = Registry()
    for type_id, d in data.items():
        reg.types[type_id] = TableType(
            id=type_id, en=d.get("en", type_id), titles=tuple(d["titles"]), codes=d["codes"],
            templates=tuple(tuple(t) for t in d.get("templates", [])),
            sections=d.get("sections", False),
            section_templates=tuple(d.get("section_templates", [])),
            sums=tuple((s[0], tuple(s[1])) for s in d.get("sums", [])),
            superset=tuple(d.get("superset", [])),
            row_parts=tuple(d.get("row_parts", [])),
            row_sums=tuple((s[0], tuple(s[1])) for s in d.get("row_sums", [])),
            standard=tuple(d.get("standard", [])),
            memo=tuple(d.get("memo", [])),
            covers=tuple(d.get("covers", [])),
            list_total=d.get("list_total", False),
            panels=d.get("panels", True),
            headers=tuple(tuple(h) for h in d.get("headers", [])),
        )
    return reg
