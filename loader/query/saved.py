"""The saved queries in queries/*.rq, read from their comment headers (the
grlc idea: the header is the API). A header is a block of `#+ key: value`
lines at the top of the file:

    #+ title.zh: 各文档        #+ title.en: Documents
    #+ description.zh: …       #+ description.en: …   (a `#+   …` line continues the one above)
    #+ param year: year default=2024 -- the fiscal year
    #+ param phase: phase -- 预算阶段 / the budget phase (omitted: every phase)
    #+ param level: enum choices=province|city|district|township -- …
    #+ example: budgetkg query documents --param year=2024

A parameter line is `NAME: TYPE [required] [default=VALUE] [choices=A|B|…] -- DESCRIPTION`.
The SPARQL uses the parameter as the variable `?NAME`; it is bound by a VALUES
block (see run.py), UNDEF when the parameter is omitted and has no default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from budgetkg import paths
from budgetkg.graph.namespaces import ID, XSD

TYPES = ("code", "year", "unit", "phase", "scope", "integer", "decimal", "enum", "string")
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
PHASES = {  # OpenBudgets.eu budget phases, with the Chinese words researchers type
    "approved": "approved", "budget": "approved", "预算": "approved", "年初预算": "approved",
    "revised": "revised", "调整预算": "revised",
    "executed": "executed", "final": "executed", "决算": "executed",
}
PHASE_IRI = "http://data.openbudgets.eu/resource/codelist/budget-phase/"
SCOPES = {"department": "department", "部门": "department", "unit": "unit", "单位": "unit"}
SCOPE_IRI = ID + "code/scope/"  # 部门 (consolidated) or 单位 (本级) disclosures, as the graph names them
CODE = re.compile(r"\d{3}(?:\d{2}){0,2}\Z")  # 类 (3 digits), 款 (5), 项 (7)
YEARS = range(1990, 2101)


class QueryNotFound(ValueError):
    """No saved query of that name."""


class HeaderError(ValueError):
    """A saved query whose header cannot be read: names the file and line."""


class ParameterError(ValueError):
    """A parameter value that is not of its type: the message names the
    parameter and what it expects."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # one of TYPES
    default: str | None
    description: str
    choices: tuple[str, ...] = ()
    required: bool = False

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The value as a typed RDF term, or ParameterError."""
        value = raw.strip()
        if not value:
            raise ParameterError(self.name, f"expects {self.expects()}, got an empty value")
        if any(ord(ch) < 32 for ch in value):
            raise ParameterError(self.name, "contains a control character")
        if self.type == "code":
            if not CODE.match(value):
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.Literal(value)
        if self.type in ("year", "integer"):
            if not re.fullmatch(r"[+-]?\d{1,18}", value):
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            if self.type == "year" and int(value) not in YEARS:
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "decimal":
            try:
                number = Decimal(value.replace(",", ""))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))
        if self.type == "phase":
            if value.lower() not in PHASES:
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.NamedNode(PHASE_IRI + PHASES[value.lower()])
        if self.type == "scope":
            if value.lower() not in SCOPES:
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.NamedNode(SCOPE_IRI + SCOPES[value.lower()])
        if self.type == "enum":
            if value not in self.choices:
                raise ParameterError(self.name, f"expects {self.expects()}, got {raw!r}")
            return ox.Literal(value)
        return ox.Literal(value)  # unit (any part of a name) and string

    def expects(self) -> str:
        return {
            "code": "a function or economic code of 3, 5 or 7 digits (e.g. 204, 20402, 2040201)",
            "year": f"a year between {YEARS.start} and {YEARS.stop - 1}",
            "integer": "an integer",
            "decimal": "a decimal number (e.g. 1000 or 18847.61)",
            "phase": "approved|revised|executed (or budget, final, 预算, 调整预算, 决算)",
            "scope": "department|unit (部门|单位)",
            "enum": "one of " + "|".join(self.choices),
            "unit": "a unit's name or part of one",
            "string": "a text",
        }[self.type]


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: dict[str, str]  # {"zh": …, "en": …}
    description: dict[str, str]
    parameters: tuple[Parameter, ...]
    example: str
    sparql: str  # the whole file, header included (comments are SPARQL comments)
    path: Path

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(name, f"{self.name} has no such parameter (it takes: {known})")


def saved_queries(directory: Path = paths.QUERIES_DIR) -> dict[str, SavedQuery]:
    """name -> SavedQuery for every queries/*.rq, in name order."""
    return {q.name: q for q in (read_query(p) for p in sorted(directory.glob("*.rq")))}


def read_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        body = line[2:]
        if body.startswith("   ") and last is not None:  # continuation of the line above
            if last.startswith("param "):
                raise HeaderError(f"{path}:{number}: a parameter is one line")
            more = body.strip()
            # Chinese lines join without a space, English ones with one
            glue = "" if not fields[last][-1:].isascii() and not more[:1].isascii() else " "
            fields[last] += glue + more
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            raise HeaderError(f"{path}:{number}: expected '#+ key: value'")
        key, value = key.strip(), value.strip()
        if key.startswith("param "):
            params.append(_parameter(path, number, key[len("param "):].strip(), value))
        elif key in ("title.zh", "title.en", "description.zh", "description.en", "example"):
            fields[key] = value
        else:
            raise HeaderError(f"{path}:{number}: unknown header key {key!r}")
        last = key
    missing = [k for k in ("title.zh", "title.en", "description.zh", "description.en", "example")
               if not fields.get(k)]
    if missing:
        raise HeaderError(f"{path}:1: header lacks {', '.join(missing)}")
    return SavedQuery(
        name=path.stem,
        title={"zh": fields["title.zh"], "en": fields["title.en"]},
        description={"zh": fields["description.zh"], "en": fields["description.en"]},
        parameters=tuple(params), example=fields["example"], sparql=text, path=path)


def _parameter(path: Path, number: int, name: str, spec: str) -> Parameter:
    where = f"{path}:{number}"
    if not NAME.match(name):
        raise HeaderError(f"{where}: parameter name {name!r} is not lower_case")
    words, _, description = spec.partition(" -- ")
    tokens = words.split()
    if not tokens or tokens[0] not in TYPES:
        raise HeaderError(f"{where}: parameter {name}: type must be one of {', '.join(TYPES)}")
    default, choices, required = None, (), False
    for token in tokens[1:]:
        if token == "required":
            required = True
        elif token.startswith("default="):
            default = token[len("default="):]
        elif token.startswith("choices="):
            choices = tuple(token[len("choices="):].split("|"))
        else:
            raise HeaderError(f"{where}: parameter {name}: cannot read {token!r}")
    if tokens[0] == "enum" and not choices:
        raise HeaderError(f"{where}: parameter {name}: an enum needs choices=A|B|…")
    p = Parameter(name, tokens[0], default, description.strip(), choices, required)
    if default is not None:
        try:
            p.term(default)
        except ParameterError as e:
            raise HeaderError(f"{where}: default: {e}") from None
    return p
