"""The 目录: the page (or first page) that lists a disclosure's tables, and
which of them it declares empty, with the reason it prints.

Layouts seen: `一、收支总表……5` (dotted leaders, page numbers), `表1 …收支总表`,
a grid `报表 | 报表名称 | 是否空表 | 公开空表理由` (`表9 …政府性基金收支表 是 本单位无政府性基金预算`),
and `九、政府性基金预算支出表（本部门无此项支出，为空表）`. Readers hand this
module the page's lines as text; titles are matched by the reader's own
`match_title` (the registry), so a new title is data, not code here.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from budgetkg.model import TocEntry, Where
from budgetkg.registry import squash

TOC_HEADINGS = ("目录", "目次")
LEADER = re.compile(r"[….·…]{2,}")
PAGE_TAIL = re.compile(r"[-—－]?\d{1,3}[-—－]?$")
# 表1 / 表一 / 附表1 / 预算01表 / 公开01表 / 一、 / （一） / 1. in front of a title
NUMBERING = re.compile(r"^(?:附?表\s*(?:\d{1,2}(?=20\d\d年)|\d{1,2}|[一二三四五六七八九十]+)(?:[-.．]\d{1,2}(?!\d))?[:：、.．]?|(?:预算|公开)\s*\d+\s*表[:：]?|"
                       r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d)|\d{1,2}[.．](?=20\d\d年))\s*")
# a line of a list, not of running text: short, no sentence punctuation
LIST_LINE = re.compile(r"^[^。，；]{1,40}$")
# a parenthesised note declaring a table empty: （本部门无此项支出，为空表）
EMPTY_NOTE = re.compile(r"[（(]([^（）()]*(?:空表|无数据|无此项|无该项|没有|不涉及)[^（）()]*)[)）]")
YES, NO = "是", "否"
# a row of a 是否空表 grid whose title is of no known type: `…政府性基金收支表是本单位无政府性基金预算`
FLAGGED = re.compile(r"^(?P<title>.+?表(?:[（(][^（）()]*[)）])?)(?P<flag>是|否)(?P<reason>.*)$")

MatchTitle = Callable[[str], object]


def is_toc(texts: list[str]) -> bool:
    """A page whose first lines say 目录, or whose grid asks 是否空表."""
    head = [squash(t) for t in texts[:8]]
    return any(h in TOC_HEADINGS or h.startswith(TOC_HEADINGS) and len(h) <= 4 for h in head) or any(
        "是否空表" in h for h in head)


def toc_entries(texts: list[str], page: int | None, match_title: MatchTitle) -> list[TocEntry]:
    """The tables a 目录 page lists, in order; wrapped entries joined."""
    cleaned = [_clean(t) for t in texts]
    out: list[TocEntry] = []
    i = 0
    while i < len(cleaned):
        entry = _entry(cleaned[i], page, match_title)
        if entry is None and i + 1 < len(cleaned):
            joined = _entry(cleaned[i] + cleaned[i + 1], page, match_title)
            if joined is not None and _entry(cleaned[i + 1], page, match_title) is None:
                out.append(joined)
                i += 2
                continue
        if entry is not None:
            out.append(entry)
        i += 1
    return out


def lists_tables(texts: list[str], match_title: MatchTitle) -> bool:
    """A page that lists three or more numbered table titles is a 目录, even when
    its heading did not come through (OCR may read 目录 as 目)."""
    titled = [t for t in map(_clean, texts) if NUMBERING.match(t) and _entry(t, None, match_title)]
    return len(titled) >= 3


def continues_toc(texts: list[str], match_title: MatchTitle) -> bool:
    """A page after a 目录 page that only goes on listing tables (no heading):
    every line but page numbers is a numbered table title, or, with three titles
    or more, every line is a list's (parts, headings, wrapped titles: no sentence)."""
    lines = [_clean(t) for t in texts]
    lines = [t for t in lines if t and not PAGE_TAIL.fullmatch(t)]
    titled = [t for t in lines if NUMBERING.match(t) and _entry(t, None, match_title)]
    return len(titled) >= 2 and len(titled) >= len(lines) - 1 or (
        len(titled) >= 3 and all(LIST_LINE.match(t) for t in lines))


def lists_tables_in_text(texts: list[str], match_title: MatchTitle) -> bool:
    """A page of text that lists the tables that follow (杭州's `四、2026年预算公开表`
    and its numbered titles, no 目录 heading): three numbered table titles in a row."""
    run = 0
    for t in map(_clean, texts):
        run = run + 1 if NUMBERING.match(t) and _entry(t, None, match_title) else 0
        if run >= 3:
            return True
    return False


def _clean(text: str) -> str:
    text = squash(text)
    parts = LEADER.split(text)
    if len(parts) > 1:  # title……page [rest]: the page number goes
        text = parts[0] + PAGE_TAIL.sub("", "".join(parts[1:])).lstrip("0123456789")
    return text


def _entry(text: str, page: int | None, match_title: MatchTitle) -> TocEntry | None:
    body = NUMBERING.sub("", text)
    if not body:
        return None
    note = EMPTY_NOTE.search(body)
    if note:
        body = body[:note.start()] + body[note.end():]
    # the longest start of the line that is a title; what follows is 是/否 and a reason
    for end in range(len(body), 1, -1):
        m = match_title(body[:end])
        if m is None:
            continue
        rest = PAGE_TAIL.sub("", body[end:]) if not body[end:].startswith((YES, NO)) else body[end:]
        empty, reason = False, None
        if note:
            empty, reason = True, note.group(1)
        elif rest.startswith(YES):
            empty, reason = True, rest[1:] or None
        type_id = m[0].id if hasattr(m[0], "id") else None  # type: ignore[index]
        return TocEntry(title=body[:end], type=type_id, where=Where(page=page), empty=empty, reason=reason)
    flagged = FLAGGED.match(body)
    if flagged:  # kept, so that an empty table it declares is known even without its type
        return TocEntry(title=flagged["title"], type=None, where=Where(page=page),
                        empty=flagged["flag"] == YES, reason=flagged["reason"] or None)
    return None
