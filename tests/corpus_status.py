"""The reading status of each corpus document that is not read without a broken identity.

NOT_FULLY_READ: what is not yet read in each document that is not fully read. A document leaves it
when its reading is complete; until then the tests state exactly what is missing (tests/test_regions.py
asserts it, so any change in the reading shows).

READ_WITH_PUBLISHER_ERRORS: documents read fully whose broken identities are all the publisher's
(each confirmed on the rendered page: test_regions_hand_read's PUBLISHER_CONFIRMED). Their reading is
pinned here the same way, and they are in every graph, validation, canonical and query test, which
state their broken identities (test_validate's PUBLISHED_INCONSISTENCIES); only NOT_FULLY_READ
documents are left out of those."""
from __future__ import annotations


def reading_status(doc) -> dict:
    """The metadata as read (None: not found), the amounts unresolved, dropped or
    kept in `other` tables, and the identities broken (the publisher's and the reading's)."""
    return {
        "unit": doc.unit, "year": doc.year, "kind": doc.kind, "scope": doc.scope, "money_unit": doc.money_unit,
        "unresolved": doc.unresolved_count,
        # printed amounts neither placed nor reported: a reading defect
        "dropped": doc.amount_tokens - doc.placed - doc.unresolved_count,
        "in_other": sum(len(r.values) for t in doc.tables if t.type == "other" for r in t.rows),
        "broken": len(doc.inconsistencies),
    }


# first file of the document -> its reading status today (no PDF of the corpus: every one is fully read;
# the text seed's 8 unresolved amounts are stated in test_text_seed, and it stays in the graph tests)
NOT_FULLY_READ: dict[str, dict] = {
}

# first file of the document -> its reading status today: fully read, every broken identity the publisher's
READ_WITH_PUBLISHER_ERRORS: dict[str, dict] = {
    # issue 10, performance tables. The 整体 tables' funds blocks are rows (read/pdf/performance_funds.py,
    # tests/test_performance_funds.py). 北京财政局: fully read; its 1 broken identity is the publisher's (预算12表
    # lists fewer projects than 项目支出: PUBLISHER_CONFIRMED).
    # 政务服务和数据管理局: fully read (its 整体 indicators pp82-85 too); its 8 broken identities are the
    # publisher's (预算03表's lines, 预算12表's projects, 预算13表's 预算支出总额 and 项目支出 exceeding 支出总表's
    # by 67.856816: PUBLISHER_CONFIRMED)
    'beijing-caizhengju-2026-budget-tables.pdf': {'unit': '北京市财政局', 'year': 2026, 'kind': 'budget', 'scope': 'department', 'money_unit': '万元', 'unresolved': 0, 'dropped': 0, 'in_other': 0, 'broken': 1},
    'beijing-zhengwu-shujuju-2026-budget-tables.pdf': {'unit': '北京市政务服务和数据管理局', 'year': 2026, 'kind': 'budget', 'scope': 'department', 'money_unit': '万元', 'unresolved': 0, 'dropped': 0, 'in_other': 0, 'broken': 8},
    # fully read; its 25 broken identities are the publisher's (p32 三公: the 2018年 group's 合计 and 三公 小计
    # do not add up as the header says, and 增减变化情况 carries that over; p33 整体: 总额 3,643.37 against
    # 支出总表's 总计 3,695.91; test_regions_hand_read's PUBLISHER_CONFIRMED)
    'shaanxi-xian-anjianju-2019-budget-tables.pdf': {'unit': '西安市安全生产监督管理局', 'year': 2019, 'kind': 'budget', 'scope': 'department', 'money_unit': '万元', 'unresolved': 0, 'dropped': 0, 'in_other': 0, 'broken': 25},
    # 泉州: fully read (its project tables, one per project, are named by their titles); its 2 broken identities
    # are the publisher's (部门整体支出绩效目标表 p37: 资金总额 8200.95 and 项目支出 2285.57 against 支出总表's 15184.81
    # and 9269.43: PUBLISHER_CONFIRMED)
    'fujian-quanzhou-zhengfu-bangongshi-2026-budget.pdf': {'unit': '泉州市人民政府办公室', 'year': 2026, 'kind': 'budget', 'scope': 'department', 'money_unit': '万元', 'unresolved': 0, 'dropped': 0, 'in_other': 0, 'broken': 2},
    # fully read; its 1 broken identity is the publisher's (2025年项目支出绩效目标表 p23: 长沙市公安局's row and the
    # 合计 print 40,233.95, the 项目支出 of 支出总表, over 14 projects (pp23-50, each read) adding up to
    # 39,052.86: test_regions_hand_read's PUBLISHER_CONFIRMED)
    'hunan-changsha-gonganju-2025-budget.pdf': {'unit': '长沙市公安局', 'year': 2025, 'kind': 'budget', 'scope': 'department', 'money_unit': '万元', 'unresolved': 0, 'dropped': 0, 'in_other': 0, 'broken': 1},
}
