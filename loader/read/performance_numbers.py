"""Nothing silently dropped from a performance table, for every reader: the numbers a
table prints that its reading kept nowhere (neither a project's amount nor an
indicator's target, weight, result or score, nor a row token) are reported under the
column 未读, so they count as unresolved and the document is not fully read.

A reader says what it printed (`printed`: place, text, value) and where a kept thing
sits (`place`: a `Where` to the same kind of place, a page); this module does the
accounting, the same for PDF grids and text lines."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable
from decimal import Decimal

from budgetkg.amounts import parse_amount
from budgetkg.model import RawTable, Where

# the column an unkept number is reported under: the reader did not know what it is
UNKEPT = "未读"
# a cell that prints one number: an amount, or an indicator's target or score (≥75000个, 95%)
NUMBER_CELL = re.compile(r"^(?:＞＝|＜＝|>=|<=|[≥≤＝=＜<＞>])?([-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
                         r"(?:%|％|[^\d\s.,%％]{1,4})?$")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")

Place = Callable[[Where], Hashable]


def _key(text: str) -> Decimal:
    return parse_amount(text).normalize()


def kept_numbers(t: RawTable, place: Place) -> list[tuple[Hashable, str]]:
    """(place, text) of every number the reading kept: row and unplaced tokens, project
    amounts, and the numbers of indicators' targets, weights, results, scores and names."""
    kept = []
    for r in t.rows:
        kept += [(place(k.where) if place(k.where) is not None else place(r.where), k.text) for k in r.tokens]
    kept += [(place(k.where), k.text) for k in t.unplaced]
    inds = list(t.indicators)
    for p in t.projects:
        inds += p.indicators
        kept += [(place(p.where), str(v)) for v in p.sources.values()]
    for i in inds:
        for text in (i.value, i.weight, i.actual, i.score, i.name):
            kept += [(place(i.where), m) for m in NUMBER.findall(text or "")]
    return kept


def unkept(kept: list[tuple[Hashable, str]], printed: list[tuple]) -> list[tuple]:
    """The printed numbers kept nowhere: each kept number accounts for one printed number
    of its place, of the same text if there is one (so that the number reported is the
    one not kept: 25.00, not ≤25万元), else of the same value. A printed number is
    (place, text, value, …): what follows the value (a text line) comes back with it."""
    by_text = Counter((where, text.replace(",", "")) for where, text in kept)
    by_value = Counter((where, _key(text)) for where, text in kept)
    left = []
    for item in printed:
        where, text, value = item[:3]
        if by_text[(where, text.replace(",", ""))] > 0:
            by_text[(where, text.replace(",", ""))] -= 1
            by_value[(where, value.normalize())] -= 1
        else:
            left.append(item)
    out = []
    for item in left:
        where, _, value = item[:3]
        if by_value[(where, value.normalize())] > 0:
            by_value[(where, value.normalize())] -= 1
        else:
            out.append(item)
    return out
