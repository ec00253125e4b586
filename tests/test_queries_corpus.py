"""Every saved query on the whole corpus, loaded once (conftest.corpus_stores),
checked row for row against values computed from the extraction (the Document
objects `budgetkg extract` prints), never from the graph; every answer is also
checked to be the same on a real `oxigraph serve` (query_support.Stores.run)."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from budgetkg.registry import registry
from query_support import PHASE_OF_KIND, loaded_documents, yuan


def files_of(doc) -> list[tuple[str, str]]:
    """(file name, SHA-256) of each of its files: the graph cites names, not this machine's paths."""
    source = doc.source if isinstance(doc.source, list) else [doc.source]
    return [(Path(s["file"]).name, s["sha256"]) for s in source]


def split(text: str | None, sep: str = " + ") -> set[str]:
    return set(text.split(sep)) if text else set()


def observations(doc) -> int:
    return sum(len(r.values) for t in doc.tables for r in t.rows) + sum(len(t.projects) for t in doc.tables)


# ------------------------------------------------------------------ documents

def test_documents_one_row_per_document_with_its_numbers(corpus_stores):
    result = corpus_stores.run("documents")
    docs = loaded_documents()
    assert [r["document"] for r in result.rows].count(None) == 0
    assert Counter(r["document"] for r in result.rows) == Counter(list(docs))  # each once
    for r in result.rows:
        doc = docs[r["document"]]
        # the unit's preferred name (data/units.toml) may qualify the printed one: 办公室（本级）
        assert r["unit_name"].startswith(doc.unit) or doc.unit.startswith(r["unit_name"]), (r["unit_name"], doc.unit)
        assert (r["year"], r["budget_phase"]) == (doc.year, PHASE_OF_KIND[doc.kind])
        assert split(r["files"]) == {f for f, _ in files_of(doc)}
        assert split(r["sha256"]) == {h for _, h in files_of(doc)}
        assert (r["observations"] or 0) == observations(doc)  # COUNT over no row is unbound in the OPTIONAL
        assert (r["inconsistencies"] or 0) == len(doc.inconsistencies)
        if doc.coverage is not None:
            assert r["fully_read"] == doc.coverage.fully_read
            assert (r["amounts_printed"], r["amounts_placed"], r["amounts_unresolved"]) == (
                doc.coverage.amounts, doc.coverage.placed, doc.coverage.unresolved)
        same = {i for i, d in docs.items()
                if i != r["document"] and (d.unit, d.year, d.kind, d.scope) == (doc.unit, doc.year, doc.kind, doc.scope)}
        assert split(r["duplicates"], " ") == same


def test_documents_filters(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("documents", year=2024, phase="决算").rows
    assert {r["document"] for r in rows} == {i for i, d in docs.items() if d.year == 2024 and d.kind == "final_accounts"}
    assert rows  # the corpus has 2024 final accounts (Shanghai Putuo)
    rows = corpus_stores.run("documents", unit="永川").rows
    assert [r["unit_name"] for r in rows] == ["重庆市永川区公安局"]


# ------------------------------------------------------------------ violations

def test_violations_are_the_publishers_inconsistencies(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("violations").rows
    fully = {i for i, d in docs.items() if d.coverage is None or d.coverage.fully_read}
    got = Counter((r["document"], r["printed"], r["expected"], r["difference"]) for r in rows
                  if r["document"] in fully)
    expected = Counter((i, inc.printed, inc.expected, inc.printed - inc.expected)
                       for i, d in docs.items() if i in fully for inc in d.inconsistencies)
    assert got == expected
    # the one the corpus is known for, read off the rendered page 10 of 上海市普陀区财政局's 2024 决算:
    # 支出决算表 row 208 prints 326.72 where 收支总表 (page 6) prints 326.71 (万元)
    caizhengju = [r for r in rows if r["unit_name"] == "上海市普陀区财政局"]
    assert [(r["year"], r["location"], r["printed"], r["expected"], r["difference"], r["printed_unit"])
            for r in caizhengju] == [(2024, "page 10", Decimal("326.72"), Decimal("326.71"), Decimal("0.01"), "万元")]
    # documents not fully read come after the others, marked
    flags = [r["fully_read"] for r in rows if r["fully_read"] is not None]
    assert flags == sorted(flags, reverse=True)


# ------------------------------------------------------------------ cite

def test_cite_gives_the_cell_and_its_source(corpus_stores):
    docs = loaded_documents()
    seed = next(d for d in docs.values() if d.unit == "重庆市永川区公安局")
    table = seed.table("expenditure")
    row = next(r for r in table.rows if r.code == "2040201")
    rows = corpus_stores.run("cite", unit="永川区公安局", year=2024, table="expenditure", row="2040201",
                             column="基本支出").rows
    (file, sha), = files_of(seed)
    assert len(rows) == 1
    r = rows[0]
    assert (r["table_title"], r["row_code"], r["row_name"], r["column_name"]) == (table.title, "2040201", "行政运行", "基本支出")
    assert r["printed"] == row.values["基本支出"] == Decimal("18847.61")
    assert r["yuan"] == yuan(row.values["基本支出"], table.money_unit or seed.money_unit) == Decimal("188476100")
    assert r["printed_unit"] == "万元" and r["line"] == row.where.line and r["page"] is None
    assert (r["file"], r["sha256"]) == (file, sha)
    assert r["footnote"].startswith(f"重庆市永川区公安局《{table.title}》第{row.where.line}行，2040201行政运行·基本支出：18847.61万元")
    assert sha in r["footnote"]


def test_cite_by_row_name_on_a_pdf_gives_its_page(corpus_stores):
    docs = loaded_documents()
    doc = next(d for d in docs.values() if d.unit == "上海市普陀区财政局")
    table = doc.table("summary")
    row = next(r for r in table.rows if r.code is None and r.values and "总计" in r.name)
    rows = corpus_stores.run("cite", unit="普陀区财政局", year=2024, table="summary", row=row.name).rows
    assert {(r["column_name"], r["printed"], r["page"]) for r in rows} == {
        (c, v, row.where.page) for c, v in row.values.items()}


# ------------------------------------------------------------------ code-lookup

def test_code_lookup_names_chain_cofog_and_documents(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("code-lookup", code="2040201", year=2024).rows
    printing = {i for i, d in docs.items() if d.year == 2024
                for t in d.tables for r in t.rows if r.code == "2040201"}
    assert len(rows) == 1
    r = rows[0]
    # the seed prints 2040201 行政运行 under 20402 公安 under 204 公共安全支出
    assert (r["name"], r["class_code"], r["class_name"], r["section_code"], r["section_name"]) == (
        "行政运行", "204", "公共安全支出", "20402", "公安")
    # data/classifications/function_to_cofog.csv: 20402 → 03.1, exactMatch
    assert (r["cofog"], r["relation"], r["mapped_from"]) == ("03.1", "exactMatch", "20402")
    assert r["rationale"] and r["cofog_name"] == "Police services"
    assert r["documents"] == len(printing) >= 1


def test_code_lookup_economic_code_over_the_years(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("code-lookup", code="30201", scheme="economic").rows
    by_year = {r["year"]: r["documents"] for r in rows}
    economic = {name for name, t in registry().types.items() if t.codes == "economic"}  # tables coded by economic class
    printed = Counter(d.year for d in docs.values()
                      if any(r.code == "30201" for t in d.tables if t.type in economic for r in t.rows))
    assert {y: n for y, n in by_year.items() if n} == dict(printed)
    assert {r["name"] for r in rows} == {"办公费"} and {r["class_code"] for r in rows} == {"302"}


# ------------------------------------------------------------------ find-unit, duplicates

def test_find_unit_by_part_of_a_name(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("find-unit", name="普陀").rows
    units = {d.unit for d in docs.values() if "普陀" in d.unit}
    assert {r["unit_name"] for r in rows} >= units
    for r in rows:
        years = sorted({d.year for d in docs.values() if d.unit == r["unit_name"]})
        if years:
            assert sorted(int(y) for y in r["years"].split()) == years


def test_duplicates_are_the_unit_years_loaded_twice(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("duplicates").rows
    key = Counter((d.unit, d.year, d.kind, d.scope) for d in docs.values())
    expected = {i for i, d in docs.items() if key[(d.unit, d.year, d.kind, d.scope)] > 1}
    assert {r["document"] for r in rows} == expected
    # 上海市普陀区人民政府办公室's 2025 budget as 部门 and as 单位 (two files) are two disclosures, not a duplicate
    for r in rows:
        doc = docs[r["document"]]
        assert r["copies"] == key[(doc.unit, doc.year, doc.kind, doc.scope)]


# ------------------------------------------------------------------ the canonical layer, against the tables

def document(unit: str, year: int, kind: str = "budget"):
    found = [d for d in loaded_documents().values() if unit in d.unit and d.year == year and d.kind == kind]
    assert len(found) >= 1, (unit, year, kind)
    return found[0]


def amounts(doc, type_: str, column: str, digits: int | None = None, name: str | None = None) -> dict[str, Decimal]:
    """code (or row name) -> the cell in yuan, for the rows of one table."""
    table = doc.table(type_)
    out = {}
    for r in table.rows:
        if column not in r.values:
            continue
        if (digits and r.code and len(r.code) == digits) or (name is not None and r.code is None and r.name == name):
            out[r.code or r.name] = yuan(r.values[column], table.money_unit or doc.money_unit)
    return out


def pct(part: Decimal, whole: Decimal) -> Decimal:
    # SPARQL ROUND: to the nearest integer, halves up
    from decimal import ROUND_HALF_UP
    return (part * 10000 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 100


SEED = "重庆市永川区公安局"
WANLI = "上海市普陀区人民政府万里街道办事处"


def test_unit_year_totals_are_the_expenditure_and_income_tables_totals(corpus_stores):
    seed = document(SEED, 2024)
    rows = corpus_stores.run("unit-year-totals", unit="永川区公安局").rows
    exp = amounts(seed, "expenditure", "合计", name="合计")["合计"]
    basic = amounts(seed, "expenditure", "基本支出", name="合计")["合计"]
    project = amounts(seed, "expenditure", "项目支出", name="合计")["合计"]
    income = amounts(seed, "income", "合计", name="合计")["合计"]
    # 上缴上级支出, 事业单位经营支出, 对下级单位补助支出 are printed empty: no other expenditure
    assert [(r["unit_name"], r["year"], r["budget_phase"], r["total_expenditure"], r["basic"], r["project"],
             r["other"], r["total_income"]) for r in rows] == [
        (SEED, 2024, "approved", exp, basic, project, None, income)]
    assert (exp, basic, project) == (Decimal("521453500"), Decimal("253530100"), Decimal("267923300"))
    # 万里街道 over two years (a year range): the expenditure tables of its 2024 and 2025 budgets
    rows = corpus_stores.run("unit-year-totals", unit="万里街道", from_year=2024, to_year=2025).rows
    expected = []
    for year in (2024, 2025):
        d = document("万里", year)
        by_class = amounts(d, "expenditure", "合计", digits=3)
        by_basic = amounts(d, "expenditure", "基本支出", digits=3)
        by_project = amounts(d, "expenditure", "项目支出", digits=3)
        expected.append((year, sum(by_class.values()), sum(by_basic.values()), sum(by_project.values())))
    assert [(r["year"], r["total_expenditure"], r["basic"], r["project"]) for r in rows] == expected


def test_expenditure_by_function_class_and_item(corpus_stores):
    seed = document(SEED, 2024)
    rows = corpus_stores.run("expenditure-by-function", unit="永川区公安局", year=2024).rows
    classes = amounts(seed, "expenditure", "合计", digits=3)
    printed_names = {r.code: r.name for r in seed.table("expenditure").rows}
    assert [(r["code"], r["name"], r["yuan"]) for r in rows] == [
        (c, printed_names[c], v) for c, v in sorted(classes.items())]
    rows = corpus_stores.run("expenditure-by-function", unit="万里街道", year=2025, code_level="item",
                             expenditure_type="basic").rows
    wanli = document("万里", 2025)
    assert {r["code"]: r["yuan"] for r in rows} == amounts(wanli, "expenditure", "基本支出", digits=7)


def test_expenditure_by_cofog_follows_the_mapping_file(corpus_stores):
    import csv

    from graph_support import ROOT
    with (ROOT / "data" / "classifications" / "function_to_cofog.csv").open(encoding="utf-8") as f:
        mapping = {r["code"]: (r["cofog"], r["relation"]) for r in csv.DictReader(f)}
    for unit, year in (("永川区公安局", 2024), ("万里街道", 2025)):
        doc = document(unit, year)
        sections = amounts(doc, "expenditure", "合计", digits=5)
        expected: dict[str, Decimal] = {}
        for code, v in sections.items():
            target, _ = mapping.get(code) or mapping[code[:3]]
            expected[target[:2]] = expected.get(target[:2], Decimal(0)) + v
        rows = corpus_stores.run("expenditure-by-cofog", unit=unit, year=year).rows
        assert {r["cofog"]: r["amount"] for r in rows} == expected
    # 20402 公安 → 03.1 exactMatch: the seed's public security is COFOG 03
    seed_rows = corpus_stores.run("expenditure-by-cofog", unit="永川区公安局", year=2024, cofog_level="group").rows
    police = next(r for r in seed_rows if r["cofog"] == "03.1")
    assert (police["relations"], police["function_codes"], police["cofog_name"]) == (
        "exactMatch", "20402", "Police services")


def test_code_trend_over_two_years(corpus_stores):
    rows = corpus_stores.run("code-trend", code="20805", unit="万里街道").rows
    totals = {r["year"]: r["yuan"] for r in rows if (r["funding_source"], r["expenditure_type"]) == ("total", "total")}
    assert totals == {y: amounts(document("万里", y), "expenditure", "合计", digits=5)["20805"] for y in (2024, 2025)}
    assert {r["name"] for r in rows} == {"行政事业单位养老支出"}


def test_item_changes_between_two_years(corpus_stores):
    before = amounts(document("万里", 2024), "expenditure", "合计", digits=7)
    after = amounts(document("万里", 2025), "expenditure", "合计", digits=7)
    expected = []
    for code in before.keys() | after.keys():
        b, a = before.get(code), after.get(code)
        change = (a or 0) - (b or 0)
        status = "new" if b is None else "dropped" if a is None else "changed"
        expected.append((code, b, a, change, pct(change, b) if b else None, status))
    expected.sort(key=lambda e: (-abs(e[3]), e[0]))
    rows = corpus_stores.run("item-changes", unit="万里街道", from_year=2024, to_year=2025).rows
    assert [(r["code"], r["before"], r["after"], r["change"], r["change_pct"], r["status"]) for r in rows] == expected
    big = corpus_stores.run("item-changes", unit="万里街道", from_year=2024, to_year=2025, min_change="1000000").rows
    assert [r["code"] for r in big] == [e[0] for e in expected if abs(e[3]) >= 1000000]


def test_economic_breakdown_is_the_basic_table(corpus_stores):
    seed = document(SEED, 2024)
    rows = corpus_stores.run("economic-breakdown", unit="永川区公安局", year=2024).rows
    types = {"小计": "basic", "人员经费": "personnel", "公用经费": "public-operating"}
    expected = {(types[c], code, v) for c in types for code, v in amounts(seed, "general_budget_basic", c, digits=3).items()}
    assert {(r["expenditure_type"], r["code"], r["yuan"]) for r in rows if r["funding_source"] == "general-public-budget"} \
        == expected
    assert {r["reform"] for r in rows} == {"after 2018 reform"}
    jiangsu = corpus_stores.run("economic-breakdown", unit="江苏省人民检察院", year=2017).rows
    assert jiangsu and {r["reform"] for r in jiangsu} == {"before 2018 reform"}


def test_personnel_vs_operating(corpus_stores):
    seed = document(SEED, 2024)
    personnel = amounts(seed, "general_budget_basic", "人员经费", name="合计")["合计"]
    operating = amounts(seed, "general_budget_basic", "公用经费", name="合计")["合计"]
    rows = corpus_stores.run("personnel-vs-operating", unit="永川区公安局").rows
    assert [(r["funding_source"], r["personnel"], r["operating"], r["personnel_pct"], r["operating_pct"]) for r in rows] \
        == [("general-public-budget", personnel, operating, pct(personnel, personnel + operating),
             pct(operating, personnel + operating))]
    assert (personnel, operating) == (Decimal("216184700"), Decimal("37345500"))


def test_funding_sources_with_shares(corpus_stores):
    seed = document(SEED, 2024)
    total = amounts(seed, "income", "合计", name="合计")["合计"]
    rows = {r["funding_source"]: r for r in corpus_stores.run("funding-sources", unit="永川区公安局").rows}
    for column, source in (("上年结转", "carried-over"), ("一般公共预算拨款收入", "general-public-budget")):
        v = amounts(seed, "income", column, name="合计")["合计"]
        assert (rows[source]["yuan"], rows[source]["total_income"], rows[source]["share_pct"]) == (v, total, pct(v, total))


def test_three_public_components_and_change(corpus_stores):
    items = {"合计": "three-public", "因公出国（境）费": "travel-abroad", "公务用车购置及运行费": "vehicles",
             "公务用车购置费": "vehicle-purchase", "公务用车运行费": "vehicle-operation", "公务接待费": "hospitality"}
    seed = document(SEED, 2024)
    rows = corpus_stores.run("three-public", unit="永川区公安局").rows
    expected = {(items[c], v) for c, v in
                ((c, amounts(seed, "three_public", c, name="合计").get("合计")) for c in items) if v is not None}
    assert {(r["item"], r["yuan"]) for r in rows} == expected
    # 万里街道 2025 against 2024: its 三公 table (万元), column by column
    short = {"因公出国（境）费": "travel-abroad", "公务接待费": "hospitality", "公务用车购置及运行费": "vehicles",
             "购置费": "vehicle-purchase", "运行费": "vehicle-operation"}
    w24, w25 = ({short[c]: amounts(document("万里", y), "three_public", c, name="合计")["合计"] for c in short}
                for y in (2024, 2025))
    rows = [r for r in corpus_stores.run("three-public", unit="万里街道", year=2025).rows if r["item"] in short.values()]
    assert {(r["item"], r["yuan"], r["previous_year"], r["change"]) for r in rows} == {
        (i, w25[i], w24[i], w25[i] - w24[i]) for i in short.values()}


def test_procurement_by_category(corpus_stores):
    seed = document(SEED, 2024)
    cats = {"合计": "total", "货物类": "goods", "工程类": "works", "服务类": "services"}
    rows = corpus_stores.run("procurement", unit="永川区公安局").rows
    assert {(r["category"], r["yuan"]) for r in rows if r["line_kind"] == "category"} == {
        (cats[n], amounts(seed, "procurement", "合计", name=n)[n]) for n in cats}
    assert not [r for r in rows if r["line_kind"] == "detail"]  # the seed prints the categories only


def test_projects_by_amount_and_quantitative_targets(corpus_stores):
    import re
    seed = document(SEED, 2024)
    table = seed.table("project_performance")
    floor = Decimal("5000000")
    numeric = re.compile(r"-?\d+(\.\d+)?")
    expected = sorted(((p.name, yuan(p.amount, table.money_unit or seed.money_unit), len(p.indicators),
                        sum(1 for i in p.indicators if i.value and numeric.fullmatch(str(i.value).replace(",", "").strip())))
                       for p in table.projects if yuan(p.amount, table.money_unit or seed.money_unit) >= floor),
                      key=lambda e: -e[1])
    rows = corpus_stores.run("projects", unit="永川区公安局", min_amount=floor).rows
    assert sorted((r["project_name"], r["yuan"], r["indicators"], r["quantitative_indicators"]) for r in rows) == \
        sorted(expected)
    assert [r["yuan"] for r in rows] == sorted((r["yuan"] for r in rows), reverse=True)
    only = corpus_stores.run("projects", unit="永川区公安局", min_amount=floor, quantitative="only").rows
    assert {r["project_name"] for r in only} == {e[0] for e in expected if e[3] > 0}


def test_ratio_ranks_units_by_share(corpus_stores):
    rows = corpus_stores.run("ratio", code="20805", of="total", year=2024).rows
    shares = [r["share_pct"] for r in rows]
    assert shares == sorted(shares, reverse=True)
    seed = document(SEED, 2024)
    part = amounts(seed, "expenditure", "合计", digits=5)["20805"]
    whole = amounts(seed, "expenditure", "合计", name="合计")["合计"]
    (r,) = [r for r in rows if r["unit_name"] == SEED]
    assert (r["part"], r["whole"], r["share_pct"]) == (part, whole, pct(part, whole))
    basic = corpus_stores.run("ratio", code="20805", of="basic", year=2024).rows
    (r,) = [r for r in basic if r["unit_name"] == SEED]
    assert r["whole"] == amounts(seed, "expenditure", "基本支出", name="合计")["合计"]


def test_budget_vs_final_pairs_the_phases_a_final_account_prints(corpus_stores):
    rows = corpus_stores.run("budget-vs-final").rows
    for r in rows:
        assert r["executed"] is not None and (r["approved"] is not None or r["revised"] is not None)
        plan = r["revised"] if r["revised"] is not None else r["approved"]
        if plan:
            assert r["execution_pct"] == pct(r["executed"], plan)


def test_the_python_api_and_the_formats(corpus_stores, tmp_path):
    import csv
    import io
    import json

    import budgetkg
    from budgetkg.query.run import write_result
    result = budgetkg.query("cite", store=corpus_stores.embedded, unit="永川区公安局", year=2024, table="expenditure",
                            row="2040201", column="基本支出")
    assert [r["printed"] for r in result.rows] == [Decimal("18847.61")]
    out = io.StringIO()
    write_result(result, "json", out)
    assert json.loads(out.getvalue())["rows"][0]["printed"] == "18847.61"  # exact, as text
    out = io.StringIO()
    write_result(result, "csv", out)
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["yuan"] == "188476100"
    out = io.StringIO()
    write_result(result, "table", out)
    assert "18847.61" in out.getvalue() and out.getvalue().endswith("(1 row)\n")


def test_coverage_is_what_extraction_counted(corpus_stores):
    docs = loaded_documents()
    rows = corpus_stores.run("coverage").rows
    assert {r["document"] for r in rows} == {i for i, d in docs.items() if d.coverage is not None}
    for r in rows:
        cov = docs[r["document"]].coverage
        assert (r["read_fully"], r["printed"], r["placed"], r["unresolved"], r["in_other_tables"], r["observations"]) == (
            cov.fully_read, cov.amounts, cov.placed, cov.unresolved, cov.amounts_in_other, cov.observations)
        assert split(r["missing_standard"], "; ") == set(cov.missing_standard)
        assert split(r["reasons"], "; ") == set(cov.not_read)
    not_read = corpus_stores.run("coverage", fully_read="false").rows
    assert {r["document"] for r in not_read} == {i for i, d in docs.items() if d.coverage and not d.coverage.fully_read}


def test_free_sparql_over_http_whose_comments_name_update_words(corpus_stores, capsys):
    # SPARQLWrapper guessed the form from the text and skipped every other comment line:
    # "# load …" on a second comment line sent this SELECT to the server as a LOAD update
    from budgetkg.cli import main
    sparql = ("# the documents we load,\n# and the copy of each that is counted\n# copy, move, add: words only\n"
              "PREFIX bkg: <https://budgetkg.org/def/>\n"
              "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a bkg:Document }  # load\n")
    assert main(["sparql", sparql, "--endpoint", corpus_stores.remote.endpoint, "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"n\n{len(loaded_documents())}\n"
