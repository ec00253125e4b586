"""三公 tables and performance-target tables in the regions' layouts, with
values read by hand off the rendered pages (page numbers 1-based, as printed
in the PDF viewer)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import extracted
from conftest import CORPUS

PDF = CORPUS / "pdf"
DOCS: dict[str, object] = {}


def doc(name: str):
    if name not in DOCS:
        DOCS[name] = extracted.document([PDF / name])  # once per test run (tests/extracted.py)
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


# ------------------------------------------------------------------ performance tables

def test_projects_as_rows_of_one_header():
    """杭州 表11 项目支出绩效表 (pages 39-40): 单位名称 | 项目名称 | 金额 | 绩效目标, one
    project a row, continued on page 40 without its header."""
    name = "zhejiang-hangzhou-sifaju-2026-budget.pdf"
    t = table_on(name, 39, "project_performance")
    assert len(t.projects) == 31
    first, last = t.projects[0], t.projects[-1]
    assert (first.name, first.amount, first.where.page) == ("法治杭州建设", Decimal("69.00"), 39)
    assert first.goal == "加快推进法治领域改革杭州实践，制定并实施年度涉外法治重点项目。"
    assert (last.name, last.amount, last.where.page) == ("法律援助", Decimal("317.82"), 40)
    big = [p for p in t.projects if p.amount == Decimal("12898.00")]
    assert [p.name for p in big] == ["狱政设施建设"]
    assert not t.unresolved


def test_one_project_per_page_with_levels():
    """烟台 政策和项目预算绩效目标表 (pages 30-33), one project a page, key/value
    cells over an indicator block 一级指标 | 二级指标 | 三级指标 | 指标值."""
    name = "shandong-yantai-tongjiju-2026-budget.pdf"
    t = table_on(name, 30, "project_performance")
    assert [(p.name, p.amount, p.where.page) for p in t.projects] == [
        ("实施公车统管费用", Decimal("25.00"), 30), ("设备购置更新", Decimal("16.00"), 31),
        ("统计周期性调查", Decimal("368.00"), 32), ("1%人口抽样调查", Decimal("10.00"), 33)]
    p = t.projects[0]
    assert p.goal == "主要用于保障机构正常运转、完成调查任务工作。"
    got = [(i.category, i.subcategory, i.name, i.operator, i.value, i.unit) for i in p.indicators]
    assert got == [("成本指标", "经济成本", "公车统管费用总量控制", "≤", "25", "万元"),
                   ("产出指标", "数量指标", "经费支出率", "≤", "100", "%"),
                   ("产出指标", "质量指标", "经费支付准确率", "=", "100", "%"),
                   ("产出指标", "时效指标", "经费支付及时率", "=", "100", "%"),
                   # 社会效益指标: one cell merged over both rows
                   ("效益指标", "社会效益指标", "部门单位正常运转", None, "正常运转", None),
                   ("效益指标", "社会效益指标", "部门单位履职能力提升", None, "有效提升", None)]
    assert [i.name for i in t.projects[2].indicators][-1] == "社会调查对象满意度"
    assert t.projects[2].indicators[-1].category == "满意度指标"


def test_indicator_levels_reach_the_contract_and_the_graph():
    """The 二级指标 is kept beside the 一级 (category): in the JSON contract, read
    back by contract.py, and as bkg:indicatorSubcategory in the graph."""
    from budgetkg.contract import document_from_json
    from budgetkg.graph.document import document_graph

    d = doc("shandong-yantai-tongjiju-2026-budget.pdf")
    t = table_on("shandong-yantai-tongjiju-2026-budget.pdf", 30, "project_performance")
    ind = t.projects[0].indicators[0].to_json()
    assert (ind["category"], ind["subcategory"]) == ("成本指标", "经济成本")
    back = document_from_json(d.to_json())
    (t2,) = [x for x in back.tables if x.type == "project_performance"]
    assert t2.projects[1].indicators[1].subcategory == "数量指标"
    subs = {str(o.value) for _, p, o in document_graph(d).triples if p.value.endswith("/indicatorSubcategory")}
    assert {"经济成本", "数量指标", "质量指标", "时效指标", "社会效益指标"} <= subs


def test_goal_only_project_rows_and_their_printed_total():
    """湖州 表11 项目支出绩效表 (page 32): 单位名称 | 项目名称 | 金额 | 项目总体绩效目标,
    a row of column marks (** ** **), then the total 1,266.75 on a row of its own."""
    t = table_on("zhejiang-huzhou-caizhengju-2026-budget.pdf", 32, "project_performance")
    assert [(p.name, p.amount) for p in t.projects] == [
        ("财政服务综合业务管理", Decimal("120.00")), ("财政票据综合管理", Decimal("10.00")),
        ("市级预算项目评审", Decimal("371.00")), ("财政管理与改革", Decimal("110.00")),
        ("财政事务综合业务管理", Decimal("355.00")), ("信息化建设与运维", Decimal("113.75")),
        ("全市会计人员考培", Decimal("187.00"))]
    assert sum(p.amount for p in t.projects) == Decimal("1266.75")
    # the printed total is no project's: read as the table's 合计, held to the projects' sum
    assert t.unresolved == [] and t.rows == []  # the table's rows are its projects (and that total)
    from budgetkg.read.pdf import read_pdf
    from budgetkg.reconstruct.identities import document_identities
    raw = read_pdf(PDF / "zhejiang-huzhou-caizhengju-2026-budget.pdf")
    ti, rt = next((i, r) for i, r in enumerate(raw.tables) if r.type == "project_performance")
    total = [i for i, r in enumerate(rt.rows) if r.name == "合计"]
    assert [(tok.text, tok.value, tok.where.page) for i in total for tok in rt.rows[i].tokens] == [
        ("1,266.75", Decimal("1266.75"), 32)]
    # an identity: the total = Σ the 7 projects' amounts (and the 项目支出 cross-check leaves it out)
    sums = [i for i in document_identities(raw.tables, raw.kind) if i.lhs.table == ti or
            any(c.table == ti for c in i.rhs)]
    assert [(i.lhs.row, len(i.rhs)) for i in sums if i.lhs.table == ti] == [(total[0], 7)]
    assert all(c.row != total[0] for i in sums for c in i.rhs)
    assert doc("zhejiang-huzhou-caizhengju-2026-budget.pdf").coverage.fully_read


def test_a_project_cut_by_the_page_break_is_one_project():
    """北京市财政局 预算12表 (page 17): one row per indicator, the project's cells
    merged over its rows. The second project's cells run on to page 18, where its name
    and amount are printed (the PDF draws the whole text on both pages, each clipping it
    to its part): its 4 indicators of page 17 and 4 of page 18 are one project's."""
    t = table_on("beijing-caizhengju-2026-budget-tables.pdf", 17, "project_performance")
    first = t.projects[0]
    assert (first.name, first.amount) == ("11000022T000000455794-评审工作经费", Decimal("839.000000"))
    assert first.goal.startswith("按时、保质完成2026年各项评审工作任务")
    got = [(i.category, i.subcategory, i.name, i.operator, i.value, i.unit) for i in first.indicators]
    assert got[0] == ("产出指标", "质量指标", "评审报告内容依据充分、合法合规、结论严谨合理准确率", "≥", "98", "%")
    assert got[5] == ("效益指标", "社会效益指标", "提高财政资金使用效益，节约财政资金、规范项目预算申报、推动支出标准建设",
                      None, "优", None)
    assert got[-1] == ("成本指标", "经济成本指标", "委托评审服务费预算控制数", "≤", "819", "万元")
    assert len(got) == 10
    second = t.projects[1]
    assert (second.name, second.amount, second.where.page) == (
        "11000022T000000456408-企业财务会计决算报表工作服务", Decimal("67.700000"), 18)
    # the goal's two parts, page 17's and page 18's
    assert second.goal == "组织完成本市国有企业财务会计决算报告上报工作，决算报告相关数据供相关决策者参考。"
    assert [(i.name, i.operator, i.value, i.unit, i.where.page) for i in second.indicators] == [
        ("聘用注册会计师单位成本", "≤", "800", "元/天", 17), ("决算数据供相关者决策参考", None, "高", None, 17),
        ("全市国有企业报表审核覆盖率", "≥", "80", "%", 17), ("项目持续发挥作用的期限", "=", "1", "年", 17),
        ("确保企业决算报告真实、完整、合规和企业国有资产报告及时准确编制合格率", "≥", "80", "%", 18),
        ("审核汇总数据完成时间", "≤", "12", "月", 18), ("审核一级决算单位数量", "≥", "100", "家", 18),
        ("会审、技术服务人员", "≥", "20", "人", 18)]
    assert not t.indicators


def test_a_table_over_thirty_pages_is_one_table():
    """北京市财政局 预算12表 runs from page 17 to 43 with no header after page 17 and
    no title: one table of 39 projects, every amount a project's. 会计管理业务服务 starts
    on the last row of page 22, fills page 23 (its merged cells with no rule above or
    below) and ends on the first row of page 24: 1 + 13 + 1 indicators."""
    d = doc("beijing-caizhengju-2026-budget-tables.pdf")
    (t,) = [x for x in d.tables if x.type == "project_performance"]
    # every project prints its 其中：财政资金 (issue 10): kept as its source, nothing unresolved
    assert len(t.projects) == 39 and not t.unresolved
    assert all(set(p.sources) == {"财政资金"} for p in t.projects)
    (p,) = [p for p in t.projects if p.where.page == 23]
    assert (p.name, p.amount) == ("11000022T000000457215-会计管理业务服务", Decimal("37.400000"))
    assert [i.where.page for i in p.indicators] == [22] + [23] * 13 + [24]
    assert [(i.name, i.value, i.unit) for i in p.indicators][::7] == [
        ("提升北京单位会计信息化建设水平", "优", None), ("行政事业单位开展内部控制评价率", "90", "%"),
        ("咨询对象满意率", "99", "%")]
    last = t.projects[-1]
    assert (last.name, last.amount, last.where.page) == (
        "11000022T000000456502-政府采购管理服务", Decimal("115.900000"), 43)
    assert not [o for o in d.coverage.other_tables if 17 <= o.where.page <= 43]


# ------------------------------------------------------------------ self-evaluations (绩效自评表)
# A final account's 项目支出绩效自评表: key/value cells, a block of amounts (年初预算数 |
# 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分) and indicator rows with what was achieved.

def _rows(t):
    return {r.name: {c: str(v) for c, v in r.values.items()} for r in t.rows}


def _levels(ind):
    return (ind.category, ind.subcategory, ind.name, ind.operator, ind.value, ind.unit,
            ind.weight, ind.actual, ind.score)


def test_project_self_evaluation_over_two_pages():
    """国家信访局 信访干部培训专项项目绩效自评表 (page 30, its last indicators on page 31)."""
    t = table_on("zhongyang-guojia-xinfangju-2024-final.pdf", 30, "performance_self_evaluation")
    (p,) = t.projects
    # the amount of a project in a final account: its 全年执行数 (a cell of 年度资金总额)
    assert (p.name, p.amount) == ("信访干部培训专项", Decimal("180.03"))
    assert _rows(t) == {
        "年度资金总额": {"年初预算数": "180.61", "全年预算数": "180.03", "全年执行数": "180.03"},
        "其中：财政拨款": {"年初预算数": "140.61", "全年预算数": "140.61", "全年执行数": "140.61"},
        "上年结转": {"年初预算数": "40.00", "全年预算数": "39.42", "全年执行数": "39.42"},
        "其他资金": {"年初预算数": "0.00", "全年预算数": "0.00", "全年执行数": "0.00"}}
    assert not t.unresolved
    got = [_levels(i) for i in p.indicators]
    # the budget's execution, scored: 分值 10.0, 执行率 100.00%, 得分 10
    assert got[0] == (None, None, "年度资金总额", None, None, None, "10.0", "100.00%", "10")
    # 执行率 0.0% of 其中：财政拨款, 上年结转 and 其他资金 (rows scoring no points: 分值 and 得分 printed --,
    # read off the page): each row's execution rate, no points
    assert got[1:4] == [(None, None, name, None, None, None, None, "0.0%", None)
                        for name in ("其中：财政拨款", "上年结转", "其他资金")]
    assert got[4] == ("成本指标", "经济成本指标", "参加培训学员人均培训费", None, "不超标准", None, "20", "未超标准", "20")
    assert got[5] == ("产出指标", "数量指标", "培养实践锻炼、跟班学习干部人数", "≥", "110", "人", "6", "123人", "6")
    assert p.indicators[11].deviation.startswith("工作质量提升情况缺少有效数据支撑")
    assert (p.indicators[11].weight, p.indicators[11].score) == ("10", "9")
    assert [i.where.page for i in p.indicators].count(31) == 3
    assert got[-1] == (None, None, "总分", None, None, None, "100", None, "98")


def test_a_continuation_page_goes_on_with_its_indicators():
    """信访研究宣传立法专项 (pages 32-33): page 33 prints no title, its rows carry on."""
    t = table_on("zhongyang-guojia-xinfangju-2024-final.pdf", 32, "performance_self_evaluation")
    (p,) = t.projects
    assert (p.name, p.amount) == ("信访研究宣传立法专项", Decimal("413.57"))
    on33 = [_levels(i) for i in p.indicators if i.where.page == 33]
    assert on33[0] == ("产出指标", "数量指标", "舆情报告报送量（期）", "≥", "55", "期", "8", "55期", "8")
    assert on33[-1] == (None, None, "总分", None, None, None, "100", None, "94.7")
    assert not t.unresolved  # the 其中 rows' 执行率 (0.0%) are their rates


def test_project_self_evaluation_of_one_page():
    """西安市卫健委 2022年病媒生物防制项目绩效自评表 (page 55)."""
    t = table_on("shaanxi-xian-weijianwei-2022-final.pdf", 55, "performance_self_evaluation")
    (p,) = t.projects
    assert (p.name, p.amount) == ("2022年病媒生物防制", Decimal("229.19"))
    assert _rows(t) == {
        "年度资金总额": {"年初预算数": "240", "全年预算数": "229.19", "全年执行数": "229.19"},
        "其中：当年财政拨款": {"年初预算数": "240", "全年预算数": "229.19", "全年执行数": "229.19"}}
    got = [_levels(i) for i in p.indicators]
    assert got[0] == (None, None, "年度资金总额", None, None, None, "10", "100.00%", "10.00")
    assert got[1] == ("产出指标（50分）", "数量指标", "指标1：消杀覆盖区县（开发区）数量", None, "16", "个",
                      "12.5", "16个", "12.5")
    assert got[4][2:] == ("指标1：全年项目经费支出", None, "240", "万元", "12.5", "229.19万元", "12.5")
    assert got[-1] == (None, None, "总分", None, None, None, "100", None, "100")


def test_department_self_evaluation_tasks_and_indicators():
    """西安市卫健委 部门整体支出绩效自评表 (pages 30-31): one row per task, 全年预算数 and
    全年执行数 each over 总额 | 财政拨款 | 其他资金; the indicators on page 31."""
    t = table_on("shaanxi-xian-weijianwei-2022-final.pdf", 30, "performance_self_evaluation")
    rows = _rows(t)
    assert rows["学前教育"] == {"全年预算数/总额": "1292.55", "全年预算数/财政拨款": "1182.59",
                            "全年预算数/其他资金": "109.96", "全年执行数/总额": "1263.33",
                            "全年执行数/财政拨款": "1182.59", "全年执行数/其他资金": "80.74"}
    assert rows["金额合计"] == {"全年预算数/总额": "2495142.55", "全年预算数/财政拨款": "869407.93",
                            "全年预算数/其他资金": "1625734.62", "全年执行数/总额": "2074962.01",
                            "全年执行数/财政拨款": "869329.38", "全年执行数/其他资金": "1205632.63"}
    assert len(rows) == 18 and not t.unresolved and not t.projects
    scored = {i.name: (i.weight, i.actual, i.score) for i in t.indicators if i.where.page == 30}
    assert scored["其他教育支出"] == ("0.58", "7.30%", "0.58")
    on31 = [_levels(i) for i in t.indicators if i.where.page == 31]
    assert on31[7] == ("产出指标（50分）", "数量指标", "指标8：引进高层次人次", "≥", "800", "人", "2", "744人", "1.5")
    assert on31[-1] == (None, None, "总分", None, None, None, "100", None, "99.5")


def test_self_evaluation_reaches_the_contract_and_the_graph():
    """What was achieved, the score and the reason of a shortfall: in the contract (read back)
    and in the graph; the amounts are the project's, the executed one in phase executed."""
    from budgetkg.contract import document_from_json
    from budgetkg.graph.document import document_graph

    d = doc("zhongyang-guojia-xinfangju-2024-final.pdf")
    back = document_from_json(d.to_json())
    t2 = [x for x in back.tables if x.type == "performance_self_evaluation"][0]
    assert (t2.projects[0].indicators[5].actual, t2.projects[0].indicators[5].score) == ("123人", "6")
    assert (t2.projects[0].indicators[1].actual, t2.projects[0].indicators[1].score) == ("0.0%", None)
    triples = document_graph(d).triples
    scores = {str(o.value) for _, p, o in triples if p.value.endswith("/score")}
    assert {"9", "94.7", "98"} <= scores
    assert any(p.value.endswith("/deviationReason") and str(o.value).startswith("工作质量提升情况")
               for _, p, o in triples)
    project = [s for s, p, o in triples if p.value.endswith("#label") and str(o.value) == "信访干部培训专项"]
    executed = {s for s, p, o in triples if p.value.endswith("/budgetPhase") and o.value.endswith("executed")}
    of_project = {s for s, p, o in triples if p.value.endswith("/project") and o in project}
    values = {str(o.value) for s, p, o in triples if s in of_project & executed and p.value.endswith("/amount")}
    assert "180.03" in values or "1800300" in values or "1800300.00" in values, values


# ------------------------------------------------ tables a caption or a header names
# 广东's disclosures print the 重点项目绩效目标 table under a sentence, not a title:
# `2026年，本部门重点项目绩效目标情况如下：`, on the grid's page or at the foot of the page before.

def test_a_caption_sentence_names_a_project_table():
    """深圳市人力资源和社会保障局 2026, page 39: 二级预算单位名称 | 一级项目名称 | 预算数（万元） |
    绩效目标, the caption just above the grid; the table goes on to page 52 (56 projects)."""
    t = table_on("guangdong-shenzhen-renshe-2026-budget.pdf", 39, "project_performance")
    assert t.title == "2026年，本部门重点项目绩效目标情况如下："
    assert [(p.name, p.amount, p.where.page) for p in t.projects[:3]] == [
        ("人力资源综合管理", Decimal("2858.27"), 39), ("劳动关系管理", Decimal("6363.32"), 39),
        ("市级人才专项经费", Decimal("114908.00"), 39)]
    assert t.projects[0].goal.startswith("完成全局各项人力资源和社会保障统计工作")
    assert len(t.projects) == 56 and t.unresolved == []
    assert doc("guangdong-shenzhen-renshe-2026-budget.pdf").coverage.fully_read


def test_a_caption_at_the_foot_of_the_page_before():
    """广州市统计局 2026: the caption ends page 24 (printed 22), the grid 项目 | 预算数（单位：万元） |
    绩效目标 tops page 25 (printed 23)."""
    t = table_on("guangdong-guangzhou-tongjiju-2026-budget.pdf", 25, "project_performance")
    assert [(p.name, p.amount) for p in t.projects] == [
        ("广州市第四次全国农业普查经费", Decimal("534.72")), ("统计专项经费", Decimal("195.19")),
        ("其他运行经费", Decimal("7"))]
    assert t.projects[2].goal == "通过完成各项后勤服务，为本单位统计监测和统计发展工作提供后勤支持。"
    assert doc("guangdong-guangzhou-tongjiju-2026-budget.pdf").coverage.fully_read


# Scores of a performance evaluation are points out of a weight, not money: indicators'
# weight / score strings, never amounts (so never in an `other` table, never observations).

def test_project_scores_printed_without_a_title():
    """佛山市轨道交通局 2019 决算, page 29: 项目名称 | 自评分数 inside the narrative, no title:
    its header row types it (registry: headers)."""
    d = doc("guangdong-foshan-guidaojiaotongju-2019-final.pdf")
    t = table_on("guangdong-foshan-guidaojiaotongju-2019-final.pdf", 29, "performance_self_evaluation")
    # each score an indicator named by its project: no amount is printed, so no project of its own
    assert [(i.name, i.score, i.where.page) for i in t.indicators] == [
        ("质量抽检和试验检测管理", "100", 29), ("2019年度聘请专家人员经费", "96.53", 29),
        ("佛山市轨道交通局开办经费", "97.87", 29), ("轨道交通建设管理咨询服务", "100", 29),
        ("轨道交通工程质量安全行业监管技术服务", "99.71", 29), ("城市轨道及湾华控制中心质量安全监管服务", "100", 29),
        ("广佛两市轨道交通系统一体化规划", "100", 29)]
    assert t.projects == [] and t.rows == []
    # the 7 scores are not amounts; the 22 of the 合计 rows reprinted on continuation pages are read once
    assert d.coverage.fully_read and d.coverage.amounts == 510


def test_evaluation_scores_by_category():
    """国家信访局 2024 决算, page 48: 表2：综合评价得分情况表, 一级指标 | 分值 | 得分 | 得分率."""
    d = doc("zhongyang-guojia-xinfangju-2024-final.pdf")
    t = table_on("zhongyang-guojia-xinfangju-2024-final.pdf", 48, "performance_self_evaluation")
    assert t.title == "表2：综合评价得分情况表"
    assert [(i.category, i.weight, i.score, i.actual) for i in t.indicators] == [
        ("决策", "20", "17.90", "89.50%"), ("过程", "20", "17.99", "89.95%"), ("产出", "30", "25.30", "84.33%"),
        ("效益", "30", "24.00", "80.00%"), ("合计", "100", "85.19", "85.19%")]
    assert t.rows == [] and t.projects == []
    assert "other" not in d.coverage.tables
    # the self-evaluations' 0.0% rates of rows scoring no points are kept too: fully read
    assert d.coverage.fully_read and d.coverage.unresolved == 0


def test_caption_and_header_rules():
    from budgetkg.registry import caption_title, registry
    assert caption_title("2026年，本部门重点项目绩效目标情况如下：") == "本部门重点项目绩效目标表"
    assert caption_title("本部门2026年收入预算情况如下:") == "本部门2026年收入预算表"
    assert caption_title("2026年本部门政府采购安排562.87万元。") is None
    assert registry().match_header(["项目名称", "自评分数"]).id == "performance_self_evaluation"
    assert registry().match_header(["项目名称", "预算数"]) is None


def test_a_transfer_payments_targets_are_a_table_of_their_own():
    """北京市财政局 2026, 预算14表 专项转移支付绩效目标表 (page 48): 转移支付名称 | 普惠金融发展专项资金,
    年度金额 5612.000000 (万元), 年度目标, seven indicators. A transfer payment the department
    administers, not its own project: typed apart from 预算12表's projects, never summed with them."""
    d = extracted.document([PDF / "beijing-caizhengju-2026-budget-tables.pdf",
                            PDF / "beijing-caizhengju-2026-budget-text.pdf"])
    t = table_on_doc(d, 48, "transfer_performance")
    assert [(p.name, p.amount, p.goal) for p in t.projects] == [
        ("普惠金融发展专项资金", Decimal("5612.000000"), "支持重点群体和符合条件的小微企业融资发展。")]
    assert [(i.category, i.subcategory, i.name, i.operator, i.value, i.unit) for i in t.projects[0].indicators[:2]] == [
        ("产出指标", "数量指标", "本年度创业担保贷款发放额", "≥", "50", "亿元"),
        ("产出指标", "质量指标", "创业担保贷款回收率", "≥", "90", "%")]
    # its 其中：市级财政资金 5612.000000 (read off the page; 中央财政资金 and 其他资金 empty) splits its amount
    assert len(t.projects[0].indicators) == 7 and t.rows == []
    assert t.projects[0].sources == {"市级财政资金": Decimal("5612.000000")} and t.unresolved == []
    assert "other" not in d.coverage.tables and d.coverage.amounts_in_other == 0
    # the department's own projects (预算12表, page 17) are still the ones 项目支出 is checked against
    assert [i.identity for i in d.inconsistencies] == ["支出总表 项目支出 = Σ 项目绩效目标表 金额"]


def table_on_doc(d, page: int, ttype: str):
    found = [t for t in d.tables if t.where.page == page and t.type == ttype]
    assert found, f"no {ttype} table starting on page {page}"
    return found[0]


# ------------------------------------------------------------------ every number counted (issue 10)
# A number printed in a performance table's grid is kept (a project's amount, a row's value, an
# indicator's target, weight, result or score) or reported unresolved on its page, and counted among
# the printed amounts: never silently dropped.


def test_a_fund_source_split_is_kept_on_its_project():
    """北京市财政局 预算12表 p17 (read off the page): 11000022T000000455794-评审工作经费 | 项目总额
    839.000000 | 其中：财政资金 839.000000 | 其他资金 (empty). The total is the project's amount,
    the 财政资金 cell its fiscal part; the blank 其他资金 is no part; nothing is left unresolved."""
    t = table_on("beijing-caizhengju-2026-budget-tables.pdf", 17, "project_performance")
    p = next(p for p in t.projects if p.name.endswith("评审工作经费"))
    assert p.amount == Decimal("839.000000") and p.where.page == 17
    assert p.sources == {"财政资金": Decimal("839.000000")}
    assert [u.text for u in t.unresolved if u.where.page == 17] == []
    d = doc("beijing-caizhengju-2026-budget-tables.pdf")
    assert d.amount_tokens == d.placed + d.unresolved_count  # counted: printed = placed + unresolved
    assert not any("预算12表项目支出绩效目标表" in line for line in d.coverage.not_read)


def test_an_indicator_weight_under_a_noted_header_is_read():
    """重庆市人民政府办公厅 表十二 p24 (read off the page): 指标名称 | 指标性质 | 指标值 | 计量单位 |
    指标权重（%）; the first indicator 民呼我为（“12345”）咨询一次性解答率 ≥ 70 % weighs 15, the last
    年度预算执行率 = 100 % weighs 10; the 序号 1 is an identifier, not a number to report."""
    t = table_on("chongqing-zhengfu-bangongting-2026-budget.pdf", 24, "project_performance")
    (p,) = t.projects
    assert p.amount == Decimal("8534.17")
    first, last = p.indicators[0], p.indicators[-1]
    assert (first.name, first.operator, first.value, first.unit, first.weight) == \
        ("民呼我为（“12345”）咨询一次性解答率", "≥", "70", "%", "15")
    assert (last.name, last.value, last.weight) == ("年度预算执行率", "100", "10")
    assert t.unresolved == []


def test_the_cell_reported_is_the_one_not_kept():
    """烟台市统计局 p30 (read off the page): 年度预算资金总额 25.00 | 其中：财政拨款 25.00 | 其他资金 0.00,
    and the indicator 公车统管费用总量控制 ≤25万元. The total is the project's amount and the target is
    the indicator's; the split (key/value cells: 其中：财政拨款 | 25.00) is the project's by source."""
    t = table_on("shandong-yantai-tongjiju-2026-budget.pdf", 30, "project_performance")
    p = t.projects[0]
    assert (p.name, p.amount) == ("实施公车统管费用", Decimal("25.00"))
    assert any(i.value == "25" and i.operator == "≤" for i in p.indicators)
    assert p.sources == {"财政拨款": Decimal("25.00"), "其他资金": Decimal("0.00")}
    assert [u.text for u in t.unresolved if u.where.page == 30] == []


def test_each_project_keeps_its_split_by_source_of_funds():
    """福州市商务局 p29 (read off the page): 办公楼物业 | 资金总额 25.89 | 财政拨款 25.89 | 其他资金 0.00,
    one table per project, its amounts as key/value cells; 北京市财政局 预算12表 p17: 评审工作经费 839.000000 |
    财政资金 839.000000 | 其他资金 blank. The split is kept by the printed name, sums to the total, and
    goes through the contract."""
    (t,) = [t for t in doc("fujian-fuzhou-shangwuju-2026-budget.pdf").tables
            if t.where.page == 29 and t.title == "办公楼物业项目绩效目标表"]
    (p,) = t.projects
    assert (p.name, p.amount, p.sources) == ("办公楼物业", Decimal("25.89"),
                                             {"财政拨款": Decimal("25.89"), "其他资金": Decimal("0.00")})
    assert p.to_json()["sources"] == {"财政拨款": "25.89", "其他资金": "0.00"}
    assert not t.unresolved
    t = table_on("beijing-caizhengju-2026-budget-tables.pdf", 17, "project_performance")
    p = next(p for p in t.projects if p.name.endswith("评审工作经费"))
    assert sum(p.sources.values()) == p.amount == Decimal("839.000000")
