"""The PDF reader: `read_pdf([path])` (or the two halves of one disclosure)
-> `RawDocument` whose tokens carry the column their cell sits under.

Layers: backend (chars + ruling lines, pypdfium2 or pdfplumber) -> grid
(cells) -> header (column names) -> reader (titles, rows, joining pages) and
performance (绩效目标表)."""
from budgetkg.read.pdf.reader import read_pdf

__all__ = ["read_pdf"]
