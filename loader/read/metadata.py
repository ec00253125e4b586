"""A disclosure's own name for itself: unit, year, kind and scope read from
its title, as the cover, a heading or a table title prints it.

    2026年度福州市商务局部门预算          year, unit, scope, kind
    国家信访局2024年度部门决算            unit, year, scope, kind
    上海市普陀区2025年区级单位预算        a region before 区级/市级/…: no unit
    2026年市级部门收支预算总表            a table title: year, scope, kind

The sources, tried in this order by the readers (`SOURCES`): the cover and the
document's title; 编制单位/部门名称/单位名称/预算单位 lines, and a form's
`部门名称 | X` cells; table titles, with a year or under a year of their own
(`（2026年度）`); the first narrative paragraph ("XX局2026年部门预算…").

Scope: 部门预算/决算 is the department's consolidated disclosure ("department"),
单位预算/决算 one unit's own (本级, "unit")."""
from __future__ import annotations

import re
from dataclasses import dataclass

CJK = r"\u4e00-\u9fff"
LEVEL = r"(?:中央|省级|市级|区级|县级|乡级|镇级)"
YEAR = r"(?P<year>20\d\d)\s*年度?"
SCOPE_KIND = rf"(?P<level>{LEVEL})?\s*(?P<scope>部门|单位|预算单位)?\s*(?:综合)?\s*(?P<kind>预算|决算)"
# the unit printed before the year (国家信访局2024年度部门决算) or after it (2026年度福州市商务局部门预算)
UNIT_FIRST = re.compile(rf"(?P<unit>[{CJK}（）()]{{2,40}}?)\s*{YEAR}\s*{SCOPE_KIND}")
YEAR_FIRST = re.compile(rf"{YEAR}\s*(?P<unit>[{CJK}（）()]{{2,40}}?)\s*(?P<scope>部门|单位)?\s*(?P<kind>预算|决算)")
YEAR_KIND = re.compile(rf"{YEAR}\s*{SCOPE_KIND}")
# 部门整体支出绩效目标表: the department's goals, printed in its own disclosure only
SCOPE_WORD = re.compile(r"(部门|单位)(?:综合)?(?:预算|决算|整体支出)|预算单位")
# a name's trailing qualifier says whose figures these are, not who the unit is
QUALIFIER = re.compile(r"[（(](汇总|本级|部门汇总|单位本级)[)）]$")
NOT_A_UNIT = re.compile(rf"^(?:{LEVEL}|部门|单位|本级)|^(?:合计|总计|小计)$|预算|决算|年度|目录|附件|公开|说明|情况|报表|第.部分")
SCOPES = {"部门": "department", "单位": "unit", "预算单位": "unit"}
# a label naming the unit, before its name (`编制单位：X`, or `部门名称 X` in a form's cells)
LABEL = r"(?:编制单位|编制部门|单位名称|部门名称|预算单位|预算主管部门|主管部门)"
LABEL_CELL = re.compile(rf"^{LABEL}\s*[:：]?$")
LABEL_LINE = re.compile(rf"^{LABEL}\s*(?:[:：]|\s)\s*(?P<unit>[{CJK}（）()]{{2,40}})\s*$")
# a line that prints only a year in brackets: a table title's subtitle, `（2026年度）`
YEAR_LINE = re.compile(r"^[（(]\s*(20\d\d)\s*年度?\s*[)）]$")
# a column header beside the label (`单位名称 | 项目名称`): a header row, not a form
HEADER_WORD = re.compile(r"(?:名称|编码|代码|科目|类别|类型|金额)$")
SENTENCE_END = re.compile(r"[。；;]")
SOURCES = ("the cover", "the document title", "编制单位/部门名称/单位名称/预算单位 lines",
           "table titles (with or without a year)", "the first narrative paragraph")


@dataclass
class TitleFacts:
    unit: str | None = None
    year: int | None = None
    kind: str | None = None  # budget / final_accounts
    scope: str | None = None  # department / unit


def clean_unit(name: str) -> tuple[str, str | None]:
    """A unit name without its scope qualifier, and the scope the qualifier states."""
    m = QUALIFIER.search(name)
    if not m:
        return name, None
    return name[:m.start()], "unit" if "本级" in m.group(1) else "department"


def plausible_unit(name: str) -> bool:
    """A name, not a sentence: no punctuation, no enumeration, no document words."""
    return bool(re.fullmatch(rf"[{CJK}][{CJK}（）()]{{1,39}}", name)) and not NOT_A_UNIT.search(name)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def title_facts(text: str) -> TitleFacts:
    """What one title (a cover's lines joined, a heading) says of its document."""
    text = squash(text)
    for pattern in (UNIT_FIRST, YEAR_FIRST):
        for m in pattern.finditer(text):
            unit = m["unit"]
            if not plausible_unit(unit) or m.groupdict().get("level"):
                continue  # 上海市普陀区2025年区级…: a region, not the unit
            return TitleFacts(unit, int(m["year"]), _kind(m["kind"]), SCOPES.get(m["scope"] or ""))
    m = YEAR_KIND.search(text)
    if m:
        return TitleFacts(None, int(m["year"]), _kind(m["kind"]), SCOPES.get(m["scope"] or ""))
    return TitleFacts()


def label_unit(line: str) -> str | None:
    """The unit a `部门名称 X` line (a form's two cells, read as one line) names."""
    m = LABEL_LINE.match(line.strip())
    return m["unit"] if m and plausible_unit(m["unit"]) else None


def label_cells(rows: list[list[str]]) -> list[str]:
    """A form's `部门名称 | X` cells, as the `部门名称：X` line they stand for."""
    return [f"{re.sub('[:：]$', '', a)}：{b}" for cells in rows for a, b in zip(cells, cells[1:])
            if LABEL_CELL.match(a) and plausible_unit(b) and not HEADER_WORD.search(b)]


def year_line(text: str) -> int | None:
    """The year of a line that prints nothing else (`（2026年度）` under a title)."""
    m = YEAR_LINE.match(squash(text))
    return int(m.group(1)) if m else None


def title_kind(line: str) -> str | None:
    """The kind a table title names (`预算01表 收支总表`, `收入支出决算总表`), year or not."""
    text = squash(line)
    if len(text) > 30 or not text.endswith("表"):
        return None
    found = re.findall("预算|决算", text)
    return _kind(found[0]) if found else None


def first_paragraph_facts(lines: list[str]) -> TitleFacts:
    """What the first sentence naming a unit and a year says ("北京市财政局2026年
    部门预算…", "国家信访局2024年度部门决算…"): lines joined, cut at sentence ends."""
    for sentence in SENTENCE_END.split(squash("".join(lines))):
        f = title_facts(sentence)
        if f.unit and f.year:
            return f
    return TitleFacts()


def scope_words(text: str) -> str | None:
    """The scope a heading or table title names (部门预算, 单位决算, 预算单位…), if any."""
    m = SCOPE_WORD.search(squash(text))
    if not m:
        return None
    return SCOPES[m.group(1) or "预算单位"]


def _kind(word: str) -> str:
    return "final_accounts" if word == "决算" else "budget"


def not_found(missing: list[str], scanned_pages: list[int]) -> str:
    """The error of a document whose pages name no unit or year: what is
    missing, every source tried, and the scanned pages, if any, left unread."""
    from budgetkg.read import ocr
    text = f"no {' and no '.join(missing)} found; tried {', '.join(SOURCES)}"
    if scanned_pages and not ocr.available():
        text += (f"; pages {', '.join(map(str, scanned_pages))} have no text layer (a scan):"
                 f" OCR would read them ({ocr.INSTALL_HINT})")
    return text
