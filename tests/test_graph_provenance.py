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


def test_a_flag_and_a_sidecar_must_agree(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    (tmp_path / "a.pdf.meta.json").write_text(json.dumps({"url": "https://example.org/a.pdf"}), encoding="utf-8")
    # agreeing, and each giving what the other lacks: both kept
    assert provenance.given(pdf, {"url": "https://example.org/a.pdf", "published": "2025-02-14"}) == {
        "url": "https://example.org/a.pdf", "published": "2025-02-14"}
    with pytest.raises(ValueError, match=r"--source-url https://example.org/b.pdf disagrees with .*a\.pdf\.meta\.json "
                                         r"\(url = https://example.org/a.pdf\)"):
        provenance.given(pdf, {"url": "https://example.org/b.pdf"})
    with pytest.raises(ValueError, match="not a date"):
        provenance.given(pdf, {"published": "14.02.2025"})
    with pytest.raises(ValueError, match="not an absolute http"):
        provenance.given(pdf, {"url": "www.example.org/a.pdf"})


def test_load_flags_land_in_the_graph(tmp_path, capsys):
    import shutil

    from budgetkg.cli import main
    from budgetkg.store.backends import EmbeddedStore
    from graph_support import SEED
    txt = tmp_path / SEED.name
    shutil.copy(SEED, txt)
    store = tmp_path / "store"
    url = "https://www.cqyc.gov.cn/zwgk/ysjs/psb-2024.pdf"
    assert main(["load", str(txt), "--store", str(store), "--quiet", "--no-validate",
                 "--source-url", url, "--published", "2024-02-01"]) == 0
    s = EmbeddedStore(store)
    try:
        rows = s.query(f"""SELECT ?url ?issued WHERE {{ ?d <https://budgetkg.org/def/sourceFile> "{SEED.name}" ;
            <{DCT}source> ?url ; <{DCT}issued> ?issued }}""")
    finally:
        s.close()
    assert [(r["url"], str(r["issued"])) for r in rows] == [(url, "2024-02-01")]
    # a sidecar that says otherwise: the document is not loaded, the error names both
    (tmp_path / (SEED.name + ".meta.toml")).write_text('url = "https://example.org/other.pdf"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["load", str(txt), "--store", str(store), "--quiet", "--no-validate", "--source-url", url]) == 2
    err = capsys.readouterr().err
    assert f"--source-url {url} disagrees with" in err and "other.pdf" in err
    # a citation names one document
    assert main(["load", str(txt), str(SEED), "--store", str(store), "--source-url", url]) == 2
    assert "describe one document; 2 given" in capsys.readouterr().err
