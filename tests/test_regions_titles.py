"""Issue 10, every region read: table titles, table typing, and tables not found.

A title is printed in many frames (预算01表 收支总表, 表1.2026年市级部门收支预算总表, 表11-财拨结转支出表,
2019年部门综合预算…明细表（按支出经济分类科目）); the registry (loader/table_types.toml) holds the
variants as data. A table of no known type keeps its printed title, which is never a note, a page
number or a page footer. A standard table the document does not print is reported, unless the
document says it is empty, a regional table prints its content, or the 目录 shows the document's
template has no such table. Values below were read off the pages rendered with pypdfium2 (2026-11-29)."""
from __future__ import annotations

import pytest

from test_regions import REGIONS, assert_read_off_the_page, extracted

# ------------------------------------------------------------------ titles (registry)


@pytest.mark.parametrize(("printed", "type_id"), [
    # 西安 (部门综合预算): the function and economic variants of one 明细表 are two tables
    ("2019年部门综合预算一般公共预算支出明细表（按支出功能分类科目）", "general_budget_expenditure"),
    ("2019年部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "general_budget_economic"),
    ("2019年部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "general_budget_basic_function"),
    ("2019年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", "general_budget_basic"),
    ("2019年部门综合预算专项业务经费支出表", "project_expenditure"),
    ("表11-财拨结转支出表", "carryover_expenditure"),
    ("2019年部门综合预算财政拨款结转资金支出表", "carryover_expenditure"),
    ("2019年部门综合预算政府采购（资产配置、购买服务）预算表", "procurement"),
    ("2019年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "three_public"),
    # a fund in front of an all-funds title makes it another table
    ("2019年部门综合预算政府性基金收支总表", "gov_fund_expenditure"),
    ("国有资本经营预算财政拨款支出决算表", "state_capital_expenditure"),
    ("财政拨款“三公”经费及会议费、培训费支出决算表", "three_public"),
    ("基本支出总表", "basic_expenditure"),
    ("项目支出总表", "project_expenditure"),
    # …and a fund in front of a one-fund table does not
    ("一般公共预算财政拨款“三公”经费支出决算表", "three_public"),
    # a unit's or a project's name in front of a title is tolerated
    ("五、2018年度江苏省高级人民法院收支总表", "summary"),
    ("菜篮子工程建设专项资金项目绩效目标表", "project_performance"),
    # 福州 / 泉州, 深圳, 广州, 杭州
    ("2026年度一般公共预算基本支出经济分类情况表", "general_budget_basic"),
    ("2026年度一般公共预算支出经济分类情况表", "general_budget_economic"),
    ("一般公共预算支出表（按经济分类）", "general_budget_economic"),
    ("一般公共预算项目支出情况表（按经济分类科目）", "general_budget_project"),
    ("财政拨款安排的行政经费及“三公”经费预算表", "three_public"),
    ("表7：2026年市级部门一般公共预算“三公”经费预算表", "three_public"),
])
def test_title_variants(printed, type_id):
    from budgetkg.read.pdf.reader import match_title
    m = match_title(printed)
    assert m is not None and m[0].id == type_id, (printed, m and m[0].id)


def test_function_and_economic_variants_are_not_confused():
    """深圳 prints 一般公共预算支出表 twice, by function and by economic code."""
    from budgetkg.read.pdf.reader import match_title
    assert match_title("一般公共预算支出表（按功能分类）")[0].id == "general_budget_expenditure"
    assert match_title("一般公共预算支出表（按经济分类）")[0].id == "general_budget_economic"


# ------------------------------------------------------------------ what is never a title


@pytest.mark.parametrize("line", [
    "注：无。", "注：本套报表金额单位转换时存在尾数误差", "注：不含教学科研人员学术交流因公出国（境）费用。",
    "18", "-1-", "—28—", "第8页，共45页", "页(29)", "（2024年度）", "(2026年度)", "表5", "附表14",
    "单位：万元", "单位：万", "部门名称：杭州市司法局单位：万元",
])
def test_noise_is_never_a_title(line):
    from budgetkg.read.pdf.reader import _not_a_title
    assert _not_a_title(line)


@pytest.mark.parametrize("line", ["信访干部培训专项项目绩效自评表", "表2：综合评价得分情况表",
                                  "2026年市级部门项目支出绩效表"])
def test_a_printed_title_is_one(line):
    from budgetkg.read.pdf.reader import _not_a_title
    assert not _not_a_title(line)


# ------------------------------------------------------------------ the 目录 in its forms


def test_a_list_of_tables_inside_the_text_is_a_toc():
    """杭州 lists its tables at the end of the narrative (`四、2026年预算公开表`, then 表1. … 表11.),
    no 目录 heading: the titles are the 目录's entries, not tables without a grid."""
    from budgetkg.read import toc
    from budgetkg.read.pdf.reader import match_title
    page = ["（款）行政单位离退休（项）：反映行政单位开支的离退休经费。", "四、2026年预算公开表",
            "表1.2026年市级部门收支预算总表", "表2.2026年市级部门收入预算总表", "表3.2026年市级部门支出预算总表", "20"]
    assert toc.lists_tables_in_text(page, match_title)
    assert [e.type for e in toc.toc_entries(page, 21, match_title)] == ["summary", "income", "expenditure"]
    # headings with their explanations between them are a narrative, not a list
    narrative = ["一、收支总表", "本表反映部门收支总体情况。", "二、收入总表", "本表反映收入。", "三、支出总表"]
    assert not toc.lists_tables_in_text(narrative, match_title)


def test_a_toc_page_goes_on_with_parenthesised_numbers():
    """深圳's 目录 goes on on its next page as `二、表格部分` and （一）…（十一）."""
    from budgetkg.read import toc
    from budgetkg.read.pdf.reader import match_title
    page = ["二、表格部分", "（一）收支总表", "（二）收入总表", "（三）支出总表", "（四）基本支出总表",
            "（八）一般公共预算支出表（按经济分类）"]
    assert toc.continues_toc(page, match_title)
    assert [e.type for e in toc.toc_entries(page, 3, match_title)] == [
        "summary", "income", "expenditure", "basic_expenditure", "general_budget_economic"]


# ------------------------------------------------------------------ tables outside the template

# Every table of no known type with amounts placed in it, by document: (printed title, first page,
# why it is outside the template); a page of None stands for every such table whose title ends so.
# Nothing else may be `other`.
# None today: 北京's 预算14表 is typed transfer_performance, the captioned 重点项目绩效目标 grids (深圳 p39,
# 广州 p25) project_performance, the score tables (佛山 p29, 信访局 p48) performance_self_evaluation.
OUTSIDE_TEMPLATE: dict[str, list[tuple[str, int | None, str]] | str] = {}


def _others(doc):
    return [(t.title, t.where.page) for t in doc.tables if t.type == "other" and any(r.values for r in t.rows)]


@pytest.mark.parametrize("name", sorted(g[0].name for g in REGIONS))
def test_other_tables_are_outside_the_template(name):
    listed = OUTSIDE_TEMPLATE.get(name, [])
    if isinstance(listed, str):
        pytest.skip(listed)
    unlisted = [(title, page) for title, page in _others(extracted(name))
                if not any(title == t and page == p or p is None and title.endswith(t) for t, p, _ in listed)]
    assert unlisted == []
    for t, p, _ in listed:  # and each listed one is still there
        assert any(title == t and page == p or p is None and title.endswith(t)
                   for title, page in _others(extracted(name))), (t, p)


@pytest.mark.parametrize("name", sorted(g[0].name for g in REGIONS))
def test_no_other_table_is_titled_by_noise(name):
    """A note, a page number or a footer is never an `other` table's title (it was: '注：无。',
    '18', '第8页，共45页')."""
    from budgetkg.read.pdf.reader import _not_a_title
    noisy = [(t.title, t.where.page) for t in extracted(name).tables if t.type == "other" and _not_a_title(t.title)]
    assert noisy == []


# ------------------------------------------------------------------ standard tables found


@pytest.mark.parametrize("name", [
    "fujian-fuzhou-shangwuju-2026-budget.pdf",  # 一般公共预算基本支出经济分类情况表
    "fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf",
    "guangdong-guangzhou-tongjiju-2026-budget.pdf",  # 财政拨款安排的行政经费及“三公”经费预算表
    "zhejiang-hangzhou-sifaju-2026-budget.pdf",  # 表7：…一般公共预算“三公”经费预算表
    "shaanxi-xian-anjianju-2019-budget-tables.pdf",  # 明细表 (按…分类科目); 政府性基金 empty by its 目录
    "shaanxi-xian-weijianwei-2022-final.pdf",  # 国有资本经营 empty by its 目录; 三公 及会议费、培训费
    "zhongyang-guojia-xinfangju-2024-final.pdf",  # 国有资本经营预算财政拨款支出决算表, empty
    # its 一般公共预算支出表（按经济分类） prints the basic expenditure by economic code (registry: covers)
    "guangdong-shenzhen-renshe-2026-budget.pdf",
    # its 目录 lists the eight tables of its 2019 决算 template: no 国有资本经营预算 table
    "guangdong-foshan-guidaojiaotongju-2019-final.pdf",
])
def test_standard_tables_are_found(name):
    from budgetkg.reconstruct.coverage import document_coverage
    assert document_coverage(extracted(name)).missing_standard == []


def test_the_toc_declares_the_missing_tables_empty():
    from budgetkg.reconstruct.coverage import document_coverage
    cov = document_coverage(extracted("shaanxi-xian-anjianju-2019-budget-tables.pdf"))
    assert ("2019年部门综合预算政府性基金收支表", "本单位无政府性基金预算") in [
        (e.title, e.reason) for e in cov.toc if e.empty]
    cov = document_coverage(extracted("shaanxi-xian-weijianwei-2022-final.pdf"))
    assert [(e.type, e.reason) for e in cov.toc if e.empty] == [("state_capital_expenditure", "本部门不涉及故公开空表")]


# ------------------------------------------------------------------ values of the tables now typed
# (type, first page, row, column, value), read off the rendered page
HAND_READ = {
    "shaanxi-xian-anjianju-2019-budget-tables.pdf": [
        ("general_budget_expenditure", 7, "合计", "合计", "3643.37"),
        ("general_budget_expenditure", 7, "合计", "人员经费支出", "1839.51"),
        ("general_budget_expenditure", 7, "合计", "专项业务经费支出", "1620.98"),
        ("general_budget_economic", 10, "合计", "公用经费支出", "182.88"),
        ("general_budget_economic", 10, "301", "合计", "970.84"),
        ("general_budget_economic", 10, "302", "专项业务经费支出", "933.30"),
        ("general_budget_basic_function", 16, "合计", "合计", "2022.39"),
    ],
    "fujian-fuzhou-shangwuju-2026-budget.pdf": [
        ("general_budget_basic", 21, "合计", "预算数", "3861.25"),
        ("general_budget_basic", 21, "301", "预算数", "2964.61"),
        ("general_budget_basic", 21, "30101", "预算数", "603.58"),
    ],
    "guangdong-guangzhou-tongjiju-2026-budget.pdf": [
        ("three_public", 17, "行政经费", "合计", "839.21"),
        ("three_public", 17, "行政经费", "一般公共预算", "839.21"),
    ],
}


@pytest.mark.parametrize("name", sorted(HAND_READ))
def test_values_of_tables_now_typed(name):
    assert_read_off_the_page(extracted(name), HAND_READ[name])
