"""Running saved and free SPARQL on a store, and writing the results.

Parameters are bound by a VALUES block of typed RDF terms, built from values
each Parameter has validated and serialised by pyoxigraph (never raw text in
the query), placed at the start of the query's WHERE group. The same SPARQL
then runs on the embedded store and on any SPARQL 1.1 server; an omitted
optional parameter is UNDEF, so `!BOUND(?p) || …` filters read naturally.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from budgetkg.query.saved import ParameterError, QueryNotFound, SavedQuery, saved_queries

FORMATS = ("table", "csv", "json")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]  # values: str, int, Decimal, bool, None

    def tuples(self) -> list[tuple]:
        return [tuple(r.get(c) for c in self.columns) for r in self.rows]


def saved_query(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryNotFound(f"no saved query {name!r} (see `budgetkg queries`: {', '.join(queries)})")
    return queries[name]


def bind(query: SavedQuery, params: dict[str, str]) -> str:
    """The query's SPARQL with its parameters bound, or ParameterError."""
    for name in params:
        query.parameter(name)  # an unknown name is an error, not ignored
    terms = []
    for p in query.parameters:
        raw = params.get(p.name, p.default)
        if raw is None:
            if p.required:
                raise ParameterError(p.name, f"is required: {p.expects()}")
            terms.append("UNDEF")
        else:
            terms.append(str(p.term(str(raw))))
    # the header and comment lines are for people: SPARQLWrapper (RemoteStore) takes a word such as
    # "load" or "copy" in a comment for an update keyword and sends the query as an update
    text = "\n".join(line for line in query.sparql.splitlines() if not line.lstrip().startswith("#")) + "\n"
    if not query.parameters:
        return text
    variables = " ".join("?" + p.name for p in query.parameters)
    values = f"\n  VALUES ({variables}) {{ ({' '.join(terms)}) }}\n"
    # in every WHERE group: a subquery does not see the outer query's bindings
    sparql, last = [], 0
    for at in _where_braces(text):
        sparql += [text[last:at], values]
        last = at
    if not sparql:
        raise ValueError(f"{query.path}: a saved query with parameters needs a WHERE clause")
    return "".join(sparql) + text[last:]


def _where_braces(sparql: str) -> list[int]:
    """Just after the `{` of each WHERE outside comments."""
    code = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), sparql)  # keep offsets
    return [m.end() for m in WHERE.finditer(code)]


def run_saved(store, name: str, params: dict[str, str]) -> QueryResult:
    return run_sparql(store, bind(saved_query(name), params))


def run_sparql(store, sparql: str) -> QueryResult:
    try:
        columns, rows = store.select(sparql)
    except SyntaxError as e:  # pyoxigraph's parse error
        raise ValueError(f"SPARQL syntax error: {e}") from e
    return QueryResult(columns, [{c: r.get(c) for c in columns} for r in rows])


def write_result(result: QueryResult, fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        rows = [{c: _json_value(r.get(c)) for c in result.columns} for r in result.rows]
        json.dump({"columns": result.columns, "rows": rows}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(result.columns)
        for r in result.rows:
            w.writerow([_text(r.get(c)) for c in result.columns])
    elif fmt == "table":
        _write_table(result, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (use {'|'.join(FORMATS)})")


def _json_value(v: Any) -> Any:
    # Decimals as strings: exact, as the extraction contract writes amounts
    return str(v) if isinstance(v, Decimal) else v


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _width(s: str) -> int:
    # Chinese characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _write_table(result: QueryResult, out: IO[str]) -> None:
    cells = [[_text(r.get(c)) for c in result.columns] for r in result.rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    numeric = [all(isinstance(r.get(c), (int, Decimal)) or r.get(c) is None for r in result.rows)
               for c in result.columns]

    def line(values: list[str], align: list[bool]) -> str:
        parts = []
        for v, w, right in zip(values, widths, align):
            pad = " " * (w - _width(v))
            parts.append(pad + v if right else v + pad)
        return "  ".join(parts).rstrip()

    out.write(line(result.columns, [False] * len(widths)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row, numeric) + "\n")
    out.write(f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n")
