"""The SPARQL 1.1 Protocol at /sparql of a real `budgetkg serve` (uvicorn in a
subprocess, loopback), spoken by SPARQLWrapper and httpx: every result format,
the three ways to send a query, the service description, and the safety rules
(read-only, nothing fetched, time limit, row cap, body cap, CORS), also when the
server fronts a remote store."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper

import serve_support
from graph_support import OxigraphServer
from serve_support import WANLI

PREFIXES = """PREFIX bkg: <https://budgetkg.org/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
"""
DOCUMENTS = PREFIXES + """SELECT ?unit ?year WHERE {
  ?d a bkg:Document ; dcterms:publisher/skos:prefLabel ?unit ; bkg:fiscalYear ?year } ORDER BY ?unit ?year"""
EXPECTED_DOCUMENTS = [(WANLI, 2024), (WANLI, 2025), ("上海市普陀区财政局", 2024), ("重庆市永川区公安局", 2024)]
# the seed's 收入总表 row 2040201 行政运行, column 合计: 18,847.61 万元 as printed
ADMIN_RUNNING = PREFIXES + """SELECT ?name ?printed ?amount WHERE {
  ?d dcterms:publisher/skos:prefLabel "重庆市永川区公安局"@zh .
  ?o a bkg:BudgetObservation ; bkg:document ?d ; bkg:rowCode "2040201" ; bkg:column "合计" ;
     bkg:table ?t ; bkg:rowName ?name ; bkg:printedValue ?printed ; obeu-measure:amount ?amount .
  FILTER(STRENDS(STR(?t), "/table/income")) }"""
ADMIN_RUNNING_ROW = ("行政运行", "18847.61", "188476100")
ASK_SEED = PREFIXES + 'ASK { ?d dcterms:publisher/skos:prefLabel "重庆市永川区公安局"@zh }'
CONSTRUCT_DOCS = PREFIXES + "CONSTRUCT { ?d bkg:fiscalYear ?year } WHERE { ?d a bkg:Document ; bkg:fiscalYear ?year }"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server():
    return serve_support.limited_server()


@pytest.fixture(scope="module")
def direct():
    """The same store opened read-only here: what the store itself answers."""
    return ox.Store.read_only(str(serve_support.store_path()))


def wrapper(server, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    w = SPARQLWrapper(server.url + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(method)
    return w


def json_rows(data: dict) -> list[tuple]:
    return [tuple(b[v]["value"] for v in data["head"]["vars"]) for b in data["results"]["bindings"]]


# --- result formats -------------------------------------------------------------------

@pytest.mark.parametrize("method", [None, POST])
def test_select_json_through_sparqlwrapper(server, method):
    data = wrapper(server, DOCUMENTS, JSON, method).query().convert()
    assert [(u, int(y)) for u, y in json_rows(data)] == EXPECTED_DOCUMENTS
    binding = data["results"]["bindings"][0]
    assert binding["unit"] == {"type": "literal", "value": WANLI, "xml:lang": "zh"}
    assert binding["year"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    row = wrapper(server, ADMIN_RUNNING, JSON).query().convert()["results"]["bindings"]
    assert [(r["name"]["value"], r["printed"]["value"], r["amount"]["value"]) for r in row] == [ADMIN_RUNNING_ROW]
    assert row[0]["amount"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"  # exact, never a float


def test_select_xml_csv_tsv_through_sparqlwrapper(server):
    doc = wrapper(server, ADMIN_RUNNING, XML).query().convert()
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(doc.toxml())
    bindings = {b.get("name"): b[0] for b in root.iterfind(".//r:result/r:binding", ns)}
    assert (bindings["name"].text, bindings["printed"].text, bindings["amount"].text) == ADMIN_RUNNING_ROW
    assert bindings["amount"].get("datatype") == "http://www.w3.org/2001/XMLSchema#decimal"

    text = wrapper(server, DOCUMENTS, CSV).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["unit", "year"]
    assert [(u, int(y)) for u, y in rows[1:]] == EXPECTED_DOCUMENTS

    text = wrapper(server, ADMIN_RUNNING, TSV).query().convert().decode("utf-8")
    header, line = text.strip("\n").split("\n")
    assert header == "?name\t?printed\t?amount"
    name, printed, amount = line.split("\t")
    assert name == '"行政运行"'
    # a decimal without a fraction keeps its datatype (bare, it would read as an integer)
    assert (printed, amount) == ("18847.61", '"188476100"^^<http://www.w3.org/2001/XMLSchema#decimal>')


@pytest.mark.parametrize("fmt,expected", [("json", b'{"head":{},"boolean":true}'), ("csv", b"true"),
                                          ("tsv", b"true")])
def test_ask_in_every_format(server, fmt, expected):
    r = httpx.get(server.url + "/sparql", params={"query": ASK_SEED, "format": fmt})
    assert r.status_code == 200 and r.content == expected
    r = httpx.get(server.url + "/sparql", params={"query": ASK_SEED}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(r.content).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def test_construct_as_turtle_ntriples_jsonld(server, direct):
    expected = {(str(t.subject.value), int(t.object.value)) for t in direct.query(
        CONSTRUCT_DOCS, use_default_graph_as_union=True)}
    assert len(expected) == 4
    for fmt, rdflib_format in ((TURTLE, "turtle"), (JSONLD, "json-ld")):
        body = wrapper(server, CONSTRUCT_DOCS, fmt).query().response.read()
        g = rdflib.Graph().parse(data=body, format=rdflib_format)
        assert {(str(s), int(o)) for s, _, o in g} == expected, fmt
    r = httpx.get(server.url + "/sparql", params={"query": CONSTRUCT_DOCS},
                  headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples")
    g = rdflib.Graph().parse(data=r.text, format="nt")
    assert {(str(s), int(o)) for s, _, o in g} == expected


def test_describe(server):
    doc = json_rows(wrapper(server, PREFIXES + 'SELECT ?d WHERE { ?d dcterms:publisher/skos:prefLabel '
                                               '"重庆市永川区公安局"@zh }', JSON).query().convert())[0][0]
    r = httpx.get(server.url + "/sparql", params={"query": f"DESCRIBE <{doc}>", "format": "ntriples"})
    g = rdflib.Graph().parse(data=r.text, format="nt")
    assert (rdflib.URIRef(doc), rdflib.URIRef("https://budgetkg.org/def/fiscalYear"), rdflib.Literal(2024)) in g


def test_post_form_and_sparql_query_body(server):
    r = httpx.post(server.url + "/sparql", data={"query": DOCUMENTS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.splitlines()[1] == f"{WANLI},2024"
    r = httpx.post(server.url + "/sparql?format=json", content=DOCUMENTS.encode(),
                   headers={"Content-Type": "application/sparql-query"})
    assert [(u, int(y)) for u, y in json_rows(r.json())] == EXPECTED_DOCUMENTS
    r = httpx.post(server.url + "/sparql", content=b"query", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_format_parameter_beats_accept_and_unknown_formats_are_refused(server):
    r = httpx.get(server.url + "/sparql", params={"query": DOCUMENTS, "format": "tsv"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = httpx.get(server.url + "/sparql", params={"query": DOCUMENTS, "format": "turtle"})
    assert r.status_code == 400 and "json, xml, csv, tsv" in r.text
    r = httpx.get(server.url + "/sparql", params={"query": DOCUMENTS}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_service_description_without_a_query(server):
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(server.url + "/sparql")
    assert (service, rdflib.RDF.type, sd.Service) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["location"] == "/editor"  # a browser gets the editor


def test_default_graph_is_the_union_of_named_graphs(server, direct):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    served = int(json_rows(wrapper(server, query, JSON).query().convert())[0][0])
    in_graphs = int(next(iter(direct.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)
    assert served == in_graphs > 70_000


# --- safe by default --------------------------------------------------------------------

REFUSED = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "read-only"),
    ("DROP ALL", 403, "read-only"),
    ("LOAD <http://example.org/data.ttl>", 400, "LOAD"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400, "SERVICE"),
    ("SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } }", 400,
     "SERVICE"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", 400, "FROM <http://example.org/data.ttl>"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", 400, "file:///etc/passwd"),
    ("SELECT * WHERE { ?s ?p }", 400, "SPARQL syntax error"),
    ("SELEKT * WHERE { ?s ?p ?o }", 400, "line:1, col:1"),
]


@pytest.mark.parametrize("query,status,words", REFUSED)
def test_refused_before_execution(server, query, status, words):
    for r in (httpx.get(server.url + "/sparql", params={"query": query}),
              httpx.post(server.url + "/sparql", data={"query": query}),
              httpx.post(server.url + "/sparql", content=query.encode(),
                         headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == status, (query, r.text)
        assert words in r.text
        assert len(r.text.strip().splitlines()) == 1  # one clear line


def test_updates_by_protocol_are_refused(server):
    r = httpx.post(server.url + "/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403 and "read-only" in r.text
    r = httpx.post(server.url + "/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    w = wrapper(server, "CLEAR ALL", JSON, POST)
    w.setRequestMethod("postdirectly")
    w.queryType = "CLEAR"
    with pytest.raises(Exception, match="403"):
        w.query()
    # and the store still holds every document
    assert len(json_rows(wrapper(server, DOCUMENTS, JSON).query().convert())) == 4


def test_dataset_parameters_naming_other_graphs_are_refused(server):
    r = httpx.get(server.url + "/sparql", params={"query": DOCUMENTS, "default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400 and "default-graph-uri" in r.text


def test_an_expensive_query_is_stopped_while_others_are_answered(server):
    before = httpx.get(server.url + "/health").json()
    outcome = {}

    def expensive():
        start = time.monotonic()
        outcome["response"] = httpx.get(server.url + "/sparql", params={"query": EXPENSIVE}, timeout=60)
        outcome["seconds"] = time.monotonic() - start

    t = threading.Thread(target=expensive)
    t.start()
    time.sleep(0.5)
    answered = 0
    while t.is_alive():  # the other worker keeps answering meanwhile
        r = httpx.get(server.url + "/sparql", params={"query": ASK_SEED}, timeout=10)
        assert r.status_code == 200 and r.json()["boolean"] is True
        answered += 1
    t.join()
    assert outcome["response"].status_code == 503
    assert "time limit of 3 s" in outcome["response"].text
    assert 3 <= outcome["seconds"] < 15  # the limit, plus killing the worker (slack for a loaded machine)
    assert answered >= 3
    after = httpx.get(server.url + "/health").json()
    assert after["counters"]["timeouts"] == before["counters"]["timeouts"] + 1
    assert after["workers_replaced"] == before["workers_replaced"] + 1
    # the killed worker's replacement answers too: two queries at once, both served
    with httpx.Client() as c:
        assert all(c.get(server.url + "/sparql", params={"query": DOCUMENTS}).status_code == 200 for _ in range(4))


def test_row_cap_cuts_the_result_and_says_so(server):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = httpx.get(server.url + "/sparql", params={"query": query, "format": "json"})
    assert r.headers["x-result-truncated"] == "500"
    assert len(r.json()["results"]["bindings"]) == 500
    r = httpx.get(server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"})
    assert r.headers["x-result-truncated"] == "500" and len(r.text.strip().splitlines()) == 500
    r = httpx.get(server.url + "/sparql", params={"query": DOCUMENTS})
    assert "x-result-truncated" not in r.headers


def test_request_body_cap(server):
    padding = "#" + "x" * 300_000 + "\n"
    r = httpx.post(server.url + "/sparql", content=(padding + DOCUMENTS).encode(),
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: the cap holds on what arrives
        for _ in range(40):
            yield b"#" + b"x" * 10_000 + b"\n"

    r = httpx.post(server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_cors_on_get(server):
    r = httpx.get(server.url + "/sparql", params={"query": ASK_SEED}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    r = httpx.options(server.url + "/sparql", headers={"Origin": "https://example.org",
                                                       "Access-Control-Request-Method": "GET"})
    assert r.status_code == 200 and "GET" in r.headers["access-control-allow-methods"]


def test_health_and_counters(server):
    before = httpx.get(server.url + "/health").json()
    assert before["status"] == "ok" and before["workers"] == 2
    httpx.get(server.url + "/sparql", params={"query": DOCUMENTS})
    httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    after = httpx.get(server.url + "/health").json()["counters"]
    assert after["queries"] == before["counters"]["queries"] + 1
    assert after["refused"] == before["counters"]["refused"] + 1
    assert after["query_seconds"] > before["counters"]["query_seconds"]
    metrics = httpx.get(server.url + "/metrics").text
    assert f"budgetkg_queries_total {after['queries']}" in metrics
    assert 'budgetkg_responses_total{status="400"}' in metrics


# --- fronting a remote store ------------------------------------------------------------

@pytest.fixture(scope="module")
def remote_server(direct):
    """`budgetkg serve --endpoint` in front of a real `oxigraph serve` holding the same quads."""
    oxigraph = OxigraphServer()
    nquads = ox.serialize(direct.quads_for_pattern(None, None, None, None), format=ox.RdfFormat.N_QUADS)
    req = urllib.request.Request(oxigraph.url + "/store", data=nquads, method="POST",
                                 headers={"Content-Type": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
    served = serve_support.Server("--timeout", "3", "--row-cap", "500", "--workers", "2",
                                  source=("--endpoint", oxigraph.url + "/query"))
    yield served
    served.stop()
    oxigraph.stop()


def test_remote_store_same_answers_same_rules(remote_server):
    data = wrapper(remote_server, DOCUMENTS, JSON).query().convert()
    assert [(u, int(y)) for u, y in json_rows(data)] == EXPECTED_DOCUMENTS
    rows = wrapper(remote_server, ADMIN_RUNNING, CSV).query().convert().decode().splitlines()
    assert rows[1] == ",".join(ADMIN_RUNNING_ROW)
    for query, status, words in REFUSED:
        r = httpx.get(remote_server.url + "/sparql", params={"query": query})
        assert r.status_code == status and words in r.text, query
    r = httpx.get(remote_server.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert r.headers["x-result-truncated"] == "500"
    r = httpx.get(remote_server.url + "/sparql", params={"query": EXPENSIVE}, timeout=30)
    assert r.status_code == 503
    assert httpx.get(remote_server.url + "/sparql", params={"query": ASK_SEED}).json()["boolean"] is True
    assert json.loads(httpx.get(remote_server.url + "/health").text)["source"].startswith("SPARQL endpoint")
