"""The PDF reader's layers on their own: both backends read the same page the
same way; a page without a text layer is a warning, not a crash; a
performance table's cells become projects and indicators."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from budgetkg.model import RawTable, Where
from budgetkg.read.pdf import read_pdf
from budgetkg.read.pdf.backend import Char, PageData, Segment, open_pdf
from budgetkg.read.pdf.grid import find_grids
from budgetkg.read.pdf.performance import parse_value, read

PDF = Path(__file__).resolve().parent.parent / "corpus" / "pdf"


def test_backends_agree_on_a_rotated_page():
    f = PDF / "js-shengweibangongting-2018-budget-tables.pdf"  # page 3 is /Rotate 90
    a, b = open_pdf(f, "pypdfium2").page(2), open_pdf(f, "pdfplumber").page(2)
    assert (round(a.width), round(a.height)) == (round(b.width), round(b.height)) == (842, 595)
    assert "".join(c.text for c in a.chars) == "".join(c.text for c in b.chars)
    for ca, cb in zip(a.chars, b.chars):
        assert abs(ca.x0 - cb.x0) < 1 and abs(ca.top - cb.top) < 1.5
    ga, gb = find_grids(a), find_grids(b)
    assert [(g.nrows, g.ncols) for g in ga] == [(g.nrows, g.ncols) for g in gb] == [(26, 6)]


def test_page_without_text_layer_is_a_warning(tmp_path):
    src = pdfium.PdfDocument(str(PDF / "sh-putuo-wanli-2024-budget.pdf"))
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(src, [30])  # page 31: the 三公 table
    page = pdf.new_page(595, 842)  # a scanned page: an image, no text
    img = pdfium.PdfImage.new(pdf)
    img.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (60, 80), "gray")))
    img.set_matrix(pdfium.PdfMatrix().scale(300, 400).translate(100, 200))
    page.insert_obj(img)
    page.gen_content()
    out = tmp_path / "scan.pdf"
    pdf.save(str(out))
    doc = read_pdf([out])
    assert "page 2 has no text layer" in doc.warnings
    assert [t.type for t in doc.tables] == ["three_public"]


def _page(rows: list[list[str]], widths: list[float], number: int = 1) -> PageData:
    """A ruled grid with one line of text per cell (12 pt characters)."""
    page = PageData(number, 800, 1000)
    xs = [50.0]
    for w in widths:
        xs.append(xs[-1] + w)
    top = 100.0
    ys = [top + 20 * i for i in range(len(rows) + 1)]
    for y in ys:
        page.segments.append(Segment("h", y, xs[0], xs[-1]))
    for x in xs:
        page.segments.append(Segment("v", x, ys[0], ys[-1]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            x = xs[c] + 2
            for ch in text:
                page.chars.append(Char(ch, x, ys[r] + 4, x + 8, ys[r] + 16))
                x += 8
    return page


def test_project_performance_cells():
    page = _page([
        ["项目名称", "社区服务", "", ""],
        ["项目金额", "687.00", "", ""],
        ["年度绩效目标", "提升服务", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "服务人次", "≥2000人次"],
        ["", "质量指标", "满意率", "＞＝90%"],
        ["效益指标", "社会效益", "投诉", "＜1件"],
        ["满意度指标", "满意度", "群众评价", "优"],
    ], [90, 90, 160, 120])
    t = RawTable("project_performance", "项目绩效目标表", [], Where(page=1))
    read(t, find_grids(page))
    [p] = t.projects
    assert (p.name, p.amount, p.goal) == ("社区服务", Decimal("687.00"), "提升服务")
    got = [(i.category, i.name, i.operator, i.value, i.unit) for i in p.indicators]
    assert got == [("产出指标", "服务人次", "≥", "2000", "人次"),
                   ("产出指标", "满意率", "≥", "90", "%"),
                   ("效益指标", "投诉", "<", "1", "件"),
                   ("满意度指标", "群众评价", None, "优", None)]
    assert all(i.where.page == 1 for i in p.indicators)


def test_overall_performance_weights():
    page = _page([
        ["一级指标", "三级指标", "指标值", "权重"],
        ["产出指标", "完成率", "=100%", "20"],
        ["效益指标", "覆盖率", "≥95%", "10"],
    ], [90, 120, 90, 60])
    t = RawTable("overall_performance", "整体绩效目标表", [], Where(page=1))
    read(t, find_grids(page))
    assert [(i.category, i.name, i.operator, i.value, i.unit, i.weight) for i in t.indicators] == [
        ("产出指标", "完成率", "=", "100", "%", "20"), ("效益指标", "覆盖率", "≥", "95", "%", "10")]


def test_parse_value():
    assert parse_value("≥\n75000\n个") == ("≥", "75000", "个")
    assert parse_value("＝1件") == ("=", "1", "件")
    assert parse_value("≤10%") == ("≤", "10", "%")
    assert parse_value("10", "不低于", "万元") == ("≥", "10", "万元")
    assert parse_value("良好") == (None, "良好", None)
