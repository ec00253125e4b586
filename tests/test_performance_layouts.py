"""Performance-table layouts, with values read by eye off the rendered pages (pypdfium2,
2026-11-30; pages 1-based): 长沙's projects as rows under 单位（项目）名称 with a unit's row and a
合计, its indicators' 备注; 泉州's one table per project, named only by its title; a
self-evaluation's rows that print an execution rate (执行率) but score no points."""
from __future__ import annotations

from decimal import Decimal

import extracted
from budgetkg.model import RawTable, Where
from budgetkg.read.pdf import performance
from conftest import CORPUS

PDF = CORPUS / "pdf"
CHANGSHA = "hunan-changsha-gonganju-2025-budget.pdf"
QUANZHOU = "fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf"
XIAN = "shaanxi-xian-weijianwei-2022-final.pdf"


def table_on(name: str, page: int, ttype: str):
    found = [t for t in extracted.document([PDF / name]).tables if t.where.page == page and t.type == ttype]
    assert found, f"no {ttype} table starting on page {page} of {name}"
    return found[0]


def _ind(i):
    return (i.category, i.subcategory, i.name, i.operator, i.value, i.unit, i.note)


# ------------------------------------------------ 长沙 2025年项目支出绩效目标表 (pp23-50)
# 单位编码 | 单位（项目）名称 | 资金总额 | 绩效目标 | 一级指标 … 指标值 | 指标值内容 | 评（扣）分标准 | 度量单位 |
# 指标值类型 | 备注. p23: 合计 (printed in the 单位编码 column) 40,233.95; 106001 长沙市公安局 40,233.95;
# then a block per project, its name, amount and goal printed again on each page it runs over.

def test_projects_as_rows_under_unit_and_project_names():
    t = table_on(CHANGSHA, 23, "project_performance")
    got = [(p.name, p.amount, p.where.page) for p in t.projects]
    assert len(got) == 14  # one each: a project printed again on a continuation page is the same project
    assert got[0] == ("大型警保卫及基础设施安全保护工作经费", Decimal("428.69"), 23)
    assert got[1] == ("大院运行和维修经费", Decimal("2791.51"), 25)
    assert got[3] == ("基本建设及局系统综合专项工作业务经费", Decimal("12919.92"), 30)
    assert got[-1] == ("装备、服装及其他设备购置费", Decimal("2210.60"), 48)
    first = t.projects[0]
    assert first.goal.startswith("发挥公安职能，切实做好大型警保卫及基础设施安全保护工作")
    assert {i.where.page for i in first.indicators} == {23, 24, 25}
    # 指标值类型 is the operator; 备注 is kept as printed (the page does not call it a weight)
    assert _ind(first.indicators[0]) == ("成本指标", "经济成本指标", "成本控制率", "≤", "100", "%", "20")
    assert _ind(first.indicators[1]) == ("产出指标", "数量指标", "安全隐患排除率", "=", "100", "%", "6")
    on24 = [_ind(i) for i in first.indicators if i.where.page == 24]
    assert on24[0] == ("产出指标", "数量指标", "印发宣传手册、图画等资料", "≥", "10", "万份", "4")
    assert on24[3] == ("产出指标", "质量指标", "警保卫任务质量", None, "符合要求", None, "2")  # 定性: no operator
    assert not t.unresolved and not t.indicators


def test_the_total_and_the_units_row_are_rows_not_projects():
    from budgetkg.reconstruct.extract import read_raw
    raw = next(t for t in read_raw([PDF / CHANGSHA]).tables if t.type == "project_performance")
    rows = [(r.name, r.tokens[0].text, r.project) for r in raw.rows]
    assert rows[:3] == [("合计", "40,233.95", None), ("长沙市公安局", "40,233.95", None),
                        ("大型警保卫及基础设施安全保护工作经费", "428.69", 0)]
    assert len(rows) == 16


def test_the_units_row_adds_up_its_projects():
    """合计 = the unit's row (40,233.95 = 支出总表's 项目支出, both held); the unit's row against its 14
    projects, each read off pp23-50, adding up to 39,052.86: the publisher's difference (1,181.09)."""
    d = extracted.document([PDF / CHANGSHA])
    assert [(i.where.page, i.identity, i.printed, i.expected) for i in d.inconsistencies] == [
        (23, "长沙市公安局 = Σ its projects (金额)", Decimal("40233.95"), Decimal("39052.86"))]
    t = table_on(CHANGSHA, 23, "project_performance")
    assert sum(p.amount for p in t.projects) == Decimal("39052.86")
    assert d.coverage.fully_read


def test_overall_indicators_keep_their_notes():
    """2025年部门整体支出绩效目标表 p51: 指标值类型 ≤ / =, and 备注 10, 3 beside the targets."""
    t = table_on(CHANGSHA, 51, "overall_performance")
    got = [_ind(i) for i in t.indicators if i.where.page == 51]
    assert got[0] == ("成本指标", "经济成本指标", "基本支出控制控制数", "≤", "28398.17", "万元", "10")
    assert got[2] == ("产出指标", "数量指标", "警保卫工作完成率", "=", "100", "%", "3")
    assert not t.unresolved


def test_a_note_reaches_the_contract_and_the_graph():
    from budgetkg.contract import document_from_json
    from budgetkg.graph.document import document_graph
    d = extracted.document([PDF / CHANGSHA])
    back = document_from_json(d.to_json())
    t = next(x for x in back.tables if x.type == "project_performance")
    assert t.projects[0].indicators[0].note == "20"
    triples = document_graph(d).triples
    notes = [(s, str(o.value)) for s, p, o in triples if p.value == "https://budgetkg.org/def/note"]
    assert len(notes) == sum(1 for x in d.tables for p in x.projects for i in p.indicators if i.note) + sum(
        1 for x in d.tables for i in x.indicators if i.note)
    assert ("20" in {n for _, n in notes}) and ("2.5" in {n for _, n in notes})


# ------------------------------------------------ 泉州: one table per project, named by its title

def test_a_project_named_only_by_its_title():
    """p29 市级机关保留公务用车委托管理费项目绩效目标表: 资金总额 1778.31, 财政拨款 1778.31, 其他资金 0.00,
    项目实施期目标 优化平台驾驶员、车辆配比…; no 项目名称 cell."""
    (p,) = table_on(QUANZHOU, 29, "project_performance").projects
    assert (p.name, p.amount, p.where.page) == ("市级机关保留公务用车委托管理费", Decimal("1778.31"), 29)
    assert p.sources == {"财政拨款": Decimal("1778.31"), "其他资金": Decimal("0.00")}
    assert p.goal.startswith("优化平台驾驶员、车辆配比，提高车辆使用效益")
    assert _ind(p.indicators[0]) == ("成本指标", "经济成本指标", "预算执行率", "≥", "90", "%", None)
    (p30,) = table_on(QUANZHOU, 30, "project_performance").projects
    assert (p30.name, p30.amount, p30.sources) == (
        "市行政中心保安服务", Decimal("4200.00"), {"财政拨款": Decimal("0.00"), "其他资金": Decimal("4200.00")})
    (p34,) = table_on(QUANZHOU, 34, "project_performance").projects
    assert (p34.name, p34.amount) == ("“泉州政务”新媒体号运营资金", Decimal("85.50"))  # as printed, quotes too
    d = extracted.document([PDF / QUANZHOU])
    assert not [u for t in d.tables if t.type == "project_performance" for u in t.unresolved]


def test_a_generic_title_names_no_project():
    def titled(title):
        return performance._titled(RawTable("project_performance", title, [], Where(page=1)))
    assert titled("2025年项目支出绩效目标表") is None and titled("项目绩效目标表") is None
    assert titled("市行政中心保安服务项目绩效目标表") == "市行政中心保安服务"
    assert performance._titled(RawTable("overall_performance", "部门整体支出绩效目标表", [], Where())) is None


# ------------------------------------------------ 执行率 of rows that score no points

def test_an_execution_rate_without_points_is_kept():
    """西安卫健委 急救车辆更新项目绩效自评表 p109: 其中：当年财政拨款 prints no amount, 分值 and 得分 —,
    执行率 100%; 年度资金总额 0 | 3195.8 | 3195.8, scored 10 | 100% | 10."""
    t = table_on(XIAN, 109, "performance_self_evaluation")
    (p,) = t.projects
    got = [(i.name, i.weight, i.actual, i.score) for i in p.indicators[:2]]
    assert got == [("年度资金总额", "10", "100%", "10"), ("其中：当年财政拨款", None, "100%", None)]
    assert not t.unresolved
    assert extracted.document([PDF / XIAN]).coverage.fully_read


# ------------------------------------------------ a label merged down beside the indicators

def test_a_label_merged_beside_the_indicators_is_no_key():
    """北京政务 预算13表 pp82-85: 整体绩效目标 is printed once, merged down the left of every indicator row
    (活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位); it names the block, so 数据管理 beside it is no goal and
    each row is an indicator. p82's first and last rows, read off the page."""
    name = "beijing-zhengwu-shujuju-2026-budget-tables.pdf"
    t = table_on(name, 81, "overall_performance")
    got = [(i.where.page, i.name, i.operator, i.value, i.unit) for i in t.indicators]
    assert got[0] == (82, "产出指标数量指标“京通”APP功能建设数量", "≥", "5", "个")
    assert (82, "效益指标社会效益指标数据中心机房基础设施全年重大安全事故次数", "=", "0", "次") in got
    assert (85, "99.9") in [(p, v) for p, _, _, v, _ in got]
    assert len(t.indicators) == 53 and "数据管理" not in t.notes and not t.unresolved
    assert extracted.document([PDF / name, PDF / "beijing-zhengwu-shujuju-2026-budget-text.pdf"]).coverage.fully_read
