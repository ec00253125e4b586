"""Remote loads are atomic per document: a real `oxigraph serve` (on disk, so
that it can die and come back) behind a fault-injecting proxy
(tests/fault_proxy.py). Each fault (a reset, a 500, the server dying, an
answer lost after the server applied the request) is injected at every
request of a load in turn; the store's N-Quads dump must then be exactly what
it was before, or (when the request that failed had already reached the
server) exactly what a clean load gives: never a document without its report,
never a lost previous copy. A document whose update the server applied but
whose answer was lost is reported loaded (the store is asked). Also: a server without a union default graph is
refused before anything is written."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from budgetkg.store.backends import RemoteStore, StoreError
from budgetkg.store.load import load, read_document
from fault_proxy import FaultProxy, PersistentOxigraph
from graph_support import CORPUS

# two small real documents: A is stored, validated, before each faulty load;
# the load stores A again without validation (so its update also drops A's
# report graph) and B, new
DOC_A = CORPUS / "pdf" / "sh-putuo-zhengfuban-2025-unit-budget.pdf"
DOC_B = CORPUS / "pdf" / "js-jianchayuan-2017-budget.pdf"
LOAD_SECONDS = 60  # a generous bound on one load of the two; speed itself is in bench/


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """The two documents as saved extractions, so each load skips the PDF reader."""
    folder = tmp_path_factory.mktemp("saved")
    out = {}
    for name, pdf in (("a", DOC_A), ("b", DOC_B)):
        out[name] = folder / (pdf.stem + ".json")
        out[name].write_text(json.dumps(read_document([pdf]).to_json(), ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def states(saved, tmp_path_factory):
    """The server's folder with A stored ("before"), its dump, the dump after a
    clean load of A and B ("after"), and the requests such a load makes."""
    folder = tmp_path_factory.mktemp("before")
    server = PersistentOxigraph(folder / "db")
    try:
        summary = load(RemoteStore(server.url + "/query"), [saved["a"]], progress=False)
        assert [d.ok for d in summary.documents] == [True]
        server.stop()
        base = copy_store(folder / "db", folder / "copy")
        server.start()
        before = server.dump()
        proxy = FaultProxy(server)
        try:
            summary = load(RemoteStore(proxy.url + "/query"), [saved["a"], saved["b"]], progress=False,
                           validate=False)
        finally:
            proxy.close()
        assert [d.ok for d in summary.documents] == [True, True]
        after = server.dump()
    finally:
        server.stop()
    assert before != after
    return base, before, after, proxy.requests


def copy_store(base: Path, folder: Path) -> Path:
    target = folder / "db"
    shutil.copytree(base, target)
    return target


def test_a_clean_load_is_one_update_per_document(states):
    """The requests a load makes: the ontology and code lists in one update,
    the check of the server's union default graph, one update per document
    (its graph, its report graph and shared triples together), the count."""
    _base, _before, _after, requests = states
    updates = [r for r in requests if r.startswith("POST /update")]
    assert len(updates) == 3, requests
    assert not any(r.startswith("PUT") for r in requests)


def by_graph(dump: bytes) -> dict[str, set[bytes]]:
    """An N-Quads dump as graph -> its lines (every quad here is in a named graph)."""
    out: dict[str, set[bytes]] = {}
    for line in dump.splitlines():
        graph = line.rsplit(b" ", 2)[-2]  # "... <graph> ."
        out.setdefault(graph.decode()[1:-1], set()).add(line)
    return out


def written(fault: str, at: int, first_update: int, update: int, requests: list[str]) -> bool:
    """Whether a document's update request was applied, the fault being at
    request `at`: a fault before the first document stops the load, but for a
    broken answer to the ontology update (the store is asked, and holds it: the
    same files were stored before, so the load goes on); only with "lost" does
    the faulty request reach the server; after "die" nothing does."""
    if fault == "die":
        return at > update
    if at < first_update:
        return fault in ("reset", "lost") and is_update(requests[at - 1])
    return fault == "lost" or at != update


def is_update(request: str) -> bool:
    return request.startswith("POST /update")


def failed_here(fault: str, at: int, update: int) -> bool:
    """Whether a document's load is reported failed: its own update broke (not
    when only the answer was lost: the store shows it written), or the server
    died before it."""
    return (at == update and fault != "lost") or (fault == "die" and at < update)


def own_graphs(saved: Path) -> tuple[set[str], set[str]]:
    """A document's own graphs (its graph, its report graph) and the shared
    graphs its update adds to (its unit, codes its year's lists lack)."""
    from budgetkg.contract import read_contract
    from budgetkg.graph.document import document_graph
    from budgetkg.validate.shapes import report_graph_iri
    dg = document_graph(read_contract(saved))
    return {dg.graph, report_graph_iri(dg.document)}, set(dg.shared_ntriples())


@pytest.mark.parametrize("fault", ["reset", "500", "die", "lost"])
def test_a_fault_at_any_request_leaves_whole_documents(fault, saved, states, tmp_path):
    base, before, after, requests = states
    _static, a_update, b_update = [i for i, r in enumerate(requests, 1) if is_update(r)]
    a_own, _ = own_graphs(saved["a"])
    b_own, b_shared = own_graphs(saved["b"])
    before_graphs, after_graphs = by_graph(before), by_graph(after)
    for at in range(1, len(requests) + 1):
        server = PersistentOxigraph(copy_store(base, tmp_path / f"{at}"))
        proxy = FaultProxy(server, fault, at)
        try:
            start = time.monotonic()
            try:
                summary = load(RemoteStore(proxy.url + "/query", timeout=30), [saved["a"], saved["b"]],
                               progress=False, validate=False)
            except StoreError as e:  # the ontology update or the server check failed: nothing else ran
                assert at < a_update and proxy.url in str(e) and "\n" not in str(e), e
                assert not (fault in ("reset", "lost") and is_update(requests[at - 1])), f"{e}: the store holds it"
                summary = None
            assert time.monotonic() - start < LOAD_SECONDS
            if not server.alive():
                server.start()
            dump = server.dump()
        finally:
            proxy.close()
            server.stop()
        a_written, b_written = (written(fault, at, a_update, update, requests) for update in (a_update, b_update))
        where = f"{fault} at request {at} ({requests[at - 1]})"
        if not a_written and not b_written:
            assert dump == before, where  # byte for byte
        graphs = by_graph(dump)
        for g in set(before_graphs) | set(after_graphs):
            new = (g in b_own | b_shared and b_written) or (g in a_own and a_written)
            assert graphs.get(g) == (after_graphs if new else before_graphs).get(g), f"{where}: <{g}>"
        assert set(graphs) <= set(before_graphs) | set(after_graphs), where
        if summary is not None:
            failed = [d.name for d in summary.documents if not d.ok]
            for d in summary.documents:
                if not d.ok:
                    assert d.error.startswith(d.name + ": ") and "\n" not in d.error
            assert (str(saved["a"]) in failed) == failed_here(fault, at, a_update), where
            assert (str(saved["b"]) in failed) == failed_here(fault, at, b_update), where
            for d in summary.documents:  # a broken connection: the store was asked what it holds
                if not d.ok and fault == "reset" and at in (a_update, b_update):
                    assert d.error.endswith("the server did not apply it (checked: the store is unchanged)"), where
                if not d.ok and fault == "die" and at in (a_update, b_update):
                    assert "whether the server applied it could not be checked" in d.error, where
            if fault == "die" and at > b_update:  # only the final count failed: the results stand
                assert summary.store_error and summary.store_triples is None


def test_a_server_without_union_default_graph_is_refused(saved, tmp_path):
    server = PersistentOxigraph(tmp_path / "db", union=False)
    try:
        store = RemoteStore(server.url + "/query")
        with pytest.raises(StoreError, match="does not query the union of its named graphs"):
            load(store, [saved["a"]], progress=False)
        # nothing but the ontology and code lists (the same on every load) was written
        graphs = store.graphs()
        static = "https://budgetkg.org/id/graph/ontology", "https://budgetkg.org/id/graph/codes/"
        assert graphs and all(g.startswith(static) for g in graphs), graphs
    finally:
        server.stop()
