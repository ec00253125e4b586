"""Printed amounts: recognising them, reading them exactly, and the rounding
tolerance the published sums obey."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

# 1,234.56 · -12.00 · 0 · 47573.3 · （12.00） — a whole token, nothing else
AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# what a table row prints as an amount: grouped or with decimals, or a bare 0
TABLE_AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)$")


def is_amount(token: str) -> bool:
    return bool(AMOUNT.match(token))


def parse_amount(token: str) -> Decimal:
    """'18,847.61' -> Decimal('18847.61'); exact, never a float."""
    return Decimal(token.replace(",", "").replace("－", "-"))


def printed_places(values: Iterable[Decimal]) -> int | None:
    """How many decimals a table prints, from its amounts as read (Decimal keeps
    '687.00' as two places): 2 for 万元 tables, often 0 for 元; None for none."""
    places = None
    for v in values:
        exp = v.as_tuple().exponent
        places = max(places or 0, -exp if isinstance(exp, int) and exp < 0 else 0)
    return places


def half_unit(text: str) -> Decimal:
    """Half a unit of the last printed digit: '18,847.61' -> 0.005, '12' -> 0.5."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-(decimals + 1))


def tolerance(n_terms: int, half: Decimal = Decimal("0.005")) -> Decimal:
    """A sum of n printed amounts may miss its printed total by (n + 1) half units."""
    return (n_terms + 1) * half
