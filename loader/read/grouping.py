"""Files to documents. One file is one document, but a disclosure is often
published as two PDFs, its narrative (情况说明) and its tables (报表), named as
the publisher pleased (`附件1：…部门预算情况说明.pdf`, `附件2：…部门预算报表.pdf`).
Two PDFs of one folder are one document when their content says so: the same
unit, year, kind and scope, one of them a narrative (few amounts) and the
other the tables; or, where the tables print no unit name at all (Beijing's
报表), when the narrative quotes the tables' amounts.

What a file says of itself comes from the sources metadata.SOURCES lists: its
first pages' title, unit lines (or a form's `部门名称 X` cells, often on its
last pages), table titles and their `（2026年度）`, the first narrative
sentence; a scanned file's first pages are read by OCR when the `ocr` extra is
installed (read/ocr.py), and without it the scan pairs with nothing."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from budgetkg.read import metadata

DOCUMENT_SUFFIXES = (".txt", ".pdf")
UNIT_LINE = re.compile(r"(?:编制单位|编制部门|单位名称|部门名称|预算单位|预算主管部门|主管部门|部门)\s*[:：]\s*"
                       r"([\u4e00-\u9fff（）()]{2,40}?)\s*(?:(?:金额)?单位\s*[:：]|$)", re.M)
AMOUNT = re.compile(r"(?<![\d.])\d[\d,]*\.\d{2,6}(?![\d.])")
# a narrative prints its amounts in sentences; a tables file prints hundreds
NARRATIVE_AMOUNTS = 200
# a narrative pairs with a tables file that names no unit when it quotes at
# least QUOTED of its amounts, and half of its own large amounts are there
# (large: >= 100, where a coincidence is rare)
QUOTED = 5
LARGE = Decimal(100)
PAGES_READ = 40  # a title, its unit lines and enough amounts are printed early
LAST_PAGES = 10  # and a form naming the department (部门整体支出绩效目标表) often last
OCR_PAGES = 1  # a scan's cover: its title (OCR takes seconds a page)
TITLE_CHARS = 40


@dataclass(frozen=True)
class Identity:
    unit: str | None
    year: int | None
    kind: str | None
    scope: str | None
    amounts: int  # printed amounts, to tell the narrative from the tables
    large: frozenset[Decimal]  # the large amounts to 2 decimals, as a narrative quotes them

    def same_disclosure(self, other: Identity) -> bool:
        narrative, tables = sorted((self, other), key=lambda i: i.amounts)
        if narrative.amounts >= NARRATIVE_AMOUNTS:
            return False
        if tables.unit is None and narrative.unit is not None:
            quoted = len(narrative.large & tables.large)
            return quoted >= QUOTED and 2 * quoted >= len(narrative.large)
        if None in (self.unit, self.year, self.kind, other.unit, other.year, other.kind):
            return False
        units = sorted((self.unit, other.unit), key=len)  # 江苏省委办公厅 / 中共江苏省委办公厅
        return (units[1].endswith(units[0]) and self.year == other.year and self.kind == other.kind
                and (self.scope == other.scope or None in (self.scope, other.scope)))


def pdf_identity(path: Path) -> Identity | None:
    """What a PDF's text says of it; None for a file that cannot be opened
    (it fails on its own, with its name, when it is read)."""
    try:
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - any unreadable file is simply not paired
        return None
    try:
        n = len(pdf)
        wanted = sorted(set(range(min(n, PAGES_READ))) | set(range(max(0, n - LAST_PAGES), n)))
        pages = [pdf[k].get_textpage().get_text_range() for k in wanted]
    except Exception:  # noqa: BLE001
        return None
    finally:
        pdf.close()
    if not any(p.strip() for p in pages[:OCR_PAGES]):
        pages[:OCR_PAGES] = _ocr_pages(path, min(n, OCR_PAGES)) or pages[:OCR_PAGES]
    return text_identity(pages)


def _ocr_pages(path: Path, count: int) -> list[str] | None:
    """A scan's first pages as text, with the `ocr` extra; None without it."""
    from budgetkg.read import ocr
    if not ocr.available():
        return None
    stat = path.stat()
    return list(_ocr_text(path.resolve(), stat.st_size, stat.st_mtime_ns, count))


@lru_cache(maxsize=64)
def _ocr_text(path: Path, _size: int, _mtime: int, count: int) -> tuple[str, ...]:
    # cached by size and time: a folder is grouped again and again in one process (load, tests)
    from budgetkg.read import ocr
    return tuple("\n".join(ocr.page_lines(path, k)) for k in range(1, count + 1))


def text_identity(pages: list[str]) -> Identity:
    title = next((f for f in map(metadata.title_facts, pages[:2]) if f.year), metadata.TitleFacts())
    lines = [line for p in pages for line in p.splitlines()]
    units = Counter(metadata.clean_unit(u)[0] for u in [m.group(1) for p in pages for m in UNIT_LINE.finditer(p)]
                    + [u for u in map(metadata.label_unit, lines) if u])
    unit = units.most_common(1)[0][0] if units else title.unit
    year, kind, scope = title.year, title.kind, title.scope
    if year is None:
        # titles are short: a long line is a sentence or a table row (2027年 in a project's goal)
        found = [metadata.title_facts(line) for line in lines if len(metadata.squash(line)) <= TITLE_CHARS]
        years = Counter(f.year for f in found if f.year)
        kinds = Counter(f.kind for f in found if f.kind)
        year = years.most_common(1)[0][0] if years else None
        kind = kinds.most_common(1)[0][0] if kinds else None
    # table titles without a year: the kind they name, the year printed under them
    if kind is None:
        kinds = Counter(k for k in map(metadata.title_kind, lines) if k)
        kind = kinds.most_common(1)[0][0] if kinds else None
    year = year or next(filter(None, map(metadata.year_line, lines)), None)
    if unit is None or year is None:  # the last resort: the first narrative sentence
        para = metadata.first_paragraph_facts(lines)
        unit, year, kind = unit or para.unit, year or para.year, kind or para.kind
    if scope is None:
        scopes = Counter(s for p in pages for s in [metadata.scope_words(p)] if s)
        scope = scopes.most_common(1)[0][0] if scopes else None
    amounts = [a for p in pages for a in AMOUNT.findall(p)]
    rounded = (Decimal(a.replace(",", "")).quantize(Decimal("0.01"), ROUND_HALF_UP) for a in amounts)
    return Identity(unit, year, kind, scope, len(amounts), frozenset(a for a in rounded if a >= LARGE))


def document_groups(inputs: list[Path]) -> list[list[Path]]:
    """The documents among files and folders: a folder gives its .txt and .pdf
    files (recursively), a named file is taken as it is (a saved .json
    extraction too); two PDFs of one folder that are the narrative and the
    tables of one disclosure are one document, the tables first."""
    files: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in DOCUMENT_SUFFIXES and f.is_file())
        else:
            files.append(p)  # a missing or odd file fails on its own, with its name
    pdfs = [f for f in files if f.suffix.lower() == ".pdf" and f.is_file()]
    ids = {f: pdf_identity(f) for f in pdfs} if len(pdfs) > 1 else {}
    partner: dict[Path, Path] = {}
    for i, a in enumerate(pdfs):
        for b in pdfs[i + 1:]:
            ia, ib = ids.get(a), ids.get(b)
            if a.parent == b.parent and a not in partner and b not in partner \
                    and ia and ib and ia.same_disclosure(ib):
                partner[a], partner[b] = b, a
    groups: list[list[Path]] = []
    for f in files:
        if f in partner:
            if partner[f] in partner and any(partner[f] in g for g in groups):
                continue
            groups.append(sorted([f, partner[f]], key=lambda x: -ids[x].amounts))
        else:
            groups.append([f])
    return groups
