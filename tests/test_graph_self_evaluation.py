"""A self-evaluation (项目支出绩效自评表) that prints several projects gives each project its own
block of amounts (年初预算数 | 全年预算数 | 全年执行数 over 年度资金总额 and 其中：当年财政拨款) in
the graph, and the structure shapes hold: a target table's project has one amount, a
self-evaluation's project its block. Values read by hand off the rendered pages (1-based)."""
from __future__ import annotations

import copy
from decimal import Decimal as D

import pyoxigraph as ox
import pytest

import extracted
from budgetkg.graph.document import document_graph
from budgetkg.validate.shapes import validate_ntriples
from conftest import CORPUS
from graph_support import SEED

XIAN = "shaanxi-xian-weijianwei-2022-final.pdf"
BKG = "https://budgetkg.org/def/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def xian():
    return extracted.document([CORPUS / "pdf" / XIAN])  # cached per test run (tests/extracted.py)


def self_evaluations_only(doc):
    doc = copy.deepcopy(doc)
    doc.tables = [t for t in doc.tables if t.type == "performance_self_evaluation"]
    return doc


def project_amounts(triples) -> dict[str, tuple[str, set[tuple[str, str, D, int]]]]:
    """project IRI -> (its label, {(row name, column, printed value, page)} of its observations)."""
    by_subject: dict[ox.NamedNode, dict[str, str]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {})[p.value] = o.value
    out = {s.value: (po[LABEL], set()) for s, po in by_subject.items()
           if po.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == BKG + "Project"}
    for po in by_subject.values():
        if BKG + "project" in po:
            out[po[BKG + "project"]][1].add((po[BKG + "rowName"], po[BKG + "column"], D(po[BKG + "printedValue"]),
                                             int(po[BKG + "page"])))
    return out


def named(projects, label: str) -> set:
    (amounts,) = [a for name, a in projects.values() if name == label]  # one project of that name
    return amounts


def test_each_project_of_a_two_project_self_evaluation_has_its_own_amounts():
    """p70 and p71 print one table, 中职免学费补助项目绩效自评表, for two projects; p85 and p86
    another, 新冠疫情防控经费项目绩效自评表 (年初预算数 printed '-' on both)."""
    got = project_amounts(document_graph(xian()).triples)
    city, central = named(got, "中职免学费补助（市级资金）"), named(got, "中职免学费补助（中央资金）")
    assert {("年度资金总额", "年初预算数", D("352.74"), 70), ("年度资金总额", "全年执行数", D("352.66"), 70),
            ("其中：当年财政拨款", "全年执行数", D("352.66"), 70)} <= city
    assert {("年度资金总额", "年初预算数", D("235.16"), 71), ("年度资金总额", "全年执行数", D("197.09"), 71),
            ("其中：当年财政拨款", "全年执行数", D("197.09"), 71)} <= central
    assert {page for *_, page in city} == {70} and {page for *_, page in central} == {71}
    covid, covid_fund = named(got, "新冠疫情防控"), named(got, "新冠疫情防控经费")
    assert ("年度资金总额", "全年执行数", D("1033.00"), 85) in covid
    assert {("年度资金总额", "全年预算数", D("1395.00"), 86), ("年度资金总额", "全年执行数", D("1392.20"), 86)} <= covid_fund
    assert not any(column == "年初预算数" for _, column, _, _ in covid | covid_fund)  # printed '-': no amount
    # and every project of the document has its block (88 projects over 86 tables)
    assert len(got) == 88 and [name for name, amounts in got.values() if not amounts] == []


def structure(nt: str, document: str, year: int, engine: str) -> set[tuple[str, str, str]]:
    report = validate_ntriples(nt, document, year, XIAN, engine)
    return {(f.check, f.value or "", f.message.split(" on ")[0]) for f in report.findings
            if f.check == "ProjectShape"}


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_the_project_shape_takes_a_self_evaluations_block_and_a_target_tables_one_amount(engine):
    seed = copy.deepcopy(extracted.document([SEED]))  # the cached document is shared by every test
    seed.tables = [t for t in seed.tables if t.type == "project_performance"]
    dg = document_graph(seed)
    xg = document_graph(self_evaluations_only(xian()))
    assert structure(xg.ntriples() + "".join(xg.shared_ntriples().values()), xg.document, 2022, engine) == set()
    store = ox.Store()
    store.load((dg.ntriples() + "".join(dg.shared_ntriples().values())).encode(), format=ox.RdfFormat.N_TRIPLES)
    first, second = (f"{dg.document}/table/project_performance/project/{k}" for k in (1, 2))
    # a target table's project with two amounts, and one with none: both break the shape
    store.update(f"""DELETE {{ ?o <{BKG}project> <{second}> }} INSERT {{ ?o <{BKG}project> <{first}> }}
                     WHERE {{ ?o <{BKG}project> <{second}> }}""")
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    found = structure(nt, dg.document, seed.year, engine)
    assert ("ProjectShape", second, "^project: Less than 1 values") in found
    assert any(value == first and "must conform to one or more shapes" in message
               for _, value, message in found), found


def test_the_projects_query_lists_each_self_evaluated_project_with_what_it_spent(tmp_path):
    """queries/projects.rq: a self-evaluated project's amount is its executed total (全年执行数 of
    年度资金总额), one row per project, whatever its table prints beside it."""
    from budgetkg.query.run import run_saved
    from budgetkg.store.backends import EmbeddedStore
    from budgetkg.store.load import load_static
    store = EmbeddedStore(tmp_path / "store")
    load_static(store)
    dg = document_graph(self_evaluations_only(xian()))
    store.replace_graph(dg.graph, dg.ntriples(), dg.shared_ntriples())
    rows = run_saved(store, "projects", {"unit": "西安市卫生健康委员会"}).rows
    yuan = {(r["project_name"], r["page"]): r["yuan"] for r in rows}
    assert len(rows) == len(yuan) == 88  # one row per project
    assert yuan[("中职免学费补助（市级资金）", 70)] == D("3526600")  # 352.66 万元
    assert yuan[("中职免学费补助（中央资金）", 71)] == D("1970900")  # 197.09 万元
    assert yuan[("新冠疫情防控经费", 86)] == D("13922000")  # 1,392.20 万元, not its 全年预算数 1,395.00


def test_a_rows_project_survives_the_contract():
    """The extraction contract (JSON, docs/contract.schema.json) carries each row's project."""
    from budgetkg.contract import check_schema, document_from_json
    from budgetkg.errors import ExtractionError
    d = xian()
    obj = d.to_json()
    check_schema(obj, XIAN)
    row = next(r for t in obj["tables"] for r in t.get("rows", []) if "project" in r)
    row["project"] = -1
    with pytest.raises(ExtractionError, match="project"):
        check_schema(obj, XIAN)  # a project is an index into the table's projects
    row["project"] = 0
    back = document_from_json(obj)
    (t,) = [t for t in back.tables if t.type == "performance_self_evaluation" and t.where.page == 70]
    assert [(r.name, r.project, str(r.values["全年执行数"])) for r in t.rows] == [
        ("年度资金总额", 0, "352.66"), ("其中：当年财政拨款", 0, "352.66"),
        ("年度资金总额", 1, "197.09"), ("其中：当年财政拨款", 1, "197.09")]
