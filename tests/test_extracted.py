"""The tests' shared extraction cache (tests/extracted.py) never serves a
Document that the code as it is now would not give."""
from __future__ import annotations

import pytest

import budgetkg.store.load
import extracted
from conftest import ROOT, SEED


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache whose "code" is one file in tmp_path, and a count of real extractions."""
    code = tmp_path / "loader"
    code.mkdir()
    (code / "rules.py").write_text("RULE = 1\n")
    monkeypatch.setenv("BUDGETKG_TEST_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(extracted, "DEPENDS_ON", [code])
    monkeypatch.setattr(extracted, "MEMORY", {})
    new_process()
    calls = []
    real = budgetkg.store.load.read_document
    monkeypatch.setattr(budgetkg.store.load, "read_document", lambda g: calls.append(g) or real(g))
    yield code, calls, tmp_path / "cache"
    new_process()  # the real code's fingerprint again for the tests after these


def new_process():
    """What another worker, or the next run, starts with."""
    extracted.MEMORY.clear()
    extracted._code_and_data.cache_clear()
    extracted._pruned.cache_clear()


def test_unchanged_code_is_a_hit_and_changed_code_a_miss(cache):
    code, calls, folder = cache
    first = extracted.document(SEED)
    assert len(calls) == 1 and first.unit == "重庆市永川区公安局"
    new_process()
    again = extracted.document(SEED)
    assert len(calls) == 1 and again.to_json() == first.to_json()  # read from disk, not extracted
    (code / "rules.py").write_text("RULE = 2\n")  # a change to the code
    new_process()
    extracted.document(SEED)
    assert len(calls) == 2
    # the entry of the old code is gone (one code version's entries in the folder)
    assert len(list(folder.glob("doc-*.pickle"))) == 1


def test_a_setting_that_changes_the_reading_is_a_miss(cache, monkeypatch):
    _code, calls, _folder = cache
    extracted.document(SEED)
    monkeypatch.setenv("BUDGETKG_TIME_BUDGET", "7")
    extracted.document(SEED)
    assert len(calls) == 2


def test_the_fingerprint_covers_the_package_and_its_data():
    assert {ROOT / "loader", ROOT / "data"} <= set(extracted.DEPENDS_ON)
    assert (ROOT / "loader" / "table_types.toml").exists()
