"""Loading: files -> Documents -> one named graph each, plus the ontology and
code lists, into a store. A document is one transaction: one that fails
(unreadable, no year, store error) leaves nothing behind and the batch goes on."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg import paths
from budgetkg.graph import codes
from budgetkg.graph.document import document_graph
from budgetkg.read.grouping import document_groups
from budgetkg.reconstruct.coverage import document_coverage
from budgetkg.validate.shapes import Report, report_graph_iri, report_ntriples, validate_ntriples

ONTOLOGY_GRAPH = codes.ID + "graph/ontology"


def read_document(paths: list[Path]):
    if len(paths) == 1 and paths[0].suffix.lower() == ".json":
        from budgetkg.contract import read_contract
        if not paths[0].exists():
            raise FileNotFoundError(f"{paths[0]}: no such file")
        return read_contract(paths[0])
    from budgetkg.reconstruct.extract import extract_document  # the PDF/text stack only when needed
    return extract_document(paths)


@dataclass
class Loaded:
    name: str
    ok: bool
    observations: int = 0
    triples: int = 0
    graph: str | None = None
    error: str | None = None
    report: Report | None = None  # its validation, when validated at load time
    not_read: list[str] = field(default_factory=list)  # what of it was not read (empty: fully read)


@dataclass
class Summary:
    documents: list[Loaded] = field(default_factory=list)
    static_triples: int = 0
    store_triples: int | None = 0  # None: the store could not be counted at the end
    store_error: str | None = None  # why not (the documents' own results stand)
    seconds: float = 0.0

    @property
    def loaded(self) -> list[Loaded]:
        return [d for d in self.documents if d.ok]

    @property
    def failed(self) -> list[Loaded]:
        return [d for d in self.documents if not d.ok]


@lru_cache(maxsize=64)  # the same files on every load of a batch or a process
def skolemised_turtle(path: Path, graph: str) -> str:
    """A Turtle file's triples as N-Triples, its blank nodes (the ontology's
    OWL lists and restrictions) as IRIs numbered in file order: a blank node
    inserted again is a new node, so without this every load would change the
    store; with it, loading the same files again changes nothing."""
    labels: dict[str, ox.NamedNode] = {}

    def term(t):
        if isinstance(t, ox.BlankNode):
            return labels.setdefault(t.value, ox.NamedNode(f"{graph}/.well-known/genid/{len(labels)}"))
        return t
    return codes.quads_to_ntriples(ox.Quad(term(q.subject), q.predicate, term(q.object))
                                   for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def load_static(store) -> int:
    """The ontology and every code list of ontology/codes/, each replacing its
    graph, all in one transaction."""
    graphs = {graph: skolemised_turtle(path, graph) for path, graph in [(paths.ONTOLOGY, ONTOLOGY_GRAPH)] + [
        (p, codes.code_graph_iri(p)) for p in sorted(paths.CODES_DIR.glob("*.ttl"))]}
    store.replace_graphs(graphs)
    return sum(nt.count("\n") for nt in graphs.values())


def document_error(paths: list[Path], e: Exception) -> str:
    """The error a document raised, naming its file(s) if it does not already."""
    msg = str(e)
    return msg if str(paths[0]) in msg else f"{' + '.join(str(p) for p in paths)}: {msg}"


def load_document(store, paths: list[Path], validate: bool = True, meta: dict | None = None,
                  read=read_document) -> Loaded:
    """Extract (`read`: files -> Document), build the graph, validate it (shapes/),
    and store the graph and its report graph together, in one transaction."""
    name = " + ".join(str(p) for p in paths)
    report = None
    try:
        doc = read(paths)
        dg = document_graph(doc, meta)
        nt = dg.ntriples()
        shared = dg.shared_ntriples()
        # without validation the old report would describe other triples: it goes
        report_nt = ""
        if validate:
            # an official list imported earlier is what the document's codes are verified against
            official = "".join(store.graph_ntriples(codes.official_graph_iri(scheme, doc.year))
                               for scheme in codes.HIERARCHICAL)
            report = validate_ntriples(nt + "".join(shared.values()) + official, dg.document, doc.year, name)
            report_nt = report_ntriples(report)
        store.replace_graph(dg.graph, nt, shared, {report_graph_iri(dg.document): report_nt})
    except Exception as e:  # noqa: BLE001 - one bad document must not stop the batch
        return Loaded(name, False, error=document_error(paths, e))
    return Loaded(name, True, dg.observations, nt.count("\n") + sum(x.count("\n") for x in shared.values()),
                  dg.graph, report=report, not_read=(doc.coverage or document_coverage(doc)).not_read)


def load(store, inputs: list[Path], progress: bool = True, static: bool = True,
         validate: bool = True, meta: dict | None = None, read=read_document) -> Summary:
    # `read` is how a group of files becomes a Document (the tests pass one that
    # reuses the extractions they share); everything after it is the same
    from tqdm import tqdm
    start = time.perf_counter()
    summary = Summary()
    if static:
        summary.static_triples = load_static(store)
    # before any document: a remote server must see the union of the named graphs
    store.check_union_default_graph()
    groups = document_groups(inputs)
    for group in tqdm(groups, desc="loading", unit="doc", disable=not progress or None):
        summary.documents.append(load_document(store, group, validate, meta, read))
    try:
        summary.store_triples = store.triple_count()
    except OSError as e:  # a server that died after the documents: their results still count
        summary.store_triples, summary.store_error = None, str(e)
    summary.seconds = time.perf_counter() - start
    return summary
