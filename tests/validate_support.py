"""Helpers for the validation tests: a document's graph in a pyoxigraph store
with its context, and one amount changed in it."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from budgetkg.graph.document import MONEY_UNITS, document_graph
from budgetkg.validate.shapes import Report, context_ntriples, convert_units, sparql_findings
from graph_support import corpus_documents

AMOUNT = ox.NamedNode("http://data.openbudgets.eu/ontology/dsd/measure/amount")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
OBSERVATIONS = """
PREFIX bkg: <https://budgetkg.org/def/>
PREFIX obeu: <http://data.openbudgets.eu/ontology/dsd/measure/>
SELECT ?o ?amount ?unit ?name ?code WHERE {
  ?o a bkg:BudgetObservation ; obeu:amount ?amount ; bkg:printedUnit ?unit ; bkg:rowName ?name .
  OPTIONAL { ?o bkg:rowCode ?code }
} ORDER BY ?o
"""


def document(name: str):
    """A corpus document by the name of its first file (extracted once per run)."""
    return corpus_documents()[name]


@lru_cache(maxsize=8)
def amounts(name: str) -> list[tuple[str, str, str, str]]:
    """(observation IRI, amount in yuan, printed unit, row label) of every amount:
    the row label is its code, or its name when it has none."""
    store = MutationStore(name)
    return [(s["o"].value, s["amount"].value, s["unit"].value,
             s["code"].value if s["code"] is not None else s["name"].value)
            for s in store.store.query(OBSERVATIONS)]


class MutationStore:
    """A document's graph (with its year's code lists) in memory, where one
    amount at a time can be changed and the shapes' SPARQL checks rerun."""

    def __init__(self, name: str):
        doc = document(name)
        self.dg = document_graph(doc)
        self.year = doc.year
        # the document's own triples (what validate_ntriples takes), then with its context
        self.nt = self.dg.ntriples() + "".join(self.dg.shared_ntriples().values())
        self.store = ox.Store()
        self.store.load((self.nt + context_ntriples(doc.year)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)

    def violations_with(self, observation: str, amount: str, unit: str, change: Decimal) -> list:
        """The violations when one amount is `change` printed units larger."""
        o = ox.NamedNode(observation)
        old = ox.Quad(o, AMOUNT, ox.Literal(amount, datatype=DECIMAL))
        new = ox.Quad(o, AMOUNT, ox.Literal(str(Decimal(amount) + change * MONEY_UNITS[unit]), datatype=DECIMAL))
        self.store.remove(old)
        self.store.add(new)
        try:
            report = Report(self.dg.document, "", sparql_findings(self.store, self.dg.document))
        finally:
            self.store.remove(new)
            self.store.add(old)
        convert_units(report)
        return report.violations

    def mutated_ntriples(self, observation: str, amount: str, unit: str, change: Decimal) -> str:
        old = f'<{observation}> {AMOUNT} "{amount}"^^{DECIMAL} .\n'
        assert old in self.nt, old
        new = f'<{observation}> {AMOUNT} "{Decimal(amount) + change * MONEY_UNITS[unit]}"^^{DECIMAL} .\n'
        return self.nt.replace(old, new)
