"""`budgetkg extract` as a user runs it: real processes, real files."""
import json
import subprocess
import sys

import pytest

from conftest import SEED


def budgetkg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "budgetkg.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_json_output_is_the_contract():
    r = budgetkg("extract", SEED, "--json")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["document"]["unit"] == "重庆市永川区公安局"
    assert j["accounting"]["amount_tokens"] == j["accounting"]["placed"] + j["accounting"]["unresolved"]
    basic = next(t for t in j["tables"] if t["type"] == "general_budget_basic")
    assert next(r for r in basic["rows"] if r["code"] == "302")["values"] == {
        "小计": "3720.55", "公用经费": "3720.55"}


def test_readable_summary():
    r = budgetkg("extract", SEED)
    assert r.returncode == 0, r.stderr
    assert "重庆市永川区公安局 · 2024 · budget · 万元" in r.stdout
    assert "297 amounts: 289 placed, 8 unresolved" in r.stdout
    assert "政府性基金预算支出表" in r.stdout and "declared empty" in r.stdout


def test_gb18030_text_reads_like_utf8(tmp_path):
    f = tmp_path / "seed-gb18030.txt"
    f.write_bytes(SEED.read_text("utf-8").encode("gb18030"))
    r = budgetkg("extract", f, "--json")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["document"]["unit"] == "重庆市永川区公安局"
    assert j["accounting"]["placed"] == 289


BAD = {
    "empty": (b"", "the file is empty"),
    "blank": (b"\n\n   \n", "the file is empty"),
    "binary": (bytes(range(256)) * 8, "binary file"),
    "no-table": ("这是一份说明文字，没有任何表格。\n金额 12.00\n".encode("utf-8"), "no budget table found"),
    "not-text": (b"\xff\xfe\x80\x81" * 100 + b"\x81", "not UTF-8 or GB18030"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_one_line_error(tmp_path, case):
    data, message = BAD[case]
    f = tmp_path / f"{case}.txt"
    f.write_bytes(data)
    r = budgetkg("extract", f)
    assert r.returncode == 2
    assert r.stdout == ""
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in r.stderr
    assert str(f) in err[0] and message in err[0]


def test_truncated_document_names_the_line(tmp_path):
    f = tmp_path / "truncated.txt"
    f.write_text("\n".join(SEED.read_text("utf-8").splitlines()[:300]), "utf-8")
    r = budgetkg("extract", f)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"budgetkg: error: {f}:299: the document is truncated: "
                                "its last page holds table rows but no table title")


def test_missing_file():
    r = budgetkg("extract", "/nonexistent/budget.txt")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_debug_shows_the_traceback(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    r = budgetkg("--debug", "extract", f)
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_batch_goes_on_past_a_bad_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(b"")
    r = budgetkg("extract", tmp_path, "--json", "--jobs", "2")
    assert r.returncode == 2
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["document"]["unit"] for d in docs] == ["重庆市永川区公安局"]
    assert "b.txt: the file is empty" in r.stderr
    assert "1 of 2 documents extracted; 1 failed" in r.stderr
