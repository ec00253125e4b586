"""The pages over plain HTTP: the SPARQL editor shows the server parser's
message or the result, the document page links each finding to its cell and
prints values to the table's last digit, and nothing on any page comes from
another host."""
from __future__ import annotations

import re
import urllib.parse

import httpx
import pytest

import serve_support
from serve_support import WANLI


@pytest.fixture(scope="module")
def server():
    return serve_support.server()


def test_editor_shows_the_parsers_message(server):
    r = httpx.get(server.url + "/editor", params={"plain": "true", "query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert re.search(r'<pre class="error" id="error">SPARQL syntax error: .*line:1', r.text)
    r = httpx.get(server.url + "/editor", params={"plain": "true", "query": "SELECT * WHERE { SERVICE <http://x/> {} }"})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_editor_runs_a_query(server):
    query = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE { ?u skos:prefLabel ?name '
             'FILTER(CONTAINS(?name, "万里街道")) } LIMIT 1')
    r = httpx.get(server.url + "/editor", params={"plain": "true", "query": query})
    assert r.status_code == 200 and f"<td>{WANLI}</td>" in r.text


def test_document_page_links_its_finding_to_the_cell(server):
    documents = httpx.get(server.url + "/queries/documents.json", params={"phase": "executed"}).json()["rows"]
    key = documents[0]["document"].rsplit("/", 1)[-1]
    page = httpx.get(f"{server.url}/documents/{key}").text
    anchor = re.search(r'<a class="to-cell" href="#([^"]+)">page 10</a>', page).group(1)
    cell = re.search(rf'<td class="num flagged" id="{anchor}">([^<]*)<a class="finding-link" href="#finding-1">',
                     page)
    assert cell and cell.group(1).strip() == "326.72"
    assert "1,511.89" in page and "258.50" in page  # 万元 to two decimals, as printed
    assert httpx.get(f"{server.url}/documents/0123456789abcdef").status_code == 404
    assert httpx.get(f"{server.url}/documents/not-a-key").status_code == 404


def test_unit_page_and_unknown_unit(server):
    r = httpx.get(f"{server.url}/units/{urllib.parse.quote(WANLI)}")
    assert r.status_code == 200 and r.text.count('class="bar"') >= 2 * 9  # two years × nine 类 at least
    assert httpx.get(f"{server.url}/units/{urllib.parse.quote('没有这个单位')}").status_code == 404


def test_pages_load_nothing_from_elsewhere(server):
    key = httpx.get(server.url + "/queries/documents.json").json()["rows"][0]["document"].rsplit("/", 1)[-1]
    for path in ("/", "/browse/documents?year=2024", "/editor", "/editor?plain=true", f"/documents/{key}",
                 f"/units/{urllib.parse.quote(WANLI)}"):
        page = httpx.get(server.url + path).text
        sources = re.findall(r'(?:src|href)="([^"#]*)"', page)
        assert all(s.startswith("/") or s == "" for s in sources), (path, [s for s in sources if not s.startswith("/")])
