"""The PDF reader on every corpus PDF: table types found, and raw rows (code or
name, the printed amounts and the column each sits under) read by hand off
the page given in each test."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetkg.errors import ExtractionError
from budgetkg.model import RawDocument, RawRow, RawTable
from budgetkg.read.pdf import read_pdf

PDF = Path(__file__).resolve().parent.parent / "corpus" / "pdf"

DOCS = {
    "caizhengju": ["sh-putuo-caizhengju-2024-final.pdf"],
    "shehuigongzuobu": ["sh-putuo-shehuigongzuobu-2024-final.pdf"],
    "wanli24": ["sh-putuo-wanli-2024-budget.pdf"],
    "wanli25": ["sh-putuo-wanli-2025-budget.pdf"],
    "zhengfuban": ["sh-putuo-zhengfuban-2025-budget.pdf"],
    "zhengfuban_unit": ["sh-putuo-zhengfuban-2025-unit-budget.pdf"],
    "gaojifayuan": ["js-gaojifayuan-2018-budget.pdf"],
    "jianchayuan": ["js-jianchayuan-2017-budget.pdf"],
    "sw18": ["js-shengweibangongting-2018-budget-tables.pdf", "js-shengweibangongting-2018-budget-text.pdf"],
    "sw19": ["js-shengweibangongting-2019-budget-tables.pdf", "js-shengweibangongting-2019-budget-text.pdf"],
    "sw18_text": ["js-shengweibangongting-2018-budget-text.pdf"],
    "sw19_text": ["js-shengweibangongting-2019-budget-text.pdf"],
}


@pytest.fixture(scope="module")
def docs() -> dict[str, RawDocument]:
    return {k: read_pdf([PDF / f for f in files]) for k, files in DOCS.items()}


def table(doc: RawDocument, type_: str) -> RawTable:
    found = [t for t in doc.tables if t.type == type_]
    assert found, f"no {type_} table"
    return found[0]


def row(t: RawTable, key: str, section: str | None = None) -> RawRow:
    for r in t.rows:
        if (r.code == key or (r.code is None and r.name == key)) and (section is None or r.section == section):
            return r
    raise AssertionError(f"no row {key!r} ({section}) in {t.title}: "
                         f"{[(r.code, r.name) for r in t.rows][:40]}")


def cells(r: RawRow) -> dict[str, str]:
    """The row's tokens as {column: printed text}; every token has its column."""
    out = {}
    for tok in r.tokens:
        assert tok.columns and len(tok.columns) == 1, tok
        out[tok.columns[0]] = tok.text
    return out


def types(doc: RawDocument) -> list[str]:
    return [t.type for t in doc.tables]


BUDGET_SH = ["summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure",
             "gov_fund_expenditure", "state_capital_expenditure", "general_budget_basic", "three_public"]
FINAL_SH = ["summary", "income", "expenditure", "fiscal_summary", "general_budget_expenditure",
            "general_budget_basic", "three_public", "gov_fund_expenditure", "state_capital_expenditure"]
JS = ["summary", "income", "expenditure", "fiscal_summary", "fiscal_expenditure", "fiscal_basic",
      "general_budget_expenditure", "general_budget_basic", "three_public", "gov_fund_expenditure",
      "operating_expenses", "procurement"]


def test_every_document_reads_with_its_table_types(docs):
    assert types(docs["caizhengju"]) == FINAL_SH
    assert types(docs["shehuigongzuobu"]) == FINAL_SH
    for k in ("wanli24", "wanli25", "zhengfuban", "zhengfuban_unit"):
        assert types(docs[k]) == BUDGET_SH, k
    assert sorted(types(docs["gaojifayuan"])) == sorted(JS)
    assert sorted(types(docs["jianchayuan"])) == sorted(JS)
    assert sorted(types(docs["sw18"])) == sorted(JS)
    assert sorted(types(docs["sw19"])) == sorted(JS)
    for k, d in docs.items():
        if not k.endswith("_text"):
            assert not [w for w in d.warnings if "目录 lists" in w], (k, d.warnings)
            assert all(r.where.page for t in d.tables for r in t.rows)
            assert d.amount_tokens == sum(len(r.tokens) for t in d.tables for r in t.rows) + \
                sum(len(t.unplaced) for t in d.tables)
            # every amount a PDF prints inside a table sits under a known column
            assert all(tok.columns for t in d.tables for r in t.rows for tok in r.tokens), k


def test_document_facts(docs):
    d = docs["caizhengju"]
    assert (d.unit, d.year, d.kind, d.money_unit) == ("上海市普陀区财政局", 2024, "final_accounts", "万元")
    assert d.source["file"].endswith("sh-putuo-caizhengju-2024-final.pdf") and len(d.source["sha256"]) == 64
    d = docs["wanli24"]
    assert (d.unit, d.year, d.kind, d.money_unit) == ("上海市普陀区人民政府万里街道办事处", 2024, "budget", "元")
    assert table(d, "three_public").money_unit == "万元"  # printed in its own header
    assert table(d, "income").money_unit == "元"
    d = docs["sw18"]
    assert (d.unit, d.year, d.kind, d.money_unit) == ("中共江苏省委办公厅", 2018, "budget", "万元")
    assert isinstance(d.source, list) and len(d.source) == 2
    assert (docs["jianchayuan"].unit, docs["jianchayuan"].year) == ("江苏省人民检察院", 2017)
    assert (docs["gaojifayuan"].unit, docs["gaojifayuan"].year) == ("江苏省高级人民法院", 2018)
    assert (docs["shehuigongzuobu"].unit, docs["shehuigongzuobu"].kind) == ("中共上海市普陀区委社会工作部",
                                                                            "final_accounts")


def test_caizhengju_2024_final(docs):
    d = docs["caizhengju"]
    s = table(d, "summary")  # page 6
    assert s.section_columns == {"收入": ["决算数"], "支出": ["决算数"]}
    assert cells(row(s, "其他收入", "收入")) == {"决算数": "6.20"}
    assert cells(row(s, "社会保障和就业支出", "支出")) == {"决算数": "326.71"}
    assert cells(row(s, "总计", "支出")) == {"决算数": "2,995.39"}  # page 7, the table continues
    assert row(s, "总计", "支出").where.page == 7
    inc = table(d, "income")  # page 8: 类/款/项 in three columns joined
    assert inc.columns == ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                           "附属单位上缴收入", "其他收入"]
    assert cells(row(inc, "2010602")) == {"本年收入合计": "16.19", "财政拨款收入": "10.00", "其他收入": "6.19"}
    assert row(inc, "2080505").name == "机关事业单位基本养老保险缴费支出"  # wrapped name joined
    assert cells(row(inc, "2210203")) == {"本年收入合计": "258.50", "财政拨款收入": "258.50"}  # page 9
    exp = table(d, "expenditure")  # page 10
    assert cells(row(exp, "2010601")) == {"本年支出合计": "1,511.89", "基本支出": "1,503.52", "项目支出": "8.37"}
    assert cells(row(exp, "合计")) == {"本年支出合计": "2,940.05", "基本支出": "2,336.91", "项目支出": "603.14"}
    basic = table(d, "general_budget_basic")  # pages 16-17: two panels side by side
    assert cells(row(basic, "30102")) == {"决算数": "1,238.58"}
    assert cells(row(basic, "30228")) == {"决算数": "24.42"}
    assert cells(row(basic, "人员经费合计")) == {"决算数": "2,152.26"}
    assert cells(row(basic, "公用经费合计")) == {"决算数": "184.65"}
    tp = table(d, "three_public")  # page 18: 预算数 / 决算数 under each group
    assert cells(row(tp, "合计")) == {"合计/预算数": "0.95", "公务接待费/预算数": "0.95"}
    assert "公务用车购置及运行费/预算数" in tp.columns  # the 小计 takes its group's name
    gf = table(d, "gov_fund_expenditure")  # page 19: declared empty
    assert gf.empty and gf.columns == ["年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"]
    assert ("本年支出", ["基本支出", "项目支出"]) in gf.column_sums
    assert table(d, "state_capital_expenditure").empty
    assert any("page 14 has no text layer" in w for w in d.warnings) is False  # a ruled, empty strip


def test_shehuigongzuobu_2024_final(docs):
    d = docs["shehuigongzuobu"]
    inc = table(d, "income")  # page 6, single code column
    assert cells(row(inc, "2013999")) == {"本年收入合计": "202.24", "财政拨款收入": "202.24"}
    assert cells(row(inc, "合计")) == {"本年收入合计": "307.82", "财政拨款收入": "307.82"}
    assert cells(row(inc, "2101102")) == {"本年收入合计": "0.49", "财政拨款收入": "0.49"}  # page 7
    exp = table(d, "expenditure")  # page 8
    assert cells(row(exp, "201")) == {"本年支出合计": "264.87", "基本支出": "62.63", "项目支出": "202.24"}
    s = table(d, "summary")  # page 5
    assert cells(row(s, "住房保障支出", "支出")) == {"决算数": "29.42"}
    # pages 14-16: printed empty, with a 说明 under the grid
    assert table(d, "three_public").empty
    assert table(d, "gov_fund_expenditure").empty
    assert table(d, "state_capital_expenditure").empty


def test_wanli_2024_budget(docs):
    d = docs["wanli24"]
    s = table(d, "summary")  # page 10
    assert cells(row(s, "财政拨款收入", "收入")) == {"预算数": "156,211,123"}
    assert row(s, "财政拨款收入", "收入").enumerated  # printed 一、
    assert cells(row(s, "一般公共预算资金", "收入")) == {"预算数": "156,211,123"}
    assert cells(row(s, "社会保障和就业支出", "支出")) == {"预算数": "19,604,064"}
    inc = table(d, "income")  # page 11
    assert inc.columns == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert cells(row(inc, "20105")) == {"合计": "257,700", "财政拨款收入": "257,700", "事业收入": "0",
                                       "事业单位经营收入": "0", "其他收入": "0"}
    assert cells(row(inc, "合计")) == {"合计": "156,211,123", "财政拨款收入": "156,211,123", "事业收入": "0",
                                      "事业单位经营收入": "0", "其他收入": "0"}  # page 15
    fs = table(d, "fiscal_summary")  # page 21
    assert fs.section_columns == {"收入": ["预算数"],
                                  "支出": ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]}
    assert cells(row(fs, "城乡社区支出", "支出")) == {"合计": "119,385,303", "一般公共预算": "119,385,303"}
    ge = table(d, "general_budget_expenditure")  # page 23: repeated header dropped
    assert cells(row(ge, "208")) == {"合计": "19,604,064", "基本支出": "13,368,164", "项目支出": "6,235,900"}
    assert not [r for r in ge.rows if r.name in ("功能分类科目名称", "项目")]
    basic = table(d, "general_budget_basic")  # page 29: 款 printed `2` for 30102
    assert cells(row(basic, "30102")) == {"合计": "16,623,810", "人员经费": "16,623,810", "公用经费": "0"}
    tp = table(d, "three_public")  # page 31 (万元, 购置费 printed `25`)
    assert cells(row(tp, "合计")) == {
        "2024年“三公”经费预算数": "47.91", "因公出国（境）费": "0", "公务接待费": "1.35",
        "公务用车购置及运行费": "46.56", "购置费": "25", "运行费": "21.56", "2024年机关运行经费预算数": "443.18"}
    assert ("公务用车购置及运行费", ["购置费", "运行费"]) in tp.column_sums
    # its note says 本部门2024年无"三公"经费…故本表为空表, but it prints amounts
    assert not tp.empty
    assert any("says it has no data but prints 7 amounts" in w for w in d.warnings)
    assert table(d, "gov_fund_expenditure").empty  # page 27


def test_wanli_2025_budget(docs):
    d = docs["wanli25"]
    inc = table(d, "income")  # page 10
    assert cells(row(inc, "2013302")) == {"合计": "1,106,000", "财政拨款收入": "1,106,000", "事业收入": "0",
                                         "事业单位经营收入": "0", "其他收入": "0"}
    assert cells(row(inc, "201"))["合计"] == "3,296,600"
    tp = table(d, "three_public")  # page 29
    assert cells(row(tp, "合计")) == {
        "“三公”经费预算数": "37.91", "因公出国（境）费": "0", "公务接待费": "1.35", "公务用车购置及运行费": "36.56",
        "购置费": "15", "运行费": "21.56", "机关运行经费预算数": "464.64"}
    exp = table(d, "expenditure")  # page 17
    assert cells(row(exp, "212")) == {"合计": "154,369,326", "基本支出": "77,381,546", "项目支出": "76,987,780"}
    assert cells(row(exp, "合计")) == {"合计": "189,767,551", "基本支出": "101,341,746",
                                      "项目支出": "88,425,805"}  # page 18


def test_zhengfuban_2025_budgets(docs):
    for k in ("zhengfuban", "zhengfuban_unit"):
        d = docs[k]
        inc = table(d, "income")  # page 9: amounts in 元 with cents
        assert cells(row(inc, "2010350")) == {"合计": "3,807,295.58", "财政拨款收入": "3,807,295.58"}, k
        assert cells(row(inc, "20805")) == {"合计": "4,213,779.28", "财政拨款收入": "4,213,779.28"}, k
        tp = table(d, "three_public")  # page 20
        assert cells(row(tp, "合计")) == {"“三公”经费预算数": "867.50", "因公出国（境）费": "839.00",
                                         "公务接待费": "28.50", "机关运行经费预算数": "213.28"}, k
        assert tp.money_unit == "万元" and d.money_unit == "元"
    # page 22 prose `详见单位的项目绩效目标表` is no table
    assert "project_performance" not in types(docs["zhengfuban"])


def test_jiangsu_shengweibangongting_2018(docs):
    d = docs["sw18"]
    s = table(d, "summary")  # tables file page 3: three panels
    assert cells(row(s, "财政拨款", "收入")) == {"金额": "24,458.43"}
    assert cells(row(s, "一般公共服务支出", "支出")) == {"金额": "20,153.75"}
    assert cells(row(s, "基本支出", "支出")) == {"金额": "10,403.11"}
    assert cells(row(s, "当年支出小计", "支出")) == {"金额": "24,458.43"}  # label spans two panels
    inc = table(d, "income")  # page 4: group label + 小计 -> the group's name
    assert cells(row(inc, "一般公共预算资金")) == {"金额": "24,458.43"}
    assert cells(row(inc, "公共财政拨款（补助）资金")) == {"金额": "24,458.43"}
    exp = table(d, "expenditure")  # page 5: one unlabelled row -> 合计
    assert cells(row(exp, "合计")) == {"合计": "24,458.43", "基本支出": "10,403.11", "项目支出": "12,081.46",
                                      "单位预留机动经费": "1,973.86"}
    tp = table(d, "three_public")  # page 11
    assert cells(row(tp, "合计")) == {"合计": "1,471.70", "“三公”经费": "508.20", "因公出国（境）费": "70.00",
                                     "公务用车购置及运行维护费": "411.20", "公务用车运行维护费": "411.20",
                                     "公务接待费": "27.00", "会议费": "933.50", "培训费": "30.00"}
    assert ("“三公”经费", ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]) in tp.column_sums
    assert cells(row(table(d, "operating_expenses"), "30201")) == {"机关运行经费支出": "489.30"}  # page 13
    assert cells(row(table(d, "procurement"), "合计")) == {"总计": "1,449.50"}  # page 14


def test_jiangsu_shengweibangongting_2019(docs):
    d = docs["sw19"]
    s = table(d, "summary")  # page 1
    assert cells(row(s, "一般公共服务支出", "支出")) == {"金额": "22,395.50"}
    assert cells(row(s, "项目支出", "支出")) == {"金额": "13,025.38"}
    assert cells(row(s, "住房保障支出", "支出")) == {"金额": "3,894.09"}
    assert table(d, "fiscal_expenditure").title == "财政拨款支出预算表（功能科目）"  # page 5
    assert table(d, "gov_fund_expenditure").rows == []  # page 10: a blank grid


def test_jiangsu_halves_alone(docs):
    # the text half lists the tables in its 目录 but prints none of them
    for k in ("sw18_text", "sw19_text"):
        w = docs[k].warnings
        assert "目录 lists '收支预算总表' (summary) but the document has no such table" in w
        assert docs[k].tables == []


def test_gaojifayuan_2018(docs):
    d = docs["gaojifayuan"]
    s = table(d, "summary")  # page 9, continued on page 10 above the next table
    assert cells(row(s, "公共安全支出", "支出")) == {"金额": "26,200.88"}
    assert cells(row(s, "基本支出", "支出")) == {"金额": "18,570.82"}
    assert cells(row(s, "住房保障支出", "支出")) == {"金额": "4,716.51"}
    assert row(s, "住房保障支出", "支出").where.page == 10
    fe = table(d, "fiscal_expenditure")  # page 11, several tables on one page
    assert cells(row(fe, "2040501")) == {"金额": "14,857.61"}
    assert cells(row(fe, "合计")) == {"金额": "33,172.15"}
    fb = table(d, "fiscal_basic")  # page 11
    assert cells(row(fb, "30102")) == {"金额": "6,494.60"}
    fs = table(d, "fiscal_summary")  # header at the foot of page 10, rows on page 11
    assert cells(row(fs, "基本支出", "支出")) == {"金额": "18,570.82"}
    assert cells(row(fs, "一般公共预算", "收入")) == {"金额": "33,172.15"}


def test_jianchayuan_2017(docs):
    d = docs["jianchayuan"]
    s = table(d, "summary")  # page 10
    assert cells(row(s, "其他资金", "收入")) == {"金额": "15.00"}
    assert cells(row(s, "公共安全支出", "支出")) == {"金额": "13,656.34"}
    assert cells(row(s, "基本支出", "支出")) == {"金额": "12,323.48"}
    assert cells(row(table(d, "fiscal_basic"), "30201")) == {"金额": "138.00"}  # page 13
    tp = table(d, "three_public")  # page 16: title wrapped onto two lines
    assert cells(row(tp, "合计")) == {"合计": "1,452.35", "“三公”经费": "584.35", "因公出国（境）费": "110.00",
                                     "公务用车购置及运行维护费": "317.80", "公务用车购置费": "50.00",
                                     "公务用车运行维护费": "267.80", "公务接待费": "156.55", "会议费": "168.00",
                                     "培训费": "700.00"}


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_text("本部门无该项收支")
    with pytest.raises(ExtractionError, match="not a PDF"):
        read_pdf([bad])
    empty = tmp_path / "e.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty"):
        read_pdf([empty])
    broken = tmp_path / "b.pdf"
    broken.write_bytes((PDF / "sh-putuo-wanli-2024-budget.pdf").read_bytes()[:3000])
    with pytest.raises(ExtractionError):
        read_pdf([broken])
    with pytest.raises(ExtractionError, match="cannot read"):
        read_pdf([tmp_path / "missing.pdf"])
