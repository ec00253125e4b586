"""Saved-query headers and parameter binding: every header reads, every bad
value is refused with its parameter named, and no raw text reaches the SPARQL."""
from __future__ import annotations

import shlex

import pyoxigraph as ox
import pytest

from budgetkg.query.run import bind, saved_query
from budgetkg.query.saved import TYPES, HeaderError, Parameter, ParameterError, read_query, saved_queries


def test_every_saved_query_has_a_full_header():
    queries = saved_queries()
    assert "documents" in queries
    for q in queries.values():
        assert q.title["zh"] and q.title["en"] and q.description["zh"] and q.description["en"]
        assert q.example.startswith(f"budgetkg query {q.name}")
        for p in q.parameters:
            assert p.type in TYPES and p.description, (q.name, p.name)
        ox.Store().query(bind(q, example_params(q)))  # the example binds, and its SPARQL parses


def example_params(q) -> dict[str, str]:
    words = shlex.split(q.example)
    assert words[:3] == ["budgetkg", "query", q.name], q.example
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")


BAD = {  # type -> (a good value, its RDF term), a bad value
    "code": (("2040201", ox.Literal("2040201")), "20402x"),
    "year": (("2024", ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
             "24"),
    "integer": (("10", ox.Literal("10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
                "ten"),
    "decimal": (("18,847.61", ox.Literal("18847.61", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
                "1e400x"),
    "phase": (("决算", ox.NamedNode("http://data.openbudgets.eu/resource/codelist/budget-phase/executed")),
              "draft"),
    "scope": (("部门", ox.NamedNode("https://budgetkg.org/id/code/scope/department")), "ministry"),
    "enum": (("class", ox.Literal("class")), "division"),
    "unit": (("万里街道", ox.Literal("万里街道")), "\x00"),
    "string": (("公安", ox.Literal("公安")), "   "),
}


@pytest.mark.parametrize("type_", TYPES)
def test_each_type_binds_a_typed_term_and_refuses_a_bad_value(type_):
    (good, term), bad = BAD[type_]
    p = Parameter("x", type_, None, "test", choices=("class", "item") if type_ == "enum" else ())
    assert p.term(good) == term
    with pytest.raises(ParameterError, match=r"parameter 'x': ") as e:
        p.term(bad)
    assert e.value.parameter == "x"


def test_a_value_cannot_inject_sparql():
    q = saved_query("documents")
    sparql = bind(q, {"unit": '"} } DROP ALL #'})
    rows = list(ox.Store().query(sparql))  # parses: the quote is escaped inside one literal
    assert rows == []
    assert '\\"} } DROP ALL #"' in sparql


def test_unknown_and_missing_parameters(tmp_path):
    with pytest.raises(ParameterError, match="documents has no such parameter"):
        bind(saved_query("documents"), {"yaer": "2024"})
    rq = tmp_path / "needs-year.rq"
    rq.write_text("#+ title.zh: 甲\n#+ title.en: A\n#+ description.zh: 甲\n#+ description.en: A\n"
                  "#+ param year: year required -- the year\n#+ example: budgetkg query needs-year\n"
                  "SELECT ?year WHERE { }\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="'year': is required"):
        bind(read_query(rq), {})


def test_a_bad_header_names_its_file_and_line(tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("#+ title.zh: 甲\n#+ param year: yaer -- the year\n", encoding="utf-8")
    with pytest.raises(HeaderError, match=r"bad.rq:2: parameter year: type must be one of"):
        read_query(rq)


def test_the_command_refuses_a_bad_value_naming_the_parameter(capsys, tmp_path):
    from budgetkg.cli import main
    assert main(["query", "documents", "--param", "year=20x", "--store", str(tmp_path / "store")]) == 2
    err = capsys.readouterr().err
    assert "parameter 'year': expects a year between 1990 and 2100, got '20x'" in err
    assert main(["query", "no-such-query"]) == 2
    assert "no saved query 'no-such-query'" in capsys.readouterr().err


def test_the_command_lists_the_saved_queries(capsys):
    from budgetkg.cli import main
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in saved_queries())
