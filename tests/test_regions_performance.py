"""三公 tables and performance-target tables in the regions' layouts, with
values read by hand off the rendered pages (page numbers 1-based, as printed
in the PDF viewer)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkg.reconstruct.extract import extract_document
from conftest import CORPUS

PDF = CORPUS / "pdf"
DOCS: dict[str, object] = {}


def doc(name: str):
    if name not in DOCS:
        DOCS[name] = extract_document([PDF / name])
    return DOCS[name]


def table_on(name: str, page: int, ttype: str):
    found = [t for t in doc(name).tables if t.where.page == page and t.type == ttype]
    assert found, f"no {ttype} table starting on page {page} of {name}"
    return found[0]


# ------------------------------------------------------------------ 三公 tables
# Two phases (or two years) printed side by side, each over the same items:
# 预算数 | 决算数, or 2025年预算数 | 2026年预算数, over 合计, 因公出国（境）费,
# 公务用车购置及运行费 (小计, 购置费, 运行费), 公务接待费. Each amount is placed in
# its own phase's column; the empty cells stay empty.

THREE_PUBLIC = [
    # 重庆市人民政府办公厅 2026, 表八 page 20
    ("chongqing-zhengfu-bangongting-2026-budget.pdf", 20, {
        "2025年预算数": "396.97", "2025年预算数/因公出国（境）费": "184.49",
        "2025年预算数/公务用车购置及运行费": "202.48", "2025年预算数/公务用车购置费": None,
        "2025年预算数/公务用车运行费": "202.48", "2025年预算数/公务接待费": "10.00",
        "2026年预算数": "394.49", "2026年预算数/因公出国（境）费": "184.49",
        "2026年预算数/公务用车购置及运行费": "200.00", "2026年预算数/公务用车购置费": None,
        "2026年预算数/公务用车运行费": "200.00", "2026年预算数/公务接待费": "10.00"}),
    # 佛山市轨道交通局 2019 决算, 表7 page 21: every 预算数 0.00, 决算数 0.16 all 公务接待费
    ("guangdong-foshan-guidaojiaotongju-2019-final.pdf", 21, {
        "预算数": "0.00", "预算数/公务用车购置及运行费": "0.00", "预算数/公务接待费": "0.00",
        "决算数": "0.16", "决算数/因公出国（境）费": "0.00", "决算数/公务用车购置及运行费": "0.00",
        "决算数/公务用车购置费": "0.00", "决算数/公务用车运行费": "0.00", "决算数/公务接待费": "0.16"}),
    # 烟台市统计局 2026, 公开表7 page 18 (a rotated page): 因公出国 and 购置 printed empty
    ("shandong-yantai-tongjiju-2026-budget.pdf", 18, {
        "2025年预算数": "14.30", "2025年预算数/因公出国（境）经费": None,
        "2025年预算数/公务用车购置及运行维护费": "12.50", "2025年预算数/公务用车购置经费": None,
        "2025年预算数/公务用车运行维护费": "12.50", "2025年预算数/公务接待费": "1.80",
        "2026年预算数": "14.30", "2026年预算数/公务用车购置及运行维护费": "12.50",
        "2026年预算数/公务用车运行维护费": "12.50", "2026年预算数/公务接待费": "1.80"}),
    # 国家信访局 2024 决算, 公开09表 page 15 (行次 numbers 1-12 under the header)
    ("zhongyang-guojia-xinfangju-2024-final.pdf", 15, {
        "预算数": "76.43", "预算数/因公出国（境）费": "30.00", "预算数/公务用车购置及运行维护费": "40.63",
        "预算数/公务用车购置费": None, "预算数/公务用车运行维护费": "40.63", "预算数/公务接待费": "5.80",
        "决算数": "46.21", "决算数/因公出国（境）费": "4.69", "决算数/公务用车购置及运行维护费": "40.61",
        "决算数/公务用车购置费": None, "决算数/公务用车运行维护费": "40.61", "决算数/公务接待费": "0.90"}),
]


@pytest.mark.parametrize(("name", "page", "cells"), THREE_PUBLIC, ids=[x[0][:12] for x in THREE_PUBLIC])
def test_three_public_phases_side_by_side(name, page, cells):
    t = table_on(name, page, "three_public")
    assert not t.unresolved
    (row,) = t.rows
    for column, value in cells.items():
        assert column in t.columns
        assert row.values.get(column) == (Decimal(value) if value is not None else None), column
    # each phase's 合计 is the sum of its items, and the car group of its two parts
    phase = next(iter(cells)).split("/")[0]
    sums = dict((total, parts) for total, parts in t.column_sums)
    assert len(sums[phase]) == 3 and all(p.startswith(phase + "/") for p in sums[phase])
