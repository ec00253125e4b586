"""Every corpus PDF through the whole pipeline: reader + the same reconstruction
stage as text. The identities hold within rounding everywhere, except where the
published document itself disagrees (listed here with its page and values)."""
from decimal import Decimal

import pytest

import extracted
from conftest import CORPUS

# the twelve PDFs this reader was built on; the regions' PDFs are in test_regions.py
DOCUMENTS = [g for g in extracted.groups([CORPUS / "pdf"]) if g[0].name.startswith(("js-", "sh-"))]

# (document, table type, page, identity, expected, printed)
PUBLISHED_INCONSISTENCIES = {
    "sh-putuo-caizhengju-2024-final.pdf": [
        # 社会保障和就业支出: 326.72 in 支出决算表 (p10), 326.71 in 收入支出决算总表 (p6)
        ("expenditure", 10, "支出决算表 208 = 收支总表 社会保障和就业支出", "326.71", "326.72"),
    ],
}


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda g: "+".join(p.name for p in g))
def document(request):
    return request.param, extracted.document(request.param)  # once per test run (tests/extracted.py)


def test_twelve_pdfs_make_ten_documents():
    assert sum(len(g) for g in DOCUMENTS) == 12 and len(DOCUMENTS) == 10
    assert [len(g) for g in DOCUMENTS if "shengweibangongting" in g[0].name] == [2, 2]


def test_every_amount_is_placed_or_unresolved(document):
    _, doc = document
    assert doc.amount_tokens > 100
    assert doc.placed + doc.unresolved_count == doc.amount_tokens


def test_identities_hold_except_published_inconsistencies(document):
    files, doc = document
    found = [(i.table.rsplit("(", 1)[1].rstrip(")"), i.where.page, i.identity, str(i.expected), str(i.printed))
             for i in doc.inconsistencies]
    assert found == PUBLISHED_INCONSISTENCIES.get(files[0].name, [])


def test_money_units_per_document_and_table(document):
    files, doc = document
    name = files[0].name
    if name.startswith("sh-") and "budget" in name:
        assert doc.money_unit == "元"
        three = doc.table("three_public")
        assert three.money_unit == "万元"  # the 三公 table prints 万元 in a 元 document
    else:
        assert doc.money_unit == "万元"


def test_shanghai_budget_values_through_reconstruction():
    doc = extracted.document([CORPUS / "pdf" / "sh-putuo-wanli-2024-budget.pdf"])
    assert doc.unit == "上海市普陀区人民政府万里街道办事处" and doc.year == 2024 and doc.kind == "budget"
    assert doc.unresolved_count == 0
    kinds = {t.type for t in doc.tables}
    assert {"summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure",
            "general_budget_basic", "three_public"} <= kinds


def test_final_accounts_kind():
    doc = extracted.document([CORPUS / "pdf" / "sh-putuo-caizhengju-2024-final.pdf"])
    assert doc.kind == "final_accounts"
    income = doc.table("income")
    assert income.row("合计").values["本年收入合计"] == Decimal("2946.25")
    assert income.row("201").values["其他收入"] == Decimal("6.20")
