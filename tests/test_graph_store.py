"""The graph through SPARQL: every extracted cell is its observation (in yuan),
sums across 元 and 万元 documents, idempotent reloads, a failing document in a
batch, code lists and COFOG, export, the official-list importer. Every test
runs against the embedded store and against a real `oxigraph serve`."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest

from budgetkg.cli.export import write_csv, write_rdf
from budgetkg.graph import codes
from budgetkg.graph.document import document_graph, document_iri
from budgetkg.store.backends import EmbeddedStore, RemoteStore, StoreError
from budgetkg.store.load import load, load_static
from graph_support import SEED, YUAN_PER, OxigraphServer, corpus_documents, seed

PREFIXES = """
PREFIX bkg: <https://budgetkg.org/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX tt: <https://budgetkg.org/id/code/table-type/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
COFOG = "https://budgetkg.org/id/code/cofog/1999"


@pytest.fixture(scope="module", params=["embedded", "server"])
def store(request, tmp_path_factory):
    """A store holding the ontology, the code lists and every corpus document."""
    server = None
    if request.param == "embedded":
        s = EmbeddedStore(tmp_path_factory.mktemp("store"))
    else:
        server = OxigraphServer()
        s = RemoteStore(server.url + "/query")
    try:
        load_static(s)
        for doc in corpus_documents().values():
            dg = document_graph(doc)
            s.replace_graph(dg.graph, dg.ntriples(), dg.shared_ntriples())
        yield s
    finally:
        s.close()
        if server:
            server.stop()


def q(store, body: str):
    return store.query(PREFIXES + body)


def factor(doc, table) -> Decimal:
    return YUAN_PER[table.money_unit or doc.money_unit]


# ------------------------------------------------------------------ numbers

def test_seed_cell_in_yuan(store):
    rows = q(store, """
        SELECT ?amount ?printed ?unit ?line WHERE {
          ?o bkg:table/bkg:tableType tt:expenditure ; bkg:rowCode "2040201" ; bkg:column "基本支出" ;
             obeu-dimension:organization/skos:prefLabel "重庆市永川区公安局"@zh ;
             obeu-measure:amount ?amount ; bkg:printedValue ?printed ; bkg:printedUnit ?unit ; bkg:line ?line }""")
    assert len(rows) == 1
    assert rows[0]["amount"] == Decimal("188476100")
    assert rows[0]["printed"] == Decimal("18847.61") and rows[0]["unit"] == "万元"
    assert rows[0]["line"] > 0


def test_every_extracted_cell_is_its_observation(store):
    """Each cell (and project amount and source amount) of each document is exactly one
    observation with the same printed value and value x unit in yuan; a cell of a column of
    counts (数量, data/roles.toml) is one bkg:PrintedCount instead, never money."""
    from budgetkg.graph.roles import is_count_column
    for doc in corpus_documents().values():
        expected, counts = Counter(), Counter()
        for t in doc.tables:
            f = factor(doc, t)
            for r in t.rows:
                for col, v in r.values.items():
                    if is_count_column(col):
                        counts[(t.title, r.name, col, v)] += 1
                    else:
                        expected[(t.title, r.section, r.code, r.name, col, v, v * f)] += 1
            for pi, p in enumerate(t.projects):
                if t.type == "performance_self_evaluation":  # its amount is a cell of its own rows, counted there
                    assert any(p.amount in r.values.values() for r in t.rows if r.project == pi), p.name
                    continue
                expected[(t.title, None, None, p.name, None, p.amount, p.amount * f)] += 1
                for col, v in p.sources.items():  # its split by source of funds, each under its name
                    expected[(t.title, None, None, p.name, col, v, v * f)] += 1
        got = Counter((r["title"], r.get("section"), r.get("code"), r["name"], r.get("column"),
                       r["printed"], r["amount"]) for r in q(store, f"""
            SELECT ?title ?section ?code ?name ?column ?printed ?amount WHERE {{
              ?o a bkg:BudgetObservation ; bkg:document <{document_iri(doc)}> ; bkg:table/dcterms:title ?title ;
                 bkg:rowName ?name ; bkg:printedValue ?printed ; obeu-measure:amount ?amount .
              OPTIONAL {{ ?o bkg:section ?section }} OPTIONAL {{ ?o bkg:rowCode ?code }}
              OPTIONAL {{ ?o bkg:column ?column }} }}"""))
        assert sum(expected.values()) > 50, doc.source
        assert got == expected, doc.source
        got_counts = Counter((r["title"], r["name"], r["column"], r["count"]) for r in q(store, f"""
            SELECT ?title ?name ?column ?count WHERE {{
              ?c a bkg:PrintedCount ; bkg:document <{document_iri(doc)}> ; bkg:table/dcterms:title ?title ;
                 bkg:rowName ?name ; bkg:column ?column ; bkg:count ?count }}"""))
        assert got_counts == counts, doc.source


def test_sum_across_yuan_and_wanyuan_documents(store):
    rows = q(store, """
        SELECT ?doc (SUM(?a) AS ?total) WHERE {
          ?o bkg:table/bkg:tableType tt:expenditure ; bkg:rowName "合计" ; bkg:column "基本支出" ;
             bkg:document ?doc ; obeu-measure:amount ?a } GROUP BY ?doc""")
    per_doc = {r["doc"]: r["total"] for r in rows}
    docs = corpus_documents()
    # real printed totals: 25,353.01 万元 (Chongqing) and 99,706,020 元 (Shanghai, 万里街道 2024)
    assert per_doc[document_iri(docs[SEED.name])] == Decimal("253530100")
    assert per_doc[document_iri(docs["sh-putuo-wanli-2024-budget.pdf"])] == Decimal("99706020")
    units, expected = set(), Decimal(0)
    for doc in docs.values():
        t = doc.table("expenditure")
        r = t.row("合计") if t else None
        if r and "基本支出" in r.values:
            units.add(t.money_unit or doc.money_unit)
            expected += r.values["基本支出"] * factor(doc, t)
    assert units == {"元", "万元"}
    total = q(store, """
        SELECT (SUM(?a) AS ?total) WHERE {
          ?o bkg:table/bkg:tableType tt:expenditure ; bkg:rowName "合计" ; bkg:column "基本支出" ;
             obeu-measure:amount ?a }""")[0]["total"]
    assert total == expected == sum(per_doc.values())


def test_declared_empty_table_projects_and_indicators(store):
    seed_iri = document_iri(seed())
    empty = q(store, f"""SELECT ?type WHERE {{ ?t a bkg:DeclaredEmptyTable ; bkg:document <{seed_iri}> ;
                                             bkg:tableType/skos:notation ?type }}""")
    assert [r["type"] for r in empty] == ["gov_fund_expenditure"]
    projects = q(store, f"""SELECT (COUNT(?p) AS ?n) (SUM(?a) AS ?sum) WHERE {{
        ?o bkg:project ?p ; bkg:document <{seed_iri}> ; bkg:printedValue ?a }}""")[0]
    assert projects["n"] == 22 and projects["sum"] == Decimal("26792.32")  # 项目支出 prints 26,792.33
    ind = q(store, f"""SELECT ?op ?v ?unit ?w WHERE {{ ?t bkg:document <{seed_iri}> ; bkg:indicator ?i .
        ?i rdfs:label "预算执行率"@zh ; bkg:operator ?op ; bkg:targetNumber ?v ; bkg:targetUnit ?unit ;
           bkg:weight ?w }}""")
    assert [(r["op"], r["v"], r["unit"], r["w"]) for r in ind] == [("≥", Decimal("95"), "%", Decimal("10"))]


# ------------------------------------------------------------------ loading

def test_reload_is_idempotent(store):
    before = store.triple_count()
    load_static(store)
    dg = document_graph(seed())
    store.replace_graph(dg.graph, dg.ntriples(), dg.shared_ntriples())
    assert store.triple_count() == before


def test_failing_document_leaves_nothing_and_batch_goes_on(store, tmp_path):
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n\x00\x01 not really a pdf")
    no_year = seed().to_json()
    no_year["document"]["year"] = None
    no_year["document"]["source"] = {"file": "no-year.json", "sha256": "0" * 64}
    (tmp_path / "no-year.json").write_text(json.dumps(no_year, ensure_ascii=False), encoding="utf-8")
    good = tmp_path / "seed.json"  # the seed again, as a saved extraction: same graph
    good.write_text(json.dumps(seed().to_json(), ensure_ascii=False), encoding="utf-8")
    load(store, [good], progress=False, static=False)  # its validation report is stored too
    before, graphs = store.triple_count(), set(store.graphs())
    s = load(store, [tmp_path / "corrupt.pdf", tmp_path / "no-year.json", good], progress=False, static=False)
    assert [d.ok for d in s.documents] == [False, False, True]
    assert "corrupt.pdf" in s.documents[0].error
    assert "no-year.json" in s.documents[1].error and "year" in s.documents[1].error
    assert s.documents[2].observations == document_graph(seed()).observations
    assert store.triple_count() == before and set(store.graphs()) == graphs


def test_replace_graph_is_one_transaction(store):
    dg = document_graph(seed())
    before = store.triple_count()
    broken = dg.ntriples() + '<https://budgetkg.org/x> <https://budgetkg.org/p> "unterminated .\n'
    with pytest.raises((SyntaxError, ValueError, OSError, StoreError)):
        store.replace_graph(dg.graph, broken)
    assert store.triple_count() == before


# ------------------------------------------------------------------ code lists

def test_function_codes_resolve_to_their_year_with_a_chain_to_the_class(store):
    used = q(store, """
        SELECT DISTINCT ?c ?year WHERE { ?o a bkg:BudgetObservation ; obeu-dimension:functionalClassification ?c ; bkg:fiscalYear ?year }""")
    assert len(used) > 100
    bad = q(store, """
        SELECT DISTINCT ?c WHERE {
          # the document's year: a column of another year (上年预算数) is printed with the year's codes
          ?o a bkg:BudgetObservation ; obeu-dimension:functionalClassification ?c ; bkg:document/bkg:fiscalYear ?year .
          FILTER NOT EXISTS { ?c skos:inScheme/bkg:codeYear ?year ; skos:broader* ?top .
                              ?top skos:topConceptOf/bkg:codeYear ?year ; skos:notation ?n FILTER(STRLEN(?n) = 3) } }""")
    assert bad == []
    chain = q(store, """SELECT ?n WHERE { <https://budgetkg.org/id/code/function/2024/2040201> skos:broader+ ?b .
                                        ?b skos:notation ?n }""")
    assert sorted(r["n"] for r in chain) == ["204", "20402"]


def test_every_class_and_every_corpus_kuan_has_a_cofog_link(store):
    missing = q(store, f"""
        SELECT DISTINCT ?c WHERE {{
          {{ ?c skos:topConceptOf ?s . FILTER(STRSTARTS(STR(?s), "https://budgetkg.org/id/code/function/")) }}
          UNION {{ ?o obeu-dimension:functionalClassification ?c . ?c skos:notation ?n FILTER(STRLEN(?n) = 5) }}
          FILTER NOT EXISTS {{ ?c skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?x .
                               ?x skos:inScheme <{COFOG}> }} }}""")
    assert missing == []
    links = {r["rel"].rsplit("#", 1)[1] + " " + r["x"] for r in q(store, """
        SELECT ?rel ?x WHERE { VALUES ?c { <https://budgetkg.org/id/code/function/2024/204>
                                           <https://budgetkg.org/id/code/function/2024/20402> }
          ?c ?rel ?m . ?m skos:notation ?x ; skos:inScheme <https://budgetkg.org/id/code/cofog/1999> }""")}
    assert links == {"closeMatch 03", "exactMatch 03.1"}
    assert q(store, f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c skos:inScheme <{COFOG}> }}")[0]["n"] == 188


def test_year_lists_carry_the_printed_names(store):
    rows = q(store, """SELECT ?y ?name WHERE { ?c skos:notation "210" ; skos:topConceptOf/bkg:codeYear ?y ;
                                             skos:prefLabel ?name } ORDER BY ?y""")
    names = {r["y"]: r["name"] for r in rows}
    assert names[2018] == "医疗卫生与计划生育支出" and names[2024] == "卫生健康支出"
    assert len(q(store, """SELECT ?c WHERE { ?c skos:topConceptOf <https://budgetkg.org/id/code/function/2024> }""")) == 30


def test_codes_import_reports_missing_codes_and_other_names(store, tmp_path, capsys):
    official = tmp_path / "function-2024.csv"
    rows = [("code", "name"), ("204", "公共安全支出"), ("20402", "公安"), ("2040201", "行政运行（公安）")]
    official.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    findings = codes.compare_official(codes.read_code_table(official), {
        r["code"]: {r["name"]: {"seed"}} for r in q(store, """
            SELECT ?code ?name WHERE { ?c skos:inScheme <https://budgetkg.org/id/code/function/2024> ;
                                          skos:notation ?code ; bkg:printedName ?name }""")})
    messages = "\n".join(f.message for f in findings)
    assert "2040201: printed as '行政运行'" in messages
    assert "2040220" in messages and "not in the official list" in messages
    assert "20402:" not in messages


# ------------------------------------------------------------------ export

def test_export_csv_long_format(store):
    out = io.StringIO()
    n = write_csv(store, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == len(rows) == q(store, "SELECT (COUNT(?o) AS ?n) WHERE { ?o a bkg:BudgetObservation }")[0]["n"]
    for col in ("document", "unit", "year", "phase", "table", "row_code", "row_name", "column",
                "amount_yuan", "printed_value", "printed_unit", "page", "line"):
        assert col in rows[0]
    hit = [r for r in rows if r["table"] == "expenditure" and r["row_code"] == "2040201" and r["column"] == "基本支出"
           and r["unit"] == "重庆市永川区公安局"]
    assert [(h["amount_yuan"], h["printed_value"], h["printed_unit"], h["unit"], h["year"], h["phase"])
            for h in hit] == [("188476100", "18847.61", "万元", "重庆市永川区公安局", "2024", "approved")]
    pdf_rows = [r for r in rows if r["page"]]
    assert pdf_rows and all(r["page"].isdigit() for r in pdf_rows)


def test_export_nquads_round_trip(store):
    out = io.BytesIO()
    write_rdf(store, "nq", out)
    assert len(list(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))) == store.triple_count()
