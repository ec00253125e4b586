"""A document's coverage as RDF: what was read of it and what was not
(loader/reconstruct/coverage.py computes it; ontology/budgetkg.ttl names the terms).

    <doc> bkg:coverage <doc/coverage> .
    <doc/coverage> a bkg:Coverage ; bkg:fullyRead false ;
        bkg:amountsPrinted 294 ; bkg:amountsPlaced 289 ; bkg:amountsUnresolved 5 ; …
        bkg:notFullyReadBecause "5 of 294 amounts unresolved: …" .

Validation reads `bkg:notFullyReadBecause` back (validate/reading.py), so a
stored document is judged by the same words as a file.
"""
from __future__ import annotations

import pyoxigraph as ox

from budgetkg.graph.namespaces import BKG, RDFS, XSD, A, N, Triple, integer, zh
from budgetkg.model import Coverage


def _string(text: str) -> ox.Literal:
    return ox.Literal(text)


def coverage_iri(document: str) -> str:
    return document + "/coverage"


def coverage_triples(document: str, cov: Coverage) -> list[Triple]:
    c = N(coverage_iri(document))
    t: list[Triple] = [
        (N(document), N(BKG + "coverage"), c), (c, A, N(BKG + "Coverage")),
        (c, N(BKG + "fullyRead"), ox.Literal("true" if cov.fully_read else "false", datatype=N(XSD + "boolean"))),
        (c, N(BKG + "pageCount"), integer(cov.pages)),
        (c, N(BKG + "amountsPrinted"), integer(cov.amounts)),
        (c, N(BKG + "amountsPlaced"), integer(cov.placed)),
        (c, N(BKG + "amountsUnresolved"), integer(cov.unresolved)),
        (c, N(BKG + "amountsInOtherTables"), integer(cov.amounts_in_other)),
        (c, N(BKG + "observationCount"), integer(cov.observations)),
    ]
    t += [(c, N(BKG + "notFullyReadBecause"), _string(reason)) for reason in cov.not_read]
    for type_id, n in sorted(cov.tables.items()):
        x = N(f"{c.value}/tables/{type_id}")
        t += [(c, N(BKG + "tablesFound"), x), (x, N(BKG + "tableType"), _string(type_id)),
              (x, N(BKG + "tableCount"), integer(n))]
    t += [(c, N(BKG + "otherTable"), zh(o.title)) for o in cov.other_tables]
    t += [(c, N(BKG + "tocMissingTable"), zh(title)) for title in cov.toc_missing]
    t += [(c, N(BKG + "missingStandardTable"), _string(type_id)) for type_id in cov.missing_standard]
    for k, (title, reason) in enumerate(cov.declared_empty, 1):
        x = N(f"{c.value}/declared-empty/{k}")
        t += [(c, N(BKG + "declaredEmpty"), x), (x, N(RDFS + "label"), zh(title))]
        if reason:
            t.append((x, N(BKG + "reason"), zh(reason)))
    for k, page in enumerate(cov.pages_without_text, 1):
        x = N(f"{c.value}/page-without-text/{k}")
        t += [(c, N(BKG + "pageWithoutText"), x), (x, N(BKG + "page"), integer(page.page))]
        if page.file:
            t.append((x, N(BKG + "sourceFile"), _string(page.file)))
    return t
