"""Shared by tests/test_queries*.py: the whole corpus loaded once per test run
(`budgetkg load`'s own code, validation included) into an embedded store, and
the same quads in a real `oxigraph serve`, so that every saved query can be
run on both."""
from __future__ import annotations

import re
import urllib.request
from decimal import Decimal
from functools import lru_cache

import extracted
from budgetkg.query.run import QueryResult, run_saved
from budgetkg.store.backends import EmbeddedStore, RemoteStore
from budgetkg.store.load import load
from graph_support import CORPUS, OxigraphServer


def load_corpus(directory) -> EmbeddedStore:
    store = EmbeddedStore(directory)
    # a document load refuses stays out of the store and out of loaded_documents() (the load tests cover refusals)
    # the documents as `budgetkg extract` reads them, shared with the rest of the run (tests/extracted.py);
    # the graph, validation and one transaction per document are load's own
    extracted.documents(extracted.groups([CORPUS]))  # with the other worker, each extracting what it finds free
    load(store, [CORPUS], progress=False, read=extracted.document)
    return store


def serve_copy(store: EmbeddedStore) -> tuple[OxigraphServer, RemoteStore]:
    """A real `oxigraph serve` holding exactly the embedded store's quads."""
    server = OxigraphServer()
    nquads = "".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in store.quads())
    req = urllib.request.Request(server.url + "/store", data=nquads.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/n-quads"})
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
    return server, RemoteStore(server.url + "/query")


class Stores:
    """The embedded store and the server; `run` answers from the embedded store
    after checking the server gives the very same rows."""

    def __init__(self, embedded: EmbeddedStore, remote: RemoteStore):
        self.embedded, self.remote = embedded, remote

    def run(self, name: str, /, **params) -> QueryResult:
        text = {k: str(v) for k, v in params.items()}
        here = run_saved(self.embedded, name, text)
        there = run_saved(self.remote, name, text)
        assert here.columns == there.columns
        assert unordered_lists(here) == unordered_lists(there), f"{name}: the server answers differently"
        return here


LIST_SEPARATORS = re.compile(r"[\s;+]+")  # the saved queries' GROUP_CONCAT separators, and spaces


def unordered_lists(result: QueryResult) -> list[tuple]:
    """The rows, with each text's words as a sorted list: SPARQL leaves the order
    of GROUP_CONCAT's items to the engine, and two engines may differ in it."""
    return [tuple(sorted(w for w in LIST_SEPARATORS.split(v) if w) if isinstance(v, str) else v for v in row)
            for row in result.tuples()]


def yuan(value: Decimal, money_unit: str) -> Decimal:
    return value * {"元": Decimal(1), "万元": Decimal(10000)}[money_unit.replace("单位：", "")]


@lru_cache(maxsize=1)
def loaded_documents() -> dict[str, object]:
    """document IRI -> Document, for every corpus document `load` accepts (the
    same extraction as `budgetkg extract`: the independent side of each test)."""
    from budgetkg.graph.document import document_graph
    from budgetkg.graph.identifiers import document_iri
    groups = extracted.groups([CORPUS])
    out = {}
    for doc in extracted.documents(groups):
        try:
            if isinstance(doc, Exception):
                raise doc
            # what load refuses: no unit, year or kind, a table without a money unit (an OCR'd
            # narrative without tables needs none, and is loaded)
            document_graph(doc)
        except Exception:  # noqa: BLE001 - load refuses it too (tested by the load tests)
            continue
        out[document_iri(doc)] = doc
    return out


PHASE_OF_KIND = {"budget": "approved", "final_accounts": "executed"}


# ------------------------------------------------------------------ the independent side, per disclosure

def unit_label(doc) -> str:
    """The name a document's unit goes by: its preferred name (data/units.toml), and a 单位
    disclosure's own (本级) unit as `name（本级）`."""
    from budgetkg.graph.units import preferred_name
    name = preferred_name(doc.unit)
    return f"{name}（本级）" if doc.scope == "unit" else name


def disclosure_of(doc) -> tuple:
    """(unit name, year, phase, scope): what one row group of a canonical query is about (a
    document that does not say its scope is a department's)."""
    return unit_label(doc), doc.year, PHASE_OF_KIND[doc.kind], doc.scope or "department"


def disclosures() -> dict[tuple, object]:
    """disclosure -> the first loaded document of it (copies of one disclosure give the same facts)."""
    out: dict[tuple, object] = {}
    for doc in loaded_documents().values():
        out.setdefault(disclosure_of(doc), doc)
    return out


def row_key(row: dict) -> tuple:
    return row["unit_name"], row["year"], row["budget_phase"], row["disclosure_scope"]


def first_table(doc, type_: str):
    """The first table of a type that prints a value (the canonical layer takes a quantity from it)."""
    return next((t for t in doc.tables if t.type == type_ and not t.empty and any(r.values for r in t.rows)), None)


def in_yuan(doc, table, value: Decimal) -> Decimal:
    return yuan(value, table.money_unit or doc.money_unit)
