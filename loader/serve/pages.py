"""Pages to browse the graph, rendered on the server (Jinja2 templates, SVG
charts, one stylesheet; nothing from a CDN): the saved queries with their forms
and results, a SPARQL editor, a unit over the years, a document as printed with
its coverage and its findings linked to the cells."""
from __future__ import annotations

import json
import re
import urllib.parse
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from budgetkg.graph.namespaces import ID
from budgetkg.query.run import bind
from budgetkg.query.saved import ParameterError, SavedQuery
from budgetkg.serve import charts
from budgetkg.serve.safety import Refused, check_query
from budgetkg.serve.workers import Job

HERE = Path(__file__).parent
STATIC = HERE / "static"
YASGUI = STATIC / "yasgui" / "yasgui.min.js"
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
router = APIRouter(include_in_schema=False)
DOCUMENT_KEY = re.compile(r"[0-9a-f]{16}\Z")
PREFIXES = """PREFIX bkg: <https://budgetkg.org/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX tt: <https://budgetkg.org/id/code/table-type/>
"""


def page_link(value) -> str | None:
    """The page of a unit or document IRI, if it is one."""
    if isinstance(value, str) and value.startswith(ID + "document/"):
        return "/documents/" + value[len(ID + "document/"):]
    if isinstance(value, str) and value.startswith(ID + "unit/"):
        return "/units/" + value[len(ID + "unit/"):]
    return None


def render(template: str, status: int = 200, **context) -> HTMLResponse:
    context.setdefault("page_link", page_link)
    return HTMLResponse(templates.get_template(template).render(**context), status_code=status)


async def select(request: Request, sparql: str):
    """Rows of a page's own SELECT, as Python values, through the worker pool."""
    answer = await request.app.state.run(Job(sparql, "SELECT", "rows", rows=True))
    return answer.result.rows


def queries(request: Request) -> dict[str, SavedQuery]:
    return request.app.state.saved_queries


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return render("home.html", queries=queries(request).values(), values={})


@router.get("/browse/{name}", response_class=HTMLResponse)
async def browse(request: Request, name: str) -> HTMLResponse:
    if name not in queries(request):
        raise Refused(404, f"no saved query {name!r}")
    q = queries(request)[name]
    values = {k: v for k, v in request.query_params.items() if v.strip()}  # a blank field: not given
    context = {"q": q, "values": values, "error": None, "result": None, "truncated": False,
               "csv_url": f"/queries/{name}.csv?{urllib.parse.urlencode(values)}".rstrip("?")}
    try:
        sparql = bind(q, values)
    except ParameterError as e:
        return render("browse.html", status=400, **{**context, "error": str(e)})
    answer = await request.app.state.run(Job(sparql, "SELECT", "rows", rows=True))
    return render("browse.html", **{**context, "result": answer.result, "truncated": answer.truncated})


@router.get("/editor", response_class=HTMLResponse)
async def editor(request: Request, query: str | None = None, plain: bool = False) -> HTMLResponse:
    example = PREFIXES + ("SELECT ?unit ?year ?document WHERE {\n  ?document a bkg:Document ; bkg:fiscalYear ?year ;"
                          " dcterms:publisher/skos:prefLabel ?unit .\n} ORDER BY ?unit ?year")
    if YASGUI.exists() and not plain and query is None:
        return render("yasgui.html", example=example)
    context = {"query": query if query is not None else example, "error": None, "columns": None, "rows": None,
               "text": None, "truncated": False, "yasgui": YASGUI.exists()}
    if query is None:
        return render("editor.html", **context)
    try:
        checked = check_query(query)
        fmt = "turtle" if checked.is_graph else "json"
        answer = await request.app.state.run(Job(checked.text, checked.form, fmt))
    except Refused as e:  # the parser's message, shown above the editor
        return render("editor.html", status=e.status, **{**context, "error": e.message})
    context["truncated"] = answer.truncated
    if checked.is_graph:
        context["text"] = answer.body.decode("utf-8")
    else:
        data = json.loads(answer.body)
        if "boolean" in data:
            context["text"] = "true" if data["boolean"] else "false"
        else:
            context["columns"] = data["head"]["vars"]
            context["rows"] = [[b.get(v, {}).get("value", "") for v in context["columns"]]
                               for b in data["results"]["bindings"]]
    return render("editor.html", **context)


@router.get("/units/{key}", response_class=HTMLResponse)
async def unit(request: Request, key: str) -> HTMLResponse:
    iri = ID + "unit/" + urllib.parse.quote(key, safe="")
    documents = await select(request, PREFIXES + f"""
SELECT ?document ?name ?year ?phase ?label ?observations ?conforms ?violations WHERE {{
  ?document a bkg:Document ; dcterms:publisher <{iri}> ; bkg:fiscalYear ?year ;
            obeu-dimension:budgetPhase ?p .
  <{iri}> skos:prefLabel ?name .
  BIND(STRAFTER(STR(?p), "budget-phase/") AS ?phase)
  OPTIONAL {{ ?document rdfs:label ?label }}
  OPTIONAL {{ SELECT ?document (COUNT(?o) AS ?observations)
             WHERE {{ ?o a bkg:BudgetObservation ; bkg:document ?document }} GROUP BY ?document }}
  OPTIONAL {{ ?r a sh:ValidationReport ; bkg:document ?document ; sh:conforms ?conforms ;
                 bkg:violationCount ?violations }}
}} ORDER BY ?year ?phase ?document""")
    if not documents:
        raise Refused(404, f"no documents of the unit {key!r} in the store")
    # the total column of each 类 row: expenditure by function, basic expenditure by economic class
    amounts = await select(request, PREFIXES + f"""
SELECT ?document ?kind ?code ?name (SAMPLE(?amount) AS ?yuan) WHERE {{
  ?document dcterms:publisher <{iri}> .
  VALUES (?type ?kind) {{ (tt:expenditure "function") (tt:general_budget_basic "economic") }}
  ?table bkg:document ?document ; bkg:tableType ?type .
  ?o bkg:table ?table ; bkg:isTotal true ; bkg:rowCode ?code ; bkg:rowName ?name ; obeu-measure:amount ?amount .
  FILTER(STRLEN(?code) = 3)
}} GROUP BY ?document ?kind ?code ?name ORDER BY ?code""")
    label = {d["document"]: f"{d['year']} {d['phase']}" for d in documents}
    series = list(dict.fromkeys(label[d["document"]] for d in documents))
    svgs = []
    for kind, title in (("function", "支出 by 类 (function) · expenditure table, total column"),
                        ("economic", "基本支出 by economic class · general public budget basic table")):
        values: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        categories = []
        for a in amounts:
            if a["kind"] != kind or a["document"] not in label:
                continue
            category = f"{a['code']} {a['name']}"
            if category not in categories:
                categories.append(category)
            values[(category, label[a["document"]])] += a["yuan"]
        svgs.append(charts.grouped_bars(title, categories, series, dict(values)))
    return render("unit.html", name=documents[0]["name"], iri=iri, documents=documents, charts=svgs)


YUAN_PER = {"元": Decimal(1), "万元": Decimal(10000)}


def printed(value: Decimal, rounding: Decimal | None, money_unit: str | None) -> str:
    """A value as printed: the graph keeps the number (1511.9), the page printed
    it to its table's last digit (1,511.90); the rounding unit is in yuan."""
    per = YUAN_PER.get((money_unit or "").replace("单位：", "").strip())
    if rounding is not None and per is not None and 0 < rounding / per < 1:
        value = value.quantize(rounding / per)
    return f"{value:,}"


def _index(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@router.get("/documents/{key}", response_class=HTMLResponse)
async def document(request: Request, key: str) -> HTMLResponse:
    if not DOCUMENT_KEY.match(key):
        raise Refused(404, f"{key!r} is not a document id (16 hexadecimal digits)")
    iri = f"{ID}document/{key}"
    meta = await select(request, PREFIXES + f"""
SELECT ?label ?year ?phase ?unit ?unit_name ?file ?sha256 ?money_unit WHERE {{
  <{iri}> a bkg:Document ; bkg:fiscalYear ?year ; obeu-dimension:budgetPhase ?p ; dcterms:publisher ?unit .
  BIND(STRAFTER(STR(?p), "budget-phase/") AS ?phase)
  OPTIONAL {{ ?unit skos:prefLabel ?unit_name }}
  OPTIONAL {{ <{iri}> rdfs:label ?label }} OPTIONAL {{ <{iri}> bkg:sourceFile ?file }}
  OPTIONAL {{ <{iri}> bkg:sha256 ?sha256 }} OPTIONAL {{ <{iri}> bkg:moneyUnit ?money_unit }}
}} LIMIT 1""")
    if not meta:
        raise Refused(404, f"no document {key} in the store")
    tables = await select(request, PREFIXES + f"""
SELECT ?table ?title ?type ?page ?money_unit ?rounding WHERE {{
  ?table a bkg:Table ; bkg:document <{iri}> .
  OPTIONAL {{ ?table dcterms:title ?title }} OPTIONAL {{ ?table bkg:tableType ?t }}
  OPTIONAL {{ ?table bkg:roundingUnit ?rounding }}
  OPTIONAL {{ ?table bkg:page ?page }} OPTIONAL {{ ?table bkg:moneyUnit ?money_unit }}
  BIND(STRAFTER(STR(?t), "table-type/") AS ?type)
}} ORDER BY ?page ?table""")
    cells = await select(request, PREFIXES + f"""
SELECT ?cell ?table ?row ?column ?column_name ?code ?name ?section ?value ?page ?line WHERE {{
  ?cell a bkg:BudgetObservation ; bkg:document <{iri}> ; bkg:table ?table ; bkg:inRow ?row ;
        bkg:inColumn ?column ; bkg:printedValue ?value .
  OPTIONAL {{ ?cell bkg:column ?column_name }} OPTIONAL {{ ?row bkg:rowCode ?code }}
  OPTIONAL {{ ?row bkg:rowName ?name }} OPTIONAL {{ ?cell bkg:section ?section }}
  OPTIONAL {{ ?row bkg:page ?page }} OPTIONAL {{ ?cell bkg:line ?line }}
}}""")
    findings = await select(request, PREFIXES + f"""
SELECT ?result ?severity ?message ?cell ?location WHERE {{
  ?report a sh:ValidationReport ; bkg:document <{iri}> ; sh:result ?result .
  ?result sh:resultMessage ?message ; sh:resultSeverity ?s .
  BIND(REPLACE(STR(?s), "^.*[/#]", "") AS ?severity)
  # the publisher's violations first, then what was not read, then warnings and notes
  BIND(COALESCE(IF(?severity = "Violation", 0, 1/0), IF(?severity = "NotFullyRead", 1, 1/0),
                IF(?severity = "Warning", 2, 1/0), 3) AS ?rank)
  OPTIONAL {{ ?result sh:value ?cell }} OPTIONAL {{ ?result bkg:location ?location }}
}} ORDER BY ?rank ?result""")
    coverage = await select(request, PREFIXES + f"""
SELECT ?property ?value WHERE {{ <{iri}> bkg:coverage ?c . ?c ?p ?value . FILTER(isLiteral(?value))
  BIND(REPLACE(STR(?p), "^.*[/#]", "") AS ?property) }} ORDER BY ?property""")
    flagged = {f["cell"]: i for i, f in enumerate(findings, 1) if f.get("cell")}
    grids = []
    for t in tables:
        rows: dict[str, dict] = {}
        columns: dict[str, str] = {}
        for c in cells:
            if c["table"] != t["table"]:
                continue
            columns.setdefault(c["column"], c.get("column_name", ""))
            row = rows.setdefault(c["row"], {"code": c.get("code") or "", "name": c.get("name") or "",
                                             "section": c.get("section") or "", "page": c.get("page"),
                                             "line": c.get("line"), "cells": {}})
            row["cells"][c["column"]] = {"value": printed(c["value"], t.get("rounding"), t.get("money_unit")),
                                         "id": "cell-" + c["cell"].split(key + "/", 1)[-1]
                                         .replace("/", "-"), "finding": flagged.get(c["cell"])}
        ordered_columns = sorted(columns, key=_index)
        grids.append({**t, "columns": [(c, columns[c]) for c in ordered_columns],
                      "rows": [rows[r] for r in sorted(rows, key=_index)]})
    for f in findings:
        if f.get("cell"):
            f["anchor"] = "cell-" + f["cell"].split(key + "/", 1)[-1].replace("/", "-")
    return render("document.html", key=key, iri=iri, meta=meta[0], tables=grids, findings=findings,
                  coverage=coverage, unit_link=page_link(meta[0]["unit"]))
