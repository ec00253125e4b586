"""Printed amounts: recognising them, reading them exactly, and the rounding
tolerance the published sums obey."""
from __future__ import annotations

import re
from decimal import Decimal

# 1,234.56 · -12.00 · 0 · 47573.3 · （12.00） — a whole token, nothing else
AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# what a table row prints as an amount: grouped or with decimals, or a bare 0
TABLE_AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)$")


def is_amount(token: str) -> bool:
    return bool(AMOUNT.match(token))


def parse_amount(token: str) -> Decimal:
    """'18,847.61' -> Decimal('18847.61'); exact, never a float."""
    return Decimal(token.replace(",", "").replace("－", "-"))


def half_unit(text: str) -> Decimal:
    """Half a unit of the last printed digit: '18,847.61' -> 0.005, '12' -> 0.5."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(5).scaleb(-(decimals + 1))


def tolerance(n_terms: int, half: Decimal = Decimal("0.005")) -> Decimal:
    """A sum of n printed amounts may miss its printed total by (n + 1) half units."""
    return (n_terms + 1) * half
