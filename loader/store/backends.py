"""Where the graph lives: an embedded Oxigraph store on disk (the default) or any
SPARQL 1.1 server, behind one small interface:

    replace_graph(graph, ntriples, shared, also)
                                     the graph becomes exactly this, shared graphs
                                     (units, extra codes) gain triples, the graphs of
                                     `also` (its validation report) are replaced too:
                                     one SPARQL UPDATE, so one transaction on either
                                     backend: a failure leaves the store as it was;
                                     when the answer is lost, the store is asked
                                     whether it was applied (`holds`)
    replace_graphs(graphs)           several graphs replaced in one transaction
    graph_ntriples(graph) -> str     one graph's triples
    drop_graph(graph)
    query(sparql) -> list[dict]      SELECT results as Python values (Decimal, int, str)
    ask(sparql) -> bool
    triple_count() -> int            triples in all named graphs
    quads()                          every quad (for export)

Queries see the union of all named graphs as their default graph (observations
in a document's graph join code lists in theirs); a remote server must be run
that way (Oxigraph: `serve --union-default-graph`; Fuseki: unionDefaultGraph);
`check_union_default_graph` refuses one that is not.

An embedded store is created only by commands that write (`load`); reading and
exporting open it read-only, and each way it can fail to open has its message.
"""
from __future__ import annotations

import http.client
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


class AnswerLost(StoreError):
    """The request was sent whole but its answer never came (a reset, a cut, a
    timeout): the server may or may not have applied it."""


def replace_update(graphs: dict[str, str], shared: dict[str, str] | None = None) -> str:
    """One SPARQL UPDATE request: each graph of `graphs` becomes exactly its
    N-Triples, the `shared` graphs gain theirs. One request is one transaction
    (Oxigraph, Fuseki …): the old graph never coexists with, or is lost
    without, the new one, whatever fails."""
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in graphs)
    data = "".join(f"GRAPH <{g}> {{\n{nt}}}\n" for g, nt in {**graphs, **(shared or {})}.items())
    return f"{drops}INSERT DATA {{ {data}}}"


UNION_CHECK = "ASK { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1 } ?s ?p ?o }"
ANY_NAMED = "ASK { GRAPH ?g { ?s ?p ?o } }"


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


def _is_store(path: Path) -> bool:
    return (path / "CURRENT").is_file()  # RocksDB's pointer to its manifest


def open_error(path: Path, e: Exception) -> StoreError:
    """What went wrong opening an on-disk store, in words a user can act on."""
    text = str(e)
    if "Corruption" in text or isinstance(e, RuntimeError):
        why = f"the store is damaged ({text}); restore it from a backup, or load the documents into a new store"
    elif "lock" in text.lower() or "Resource temporarily unavailable" in text:
        why = "the store is in use by another process (another budgetkg load or validate?); wait for it to finish"
    elif isinstance(e, PermissionError) or "Permission denied" in text or "Read-only file system" in text:
        why = "no permission to write the store (read-only?); `budgetkg export` can still read it"
    else:
        why = f"cannot open the store ({text})"
    return StoreError(f"{path}: {why}")


class EmbeddedStore:
    """pyoxigraph on disk (or in memory with path None).

    `create`: a missing store is created (only `load` does that; a mistyped
    --store must not become a new empty store). `read_only`: opened without a
    lock or writes, so a store on a read-only disk, or in use, can be read."""

    def __init__(self, path: Path | str | None = DEFAULT_STORE, create: bool = True, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        if self.path is None:
            self.store = ox.Store()
            return
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a folder, so not a store")
        if not _is_store(self.path):
            if not create:
                raise StoreError(f"{self.path}: no store there (load documents first with `budgetkg load`, "
                                 f"or name the store with --store DIR or $BUDGETKG_STORE)")
            if self.path.exists() and any(self.path.iterdir()):
                raise StoreError(f"{self.path}: a folder that is not a store and not empty; "
                                 f"give a new or empty folder for a new store")
        try:
            if read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as e:
            raise open_error(self.path, e) from e

    def describe(self) -> str:
        return f"embedded store {self.path}" if self.path else "in-memory store"

    def replace_graph(self, graph: str, ntriples: str, shared: dict[str, str] | None = None,
                      also: dict[str, str] | None = None) -> None:
        self.replace_graphs({graph: ntriples, **(also or {})}, shared)

    def replace_graphs(self, graphs: dict[str, str], shared: dict[str, str] | None = None) -> None:
        self.update(replace_update(graphs, shared))

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.describe()}: opened read-only")
        self.store.update(sparql)

    def check_union_default_graph(self) -> None:
        """Queries here always see the union of the named graphs."""

    def graph_ntriples(self, graph: str) -> str:
        return quads_to_ntriples(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def drop_graph(self, graph: str) -> None:
        self.store.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str) -> list[dict[str, Any]]:
        return self.select(sparql)[1]

    def select(self, sparql: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The projected variables in order, and the rows (unbound ones absent)."""
        result = self.store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return names, [{n: _ox_value(sol[n]) for n in names if sol[n] is not None} for sol in result]

    def ask(self, sparql: str) -> bool:
        return bool(self.store.query(sparql, use_default_graph_as_union=True))

    def triple_count(self) -> int:
        return self.query(COUNT_QUERY)[0]["n"]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(None, None, None, None))

    def close(self) -> None:
        if not self.read_only:
            self.store.flush()
        del self.store


class RemoteStore:
    """Any SPARQL 1.1 server: SPARQL protocol (SPARQLWrapper) for queries and
    updates (a document and its report in one update request), Graph Store HTTP
    Protocol (GET) to read one graph.

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

    def _query(self, sparql: str, form: str):
        """A wrapper sending `sparql` as a query of `form`, never as an update:
        SPARQLWrapper guesses the form from the text and misses every other
        line of a comment block, so `# load …` on a second comment line made a
        SELECT an update (LOAD)."""
        w = self._wrapper(self.endpoint)
        w.setQuery(sparql)
        w.queryType = form  # the caller knows the form; SPARQLWrapper reads this attribute
        return w

    def _run(self, w, what: str):
        """The request's answer as JSON; any failure, including a connection cut
        while the answer is read, as one StoreError."""
        try:
            return w.query().convert()
        except urllib.error.URLError as e:
            raise StoreError(f"{self.endpoint}: cannot reach the server ({e.reason})") from e
        except Exception as e:  # SPARQLWrapper raises its own exception types
            detail = " ".join(str(e).split())[:300]  # its messages carry the whole answer, on many lines
            raise StoreError(f"{self.endpoint}: {what} failed: {detail or type(e).__name__}") from e

    def replace_graph(self, graph: str, ntriples: str, shared: dict[str, str] | None = None,
                      also: dict[str, str] | None = None) -> None:
        self.replace_graphs({graph: ntriples, **(also or {})}, shared)

    def replace_graphs(self, graphs: dict[str, str], shared: dict[str, str] | None = None) -> None:
        # one request: if it fails on the way the server has applied all of it
        # or none, never a document without its report or a dropped old copy
        try:
            self.update(replace_update(graphs, shared))
        except AnswerLost as e:
            # all or none was applied: the store says which, so a document that
            # was written is not reported as a failure
            try:
                if holds(self, graphs, shared):
                    return
            except StoreError as check:
                raise StoreError(f"{e}; whether the server applied it could not be checked ({check})") from e
            raise StoreError(f"{e}; the server did not apply it (checked: the store is unchanged)") from e

    def check_union_default_graph(self) -> None:
        """Refuse a server whose queries do not see the union of the named
        graphs: every query here (and every check across documents) relies on it."""
        if self.ask(ANY_NAMED) and not self.ask(UNION_CHECK):
            raise StoreError(f"{self.endpoint}: the server does not query the union of its named graphs by "
                             f"default, so queries across documents would find nothing; run it so "
                             f"(Oxigraph: serve --union-default-graph; Fuseki: tdb:unionDefaultGraph true)")

    def graph_ntriples(self, graph: str) -> str:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        answer = self._send(req, self.gsp_url, f"GET {graph}")
        return "" if answer is None else answer.decode("utf-8")

    def update(self, sparql: str) -> None:
        # POSTed directly (SPARQL 1.1 protocol, "update via POST directly"):
        # SPARQLWrapper URL-encodes and regex-scans the whole text, seconds for
        # a document's update
        req = urllib.request.Request(self.update_url, data=sparql.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        self._send(req, self.update_url, "update")

    def _send(self, req: urllib.request.Request, where: str, what: str) -> bytes | None:
        """The answer's body (None: 404 to a GET). Each failure as one line: the
        server's error, a server that cannot be reached, or (AnswerLost) an
        answer that never came for a request that was sent."""
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code == 404 and req.get_method() == "GET":
                return None
            detail = " ".join(e.read()[:300].decode("utf-8", "replace").split())
            raise StoreError(f"{where}: {what} failed: {e.code} {detail}".rstrip()) from e
        except urllib.error.URLError as e:
            raise StoreError(f"{where}: cannot reach the server ({e.reason})") from e
        except (OSError, http.client.HTTPException) as e:  # a connection reset or cut mid-answer
            raise AnswerLost(f"{where}: the server broke off ({e!r})") from e

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str) -> list[dict[str, Any]]:
        return self.select(sparql)[1]

    def select(self, sparql: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The projected variables in order, and the rows (unbound ones absent)."""
        w = self._query(sparql, "SELECT")
        data = self._run(w, "query")
        out = []
        for b in data["results"]["bindings"]:
            out.append({k: python_value("literal" if v["type"] in ("literal", "typed-literal") else v["type"],
                                        v["value"], v.get("datatype")) for k, v in b.items()})
        return list(data["head"]["vars"]), out

    def ask(self, sparql: str) -> bool:
        return bool(self._run(self._query(sparql, "ASK"), "query")["boolean"])

    def triple_count(self) -> int:
        return self.query(COUNT_QUERY)[0]["n"]

    def graphs(self) -> list[str]:
        return sorted(r["g"] for r in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def quads(self) -> Iterator[ox.Quad]:
        w = self._query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT")
        for b in self._run(w, "export")["results"]["bindings"]:
            yield ox.Quad(_term(b["s"]), _term(b["p"]), _term(b["o"]), _term(b["g"]))

    def close(self) -> None:
        pass


def holds(store, graphs: dict[str, str], shared: dict[str, str] | None = None) -> bool:
    """Whether the store is as `replace_graphs(graphs, shared)` leaves it: each
    graph exactly its triples, each shared graph holding its own."""
    def triples(nt: str) -> set:
        # read back through a store: a store keeps a literal's canonical form
        # ("1.50" comes back as 1.5), so both sides are compared in that form
        s = ox.Store()
        s.load(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return set(s)
    return (all(triples(store.graph_ntriples(g)) == triples(nt) for g, nt in graphs.items())
            and all(triples(nt) <= triples(store.graph_ntriples(g)) for g, nt in (shared or {}).items()))


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
