"""政府预算支出经济分类 (issue 11, item 4): a table printing 部门 and 政府 economic codes side
by side reads both, never one joined code; the 5xx codes are their own scheme; each printed
pair, and each link of the 2018 对照表, is an XKOS correspondence with its source.

The rows below were read off 烟台市统计局 2026 p16 (rendered with pypdfium2, 2026-11-30): the
table is 一般公共预算基本支出情况表, columns 科目编码 类 款 | 部门预算支出经济分类科目名称 |
科目编码 类 款 | 政府预算支出经济分类科目名称 | 小计 人员支出 日常公用支出."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

from budgetkg.graph import codes
from budgetkg.graph.document import document_graph
from budgetkg.graph.identifiers import document_iri
from budgetkg.paths import CODES_DIR
from test_regions import extracted

YANTAI = "shandong-yantai-tongjiju-2026-budget.pdf"
XIAN = "shaanxi-xian-anjianju-2019-budget-tables.pdf"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XKOS = "http://rdf-vocabulary.ddialliance.org/xkos#"
PROV = "http://www.w3.org/ns/prov#"
BKG = "https://budgetkg.org/def/"
DCT = "http://purl.org/dc/terms/"

# (page, 部门 code, 部门 name, 政府 code, 政府 name, column, amount) read off the page
HAND_READ = [
    (16, "30101", "基本工资", "50101", "工资奖金津补贴", "小计", "169.28"),  # the 501 (机关) block
    (16, "30107", "绩效工资", "50501", "工资福利支出", "人员支出", "143.49"),  # the 505 (事业单位) block
    (16, "302", "商品和服务支出", "502", "机关商品和服务支出", "日常公用支出", "92.40"),
]


def basic_table(doc):
    return next(t for t in doc.tables if t.type == "general_budget_basic")


@pytest.mark.parametrize("page,code,name,gov,gov_name,column,value", HAND_READ)
def test_both_codes_of_a_row_read_off_the_page(page, code, name, gov, gov_name, column, value):
    rows = [r for r in basic_table(extracted(YANTAI)).rows
            if r.code == code and r.where.page == page and [a.code for a in r.also] == [gov]]
    assert len(rows) == 1, (code, gov)
    r = rows[0]
    assert r.name == name
    assert [(a.classification, a.name) for a in r.also] == [("政府预算支出经济分类", gov_name)]
    assert r.values[column] == Decimal(value)


def test_never_one_joined_code():
    """301 is printed twice (501 机关, 505 事业单位): two rows of 301, each its own 政府 code,
    and no code longer than a 款 in the table."""
    t = basic_table(extracted(YANTAI))
    assert max(len(r.code) for r in t.rows if r.code) == 5
    assert [(a.code, r.values["小计"]) for r in t.rows if r.code == "301" for a in r.also] == \
        [("501", Decimal("705.28")), ("505", Decimal("746.73"))]


def test_a_second_code_in_a_seven_digit_economic_table():
    """西安 p19 prints 部门经济科目编码 (7 digits where it details a 款) | 政府经济科目编码."""
    t = basic_table(extracted(XIAN))
    r = next(r for r in t.rows if r.code == "3010201")
    assert (r.name, [(a.code, a.name) for a in r.also], r.values["合计"]) == \
        ("津贴补贴", [("50101", "工资奖金津补贴")], Decimal("317.69"))
    assert codes.scheme_of_classification(r.also[0].classification) == "economic-government"


def test_government_classes_are_their_own_scheme(lists):
    c = codes.concept_iri("economic-government", 2026, "505")
    assert bool(lists.query(f"""ASK {{ <{c}> a <{SKOS}Concept> ; <{SKOS}prefLabel> "对事业单位经常性补助"@zh ;
        <{SKOS}inScheme> <{codes.scheme_iri("economic-government", 2026)}> ;
        <{SKOS}topConceptOf> <{codes.scheme_iri("economic-government", 2026)}> }}"""))
    # 15 classes a year from 2018, none before the reform
    n = lists.query(f"""SELECT (COUNT(?c) AS ?n) WHERE {{
        ?c <{SKOS}topConceptOf> <{codes.scheme_iri("economic-government", 2019)}> }}""")
    assert int(next(n)["n"].value) == 15
    assert not (CODES_DIR / "economic-government-2017.ttl").exists()
    # a printed 款 has the printed name
    assert {q.object.value for q in lists.quads_for_pattern(
        ox.NamedNode(codes.concept_iri("economic-government", 2026, "50905")), ox.NamedNode(SKOS + "prefLabel"),
        None)} == {"离退休费"}


def test_a_printed_pair_is_a_correspondence_with_its_document_and_page(lists):
    doc = document_iri(extracted(YANTAI))
    source, target = codes.concept_iri("economic", 2026, "30107"), codes.concept_iri("economic-government", 2026, "50501")
    pages = lists.query(f"""SELECT ?page WHERE {{
        ?corr a <{XKOS}Correspondence> ; <{XKOS}madeOf> ?a .
        ?a <{XKOS}sourceConcept> <{source}> ; <{XKOS}targetConcept> <{target}> ;
           <{DCT}source> <{doc}> ; <{PROV}qualifiedDerivation> ?d .
        ?d <{PROV}entity> <{doc}> ; <{BKG}page> ?page }}""")
    assert sorted(int(r["page"].value) for r in pages) == [16, 21]  # 一般公共预算基本支出 and 基本支出预算
    # as printed, no SKOS match: 301 goes to 501 or 505 by the kind of unit
    assert not bool(lists.query(f"ASK {{ <{source}> ?rel <{target}> }}"))


def test_official_table_links_with_their_source(lists):
    source, target = codes.concept_iri("economic", 2018, "30102"), codes.concept_iri("economic-government", 2018, "50101")
    rows = list(lists.query(f"""SELECT ?src WHERE {{
        ?corr <{XKOS}madeOf> ?a ; <{XKOS}compares> <{codes.scheme_iri("economic-government", 2018)}> .
        ?a <{XKOS}sourceConcept> <{source}> ; <{XKOS}targetConcept> <{target}> ; <{DCT}source> ?src .
        <{source}> <{SKOS}broadMatch> <{target}> }}"""))
    assert [r["src"].value for r in rows] == ["http://m.ishare.iask.sina.com.cn/f/oIuBYFV8aL.html"]
    # both ends are labelled concepts of the 2018 lists
    for iri, label in ((source, "津贴补贴"), (target, "工资奖金津补贴")):
        assert {q.object.value for q in lists.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"),
                                                                None)} == {label}


def test_the_document_graph_links_a_row_to_its_government_code():
    doc = extracted(YANTAI)
    nt = document_graph(doc).ntriples()
    g = ox.Store()
    g.load(nt.encode(), format=ox.RdfFormat.N_TRIPLES)
    rows = g.query(f"""SELECT ?gov WHERE {{ ?r <{BKG}code> <{codes.concept_iri("economic", 2026, "30107")}> ;
        <{BKG}alsoCode> ?gov }}""")
    assert {r["gov"].value for r in rows} == {codes.concept_iri("economic-government", 2026, "50501")}


def test_the_contract_carries_the_second_code_and_reads_it_back():
    import json

    from budgetkg.contract import document_from_json
    doc = extracted(YANTAI)
    obj = json.loads(json.dumps(doc.to_json()))
    row = next(r for t in obj["tables"] if t["type"] == "general_budget_basic" for r in t["rows"] if r["code"] == "30107")
    assert row["also"] == [{"classification": "政府预算支出经济分类", "code": "50501", "name": "工资福利支出"}]
    back = basic_table(document_from_json(obj))
    assert [r.also for r in back.rows] == [r.also for r in basic_table(doc).rows]


def test_beijing_prints_the_government_code_first_each_as_code_name():
    """北京市财政局 2026 预算06表 (p10, rendered 2026-11-30): 政府支出经济分类科目 | 部门支出经济分类科目 |
    合计 人员经费 公用经费, each name cell printing code-name (50101-工资奖金津补贴 | 30101-基本工资). The row is
    the 部门 code's, its 政府 code beside it; 3021101-差旅费 (its 款 30211 not printed) adds into 合计."""
    t = basic_table(extracted("beijing-caizhengju-2026-budget-tables.pdf"))
    first = t.rows[0]
    assert (first.code, first.name, first.values["合计"]) == ("30101", "基本工资", Decimal("1721.982000"))
    assert [(a.classification, a.code, a.name) for a in first.also] == [("政府支出经济分类", "50101", "工资奖金津补贴")]
    travel = next(r for r in t.rows if r.code == "3021101")
    assert (travel.name, travel.values["公用经费"], travel.also[0].code) == ("差旅费", Decimal("79.882500"), "50201")
    assert not [i for i in extracted("beijing-caizhengju-2026-budget-tables.pdf").inconsistencies
                if "基本支出表" in i.table]
