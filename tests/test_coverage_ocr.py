"""OCR of the corpus's scanned narrative (beijing-zhengwu-shujuju-2026-budget-text.pdf:
8 image-only pages), with the `ocr` extra (`make test` installs it). Values read
by hand off the rendered pages: page 1 is the 目录, page 5 states the income."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from budgetkg.read import ocr
from budgetkg.read.pdf import read_pdf
from graph_support import SEED

SCANNED = SEED.parent / "pdf" / "beijing-zhengwu-shujuju-2026-budget-text.pdf"

pytestmark = pytest.mark.skipif(not ocr.available(),
                                reason=f"the OCR extra is not installed ({ocr.INSTALL_HINT})")


def test_ocr_reads_the_amounts_of_a_scanned_page():
    lines = ocr.page_lines(SCANNED, 5)
    assert lines[0] == "二、收入预算情况说明"
    assert any("一般公共预算拨款收入101,673.03万元" in ln for ln in lines), lines
    assert any("99,003.18万元增加2,669.85万元" in ln for ln in lines), lines


def test_a_scanned_table_of_contents_is_read_and_the_page_counts_as_read(tmp_path):
    one = tmp_path / "toc.pdf"
    src, out = pdfium.PdfDocument(str(SCANNED)), pdfium.PdfDocument.new()
    out.import_pages(src, [0])
    out.save(str(one))
    raw = read_pdf(one)
    assert [p.page for p in raw.pages_ocr] == [1] and raw.pages_without_text == []
    assert (raw.year, raw.kind) == (2026, "budget")  # 北京市政务服务和数据管理局 2026年度部门预算信息公开
    assert [e.type for e in raw.toc][:4] == ["summary", "income", "expenditure", "fiscal_summary"]
