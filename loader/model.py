"""The shapes data takes on its way from a document to the extraction contract.

Readers (text, PDF) produce *raw* tables: rows whose printed amounts are not yet
placed in columns (`RawTable`, `RawRow`, `Token`). The reconstruction stage
places every token (or reports it unresolved) and produces `Table`s. A
`Document` is what `budgetkg extract --json` prints (see docs/DOMAIN.md,
"The extraction contract").

Amounts are `Decimal` everywhere; they become strings only in `to_json`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class Where:
    """Where something was printed: a 1-based line (text) or page (PDF)."""

    line: int | None = None
    page: int | None = None

    def to_json(self) -> dict[str, int]:
        out = {}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        return out

    def __str__(self) -> str:
        if self.page is not None:
            return f"page {self.page}" + (f" line {self.line}" if self.line else "")
        return f"line {self.line}" if self.line is not None else "?"


@dataclass
class PageRef:
    """A page by its 1-based number, and its file when a disclosure has two."""

    page: int
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, **({"file": self.file} if self.file else {})}

    def __str__(self) -> str:
        return f"{self.file} page {self.page}" if self.file else f"page {self.page}"


@dataclass
class TocEntry:
    """A table the 目录 (or a first page listing the tables) names, and whether
    it declares the table empty, with the reason it prints."""

    title: str
    type: str | None  # the registry type its title names
    where: Where
    empty: bool = False
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"title": self.title, "type": self.type, **self.where.to_json(), "empty": self.empty}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Token:
    """One printed amount, before it is placed in a column.

    `columns` restricts where it may go: None means "any column, keeping the
    row's left-to-right order" (text); a PDF reader that saw the cell box
    passes the one column it sits in.
    """

    text: str
    value: Decimal
    columns: tuple[str, ...] | None = None
    where: Where = field(default_factory=Where)


@dataclass(frozen=True)
class AlsoCode:
    """A second classification's code printed on a row beside its own: a 一般公共预算基本支出
    table printing each 部门预算支出经济分类 row's 政府预算支出经济分类 code and name."""

    classification: str  # as printed: the name column's header without 科目名称 (政府预算支出经济分类)
    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"classification": self.classification, "code": self.code, "name": self.name}


@dataclass
class RawRow:
    code: str | None
    name: str
    tokens: list[Token]
    where: Where
    section: str | None = None  # 收入 / 支出 in summary tables
    enumerated: bool = False  # printed with 一、二、… (a heading of a summary section)
    indent: float | None = None  # points from the label's cell's left edge (PDF): how deep it is
    also: tuple[AlsoCode, ...] = ()  # the row's codes in a second classification
    # a self-evaluation prints a block of amounts per project: the index (in its table's
    # projects) of the project whose block the row is
    project: int | None = None


# tables read by the performance readers: projects and indicators, not rows of codes
PERFORMANCE_TYPES = ("project_performance", "overall_performance", "performance_self_evaluation",
                     "transfer_performance")
# of those, the tables whose amounts are their projects' (one each, an observation of its own), not
# cells of rows (a transfer payment's targets are laid out as a project's)
PROJECT_TABLES = ("project_performance", "transfer_performance")


@dataclass
class Indicator:
    category: str | None
    name: str
    operator: str | None
    value: str | None  # None: printed, but not tied to this name with certainty
    unit: str | None
    where: Where = field(default_factory=Where)
    weight: str | None = None
    subcategory: str | None = None  # 二级指标 (数量指标, 质量指标 …) under the category (一级)
    # a self-evaluation (绩效自评表) prints what was achieved beside the target: 实际完成值,
    # 得分 (the score, out of the weight 分值) and 偏差原因 (why it fell short)
    actual: str | None = None
    score: str | None = None
    deviation: str | None = None
    note: str | None = None  # what the table prints under 备注 beside the indicator, as printed

    def to_json(self) -> dict[str, Any]:
        out = {"category": self.category, "name": self.name, "operator": self.operator,
               "value": self.value, "unit": self.unit, **self.where.to_json()}
        for key in ("weight", "subcategory", "actual", "score", "deviation", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class Project:
    name: str
    amount: Decimal
    goal: str
    where: Where
    indicators: list[Indicator] = field(default_factory=list)
    # the amount split by source of funds, keyed by the printed name (财政资金, 其他资金)
    sources: dict[str, Decimal] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "amount": fmt(self.amount), "goal": self.goal,
                **self.where.to_json(),
                **({"sources": {k: fmt(v) for k, v in self.sources.items()}} if self.sources else {}),
                "indicators": [i.to_json() for i in self.indicators]}


@dataclass
class RawTable:
    """A table as a reader found it: title, columns, rows with unplaced tokens."""

    type: str
    title: str
    columns: list[str]
    where: Where
    rows: list[RawRow] = field(default_factory=list)
    empty: bool = False
    money_unit: str | None = None
    # summary tables: the columns of each section (收入 / 支出)
    section_columns: dict[str, list[str]] | None = None
    # column identities: (total column, [part columns])
    column_sums: list[tuple[str, list[str]]] = field(default_factory=list)
    # performance tables (already structured by their reader)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    mission: str | None = None
    notes: list[str] = field(default_factory=list)
    # numbers the reader saw on the table's pages but could not tie to a row
    unplaced: list[Token] = field(default_factory=list)

    def columns_for(self, row: RawRow) -> list[str]:
        if self.section_columns and row.section in self.section_columns:
            return self.section_columns[row.section]
        return self.columns


@dataclass
class Row:
    code: str | None
    name: str
    section: str | None
    where: Where
    values: dict[str, Decimal]
    enumerated: bool = False  # printed with 一、二、… (a heading of a summary section)
    indent: float | None = None  # points from the cell's left edge (PDF): how deep a label without code is
    project: int | None = None  # the index in table.projects of the project whose amounts the row holds
    also: tuple[AlsoCode, ...] = ()  # the row's codes in a second classification

    def to_json(self) -> dict[str, Any]:
        out = {"code": self.code, "name": self.name, "section": self.section,
               **self.where.to_json(),
               "values": {k: fmt(v) for k, v in self.values.items()}}
        if self.enumerated:
            out["enumerated"] = True
        if self.indent is not None:
            out["indent"] = self.indent
        if self.project is not None:
            out["project"] = self.project
        if self.also:
            out["also"] = [a.to_json() for a in self.also]
        return out


@dataclass
class Unresolved:
    """A printed value that no arithmetic could put in one column."""

    value: Decimal
    text: str
    row: str  # the row's code, or its name
    where: Where
    reason: str
    candidates: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"value": fmt(self.value), "row": self.row, **self.where.to_json(),
                "reason": self.reason, "candidates": self.candidates}


@dataclass
class Inconsistency:
    """An identity the printed numbers break beyond rounding."""

    table: str
    identity: str
    where: Where
    expected: Decimal
    printed: Decimal
    tolerance: Decimal

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "identity": self.identity, **self.where.to_json(),
                "expected": fmt(self.expected), "printed": fmt(self.printed),
                "difference": fmt(self.printed - self.expected),
                "tolerance": fmt(self.tolerance)}


@dataclass
class Table:
    type: str
    title: str
    columns: list[str]
    where: Where
    empty: bool = False
    money_unit: str | None = None
    section_columns: dict[str, list[str]] | None = None
    # column identities the header states: (total column, [part columns])
    column_sums: list[tuple[str, list[str]]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    mission: str | None = None
    notes: list[str] = field(default_factory=list)

    def columns_for(self, row: Row) -> list[str]:
        if self.section_columns and row.section in self.section_columns:
            return self.section_columns[row.section]
        return self.columns

    def row(self, key: str, section: str | None = None) -> Row | None:
        """The first row whose code (or, without a code, name) is `key`."""
        for r in self.rows:
            if (r.code == key or (r.code is None and r.name == key)) and (
                    section is None or r.section == section):
                return r
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "title": self.title,
                               "columns": self.columns, "empty": self.empty,
                               **self.where.to_json()}
        if self.money_unit:
            out["money_unit"] = self.money_unit
        if self.section_columns:
            out["section_columns"] = self.section_columns
        if self.column_sums:
            out["column_sums"] = [[total, parts] for total, parts in self.column_sums]
        out["rows"] = [r.to_json() for r in self.rows]
        out["unresolved"] = [u.to_json() for u in self.unresolved]
        if self.type in PERFORMANCE_TYPES:
            out["projects"] = [p.to_json() for p in self.projects]
            out["indicators"] = [i.to_json() for i in self.indicators]
        if self.mission is not None:
            out["mission"] = self.mission
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass
class Document:
    unit: str | None
    year: int | None
    kind: str | None  # budget / final_accounts
    money_unit: str | None
    source: dict[str, Any]
    scope: str | None = None  # department (部门预算/决算, consolidated) / unit (单位, 本级)
    tables: list[Table] = field(default_factory=list)
    inconsistencies: list[Inconsistency] = field(default_factory=list)
    # every amount token on the table pages, and where each one went
    amount_tokens: int = 0
    placed: int = 0
    unresolved_count: int = 0
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    toc: list[TocEntry] = field(default_factory=list)
    pages_without_text: list[PageRef] = field(default_factory=list)
    pages_ocr: list[PageRef] = field(default_factory=list)  # read by OCR (the `ocr` extra)
    coverage: Coverage | None = None  # what was read and what was not (reconstruct/coverage.py)

    def table(self, type_: str) -> Table | None:
        return next((t for t in self.tables if t.type == type_), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": {"unit": self.unit, "year": self.year, "kind": self.kind, "scope": self.scope,
                         "money_unit": self.money_unit, "source": self.source},
            "tables": [t.to_json() for t in self.tables],
            "inconsistencies": [i.to_json() for i in self.inconsistencies],
            "accounting": {"amount_tokens": self.amount_tokens, "placed": self.placed,
                           "unresolved": self.unresolved_count},
            "warnings": self.warnings,
            **({"coverage": self.coverage.to_json()} if self.coverage else {}),
        }


@dataclass
class OtherTable:
    """A table of no known type, kept with its printed title."""

    title: str
    where: Where
    amounts: int

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, **self.where.to_json(), "amounts": self.amounts}


@dataclass
class Coverage:
    """What of a document was read and what was not. `not_read` says, one line
    each, why the document is not fully read; empty means fully read."""

    pages: int
    amounts: int  # printed on the table pages
    placed: int
    unresolved: int
    observations: int
    tables: dict[str, int]  # tables found, by type
    other_tables: list[OtherTable] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    toc_missing: list[str] = field(default_factory=list)  # titles the 目录 lists, not printed
    declared_empty: list[tuple[str, str | None]] = field(default_factory=list)  # (title, reason)
    missing_standard: list[str] = field(default_factory=list)  # standard types, not printed
    pages_without_text: list[PageRef] = field(default_factory=list)
    pages_ocr: list[PageRef] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)
    identities: int = 0  # the identities the printed numbers were checked against
    identities_broken: int = 0  # of those, broken beyond rounding where every cell is certain

    @property
    def fully_read(self) -> bool:
        return not self.not_read

    @property
    def amounts_in_other(self) -> int:
        return sum(o.amounts for o in self.other_tables)

    def to_json(self) -> dict[str, Any]:
        return {"fully_read": self.fully_read, "not_read": self.not_read, "pages": self.pages,
                "amounts": {"printed": self.amounts, "placed": self.placed, "unresolved": self.unresolved,
                            "in_other_tables": self.amounts_in_other},
                "observations": self.observations, "tables": self.tables,
                "identities": {"checked": self.identities, "broken": self.identities_broken},
                "other_tables": [o.to_json() for o in self.other_tables],
                "toc": [e.to_json() for e in self.toc], "toc_missing": self.toc_missing,
                "declared_empty": [{"title": t, "reason": r} for t, r in self.declared_empty],
                "missing_standard": self.missing_standard,
                "pages_without_text": [p.to_json() for p in self.pages_without_text],
                "pages_ocr": [p.to_json() for p in self.pages_ocr]}


def fmt(value: Decimal) -> str:
    """A Decimal as the contract's string: no exponent, no thousands separator."""
    return format(value, "f")


@dataclass
class RawDocument:
    """What a reader (text or PDF) hands to the reconstruction stage."""

    unit: str | None
    year: int | None
    kind: str | None  # budget / final_accounts
    money_unit: str | None
    source: dict[str, Any]
    scope: str | None = None  # department / unit, as in Document
    tables: list[RawTable] = field(default_factory=list)
    # every amount token printed on the table pages (placed or not)
    amount_tokens: int = 0
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    toc: list[TocEntry] = field(default_factory=list)
    pages_without_text: list[PageRef] = field(default_factory=list)
    pages_ocr: list[PageRef] = field(default_factory=list)
