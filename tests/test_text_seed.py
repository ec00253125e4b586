"""The real seed document (重庆市永川区公安局 2024 budget, text extraction)
against its hand-verified facts in corpus/cq-yongchuan-psb-2024.expected.json."""
import json
from decimal import Decimal

import pytest

from conftest import CORPUS

EXPECTED = json.loads((CORPUS / "cq-yongchuan-psb-2024.expected.json").read_text("utf-8"))


def fact_id(f):
    return f"{f['table']}|{f.get('section') or ''}|{f['row']}|{f['column']}"


@pytest.mark.parametrize("fact", EXPECTED["facts"], ids=fact_id)
def test_fact(seed_document, fact):
    table = seed_document.table(fact["table"])
    assert table is not None, f"table {fact['table']} not found"
    row = table.row(fact["row"], fact.get("section"))
    assert row is not None, f"row {fact['row']} not found in {fact['table']}"
    assert fact["column"] in table.columns
    if fact["value"] is None:
        assert fact["column"] not in row.values
        # and the cell is not merely unresolved: every printed value of the row is placed
        assert not [u for u in table.unresolved if u.row == fact["row"]]
    else:
        assert row.values.get(fact["column"]) == Decimal(fact["value"])


def test_all_353_facts_are_listed():
    assert len(EXPECTED["facts"]) == 353


def test_document_metadata(seed_document):
    assert seed_document.unit == "重庆市永川区公安局"
    assert seed_document.year == 2024
    assert seed_document.money_unit == "万元"
    assert seed_document.kind == "budget"
    assert len(seed_document.source["sha256"]) == 64


def test_table_types_each_once(seed_document):
    types = [t.type for t in seed_document.tables]
    assert types == ["summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure",
                     "general_budget_basic", "gov_fund_expenditure", "three_public", "procurement",
                     "project_performance", "overall_performance"]


def test_procurement_printed_three_times_counted_once(seed_document):
    assert [t.type for t in seed_document.tables].count("procurement") == 1
    assert sum("counted once" in w and "政府采购" in w for w in seed_document.warnings) == 2
    assert [r.name for r in seed_document.table("procurement").rows] == ["合计", "货物类", "工程类", "服务类"]


def test_gov_fund_table_declared_empty(seed_document):
    empty = [t.type for t in seed_document.tables if t.empty]
    assert empty == EXPECTED["empty_tables"] == ["gov_fund_expenditure"]
    assert seed_document.table("gov_fund_expenditure").rows == []


def test_projects(seed_document):
    projects = seed_document.table("project_performance").projects
    assert [(p.name, str(p.amount)) for p in projects] == [
        (p["name"], p["amount"]) for p in EXPECTED["projects"]]
    assert sum(p.amount for p in projects) == Decimal(EXPECTED["project_amounts_sum"]) == Decimal("26792.32")
    first = projects[0]
    assert first.goal.startswith("更好解决复杂信访问题。")
    assert first.where.line == 751


def all_project_indicators(doc):
    t = doc.table("project_performance")
    return t.indicators + [i for p in t.projects for i in p.indicators]


def test_project_indicators(seed_document):
    found = {(i.name, i.operator, i.value, i.unit) for i in all_project_indicators(seed_document)}
    hits = [i for i in EXPECTED["project_indicators"]
            if (i["name"], i["operator"], i["value"], i["unit"]) in found]
    assert len(hits) >= 20, [i for i in EXPECTED["project_indicators"] if i not in hits]


def test_indicators_attributed_only_where_the_page_is_in_order(seed_document):
    projects = {p.name: p for p in seed_document.table("project_performance").projects}
    car = projects["车管所运行经费"]
    assert [(i.name, i.operator, i.value, i.unit) for i in car.indicators][:2] == [
        ("AB证审验率、换证率", "≥", "95", "%"), ("办理车驾管业务数", "≥", "260000", "件")]
    # page 1 prints the indicators of three projects before two of them: none is attributed
    assert projects["“云网工程”治安防控体系建设"].indicators == []
    table_level = {i.name for i in seed_document.table("project_performance").indicators}
    assert "转化信访老户件数" in table_level


def test_overall_performance(seed_document):
    t = seed_document.table("overall_performance")
    found = {(i.name, i.operator, i.value, i.unit) for i in t.indicators}
    for i in EXPECTED["overall_indicators"]:
        assert (i["name"], i["operator"], i["value"], i["unit"]) in found
    assert all(i.weight == "10" for i in t.indicators)
    assert t.mission.startswith("预防、制止和侦查违法犯罪活动")
    # names after the break in the printed list are not paired by guesswork
    assert {i.name for i in t.indicators if i.value is None} == {
        "签发出国（境）证件", "车管所办理驾驶人业务数", "办理身份证数量"}
    totals = t.rows[0].values
    assert totals["预算支出总额"] == Decimal("52145.35")
    assert totals["基本支出财政拨款"] == Decimal("25353.01")
    assert totals["项目支出财政拨款"] == Decimal("26792.33")


def test_ambiguous_values_are_unresolved_not_guessed(seed_document):
    income = seed_document.table("income")
    zero = [u for u in income.unresolved if u.row == "合计"]
    assert len(zero) == 1 and zero[0].value == 0
    assert zero[0].candidates[0] == "政府性基金预算拨款收入" and "一般公共预算拨款收入" not in zero[0].candidates
    procurement = seed_document.table("procurement")
    assert {u.row for u in procurement.unresolved} == {"合计", "货物类", "工程类", "服务类"}
    assert all(len(r.values) == 1 for r in procurement.rows)


def test_every_amount_token_is_placed_or_unresolved(seed_document):
    d = seed_document
    assert d.amount_tokens == 297
    assert d.placed + d.unresolved_count == d.amount_tokens
    assert d.unresolved_count == 8  # 3: test_text_performance_numbers


def test_rounding_within_tolerance_is_not_an_inconsistency(seed_document):
    # 302 商品和服务支出 3,720.55 vs its 16 children 3,720.54; 项目支出 26,792.33 vs projects 26,792.32
    assert seed_document.inconsistencies == []


def test_json_contract(seed_document):
    j = json.loads(json.dumps(seed_document.to_json(), ensure_ascii=False))
    income = next(t for t in j["tables"] if t["type"] == "income")
    row = next(r for r in income["rows"] if r["code"] == "2040201")
    assert row == {"code": "2040201", "name": "行政运行", "section": None, "line": 102,
                   "values": {"合计": "18847.61", "一般公共预算拨款收入": "18847.61"}}
    summary = next(t for t in j["tables"] if t["type"] == "summary")
    assert summary["section_columns"] == {"收入": ["预算数"], "支出": ["预算数"]}
    names = [r["name"] for r in summary["rows"]]
    assert "收入总计" in names and "文化旅游体育与传媒支出" in names


def planted(tmp_path, old, new):
    text = (CORPUS / "cq-yongchuan-psb-2024.txt").read_text("utf-8")
    assert text.count(old) == 1
    f = tmp_path / "planted.txt"
    f.write_text(text.replace(old, new), "utf-8")
    from budgetkg.reconstruct.extract import extract_document
    return extract_document(f)


def test_planted_parent_error_is_reported_with_its_line(tmp_path):
    doc = planted(tmp_path, "302 商品和服务支出 3,720.55 3,720.55", "302 商品和服务支出 3,730.55 3,730.55")
    found = {(i.identity, i.where.line, str(i.expected), str(i.printed)) for i in doc.inconsistencies}
    assert ("302 = Σ children (公用经费)", 441, "3720.54", "3730.55") in found
    assert ("合计 = Σ top-level rows (公用经费)", 415, "3744.55", "3734.55") in found
    # the printed value is kept, not corrected
    assert doc.table("general_budget_basic").row("302").values["公用经费"] == Decimal("3730.55")


def test_planted_column_total_error_is_reported(tmp_path):
    doc = planted(tmp_path, "25,353.01 21,618.47 3,734.55", "25,363.01 21,618.47 3,734.55")
    found = {(i.identity, i.where.line, str(i.expected), str(i.printed)) for i in doc.inconsistencies}
    assert ("小计 = 人员经费 + 公用经费", 415, "25353.02", "25363.01") in found


def test_a_break_that_two_placements_explain_equally_is_not_guessed(tmp_path):
    # 1,199.01 breaks 合计 = Σ parts whether it is read as 合计 or as 因公出国（境）费
    doc = planted(tmp_path, "1,189.01 1,164.01 386.01 778.00 25.00", "1,199.01 1,164.01 386.01 778.00 25.00")
    three = doc.table("three_public")
    assert [(u.value, u.candidates) for u in three.unresolved] == [
        (Decimal("1199.01"), ["合计", "因公出国（境）费"])]
    assert "合计" not in three.rows[0].values
