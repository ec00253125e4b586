"""The regions' disclosures (corpus/SOURCES.md, "Round 2"): each document
either is fully read, or states exactly what is not yet read
(corpus_status.NOT_FULLY_READ) or which identities its publisher broke
(corpus_status.READ_WITH_PUBLISHER_ERRORS), so that any change in its reading shows here."""
from __future__ import annotations

import pytest

import extracted as cache
from budgetkg.read import ocr
from budgetkg.read.grouping import document_groups
from conftest import CORPUS
from corpus_status import NOT_FULLY_READ, READ_WITH_PUBLISHER_ERRORS, reading_status

REGIONS = [g for g in cache.groups([CORPUS / "pdf"]) if not g[0].name.startswith(("js-", "sh-"))]
EXTRACTED: dict[str, object] = {}


def extracted(name: str):
    if name not in EXTRACTED:
        group = next(g for g in REGIONS if g[0].name == name)
        EXTRACTED[name] = cache.document(group)  # extracted once per test run (tests/extracted.py)
    return EXTRACTED[name]


def test_every_region_document_is_listed_or_fully_read():
    names = {g[0].name for g in REGIONS}
    # Beijing's scanned narrative of 政务服务和数据管理局 pairs by its OCR'd cover; without OCR it stands alone
    assert len(names) == (15 if ocr.available() else 16)
    assert set(NOT_FULLY_READ) - names == set()
    assert set(READ_WITH_PUBLISHER_ERRORS) - names == set()
    assert set(NOT_FULLY_READ) & set(READ_WITH_PUBLISHER_ERRORS) == set()


@pytest.mark.parametrize("name", sorted(g[0].name for g in REGIONS))
def test_reading_status_is_exactly_as_stated(name):
    doc = extracted(name)
    fully_read = {"unit": doc.unit, "year": doc.year, "kind": doc.kind, "scope": doc.scope,
                  "money_unit": doc.money_unit, "unresolved": 0, "dropped": 0, "in_other": 0, "broken": 0}
    assert reading_status(doc) == NOT_FULLY_READ.get(name, READ_WITH_PUBLISHER_ERRORS.get(name, fully_read))


# ------------------------------------------------------------------ metadata


def test_old_corpus_metadata_and_scope():
    """Every earlier PDF's unit, year, kind, scope and money unit, as printed."""
    from budgetkg.read.pdf import read_pdf
    got = {g[0].name: (raw.unit, raw.year, raw.kind, raw.scope)
           for g in document_groups([CORPUS / "pdf"]) if g[0].name.startswith(("js-", "sh-"))
           for raw in [read_pdf(g)]}
    assert got["sh-putuo-zhengfuban-2025-unit-budget.pdf"] == ("上海市普陀区人民政府办公室", 2025, "budget", "unit")
    assert got["sh-putuo-zhengfuban-2025-budget.pdf"] == ("上海市普陀区人民政府办公室", 2025, "budget", "department")
    # 2018年度江苏省高级人民法院预算公开: the scope from its narrative (省级部门预算)
    assert got["js-gaojifayuan-2018-budget.pdf"] == ("江苏省高级人民法院", 2018, "budget", "department")
    assert all(None not in v for v in got.values()), got


@pytest.mark.parametrize(("title", "facts"), [
    ("2026 年度 福州市商务局 部门预算", ("福州市商务局", 2026, "budget", "department")),
    ("12019年佛山市轨道交通局部门决算", ("佛山市轨道交通局", 2019, "final_accounts", "department")),
    ("国家信访局2024年度部门决算 二〇二五年七月", ("国家信访局", 2024, "final_accounts", "department")),
    ("上海市普陀区2025年区级单位预算 预算单位：上海市普陀区人民政府办公室", (None, 2025, "budget", "unit")),
    ("附件2 2019年部门综合预算公开报表 部门名称：西安市安全生产监督管理局", (None, 2019, "budget", "department")),
    ("西安市卫生健康委员会（汇总）2022年度部门决算", ("西安市卫生健康委员会（汇总）", 2022, "final_accounts",
                                            "department")),
    ("-1- 北京市财政局2026年度部门预算信息公开 目录", ("北京市财政局", 2026, "budget", "department")),
    ("2018年度江苏省高级人民法院预算公开2018年2月24日", ("江苏省高级人民法院", 2018, "budget", None)),
    ("（一）因公出国（境）费用。2026年预算数51.3万元", (None, 2026, "budget", None)),
])
def test_title_facts(title, facts):
    from budgetkg.read.metadata import title_facts
    f = title_facts(title)
    assert (f.unit, f.year, f.kind, f.scope) == facts


def test_unit_qualifier_is_scope():
    from budgetkg.read.metadata import clean_unit
    assert clean_unit("西安市卫生健康委员会（汇总）") == ("西安市卫生健康委员会", "department")
    assert clean_unit("长沙市公安局（本级）") == ("长沙市公安局", "unit")
    assert clean_unit("国家信访局") == ("国家信访局", None)


# ------------------------------------------------------------------ pairing


def test_pairing_by_content():
    """Two PDFs are one disclosure by what they print, not by their names."""
    pairs = sorted(tuple(p.name for p in g) for g in document_groups([CORPUS / "pdf"]) if len(g) > 1)
    assert pairs == [
        # 部门名称 北京市财政局 in the tables' 部门整体支出绩效目标表, as the narrative's title
        ("beijing-caizhengju-2026-budget-tables.pdf", "beijing-caizhengju-2026-budget-text.pdf"),
        # the tables' 部门名称 cell and （2026年度） (p81) and the scan's OCR'd cover
        *([("beijing-zhengwu-shujuju-2026-budget-tables.pdf", "beijing-zhengwu-shujuju-2026-budget-text.pdf")]
          if ocr.available() else []),
        # 中共江苏省委办公厅 (tables) and 江苏省委办公厅 (narrative), same year and kind
        ("js-shengweibangongting-2018-budget-tables.pdf", "js-shengweibangongting-2018-budget-text.pdf"),
        ("js-shengweibangongting-2019-budget-tables.pdf", "js-shengweibangongting-2019-budget-text.pdf"),
    ]
    # a 部门预算 and the 单位预算 of the same unit and year are two documents (scope differs)


def test_pairing_ignores_file_names(tmp_path):
    """Renamed as a real folder names them, the Beijing halves still pair; a
    lone file and a file of another folder do not join them."""
    src = CORPUS / "pdf"
    (tmp_path / "a").mkdir()
    for old, new in [("beijing-caizhengju-2026-budget-text.pdf", "附件1：北京市财政局2026年部门预算情况说明.pdf"),
                     ("beijing-caizhengju-2026-budget-tables.pdf", "附件2：部门预算报表.pdf"),
                     ("zhejiang-huzhou-caizhengju-2026-budget.pdf", "湖州.pdf")]:
        (tmp_path / "a" / new).write_bytes((src / old).read_bytes())
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x-text.pdf").write_bytes((src / "js-shengweibangongting-2019-budget-text.pdf").read_bytes())
    groups = sorted([p.name for p in g] for g in document_groups([tmp_path]))
    assert groups == [["x-text.pdf"], ["湖州.pdf"], ["附件2：部门预算报表.pdf", "附件1：北京市财政局2026年部门预算情况说明.pdf"]]


# ------------------------------------------------------------------ titles


@pytest.mark.parametrize(("printed", "type_id"), [
    ("预算01表 收支总表", "summary"),
    ("表1 2026年市级部门收支预算总表", "summary"),
    ("公开表5 一般公共预算支出情况表", "general_budget_expenditure"),
    ("表五 2026年一般公共预算支出情况表", "general_budget_expenditure"),
    ("表一一般公共预算支出表", "general_budget_expenditure"),
    ("收入总体情况表", "income"),
    ("本年支出总体情况表", "expenditure"),
    ("2025年财政拨款收支总体情况表", "fiscal_summary"),
    ("国有资本经营预算支出情况表", "state_capital_expenditure"),
    ("政府采购预算情况表", "procurement"),
    ("部门预算基本支出预算表", "basic_expenditure"),
    ("公开表10 基本支出预算情况表", "basic_expenditure"),
    ("项目支出及其他支出预算表", "project_expenditure"),
    ("附表14 项目支出绩效目标表", "project_performance"),
])
def test_regional_titles(printed, type_id):
    """Numbering (预算01表, 公开表5, 表五, 附表14), year, level and scope words and the
    …情况表 / …预算总表 endings are the frame of a title, not its type."""
    from budgetkg.registry import registry
    m = registry().match_title(printed)
    assert m is not None and m[0].id == type_id


def test_a_sentence_naming_a_table_is_not_its_title():
    from budgetkg.read.pdf.reader import match_title
    assert match_title("详见收入总体情况表") is None
    assert match_title("基本支出总表") is not None  # 支出总表's own title, unchanged


def test_column_number_rows_are_not_amounts():
    """`** 1 2 3 4` under a header (湖州, 长沙 …) numbers the columns: no row, no amounts."""
    for name in ("zhejiang-huzhou-caizhengju-2026-budget.pdf", "hunan-changsha-gonganju-2025-budget.pdf"):
        doc = extracted(name)
        marks = [(t.title, r.where.page) for t in doc.tables for r in t.rows if r.code is None and set(r.name) <= set("*/")]
        assert marks == [], name


# ------------------------------------------------------------------ values read off the pages
# (table type, page of the table, row code or name, column, value), each read by eye
# off the page rendered with pypdfium2 on 2026-11-29
HAND_READ = {
    "chongqing-zhengfu-bangongting-2026-budget.pdf": [
        ("income", 10, "合计", "总计", "19230.18"), ("income", 10, "合计", "一般公共预算拨款收入", "18417.70"),
        ("income", 10, "201", "事业收入", "812.48"),
        ("expenditure", 12, "合计", "项目支出", "10211.71"), ("expenditure", 12, "20103", "基本支出", "6420.41"),
        ("general_budget_basic", 17, "合计", "公用经费", "1837.55"),
        ("general_budget_basic", 17, "3010201", "人员经费", "904.48"),
    ],
    "zhejiang-huzhou-caizhengju-2026-budget.pdf": [
        ("income", 19, "合计", "总计", "6838.41"),
        ("expenditure", 20, "合计", "项目支出", "1266.75"), ("expenditure", 20, "201", "公用经费", "611.02"),
        ("general_budget_basic", 25, "合计", "人员经费", "4944.99"),
    ],
    "hunan-changsha-gonganju-2025-budget.pdf": [
        ("income", 14, "合计", "合计", "68632.12"), ("income", 14, "合计", "其中:经费拨款", "50370.61"),
        ("expenditure", 15, "合计", "基本支出", "28398.17"), ("expenditure", 15, "合计", "项目支出", "40233.95"),
        ("three_public", 21, "合计", "公务用车购置及运行费", "400.00"), ("three_public", 21, "合计", "公务接待费", "28.50"),
    ],
    "guangdong-guangzhou-tongjiju-2026-budget.pdf": [
        ("income", 8, "合计", "合计", "9483.72"), ("income", 8, "合计", "一般公共预算", "9433.72"),
        ("expenditure", 9, "合计", "项目支出", "1082.05"),
        ("basic_expenditure", 20, "合计", "总计", "8401.67"),
    ],
    "shandong-yantai-tongjiju-2026-budget.pdf": [
        ("income", 8, "合计", "合计", "2123.11"), ("income", 8, "201", "一般公共预算收入", "1506.40"),
        ("expenditure", 10, "201", "项目支出", "326.00"), ("expenditure", 10, "合计", "基本支出", "1704.11"),
        # the 项目类别 column is read as part of the row's name (not yet a column of its own)
        ("project_expenditure", 24, "统计周期性调查/特定目标类", "合计", "368.00"),
    ],
    "fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf": [
        ("income", 14, "合计", "总计", "15184.81"), ("income", 14, "合计", "其他收入", "4200.00"),
        ("income", 14, "泉州市人民政府办公室", "一般公共预算拨款收入", "5898.74"),
        ("expenditure", 15, "合计", "项目支出", "9269.43"), ("expenditure", 15, "2010301", "基本支出", "3452.35"),
        ("three_public", 22, "合计", "预算数", "312.75"), ("three_public", 22, "公务接待费", "预算数", "18.85"),
    ],
    "zhongyang-guojia-xinfangju-2024-final.pdf": [
        # 收入支出决算总表 prints 行次 beside each amount (27, 31, 62): line numbers, not amounts
        ("summary", 7, ("本年收入合计", "收入"), "金额", "20451.35"), ("summary", 7, ("总计", "收入"), "金额", "22066.59"),
        ("summary", 7, ("年末结转和结余", "支出"), "金额", "7494.06"),
        ("income", 8, "合计", "财政拨款收入", "19572.91"), ("income", 8, "2014003", "其他收入", "609.94"),
        ("expenditure", 9, "合计", "基本支出", "11073.11"), ("expenditure", 9, "2014002", "项目支出", "4.70"),
    ],
    "guangdong-foshan-guidaojiaotongju-2019-final.pdf": [
        # its 合计 row is printed again on each continuation page (p9: the same 1668.14 … 0.01)
        ("income", 8, "合计", "本年收入合计", "1668.14"), ("income", 8, "合计", "其他收入", "0.01"),
        ("income", 8, "20805", "财政拨款收入", "76.23"),
        ("expenditure", 10, "合计", "基本支出", "746.39"), ("expenditure", 10, "合计", "项目支出", "921.75"),
        ("general_budget_expenditure", 15, "合计", "本年支出合计", "1668.14"),
        ("general_budget_expenditure", 15, "208", "基本支出", "76.23"),
    ],
}


def assert_read_off_the_page(doc, cases) -> None:
    """Each (table type, page, row code or name [or a tuple of them], column, value) as read by eye."""
    for type_id, page, row, column, value in cases:
        table = next(t for t in doc.tables if t.type == type_id and t.where.page == page)
        found = table.row(*row) if isinstance(row, tuple) else table.row(row)
        assert found is not None, (type_id, page, row)
        assert str(found.values.get(column)) == value, (type_id, page, row, column, found.values)


@pytest.mark.parametrize("name", sorted(HAND_READ))
def test_values_read_off_the_page(name):
    assert_read_off_the_page(extracted(name), HAND_READ[name])


def test_a_total_reprinted_on_a_continuation_page_is_read_once():
    """佛山 prints its 合计 row again at the top of each continuation page (支出决算表 p10 → p11:
    1668.14 | 746.39 | 921.75 | 0.00 | 0.00 | 0.00 both times): one 合计 row, and a warning says so."""
    doc = extracted("guangdong-foshan-guidaojiaotongju-2019-final.pdf")
    for type_id, pages in [("income", (8, 9)), ("expenditure", (10, 11)), ("general_budget_expenditure", (15, 16)),
                           ("gov_fund_expenditure", (22, 23))]:
        table = doc.table(type_id)
        assert [r.name for r in table.rows].count("合计") == 1, type_id
        assert any(w.startswith(f"page {pages[1]}: '{table.title}' reprints its 合计 row of page {pages[0]}")
                   for w in doc.warnings), type_id
    assert [r.code for r in doc.table("expenditure").rows if r.where.page == 11] == ["22102", "2210201"]
