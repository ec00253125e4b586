"""Where the graph lives: an embedded Oxigraph store on disk (the default) or any
SPARQL 1.1 server, behind one small interface:

    replace_graph(graph, ntriples, shared, also)
                                     the graph becomes exactly this, shared graphs
                                     (units, extra codes) gain triples, the graphs of
                                     `also` (its validation report) are replaced too:
                                     one transaction
    graph_ntriples(graph) -> str     one graph's triples
    drop_graph(graph)
    query(sparql) -> list[dict]      SELECT results as Python values (Decimal, int, str)
    ask(sparql) -> bool
    triple_count() -> int            triples in all named graphs
    quads()                          every quad (for export)

Queries see the union of all named graphs as their default graph (observations
in a document's graph join code lists in theirs); a remote server must be run
that way (Oxigraph: `serve --union-default-graph`; Fuseki: unionDefaultGraph).
"""
from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox

from budgetkg.graph.codes import quads_to_ntriples

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                   "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                   "unsignedInt", "unsignedLong")}
DEFAULT_STORE = Path(os.environ.get("BUDGETKG_STORE", "data/store"))
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


class StoreError(OSError):
    """A store that cannot be opened or reached, or that rejected a request."""


def python_value(kind: str, value: str, datatype: str | None) -> Any:
    """A result term as Python: IRIs and plain strings as str, numbers exact."""
    if kind != "literal" or not datatype:
        return value
    if datatype == XSD + "decimal":
        return Decimal(value)
    if datatype in INTEGER_TYPES:
        return int(value)
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def _ox_value(term) -> Any:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return python_value("literal", term.value, term.datatype.value)
    return term


class EmbeddedStore:
    """pyoxigraph on disk (or in memory with path None)."""

    def __init__(self, path: Path | str | None = DEFAULT_STORE):
        self.path = Path(path) if path is not None else None
        try:
            if self.path is not None:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            else:
                self.store = ox.Store()
        except OSError as e:
            raise StoreError(f"{self.path}: cannot open the store ({e}); is another budgetkg using it?") from e

    def describe(self) -> str:
        return f"embedded store {self.path}" if self.path else "in-memory store"

    def replace_graph(self, graph: str, ntriples: str, shared: dict[str, str] | None = None,
                      also: dict[str, str] | None = None) -> None:
        # one SPARQL update = one transaction: the old graph never coexists with,
        # or is lost without, the new one; shared graphs only gain triples
        replaced = {graph: ntriples, **(also or {})}
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in replaced)
        extra = "".join(f"GRAPH <{g}> {{\n{nt}}}\n" for g, nt in {**replaced, **(shared or {})}.items())
        self.store.update(f"{drops}INSERT DATA {{ {extra}}}")

    def graph_ntriples(self, graph: str) -> str:
        return quads_to_ntriples(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def drop_graph(self, graph: str) -> None:
        self.store.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str) -> list[dict[str, Any]]:
        result = self.store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: _ox_value(sol[n]) for n in names if sol[n] is not None} for sol in result]

    def ask(self, sparql: str) -> bool:
        return bool(self.store.query(sparql, use_default_graph_as_union=True))

    def triple_count(self) -> int:
        return self.query(COUNT_QUERY)[0]["n"]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(None, None, None, None))

    def close(self) -> None:
        self.store.flush()
        del self.store


class RemoteStore:
    """Any SPARQL 1.1 server: SPARQL protocol (SPARQLWrapper) for queries and
    updates, Graph Store HTTP Protocol (PUT) to replace a document's graph.

    `endpoint` is the query URL; the update and graph-store URLs default to its
    siblings (…/query → …/update, …/store: Oxigraph's layout)."""

    def __init__(self, endpoint: str, update: str | None = None, graph_store: str | None = None,
                 timeout: float = 120):
        base = endpoint.rstrip("/")
        for tail in ("/query", "/sparql"):
            if base.endswith(tail):
                base = base[: -len(tail)]
                break
        else:
            endpoint = base + "/query"
        self.endpoint = endpoint
        self.update_url = update or base + "/update"
        self.gsp_url = graph_store or base + "/store"
        self.timeout = timeout

    def describe(self) -> str:
        return f"SPARQL endpoint {self.endpoint}"

    def _wrapper(self, url: str):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        w = SPARQLWrapper(url, updateEndpoint=self.update_url)
        w.setMethod(POST)
        w.setReturnFormat(JSON)
        w.setTimeout(int(self.timeout))
        return w

    def _run(self, w, what: str):
        try:
            return w.query()
        except urllib.error.URLError as e:
            raise StoreError(f"{self.endpoint}: cannot reach the server ({e.reason})") from e
        except Exception as e:  # SPARQLWrapper raises its own exception types
            raise StoreError(f"{self.endpoint}: {what} failed: {e}") from e

    def replace_graph(self, graph: str, ntriples: str, shared: dict[str, str] | None = None,
                      also: dict[str, str] | None = None) -> None:
        self._put(graph, ntriples)
        try:
            for g, nt in (also or {}).items():
                self._put(g, nt)
            if shared:
                extra = "".join(f"GRAPH <{g}> {{\n{nt}}}\n" for g, nt in shared.items())
                self.update(f"INSERT DATA {{ {extra}}}")
        except StoreError:
            for g in [graph, *(also or {})]:  # several requests: undo the first
                self.drop_graph(g)
            raise

    def graph_ntriples(self, graph: str) -> str:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return ""
            raise StoreError(f"{self.gsp_url}: GET {graph} failed: {e.code}") from e
        except urllib.error.URLError as e:
            raise StoreError(f"{self.gsp_url}: cannot reach the server ({e.reason})") from e

    def _put(self, graph: str, ntriples: str) -> None:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        req = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                r.read()
        except urllib.error.HTTPError as e:
            raise StoreError(f"{self.gsp_url}: PUT {graph} failed: {e.code} {e.read()[:300]!r}") from e
        except urllib.error.URLError as e:
            raise StoreError(f"{self.gsp_url}: cannot reach the server ({e.reason})") from e

    def update(self, sparql: str) -> None:
        w = self._wrapper(self.endpoint)
        w.setQuery(sparql)
        self._run(w, "update")

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str) -> list[dict[str, Any]]:
        w = self._wrapper(self.endpoint)
        w.setQuery(sparql)
        data = self._run(w, "query").convert()
        out = []
        for b in data["results"]["bindings"]:
            out.append({k: python_value("literal" if v["type"] in ("literal", "typed-literal") else v["type"],
                                        v["value"], v.get("datatype")) for k, v in b.items()})
        return out

    def ask(self, sparql: str) -> bool:
        w = self._wrapper(self.endpoint)
        w.setQuery(sparql)
        return bool(self._run(w, "query").convert()["boolean"])

    def triple_count(self) -> int:
        return self.query(COUNT_QUERY)[0]["n"]

    def graphs(self) -> list[str]:
        return sorted(r["g"] for r in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def quads(self) -> Iterator[ox.Quad]:
        w = self._wrapper(self.endpoint)
        w.setQuery("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for b in self._run(w, "export").convert()["results"]["bindings"]:
            yield ox.Quad(_term(b["s"]), _term(b["p"]), _term(b["o"]), _term(b["g"]))

    def close(self) -> None:
        pass


def _term(b: dict[str, str]):
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if b.get("datatype"):
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])
