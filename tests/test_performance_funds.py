"""The funds block of 整体 performance tables (read/pdf/performance_funds.py), hand-read off the
rendered pages: its amounts are rows of the table, in the column their header names, and add up
as the header says."""
from __future__ import annotations

from decimal import Decimal

import pytest

from test_regions import extracted

ZHENGWU = "beijing-zhengwu-shujuju-2026-budget-tables.pdf"
CAIZHENG = "beijing-caizhengju-2026-budget-tables.pdf"
CHANGSHA = "hunan-changsha-gonganju-2025-budget.pdf"
ANJIAN = "shaanxi-xian-anjianju-2019-budget-tables.pdf"


def _table(name: str, page: int, type_: str = "overall_performance"):
    return next(t for t in extracted(name).tables if t.type == type_ and t.where.page == page)


# (document, table page, row name, row page, {column: printed amount}): every cell of the block's row;
# a column absent here is printed blank
ROWS = [
    # 预算13表 p81: 部门名称 above; 预算支出总额 | 财政拨款 (合计 | 基本支出 | 项目支出) | 其他资金 (…)
    (ZHENGWU, 81, "北京市政务服务和数据管理局", 81, {
        "预算支出总额": "101673.030619", "财政拨款": "101503.324495", "财政拨款/基本支出": "38186.119752",
        "财政拨款/项目支出": "63317.204743", "其他资金": "169.706124", "其他资金/基本支出": "10.890000",
        "其他资金/项目支出": "158.816124"}),
    # p44: 其他资金's three cells printed blank
    (CAIZHENG, 44, "北京市财政局", 44, {
        "预算支出总额": "44169.357532", "财政拨款": "44169.357532", "财政拨款/基本支出": "28016.258321",
        "财政拨款/项目支出": "16153.099211"}),
    # p51: 年度预算申请 over 资金总额 | 按收入性质分 (4) | 按支出性质分 (2), a row per unit (106001)
    (CHANGSHA, 51, "长沙市公安局", 51, {
        "资金总额": "68632.12", "按收入性质分/一般公共预算": "68632.12", "按支出性质分/基本支出": "28398.17",
        "按支出性质分/项目支出": "40233.95"}),
    # p33: 预算金额（万元） over 总额 | 财政拨款 | 其他资金, a row per task and 金额合计
    (ANJIAN, 33, "机关运行及人员保障", 33, {"总额": "2022.39", "财政拨款": "2022.39"}),
    (ANJIAN, 33, "安全生产监督检查", 33, {"总额": "1620.98", "财政拨款": "1620.98"}),
    (ANJIAN, 33, "合计", 33, {"总额": "3643.37", "财政拨款": "3643.37"}),
    # 泉州 p37: key | value rows under 年度预算安排（万元）, 部门名称 above
    ("fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf", 37, "泉州市人民政府办公室", 37, {
        "资金总额": "8200.95", "项目支出": "2285.57", "基本支出": "5915.38", "其他资金": "0.00"}),
    # p39: key | value rows (实施期资金总额 | 1620.98, 其中：财政拨款 | 1620.98, 其他资金 | blank)
    (ANJIAN, 39, "西安市安全生产监督管理局", 39, {"实施期资金总额": "1620.98", "财政拨款": "1620.98"}),
]


@pytest.mark.parametrize(("name", "page", "row", "row_page", "cells"), ROWS,
                         ids=[f"{r[0].split('-')[1]}-p{r[1]}-{r[2]}" for r in ROWS])
def test_the_funds_row_is_read_off_the_page(name, page, row, row_page, cells):
    t = _table(name, page)
    r = t.row(row)
    assert r is not None, [x.name for x in t.rows]
    assert r.where.page == row_page
    assert {c: str(v) for c, v in r.values.items()} == cells


def test_the_columns_add_up_as_the_header_says():
    assert _table(ZHENGWU, 81).column_sums == [
        ("预算支出总额", ["财政拨款", "其他资金"]),
        ("财政拨款", ["财政拨款/基本支出", "财政拨款/项目支出"]),
        ("其他资金", ["其他资金/基本支出", "其他资金/项目支出"])]
    income = ["按收入性质分/一般公共预算", "按收入性质分/政府性基金拨款", "按收入性质分/财政专户管理资金",
              "按收入性质分/其他资金"]
    assert _table(CHANGSHA, 51).column_sums == [
        ("资金总额", income), ("资金总额", ["按支出性质分/基本支出", "按支出性质分/项目支出"])]
    assert _table(ANJIAN, 33).column_sums == [("总额", ["财政拨款", "其他资金"])]
    # key | value rows: each kind of part printed twice or more (其他资金 alone finishes no breakdown)
    assert _table(ANJIAN, 39).column_sums == [("实施期资金总额", ["财政拨款", "其他资金"])]
    assert _table("fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf", 37).column_sums == [
        ("资金总额", ["项目支出", "基本支出"])]
    for name, page in ((ZHENGWU, 81), (CAIZHENG, 44), (CHANGSHA, 51), (ANJIAN, 33), (ANJIAN, 39)):
        # none of the block's own sums is broken (the table's inconsistencies are its indicators' or none)
        assert not any("整体" in i.table and i.where.page == page for i in extracted(name).inconsistencies), (name, page)


def test_a_unit_row_reprinted_on_each_page_is_read_once():
    """长沙's unit row is one cell merged down pp51-53, printed again on each page: one row, and its
    copies are neither rows nor unresolved."""
    t = _table(CHANGSHA, 51)
    assert [r.where.page for r in t.rows if r.name == "长沙市公安局"] == [51]
    assert not [u for u in t.unresolved if u.value in (Decimal("68632.12"), Decimal("28398.17"))]


def test_a_transfer_payments_sources_are_the_projects():
    """预算14表 p48: 年度金额 5612.000000 is the transfer's amount; 其中：中央财政资金 (blank) | 市级财政资金
    5612.000000 | 其他资金 (blank) split it."""
    t = _table(CAIZHENG, 48, "transfer_performance")
    (p,) = t.projects
    assert (p.name, p.amount) == ("普惠金融发展专项资金", Decimal("5612.000000"))
    assert p.sources == {"市级财政资金": Decimal("5612.000000")}
    assert not t.unresolved


def test_the_block_agrees_with_the_expenditure_table_or_the_publisher_differs():
    """Checked on the rendered pages: 北京政务's 支出总表 合计 (p6) 101,605.173803 and 项目支出 63,408.164051
    against 预算13表's 101,673.030619 and 63,317.204743 + 158.816124 (p81); 西安安监局's 支出总表 总计
    3,695.91 (p5) against 总额 3,643.37 (p33), its 其他资金 blank beside 上年实户资金余额 40.93 and 上年结转 11.61.
    北京财政局's agree."""
    got = {(n, i.where.page, i.printed, i.expected) for n in (ZHENGWU, CAIZHENG, ANJIAN)
           for i in extracted(n).inconsistencies if "整体绩效目标表" in i.identity}
    assert got == {(ZHENGWU, 81, Decimal("101605.173803"), Decimal("101673.030619")),
                   (ZHENGWU, 81, Decimal("63408.164051"), Decimal("63476.020867")),
                   (ANJIAN, 33, Decimal("3695.91"), Decimal("3643.37"))}
