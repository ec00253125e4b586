"""Citable provenance: a file's name and digest, never a local path; the
publisher's URL and date from a sidecar beside the file; one bad sidecar is a
clear error naming it."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from budgetkg.graph import provenance
from budgetkg.model import Document

DCT = "http://purl.org/dc/terms/"


def triples_for(tmp_path, sidecar: str | None, suffix: str = ".meta.json"):
    pdf = tmp_path / "sh-putuo-wanli-2025-budget.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    if sidecar is not None:
        (tmp_path / (pdf.name + suffix)).write_text(sidecar, encoding="utf-8")
    doc = Document("上海市普陀区人民政府万里街道办事处", 2025, "budget", "元", {"file": str(pdf), "sha256": "ab" * 32})
    return {(p.value.rsplit("/", 1)[-1], o.value) for _, p, o in provenance.source_triples(ox.NamedNode("urn:d"), doc)}


def test_file_name_and_digest_not_a_path(tmp_path):
    got = triples_for(tmp_path, None)
    assert got == {("sourceFile", "sh-putuo-wanli-2025-budget.pdf"), ("sha256", "ab" * 32)}


def test_url_and_date_from_a_sidecar(tmp_path):
    url = "https://example.org/publisher/wanli-2025-budget.pdf"
    got = triples_for(tmp_path, json.dumps({"url": url, "published": "2025-02-14"}))
    assert ("source", url) in got and ("issued", "2025-02-14") in got
    (tmp_path / "sh-putuo-wanli-2025-budget.pdf.meta.json").unlink()
    got = triples_for(tmp_path, f'url = "{url}"\n', ".meta.toml")
    assert ("source", url) in got


def test_a_bad_sidecar_names_itself(tmp_path):
    with pytest.raises(ValueError, match=r"sh-putuo-wanli-2025-budget\.pdf\.meta\.json: not valid json"):
        triples_for(tmp_path, "{not json")
