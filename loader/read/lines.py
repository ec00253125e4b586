"""The lines and pages of a text extraction: shared by the text reader and its
performance-table part, so neither imports the other for them."""
from __future__ import annotations

from dataclasses import dataclass

from budgetkg.registry import squash


@dataclass
class Line:
    number: int  # 1-based line in the file
    text: str


@dataclass
class Page:
    number: int  # 1-based
    lines: list[Line]

    def key(self) -> str:
        return "\n".join(squash(ln.text) for ln in self.lines if ln.text.strip())
