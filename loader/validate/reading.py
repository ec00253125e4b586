"""Findings of our reading, kept apart from the publisher's: a document that was
not fully read (its graph's coverage, graph/coverage.py), and identities that
may break only because of what was not read.

SHACL results are about the published numbers; these are about us. A report
never says "conforms" for a document that was not fully read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from budgetkg.graph.namespaces import BKG

NOT_READ = "NotFullyRead"  # the severity of these findings (bkg:NotFullyRead in the report graph)

COVERAGE_QUERY = f"""
PREFIX bkg: <{BKG}>
SELECT ?covered ?fully ?reason ?other ?blank ?missing WHERE {{
  OPTIONAL {{ ?this bkg:coverage ?covered . ?covered bkg:fullyRead ?fully ;
                bkg:amountsInOtherTables ?other .
             OPTIONAL {{ ?covered bkg:notFullyReadBecause ?reason }}
             OPTIONAL {{ ?covered bkg:tocMissingTable|bkg:missingStandardTable ?missing }}
             OPTIONAL {{ SELECT ?covered (COUNT(?p) AS ?blank) WHERE {{ ?covered bkg:pageWithoutText ?p }}
                         GROUP BY ?covered }} }}
}}"""

UNRESOLVED_TABLES = f"""
PREFIX bkg: <{BKG}> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?title (COUNT(?u) AS ?n) WHERE {{
  ?u a bkg:UnresolvedValue ; bkg:document ?this ; bkg:table ?t . ?t dct:title ?title .
  FILTER NOT EXISTS {{ ?u bkg:inRow ?row }}
}} GROUP BY ?title"""


@dataclass
class Reading:
    """What the graph says of a document's reading."""

    recorded: bool  # False: a graph made before coverage was recorded
    not_read: list[str] = field(default_factory=list)
    # the whole document's arithmetic is in doubt: amounts outside typed tables, scanned
    # pages, a table not found (its pages may have joined another table)
    all_in_doubt: bool = False
    # title -> amounts on no row: an identity of such a table may miss them (the shapes
    # already treat a row's unresolved values as uncertain, through bkg:possibleColumn)
    unresolved_tables: dict[str, int] = field(default_factory=dict)

    def doubt(self, table: str, identity: str) -> str | None:
        """Why an identity of `table` may break because of the reading (None: it is the publisher's)."""
        if self.all_in_doubt:
            return "the document is not fully read"
        for title, n in self.unresolved_tables.items():
            if title and (title in table or title in identity):
                return f"{title} prints {n} amount(s) not read into any row"
        return None


def reading(store: ox.Store, document: str) -> Reading:
    this = f"<{ox.NamedNode(document).value}>"
    sols = list(store.query(COVERAGE_QUERY.replace("?this", this)))
    if not sols or sols[0]["covered"] is None:
        return Reading(False, ["no coverage recorded: the graph predates it; load the document again"], True)
    out = Reading(True)
    out.not_read = sorted({s["reason"].value for s in sols if s["reason"] is not None})
    first = sols[0]
    blank = int(first["blank"].value) if first["blank"] is not None else 0
    out.all_in_doubt = int(first["other"].value) > 0 or blank > 0 or any(s["missing"] is not None for s in sols)
    out.unresolved_tables = {s["title"].value: int(s["n"].value)
                             for s in store.query(UNRESOLVED_TABLES.replace("?this", this))}
    return out
