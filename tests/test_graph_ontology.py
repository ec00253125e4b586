"""The vocabulary: it parses, every term has zh and en labels, the seed's RDF uses
only described terms, and OWL RL (owlrl) finds no inconsistency in ontology +
seed data. Also the generated reference and the commands end to end."""
from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout

import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from budgetkg import paths
from budgetkg.cli import main
from budgetkg.graph import codes
from budgetkg.graph.document import document_graph
from budgetkg.graph.ontology_docs import render
from graph_support import ROOT, seed

ONTOLOGY = ROOT / "ontology" / "budgetkg.ttl"
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
BKG = rdflib.Namespace("https://budgetkg.org/def/")
ERR = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, QB.DimensionProperty,
              QB.MeasureProperty, QB.AttributeProperty)


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ONTOLOGY)


@pytest.fixture(scope="module")
def seed_graph():
    dg = document_graph(seed())
    g = rdflib.Graph()
    g.parse(data=dg.ntriples(), format="nt")
    for nt in dg.shared_ntriples().values():
        g.parse(data=nt, format="nt")
    return g


def labels(g, s):
    return {o.language for o in g.objects(s, RDFS.label) if isinstance(o, rdflib.Literal)}


def test_every_term_has_zh_and_en_labels_and_definitions(ontology):
    terms = {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef)}
    assert len([t for t in terms if t.startswith(str(BKG))]) >= 40
    for s in terms:
        assert {"zh", "en"} <= labels(ontology, s), s
        assert {o.language for o in ontology.objects(s, SKOS.definition)} >= {"zh", "en"}, s


def test_seed_data_uses_only_described_terms(ontology, seed_graph):
    described = {s for s in ontology.subjects(RDFS.label, None)}
    used = set(seed_graph.predicates()) | set(seed_graph.objects(None, RDF.type))
    undescribed = {u for u in used if u not in described and u != RDF.type}
    assert undescribed == set()


def closure_problems(g: rdflib.Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    problems = [str(m) for e in g.subjects(RDF.type, ERR.ErrorMessage) for m in g.objects(e, ERR.error)]
    return problems + [f"{s} is owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]


def test_owl_rl_closure_of_ontology_and_seed_is_consistent(ontology, seed_graph):
    g = rdflib.Graph()
    for part in (ontology, seed_graph):
        for t in part:
            g.add(t)
    for name in ("funding-source", "expenditure-type", "three-public", "table-type", "function-2024"):
        g.parse(paths.CODES_DIR / f"{name}.ttl")
    assert closure_problems(g) == []
    # the inference ran: every observation is a prov-derived qb:Observation
    obs = set(g.subjects(RDF.type, BKG.BudgetObservation))
    assert len(obs) == document_graph(seed()).observations
    assert all((o, RDF.type, QB.Observation) in g for o in obs)


def test_owl_rl_check_catches_a_disjointness_violation(ontology, seed_graph):
    g = rdflib.Graph()
    for t in ontology:
        g.add(t)
    obs = next(seed_graph.subjects(RDF.type, BKG.BudgetObservation))
    g.add((obs, RDF.type, BKG.BudgetObservation))
    g.add((obs, RDF.type, BKG.Table))  # a cell is never a table
    assert closure_problems(g)


def test_vocabulary_reference_lists_every_term(ontology):
    text = render()
    for s in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(s, rdflib.URIRef) and s.startswith(str(BKG)):
            assert f"`bkg:{s[len(str(BKG)):]}`" in text
    assert "function-2024.ttl" in text and "COFOG" in text


def test_cofog_mapping_covers_every_class_with_a_rationale():
    rows = list(csv.DictReader((ROOT / "data" / "classifications" / "function_to_cofog.csv").open(encoding="utf-8")))
    cofog = {r["code"] for r in csv.DictReader((ROOT / "data" / "classifications" / "cofog_1999_un.csv")
                                                 .open(encoding="utf-8"))}
    assert len(cofog) == 188
    mapped = {r["code"] for r in rows}
    for year in range(codes.FIRST_YEAR, codes.LAST_YEAR + 1):
        assert set(codes.classes_of_year("function", year)) <= mapped, year
    assert all(r["cofog"] in cofog and r["rationale"].strip() for r in rows)
    assert len(codes.classes_of_year("function", 2024)) == 30  # as the seed's 收支总表 prints them


def test_commands_load_export_and_import(tmp_path):
    saved = tmp_path / "seed.json"
    saved.write_text(json.dumps(seed().to_json(), ensure_ascii=False), encoding="utf-8")
    store = tmp_path / "store"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["load", str(saved), "--store", str(store), "--quiet"]) == 0
        first = out.getvalue()
        assert main(["load", str(saved), "--store", str(store), "--quiet"]) == 0
    summary = [ln for ln in out.getvalue().splitlines() if "documents loaded" in ln]
    n_obs = document_graph(seed()).observations
    assert summary[0].startswith(f"1 documents loaded, 0 failed; {n_obs} observations"), summary[0]
    store_counts = [ln.split("store: ")[1].split(" triples")[0] for ln in summary]
    assert store_counts[0] == store_counts[1]  # reload changes nothing
    assert "loaded  " in first and summary[0].endswith(" s")

    table = tmp_path / "obs.csv"
    with redirect_stdout(io.StringIO()):
        assert main(["export", "--format", "csv", "--store", str(store), "-o", str(table)]) == 0
        assert main(["export", "--format", "trig", "--store", str(store), "-o", str(tmp_path / "all.trig")]) == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == document_graph(seed()).observations
    quads = list(ox.parse(path=str(tmp_path / "all.trig"), format=ox.RdfFormat.TRIG))
    assert len(quads) == int(store_counts[1])

    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["科目编码", "科目名称"])
    for code, name in [("204", "公共安全支出"), ("20402", "公安"), ("2040201", "行政运行")]:
        wb.active.append([code, name])
    official = tmp_path / "function-2024.xlsx"
    wb.save(official)
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["codes", "import", str(official), "--scheme", "function", "--year", "2024",
                       "--store", str(store)])
    assert status == 1  # the seed prints codes this short list lacks
    assert "2040220" in out.getvalue() and "not in the official list" in out.getvalue()
    assert "2040201:" not in out.getvalue()


def test_bad_official_list_names_the_file(tmp_path):
    bad = tmp_path / "list.csv"
    bad.write_text("code,name\n20x,oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="list.csv:2"):
        codes.read_code_table(bad)
