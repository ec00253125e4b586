"""Performance tables in a text extraction: 预算项目绩效目标表 and 整体绩效目标表.

The project table's narrow cells come out as 2-4 character fragments, one per
line, in paragraphs separated by blank lines. A project is the paragraph
printed right before an amount that stands alone; an indicator is a name
(its fragments joined) followed by an operator, a target and a unit
(`≥\\n75000\\n个`, `＝1件`). Text cannot show which indicator column (成本/产出/
效益/满意度) a value sat in, so `category` stays None; and an indicator is
attributed to a project only where the page reads strictly project, its
indicators, next project, its indicators...: otherwise it is listed under the
table's own `indicators`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetkg.amounts import TABLE_AMOUNT, parse_amount
from budgetkg.model import Indicator, Project, RawRow, RawTable, Token, Where
from budgetkg.read.lines import Line, Page
from budgetkg.read.performance_numbers import NUMBER as ANY_NUMBER
from budgetkg.read.performance_numbers import NUMBER_CELL, UNKEPT, kept_numbers, unkept

OPERATORS = {"＝": "=", "=": "=", "＜": "<", "<": "<", "＞": ">", ">": ">",
             "≥": "≥", "≤": "≤", "＞＝": "≥", ">=": "≥", "＜＝": "≤", "<=": "≤"}
VALUE_START = re.compile(r"^(＞＝|＜＝|>=|<=|[≥≤＝=＜<＞>])\s*(.*)$")
NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(.*)$")
UNITS = {"个", "件", "人", "次", "人次", "套", "路", "块", "天", "元", "万元", "%", "％", "平方米", "台",
         "条", "万条", "处", "辆", "名", "所", "项", "篇", "期", "场", "户", "公里", "米", "吨", "年",
         "月", "日", "小时", "分钟", "秒", "家", "份", "本", "册", "部", "座", "间", "张", "批", "宗",
         "起", "万人", "万件", "万", "亿元", "千元", "亩", "公顷", "立方米", "千瓦", "分", "周", "页", "类"}
QUALITATIVE = {"高", "中", "低", "稳定", "及时", "良好", "显著", "有效", "是", "否", "优", "优秀", "达标",
               "合格", "提升", "提高", "满意", "规范", "完善", "明显", "较高", "持续"}
PROSE_WIDTH = 7  # a goal's lines are wider than any indicator-name fragment


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    for ln in lines:
        if not ln.text.strip():
            continue
        if out and ln.number == out[-1][-1].number + 1:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def clean(text: str) -> str:
    """A fragment without white space (quotes are part of a printed name)."""
    return re.sub(r"\s+", "", text)


def is_amount_paragraph(par: list[Line]) -> bool:
    return len(par) == 1 and bool(TABLE_AMOUNT.match(par[0].text.strip())) and "." in par[0].text


def starts_value(line: Line) -> bool:
    return bool(VALUE_START.match(line.text.strip()))


def balanced(name: str) -> str:
    """Drop closing brackets that close nothing (a stray `）` line)."""
    out, depth = [], 0
    for ch in name:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out)


def parse_value(par: list[Line], i: int) -> tuple[str, str, str | None, int]:
    """The indicator value starting at par[i]: (operator, value, unit, next index).
    Words after the value on its line are left for the next name (`＝1年 租赁面积`)."""
    first = par[i].text.strip().split()
    m = VALUE_START.match(first[0])
    op, rest = OPERATORS[m.group(1)], m.group(2)
    i += 1
    if not rest and len(first) > 1 and NUMBER.match(first[1]):
        rest, first = first[1], first[:1] + first[2:]
    leftover = first[1:]
    digits, unit = "", ""
    if rest:
        nm = NUMBER.match(rest)
        if nm:
            digits, unit = nm.group(1), nm.group(2)
        else:
            return op, rest, None, i  # a word target: 及时, 高 …
    # a number may wrap (2056\n5360), and its unit may follow on its own line
    while not digits and i < len(par) and NUMBER.match(clean(par[i].text)):
        nm = NUMBER.match(clean(par[i].text))
        digits, unit = nm.group(1), nm.group(2)
        i += 1
    while not unit and i < len(par) and re.fullmatch(r"\d+", clean(par[i].text)):
        digits += clean(par[i].text)
        i += 1
    if i < len(par) and not leftover:
        nxt = clean(par[i].text)
        if nxt in UNITS or (unit + nxt) in UNITS or (
                len(nxt) <= 2 and not re.search(r"\d", nxt) and i == len(par) - 1):
            unit += nxt
            i += 1
    return op, digits, (unit or None), i


def read_project_performance(table: RawTable, pages: list[Page]) -> None:
    for page in pages:
        events: list[tuple[str, object]] = []
        pars = paragraphs(page.lines)
        for k, par in enumerate(pars):
            if is_amount_paragraph(par):
                if k == 0:
                    continue
                prev = pars[k - 1]
                cut = max((j + 1 for j, ln in enumerate(prev) if starts_value(ln)), default=0)
                name = balanced("".join(clean(ln.text) for ln in prev[cut:]))
                # the goal: the paragraphs after the amount, up to the first that is an
                # indicator's name (followed by a value) or the next project's name
                goal = []
                for n in range(k + 1, len(pars)):
                    nxt, follows = pars[n], pars[n + 1] if n + 1 < len(pars) else None
                    if is_amount_paragraph(nxt) or starts_value(nxt[0]):
                        break
                    if follows is not None and (starts_value(follows[0]) or is_amount_paragraph(follows)):
                        break
                    goal.append("".join(ln.text.strip() for ln in nxt))
                tok = par[0].text.strip()
                events.append(("P", Project(name, parse_amount(tok), "\n".join(goal),
                                            Where(line=par[0].number))))
                table.rows.append(RawRow(None, name, [Token(tok, parse_amount(tok), ("金额",),
                                                            Where(line=par[0].number))],
                                         Where(line=par[0].number)))
                continue
            events.extend(("I", ind) for ind in indicators_in(par, fragments_before(pars, k)))
        attribute(table, events)
    table.columns = ["金额"]
    report_unkept(table, [ln for p in pages for ln in p.lines], {ln.number: p.number for p in pages for ln in p.lines})


def fragments_before(pars: list[list[Line]], k: int) -> list[str]:
    """Name fragments left over at the end of the paragraph before pars[k]
    (after its last value), for a paragraph that opens with a value."""
    if k == 0 or not starts_value(pars[k][0]) or is_amount_paragraph(pars[k - 1]):
        return []
    prev = pars[k - 1]
    out: list[str] = []
    i = 0
    while i < len(prev):
        if starts_value(prev[i]):
            words = prev[i].text.strip().split()
            _, _, _, i = parse_value(prev, i)
            out = [clean(w) for w in words[1:]] if len(words) > 1 and not NUMBER.match(words[1]) else []
            continue
        out.append(clean(prev[i].text))
        i += 1
    return out


def indicators_in(par: list[Line], carried: list[str]) -> list[Indicator]:
    found: list[Indicator] = []
    frags = list(carried)
    # one line, one word, after a name: a qualitative target (社会治安秩序 高)
    if len(par) == 1 and clean(par[0].text) in QUALITATIVE:
        return []
    i = 0
    while i < len(par):
        ln = par[i]
        if starts_value(ln):
            words = ln.text.strip().split()
            op, value, unit, nxt = parse_value(par, i)
            if frags:
                found.append(Indicator(None, "".join(frags), op, value, unit, Where(line=ln.number)))
            frags = [clean(w) for w in words[1:]] if len(words) > 1 and not NUMBER.match(words[1]) else []
            i = nxt
            continue
        frags.append(clean(ln.text))
        i += 1
    return found


def attribute(table: RawTable, events: list[tuple[str, object]]) -> None:
    """Give a page's indicators to its projects only if the page reads
    P I+ P I+ …; any other order means the text scrambled the columns."""
    kinds = "".join(k for k, _ in events)
    certain = bool(re.fullmatch(r"(PI+)+", kinds))
    current: Project | None = None
    for kind, item in events:
        if kind == "P":
            current = item  # type: ignore[assignment]
            table.projects.append(current)
        elif certain and current is not None:
            current.indicators.append(item)  # type: ignore[arg-type]
        else:
            table.indicators.append(item)  # type: ignore[arg-type]


# a code printed before a name, one fragment per line (`12\n00\n01\n-\n重\n庆…`): an identifier
CODE_BEFORE_NAME = re.compile(r"^(\d+)[-－—][^\d\s]")
# a page's number in a footer (`- 12 -`, `第 3 页 共 9 页`): not a value of the table
PAGE_NUMBER = re.compile(r"^(?:[-－—]\s*\d+\s*[-－—]|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?)$")


def printed_numbers(lines: list[Line], page_of: dict[int, int]) -> list[tuple[int, str, Decimal, int]]:
    """(page, text, value, line) of every word of the table's lines that prints one number.
    Lines of bare digits in a row are one number wrapped (`2056\n5360`), as parse_value reads
    them; digits that a paragraph prints before `-name` are a code, and a footer's page
    number is none of the table's values."""
    out = []
    for par in paragraphs([ln for ln in lines if not PAGE_NUMBER.match(ln.text.strip())]):
        code = CODE_BEFORE_NAME.match("".join(clean(ln.text) for ln in par))
        skip = len(code.group(1)) if code else 0
        run: list[Line] = []
        for ln in par + [Line(-1, "")]:  # a sentinel line closes the last run
            if re.fullmatch(r"\d+", clean(ln.text)):
                run.append(ln)
                continue
            if run:
                digits = "".join(clean(r.text) for r in run)
                if skip >= len(digits):
                    skip -= len(digits)
                else:
                    out.append((page_of.get(run[0].number, 0), digits, parse_amount(digits), run[0].number))
                run = []
            for word in ln.text.split():
                m = NUMBER_CELL.match(word)
                if m:
                    out.append((page_of.get(ln.number, 0), m.group(1), parse_amount(m.group(1)), ln.number))
    return out


def report_unkept(table: RawTable, lines: list[Line], page_of: dict[int, int]) -> None:
    """Nothing silently dropped: a number printed in the table's lines that the reading kept
    nowhere becomes an unplaced token under 未读 (so an unresolved value, named with its line).
    Text keeps prose whole: the numbers of a project's name and goal, and of the mission, are kept."""
    def place(w: Where) -> int | None:
        return page_of.get(w.line, 0) if w.line is not None else None
    kept = kept_numbers(table, place)
    kept += [(place(p.where), m) for p in table.projects for m in ANY_NUMBER.findall(p.name + "\n" + p.goal)]
    kept += [(0, m) for m in ANY_NUMBER.findall(table.mission or "")]
    table.unplaced += [Token(text, value, (UNKEPT,), Where(line=line))
                       for _, text, value, line in unkept(kept, printed_numbers(lines, page_of))]


# ------------------------------------------------------------ overall table

OVERALL_INDICATOR = re.compile(r"^(.+?)\s*(＞＝|＜＝|>=|<=|[≥≤＝=＜<＞>])\s*(\d+(?:\.\d+)?)$")
OVERALL_VALUE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(\S*)$")


def read_overall_performance(table: RawTable, lines: list[Line]) -> None:
    """Totals (one row of amounts), the unit's mission, and indicators whose
    names+operator+weight and values+units the text prints as two lists."""
    names: list[tuple[Line, re.Match]] = []
    values: list[tuple[Line, re.Match]] = []
    name_runs: list[int] = []  # index in `names` where each contiguous run starts
    prev_name_line = None
    mission: list[str] = []
    for ln in lines:
        s = ln.text.strip()
        words = s.split()
        if words and all(TABLE_AMOUNT.match(w) for w in words) and any("." in w for w in words):
            table.rows.append(RawRow(None, "总体资金情况",
                                     [Token(w, parse_amount(w), None, Where(line=ln.number)) for w in words],
                                     Where(line=ln.number)))
            continue
        m = OVERALL_INDICATOR.match(clean_keep_space(s))
        if m and not OVERALL_VALUE.match(s):
            if prev_name_line is None or not contiguous(lines, prev_name_line, ln):
                name_runs.append(len(names))
            names.append((ln, m))
            prev_name_line = ln
            continue
        v = OVERALL_VALUE.match(s)
        if v and not TABLE_AMOUNT.match(s):
            values.append((ln, v))
            continue
        if len(s) >= 30 and re.search(r"[，。；、]", s):
            mission.append(s)
    table.mission = "".join(mission) or None
    # The two lists pair up row by row while the names run unbroken. Where other
    # text breaks the run, the names around the break are out of order (the
    # name printed just before it included), so those stay unpaired.
    certain = len(names) if len(name_runs) <= 1 else name_runs[1] - 1
    for idx, (ln, m) in enumerate(names):
        paired = idx < certain and idx < len(values) and len(values) >= len(names)
        value, unit = (values[idx][1].group(1), values[idx][1].group(2) or None) if paired else (None, None)
        ind = Indicator(None, clean(m.group(1)), OPERATORS[m.group(2)], value, unit,
                        Where(line=ln.number), weight=m.group(3))
        if not paired:
            table.notes.append(f"line {ln.number}: indicator {ind.name}: its target value cannot be "
                               "paired with certainty (the text breaks the list of names)")
        table.indicators.append(ind)
    spare = [f"{v.group(1)} {v.group(2)}".strip() for _, v in values[min(certain, len(values)):]]
    if spare and certain < len(names):
        table.notes.append("target values printed but not paired with a name: " + ", ".join(spare))
    report_unkept(table, lines, {})


def clean_keep_space(s: str) -> str:
    return s.replace("\t", "")


def contiguous(lines: list[Line], a: Line, b: Line) -> bool:
    """No other printed line between a and b."""
    ia, ib = lines.index(a), lines.index(b)
    return all(not x.text.strip() for x in lines[ia + 1:ib])
