"""The regions' disclosures (corpus/SOURCES.md, "Round 2"): each document
either is fully read, or states exactly what is not yet read
(corpus_status.NOT_FULLY_READ), so that any change in its reading shows here."""
from __future__ import annotations

import pytest

from budgetkg.cli.extract import group_documents
from budgetkg.reconstruct.extract import extract_document
from conftest import CORPUS
from corpus_status import NOT_FULLY_READ, reading_status

REGIONS = [g for g in group_documents([CORPUS / "pdf"]) if not g[0].name.startswith(("js-", "sh-"))]
EXTRACTED: dict[str, object] = {}


def extracted(name: str):
    if name not in EXTRACTED:
        group = next(g for g in REGIONS if g[0].name == name)
        EXTRACTED[name] = extract_document(group)
    return EXTRACTED[name]


def test_every_region_document_is_listed_or_fully_read():
    names = {g[0].name for g in REGIONS}
    assert len(names) == 15
    assert set(NOT_FULLY_READ) - names == set()


@pytest.mark.parametrize("name", sorted(g[0].name for g in REGIONS))
def test_reading_status_is_exactly_as_stated(name):
    doc = extracted(name)
    assert reading_status(doc) == NOT_FULLY_READ.get(name, {
        "unit": doc.unit, "year": doc.year, "kind": doc.kind, "money_unit": doc.money_unit,
        "unresolved": 0, "dropped": 0, "in_other": 0, "broken": 0})
