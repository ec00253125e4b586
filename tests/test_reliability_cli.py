"""The command under bad input and faults, as a careless user meets it: each
error one line naming the file, exit status 2, no traceback; one bad file
never stops a batch; stores that are missing, damaged, in use or not stores
each get their own message, and reading never creates one; the placement
time budget; Ctrl-C. Real files, derived from the corpus in the test, run
through the real `budgetkg` command."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph_support import CORPUS, SEED

BUDGETKG = str(Path(sys.executable).parent / "budgetkg")
SMALL_PDF = SEED.parent / "pdf" / "sh-putuo-zhengfuban-2025-unit-budget.pdf"
SECONDS = 120  # a generous bound on any one command here; speed itself is in bench/


def run(*args, env=None, timeout=SECONDS) -> subprocess.CompletedProcess:
    start = time.monotonic()
    p = subprocess.run([BUDGETKG, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, "BUDGETKG_PROGRESS": "0", **(env or {})})
    assert time.monotonic() - start < timeout
    assert "Traceback" not in p.stderr, p.stderr
    return p


def errors(p: subprocess.CompletedProcess) -> list[str]:
    return [line for line in p.stderr.splitlines() if line.startswith("budgetkg: error: ")]


def seed_with(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    """The seed with one printed line changed."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# ------------------------------------------------------------------ store paths


def test_reading_a_missing_store_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "no-such-store"
    for args in (["export", "--format", "nq"], ["validate"], ["query", "documents"]):
        p = run(*args, "--store", missing)
        assert p.returncode == 2
        assert errors(p) == [f"budgetkg: error: {missing}: no store there (load documents first with "
                             f"`budgetkg load`, or name the store with --store DIR or $BUDGETKG_STORE)"], args
        assert not missing.exists()


def test_each_way_a_store_fails_to_open_has_its_own_message(tmp_path):
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("garbage\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    not_a_store = tmp_path / "papers"
    not_a_store.mkdir()
    (not_a_store / "notes.txt").write_text("mine")
    for store, command, message in [
            (damaged, ["export", "--format", "nq"], "the store is damaged (Corruption: CURRENT file corrupted)"),
            (a_file, ["export", "--format", "nq"], "not a folder, so not a store"),
            (not_a_store, ["load", SEED], "a folder that is not a store and not empty"),
            (not_a_store, ["export", "--format", "nq"], "no store there")]:
        p = run(*command, "--store", store)
        assert p.returncode == 2, (store, command)
        assert len(errors(p)) == 1 and errors(p)[0].startswith(f"budgetkg: error: {store}: {message}"), p.stderr
    assert sorted(f.name for f in not_a_store.iterdir()) == ["notes.txt"]  # no store written into it


def test_a_store_in_use_is_named_as_such_and_can_still_be_exported(tmp_path):
    import pyoxigraph as ox
    store = tmp_path / "store"
    assert run("load", "--quiet", "--no-validate", SMALL_PDF, "--store", store).returncode == 0
    holder = ox.Store(str(store))  # another process holds it open for writing
    try:
        p = run("load", "--quiet", SMALL_PDF, "--store", store)
        assert p.returncode == 2
        assert errors(p) == [f"budgetkg: error: {store}: the store is in use by another process "
                             f"(another budgetkg load or validate?); wait for it to finish"]
        p = run("export", "--format", "csv", "--store", store)  # read-only: no lock needed
        assert p.returncode == 0 and p.stdout.count("\n") > 100
    finally:
        del holder


# ------------------------------------------------------------------ batches and one-line errors


def test_load_reports_a_bad_file_on_stderr_with_exit_2_and_loads_the_rest(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    huge = seed_with(tmp_path, "huge.txt", 102, "18,847.61 18,847.61", "98,765,432,109,876,543,210.12 18,847.61")
    store = tmp_path / "store"
    p = run("load", "--quiet", "--no-validate", empty, huge, SMALL_PDF, "--store", store)
    assert p.returncode == 2
    assert errors(p) == [
        f"budgetkg: error: {empty}: the file is empty: expected the text of a budget disclosure",
        f"budgetkg: error: {huge}:102: the amount 98,765,432,109,876,543,210.12 is too large to be read "
        f"as a budget amount"], p.stderr
    assert "1 documents loaded, 2 failed" in p.stdout
    assert f"  loaded  {SMALL_PDF}" in p.stdout


def test_amounts_too_large_for_the_solver_fail_one_file_of_an_extract_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    seed_with(folder, "huge.txt", 102, "18,847.61 18,847.61", "98,765,432,109,876,543,210.12 18,847.61")
    shutil.copy(SEED, folder / "seed.txt")
    p = run("extract", folder, "--json", "--jobs", "1")
    assert p.returncode == 2
    assert errors(p) == [f"budgetkg: error: {folder / 'huge.txt'}:102: the amount 98,765,432,109,876,543,210.12 "
                         f"is too large to be read as a budget amount"]
    assert p.stdout.count("\n") == 1 and '"重庆市永川区公安局"' in p.stdout


def test_a_backslash_in_a_row_name_does_not_stop_validation(tmp_path):
    """pyshacl fills messages in with re.sub; a name holding `\\1` broke it and
    aborted `validate DIR`. The changed amount is found where it is."""
    bad = seed_with(tmp_path, "backslash.txt", 443, "办公费 377.80 377.80", "办公\\1费 377.90 377.90")
    p = run("validate", bad, SEED, "--format", "json")
    assert p.returncode == 1, p.stderr
    import json
    out = json.loads(p.stdout)
    assert out["errors"] == []
    report = next(d for d in out["documents"] if d["source"] == str(bad))
    assert any("办公\\1费" in f["message"] and f["severity"] == "Violation" for f in report["findings"])


def test_a_name_too_long_is_one_line_not_a_crash(tmp_path):
    long_name = seed_with(tmp_path, "long.txt", 102, "行政运行", "行" * 100_000)
    p = run("load", "--quiet", "--no-validate", long_name, "--store", tmp_path / "store")
    assert p.returncode == 2
    assert errors(p) == [f"budgetkg: error: {long_name}:102: a name of 100,000 characters ({'行' * 20}…): longer "
                         f"than any budget line's (1000), so not read as one"]


# ------------------------------------------------------------------ time


def test_placement_stops_at_its_time_budget_and_guesses_nothing(tmp_path):
    """The seed printed twice in one file ran for more than 10 minutes; with a
    budget of 3 s it stops, every value it had not settled unresolved."""
    twice = tmp_path / "twice.txt"
    twice.write_text(SEED.read_text(encoding="utf-8") * 2, encoding="utf-8")
    start = time.monotonic()
    p = run("--time-budget", "3", "extract", twice, "--json")
    assert time.monotonic() - start < 60
    import json
    j = json.loads(p.stdout)
    assert any(w.startswith("placement stopped before it was complete") for w in j["warnings"])
    assert j["accounting"]["unresolved"] > j["accounting"]["placed"]


def test_a_placement_stopped_by_its_budget_is_never_fully_read():
    """西安安监局's PDF pins every amount to its cell, so no value is left
    unresolved when the budget runs out before the first solve; its 25 broken
    identities (all the publisher's) then go unchecked, and that must say "not fully read", never
    "fully read" with 0 broken (what a loaded CI machine once reported)."""
    pdf = CORPUS / "pdf" / "shaanxi-xian-anjianju-2019-budget-tables.pdf"
    p = run("--time-budget", "0", "extract", pdf, "--report")
    line = p.stdout.splitlines()[0]
    assert "NOT FULLY READ" in line and "placement stopped before it was complete" in line, line
    p = run("extract", pdf, "--report")
    line = p.stdout.splitlines()[0]
    assert "713 of 738 identities held" in line and "placement stopped" not in line, line


def test_ctrl_c_stops_a_long_extraction_within_seconds(tmp_path):
    twice = tmp_path / "twice.txt"
    twice.write_text(SEED.read_text(encoding="utf-8") * 2, encoding="utf-8")
    p = subprocess.Popen([BUDGETKG, "--time-budget", "600", "extract", str(twice)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(5)  # into the solver's searches
    start = time.monotonic()
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert time.monotonic() - start < 5
    assert p.returncode == 130 and err == "budgetkg: interrupted\n"


def test_ctrl_c_during_a_load_leaves_whole_documents(tmp_path):
    store = tmp_path / "store"
    docs = [SMALL_PDF, SEED.parent / "pdf" / "js-jianchayuan-2017-budget.pdf", SEED]
    p = subprocess.Popen([BUDGETKG, "load", "--quiet", *map(str, docs), "--store", str(store)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)
    start = time.monotonic()
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert time.monotonic() - start < 10
    assert p.returncode in (0, 130) and "Traceback" not in err
    # every document in the store has its observations and its report
    from budgetkg.store.backends import EmbeddedStore
    s = EmbeddedStore(store, create=False, read_only=True)
    try:
        rows = s.query("""PREFIX bkg: <https://budgetkg.org/def/> PREFIX sh: <http://www.w3.org/ns/shacl#>
            SELECT ?doc (COUNT(?o) AS ?n) WHERE { ?doc a bkg:Document . ?o bkg:document ?doc .
              FILTER EXISTS { ?r a sh:ValidationReport ; bkg:document ?doc } } GROUP BY ?doc""")
        documents = s.query("PREFIX bkg: <https://budgetkg.org/def/> SELECT ?doc WHERE { ?doc a bkg:Document }")
    finally:
        s.close()
    assert len(rows) == len(documents) and all(r["n"] > 50 for r in rows)


# ------------------------------------------------------------------ never silent


def test_extract_exits_2_on_files_without_budget_tables(tmp_path):
    """A scan (one page rendered to an image, no text layer) and a Jiangsu
    disclosure's explanation half alone: no table, so no success."""
    import pypdfium2 as pdfium
    scan = tmp_path / "scan.pdf"
    pdf = pdfium.PdfDocument(SMALL_PDF)
    pdf[3].render(scale=1).to_pil().convert("RGB").save(scan)
    pdf.close()
    text_half = tmp_path / "explanation.pdf"
    shutil.copy(SEED.parent / "pdf" / "js-shengweibangongting-2018-budget-text.pdf", text_half)
    for path in (scan, text_half):
        p = run("extract", path)
        assert p.returncode == 2 and p.stdout == ""
        assert errors(p) == [f"budgetkg: error: {path}: no budget table found (a scan without a text layer, "
                             f"or not a budget disclosure?)"]


def test_saved_extractions_are_checked_against_the_published_schema(tmp_path):
    """NaN amounts, a year of 2024.5, a code with letters: each refused with one
    line naming the file and the place in it; the store stays byte for byte."""
    import json

    from budgetkg.store.backends import EmbeddedStore
    good = json.loads(run("extract", SMALL_PDF, "--json").stdout)
    store = tmp_path / "store"
    saved = tmp_path / "good.json"
    saved.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    assert run("load", "--quiet", "--no-validate", saved, "--store", store).returncode == 0

    def dump() -> bytes:
        s = EmbeddedStore(store, create=False, read_only=True)
        try:
            return s.store.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS)
        finally:
            s.close()
    before = dump()
    table = next(i for i, t in enumerate(good["tables"]) if t.get("rows") and t["rows"][0]["values"])
    row = good["tables"][table]["rows"][0]
    column = next(iter(row["values"]))
    coded = next((i, j) for i, t in enumerate(good["tables"]) for j, r in enumerate(t.get("rows", []))
                 if r.get("code"))
    cases = {
        "nan.json": (lambda j: j["tables"][table]["rows"][0]["values"].__setitem__(column, "NaN"),
                     f"at tables/{table}/rows/0/values/{column}: 'NaN' does not match"),
        "float.json": (lambda j: j["tables"][table]["rows"][0]["values"].__setitem__(column, 1.5),
                       f"at tables/{table}/rows/0/values/{column}: 1.5 is not of type 'string'"),
        "year.json": (lambda j: j["document"].__setitem__("year", 2024.5),
                      "at document/year: 2024.5 is not valid under any of the given schemas"),
        "code.json": (lambda j: j["tables"][coded[0]]["rows"][coded[1]].__setitem__("code", "20I"),
                      f"at tables/{coded[0]}/rows/{coded[1]}/code: '20I' does not match '^[0-9]{{1,12}}$'"),
    }
    for name, (change, message) in cases.items():
        j = json.loads(json.dumps(good))
        change(j)
        path = tmp_path / name
        path.write_text(json.dumps(j, ensure_ascii=False), encoding="utf-8")
        p = run("load", "--quiet", "--no-validate", path, "--store", store)
        assert p.returncode == 2
        assert len(errors(p)) == 1 and errors(p)[0].startswith(
            f"budgetkg: error: {path}: not a valid extraction (contract.schema.json): {message}"), p.stderr
    assert dump() == before


def test_a_garbled_amount_is_an_error_not_part_of_the_row_name(tmp_path):
    garbled = seed_with(tmp_path, "garbled.txt", 102, "18,847.61 18,847.61", "1,2,3.4.5 18,847.61")
    p = run("extract", garbled, "--json")
    assert p.returncode == 2 and p.stdout == ""
    assert errors(p) == [f"budgetkg: error: {garbled}:102: '1,2,3.4.5' after the row name '行政运行' is not an amount"]


def planted_graph(doc, row) -> tuple[str, str]:
    """A document's graph (with its shared graphs) without the amount of `row`'s
    first observation: a structure fault (SHACL Core, sh:minCount)."""
    from budgetkg.graph.document import document_graph
    dg = document_graph(doc)
    lines = (dg.ntriples() + "".join(dg.shared_ntriples().values())).split("\n")
    row_iri = f"{dg.document}/table/{row}/"
    cut = next(i for i, line in enumerate(lines)
               if line.startswith(f"<{row_iri}") and "<http://data.openbudgets.eu/ontology/dsd/measure/amount>" in line)
    return "\n".join(lines[:cut] + lines[cut + 1:]), lines[cut].split(" ", 1)[0][1:-1]


def test_large_documents_validate_as_sparql_with_the_same_findings(monkeypatch):
    """Above LARGE_DOCUMENT_TRIPLES the default engine runs every shape as
    SPARQL (the SHACL-SPARQL constraints directly, SHACL Core translated by
    validate/structure.py) instead of through pyshacl node by node: the same
    findings, on a real document with a planted arithmetic error and a planted
    structure fault; nothing is skipped."""
    import copy
    from decimal import Decimal

    from budgetkg.reconstruct.extract import extract_document
    from budgetkg.validate import shapes
    doc = copy.deepcopy(extract_document([SMALL_PDF]))
    row = next(r for t in doc.tables if t.type == "expenditure" for r in t.rows if r.code and len(r.code) == 7)
    column = next(iter(row.values))
    row.values[column] += Decimal("100")
    nt, missing = planted_graph(doc, "expenditure/row/1")
    document = f"{missing.split('/table/')[0]}"

    def seen(report):  # pyshacl lists sh:in's members in set order: not compared
        return sorted((f.severity, f.check, f.message, f.value) for f in report.findings)
    small = shapes.validate_ntriples(nt, document, doc.year, "small")
    monkeypatch.setattr(shapes, "LARGE_DOCUMENT_TRIPLES", 0)
    large = shapes.validate_ntriples(nt, document, doc.year, "large")
    assert any(f.severity == "Violation" and row.code in f.message for f in small.findings)
    assert [(f.check, f.message.split(":")[0]) for f in small.violations if f.value == missing] == [
        ("ObservationShape", "amount")]
    assert seen(large) == seen(small)


def test_a_large_document_is_checked_in_full_within_a_bound():
    """A document far above LARGE_DOCUMENT_TRIPLES (a corpus PDF's tables
    repeated): the structure fault planted in its last copy is found, with
    just what the same fault in the document itself gives (the copies add up),
    and the whole validation stays under SECONDS (bench/validate.py --large
    measures how it grows)."""
    import copy
    import re

    from budgetkg.reconstruct.extract import extract_document
    from budgetkg.validate import shapes
    doc = extract_document([SMALL_PDF])
    k = 1
    while True:
        big = copy.deepcopy(doc)
        big.tables = [copy.deepcopy(t) for _ in range(k) for t in doc.tables]
        nt, missing = planted_graph(big, f"expenditure-{k}/row/1" if k > 1 else "expenditure/row/1")
        if nt.count("\n") > 2 * shapes.LARGE_DOCUMENT_TRIPLES:
            break
        k *= 2
    document = missing.split("/table/")[0]
    one_nt, _ = planted_graph(doc, "expenditure/row/1")
    one = shapes.validate_ntriples(one_nt, document, doc.year, "one copy")
    start = time.monotonic()
    report = shapes.validate_ntriples(nt, document, big.year, "large")
    assert time.monotonic() - start < SECONDS
    assert [(f.check, f.message.split(":")[0]) for f in report.violations if f.value == missing] == [
        ("ObservationShape", "amount")]

    def seen(r):  # the last copy's tables, named as the first's
        return sorted((f.check, re.sub(r"(/table/[a-z_]+)-\d+/", r"\1/", f.message)) for f in r.violations)
    assert seen(report) == seen(one)


def test_ctrl_c_stops_an_extract_batch_and_its_workers_within_seconds(tmp_path):
    """A terminal sends SIGINT to the whole process group: the command and
    each worker process of the batch."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(SEED.read_text(encoding="utf-8") * 2, encoding="utf-8")
    p = subprocess.Popen([BUDGETKG, "--time-budget", "600", "extract", str(folder), "--jobs", "2"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(6)
    start = time.monotonic()
    os.killpg(p.pid, signal.SIGINT)
    _out, err = p.communicate(timeout=60)
    assert time.monotonic() - start < 5
    assert p.returncode == 130 and err == "budgetkg: interrupted\n"


def test_a_store_that_cannot_be_written_says_so_and_can_still_be_exported():
    """As another user (the tests run as root, for whom every folder is
    writable): the store of a user who may not write it."""
    import tempfile
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        import pytest
        pytest.skip("needs root and setpriv to run the command as another user")
    folder = Path(tempfile.mkdtemp(prefix="budgetkg-ro-"))
    try:
        folder.chmod(0o755)
        store = folder / "store"
        assert run("load", "--quiet", "--no-validate", SMALL_PDF, "--store", store).returncode == 0
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BUDGETKG]
        if subprocess.run([*as_nobody, "--help"], capture_output=True, timeout=SECONDS).returncode != 0:
            import pytest
            pytest.skip("user nobody cannot run this checkout's budgetkg (a parent folder is private)")
        p = subprocess.run([*as_nobody, "load", "--quiet", "--no-validate", str(SEED), "--store", str(store)],
                           capture_output=True, text=True, timeout=SECONDS)
        assert p.returncode == 2
        assert errors(p) == [f"budgetkg: error: {store}: no permission to write the store (read-only?); "
                             f"`budgetkg export` can still read it"]
        p = subprocess.run([*as_nobody, "export", "--format", "csv", "--store", str(store)],
                           capture_output=True, text=True, timeout=SECONDS)
        assert p.returncode == 0 and p.stdout.count("\n") > 100
    finally:
        shutil.rmtree(folder)


def test_a_pdf_holding_two_disclosures_is_refused(tmp_path):
    """Two real disclosures in one file (a street office's budget, then a
    unit's) were merged under the first unit and year."""
    import pypdfium2 as pdfium
    two = tmp_path / "two.pdf"
    out = pdfium.PdfDocument.new()
    for name in ("sh-putuo-wanli-2025-budget.pdf", SMALL_PDF.name):
        src = pdfium.PdfDocument(SEED.parent / "pdf" / name)
        out.import_pages(src)
    out.save(two)
    p = run("extract", two)
    assert p.returncode == 2 and p.stdout == ""
    assert errors(p) == [f"budgetkg: error: {two} page 33: a second 目录 (table of contents) after the tables "
                         f"began: the file holds more than one disclosure; split it into one file per disclosure"]


def test_a_document_the_shapes_fail_on_does_not_stop_a_validate_batch(tmp_path):
    """With pyshacl running every shape (--engine pyshacl-oxigraph) a name
    holding `\\1` still breaks pyshacl's message formatting: that document is
    one error line, the next one is validated."""
    bad = seed_with(tmp_path, "backslash.txt", 443, "办公费 377.80 377.80", "办公\\1费 377.90 377.90")
    p = run("validate", bad, SMALL_PDF, "--engine", "pyshacl-oxigraph", "--format", "json")
    assert p.returncode == 2
    import json
    out = json.loads(p.stdout)
    assert [d["source"] for d in out["documents"]] == [str(SMALL_PDF)]
    assert len(errors(p)) == 1 and errors(p)[0].startswith(f"budgetkg: error: {bad}: the shapes of ")
