"""A disclosure's own name for itself: unit, year, kind and scope read from
its title, as the cover, a heading or a table title prints it.

    2026年度福州市商务局部门预算          year, unit, scope, kind
    国家信访局2024年度部门决算            unit, year, scope, kind
    上海市普陀区2025年区级单位预算        a region before 区级/市级/…: no unit
    2026年市级部门收支预算总表            a table title: year, scope, kind

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
SCOPE_WORD = re.compile(r"(部门|单位)(?:综合)?(?:预算|决算)|预算单位")
# a name's trailing qualifier says whose figures these are, not who the unit is
QUALIFIER = re.compile(r"[（(](汇总|本级|部门汇总|单位本级)[)）]$")
NOT_A_UNIT = re.compile(rf"^(?:{LEVEL}|部门|单位|本级)|预算|决算|年度|目录|附件|公开|说明|情况|报表|第.部分")
SCOPES = {"部门": "department", "单位": "unit", "预算单位": "unit"}


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


def scope_words(text: str) -> str | None:
    """The scope a heading or table title names (部门预算, 单位决算, 预算单位…), if any."""
    m = SCOPE_WORD.search(squash(text))
    if not m:
        return None
    return SCOPES[m.group(1) or "预算单位"]


def _kind(word: str) -> str:
    return "final_accounts" if word == "决算" else "budget"
