"""Nothing silently dropped from the text reader's performance tables: every number printed in
their lines is kept (a project's amount, an indicator's target or weight, a row token, a number
of a name or goal) or reported under 未读, so it counts unresolved, named with its line."""
from decimal import Decimal

import pytest

from budgetkg.cli import main
from budgetkg.read.lines import Line
from budgetkg.read.performance_numbers import UNKEPT
from budgetkg.read.text import read_text
from budgetkg.read.text_performance import printed_numbers
from conftest import SEED


@pytest.fixture(scope="module")
def raw():
    return {t.type: t for t in read_text(SEED).tables}


def test_every_number_of_the_seeds_project_table_is_kept(raw):
    t = raw["project_performance"]
    assert t.unplaced == []
    indicators = {(i.where.line, i.name): (i.operator, i.value, i.unit)
                  for p in t.projects for i in p.indicators}
    # `＝\n2056\n5360\n元` (lines 1300-1304): one number wrapped over two lines, kept whole
    assert indicators[(1301, "年租赁成本")] == ("=", "20565360", "元")
    # `≥\n260000\n件` (lines 1083-1085)
    projects = {p.name: p for p in t.projects}
    assert "260000" in {i.value for i in projects["车管所运行经费"].indicators}
    # numbers of a name (2023 on line 741, 2023年解决…) and of a goal (980400 on line 1295) are kept
    assert projects["2023年解决特殊疑难信访问题补助资金"].amount == Decimal("5.00")
    assert "980400元" in projects["房屋租金项目"].goal


def test_the_seeds_printed_numbers(raw):
    lines = [Line(n, s) for n, s in enumerate(SEED.read_text("utf-8").splitlines(), 1)]
    printed = {(line, text) for _, text, _, line in printed_numbers(lines[1299:1304], {})}
    assert printed == {(1302, "20565360")}
    # `12\n00\n01\n-\n重\n庆…` (lines 1786-1800): a unit's code before its name, not a value
    assert printed_numbers(lines[1785:1800], {}) == []
    # a goal's prose line prints a number (`2022年安排`, line 1415), counted and kept by the goal
    assert [(line, text) for _, text, _, line in printed_numbers(lines[1414:1416], {})] == [
        (1415, "2022"), (1416, "120")]


def test_the_overall_tables_unpaired_targets_are_unresolved(seed_document):
    """整体绩效目标表 prints its 10 names (with weights) and its 10 targets as two lists; 无 (line
    2574) breaks the names after 签发出国（境）证件, so the reader pairs no name from there on
    (test_text_seed), and the three targets left, 80000 件, 90000 个, 18000 个 (lines 2527-2531),
    can be attributed to no indicator with certainty: reported, never silently dropped."""
    t = seed_document.table("overall_performance")
    assert [(u.where.line, u.value) for u in t.unresolved] == [
        (2527, Decimal("80000")), (2529, Decimal("90000")), (2531, Decimal("18000"))]
    assert "target values printed but not paired with a name: 80000 件, 90000 个, 18000 个" in t.notes
    assert seed_document.table("project_performance").unresolved == []
    assert seed_document.unresolved_count == 8
    assert "3 in 整体绩效目标表 (lines 2527, 2529, 2531)" in seed_document.coverage.not_read[0]


def test_a_target_with_no_name_is_reported_with_its_line(tmp_path, capsys):
    """Planted: a target `≥77777个` printed after another target (`≥90%`, line 1784) with no
    name of its own before it: the reader attaches it to nothing, so it is reported."""
    lines = SEED.read_text("utf-8").split("\n")
    assert lines[1783] == "≥90%" and lines[1784] == ""
    lines[1785:1785] = ["≥77777个", ""]  # now line 1786, and a blank line before the code
    path = tmp_path / "planted.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    t = next(t for t in read_text(path).tables if t.type == "project_performance")
    assert [(k.where.line, k.text, k.value, k.columns) for k in t.unplaced] == [
        (1786, "77777", Decimal("77777"), (UNKEPT,))]
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"NOT FULLY READ  {path}" in out and f"{path}: conforms" not in out
    assert "9 of 298 amounts unresolved" in out and "1 in 预算项目绩效目标表 (line 1786)" in out, out


def test_a_footers_page_number_is_no_value():
    lines = [Line(1, "≥"), Line(2, "95%"), Line(3, ""), Line(4, "- 12 -"), Line(5, "第 3 页 共 9 页"), Line(6, "12")]
    assert [(line, text) for _, text, _, line in printed_numbers(lines, {})] == [(2, "95"), (6, "12")]
