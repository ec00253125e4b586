"""Validation: a document's graph against the shapes of shapes/ (SHACL, run by
pyshacl), as a report of findings, largest differences first.

A document is validated on its own graph, with what its shapes need beside it:
the graphs it shares (its unit, codes its year's list lacks) and its year's code
lists (the hierarchy the code identities follow). Checks that span documents
run as plain SPARQL on the store (loader/validate/cross_document.py).

Engines (bench/validate.py compares them):
  pyshacl           (default) pyshacl on both backends, each where it is fast:
                    SHACL Core shapes on an rdflib graph, SHACL-SPARQL shapes on
                    an in-memory pyoxigraph store
  pyshacl-oxigraph  pyshacl on a pyoxigraph store, every shape
  pyshacl-rdflib    pyshacl on an rdflib graph, every shape
  sparql            every shape as SPARQL run by pyoxigraph: the SPARQL
                    constraints directly, SHACL Core translated to SPARQL
                    (validate/structure.py); the default above
                    LARGE_DOCUMENT_TRIPLES
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from budgetkg import paths
from budgetkg.graph import codes
from budgetkg.graph.codes import to_ntriples
from budgetkg.graph.document import MONEY_UNITS, DocumentGraph, boolean, decimal, integer, string
from budgetkg.paths import SHAPES_DIR
from budgetkg.validate.reading import NOT_READ, reading

SH = "http://www.w3.org/ns/shacl#"
ENGINES = ("pyshacl", "pyshacl-oxigraph", "pyshacl-rdflib", "sparql")
# the publisher's (SHACL) severities, and ours: a document not fully read (validate/reading.py)
SEVERITY_ORDER = {"Violation": 0, NOT_READ: 1, "Warning": 2, "Info": 3}
# the tail every arithmetic message of shapes/arithmetic.ttl ends with
MESSAGE = re.compile(r"^(?P<table>.*?) \[(?P<where>[^\]]*)\] (?P<identity>.*): printed (?P<printed>\S+), "
                     r"expected (?P<expected>\S+), difference (?P<difference>\S+), tolerance (?P<tolerance>\S+) "
                     r"\(yuan; printed in (?P<unit>[^)]*)\)$")
LOCATED = re.compile(r"^(?P<table>.*?) \[(?P<where>[^\]]*)\] (?P<identity>.*)$", re.S)


class ValidationError(RuntimeError):
    """The shapes themselves could not be run (a broken shapes file, an engine error)."""


@dataclass
class Finding:
    severity: str  # Violation / Warning / Info
    check: str  # the shape or constraint that found it (its local name)
    message: str
    table: str = ""
    where: str = ""  # "page 10" / "line 123"
    identity: str = ""
    # in the table's printed unit (None for findings that are not arithmetic)
    printed: Decimal | None = None
    expected: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    unit: str = ""
    value: str | None = None  # the offending observation (or row), when there is one
    focus: str | None = None
    doubt: str | None = None  # why a broken identity may be the reading's, not the publisher's

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "check": self.check, "table": self.table,
                               "where": self.where, "identity": self.identity, "message": self.message}
        for k in ("printed", "expected", "difference", "tolerance"):
            v = getattr(self, k)
            if v is not None:
                out[k] = format(v, "f")
        if self.unit:
            out["unit"] = self.unit
        if self.value:
            out["value"] = self.value
        if self.doubt:
            out["doubt"] = self.doubt
        return out


@dataclass
class Report:
    document: str  # the document's IRI
    source: str  # its file(s)
    findings: list[Finding] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def not_read(self) -> list[Finding]:
        """Our findings: what was not read, and identities that may break because of it."""
        return [f for f in self.findings if f.severity == NOT_READ]

    @property
    def fully_read(self) -> bool:
        return not any(f.severity == NOT_READ and f.doubt is None for f in self.findings)

    @property
    def conforms(self) -> bool:
        """No violation, and fully read: an unread document never conforms."""
        return not self.violations and not self.not_read

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3),
                                          -abs(f.difference) if f.difference is not None else 0,
                                          f.table, f.where, f.identity, f.message))

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "source": self.source, "conforms": self.conforms,
                "fully_read": self.fully_read, "not_fully_read": [f.message for f in self.not_read if not f.doubt],
                "violations": len(self.violations), "warnings": len(self.warnings),
                "findings": [f.to_json() for f in self.findings]}


# ------------------------------------------------------------------ inputs


def _is_sparql(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return "sh:sparql" in text or "sh:declare" in text


@lru_cache(maxsize=4)
def shapes_graph(part: str = "all"):
    """The shapes of shapes/: "all", "core" (SHACL Core only) or "sparql"
    (the files with SHACL-SPARQL constraints, and their prefixes)."""
    import rdflib
    g = rdflib.Graph()
    files = sorted(SHAPES_DIR.glob("*.ttl"))
    if part != "all":
        files = [f for f in files if _is_sparql(f) == (part == "sparql")]
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as e:  # noqa: BLE001 - rdflib raises many parser types
            raise ValidationError(f"{f}: not valid Turtle ({e})") from e
    return g


# every document of a year needs the same files: parsed once per process
_context_file = lru_cache(maxsize=32)(codes.turtle_to_ntriples)


def context_ntriples(year: int) -> str:
    """What a document's shapes need beside its own graph: its year's code lists
    (the hierarchy the code identities follow) and the vocabulary."""
    files = [paths.CODES_DIR / f"{scheme}-{year}.ttl" for scheme in ("function", "economic")] + [paths.ONTOLOGY]
    return "".join(_context_file(f) for f in files if f.exists())


# ------------------------------------------------------------------ engines


def validate_graph(dg: DocumentGraph, year: int, source: str = "", engine: str = "pyshacl") -> Report:
    """Validate one document's graph (as document_graph made it)."""
    return validate_ntriples(dg.ntriples() + "".join(dg.shared_ntriples().values()), dg.document, year,
                             source, engine)


def validate_ntriples(document_nt: str, document: str, year: int, source: str = "",
                      engine: str = "pyshacl") -> Report:
    """Validate one document's triples (with the graphs it shares). Raises
    ValidationError if the shapes cannot run."""
    import time
    if engine not in ENGINES:
        raise ValidationError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    start = time.perf_counter()
    nt = document_nt + context_ntriples(year)
    if engine == "sparql":
        findings = _run_sparql(nt, document)
    else:
        findings = _run_pyshacl(nt, engine, document)
    report = Report(document, source, findings, engine)
    add_reading(report, nt)
    convert_units(report)
    report.sort()
    report.seconds = time.perf_counter() - start
    return report


# above this many triples (a document with its context), the default engine runs
# every shape as SPARQL (the sparql engine: the same findings), not through
# pyshacl, whose cost grows node by node: 14,000 observations (390,000 triples)
# took 283 s with pyshacl (2 loaded cores, 2026-11-29); bench/validate.py --large
LARGE_DOCUMENT_TRIPLES = 60_000


def _run_pyshacl(nt: str, engine: str, document: str) -> list[Finding]:
    # Measured (bench/validate.py): pyshacl runs SHACL-SPARQL ~500x faster on
    # pyoxigraph than on rdflib, and SHACL Core ~40x faster on rdflib.
    if engine == "pyshacl":
        store = _oxigraph_store(nt)
        if nt.count("\n") > LARGE_DOCUMENT_TRIPLES:
            return structure_findings(store) + sparql_findings(store, document)
        try:
            sparql = _pyshacl(store, "sparql")
        except ValidationError as e:
            if not isinstance(e.__cause__, re.error):
                raise
            # pyshacl fills messages in with re.sub: a backslash in a printed name
            # breaks it; the same constraints then run directly
            sparql = sparql_findings(store, document)
        return _pyshacl(_rdflib_graph(nt), "core") + sparql
    data = _oxigraph_store(nt) if engine == "pyshacl-oxigraph" else _rdflib_graph(nt)
    return _pyshacl(data, "all")


def _rdflib_graph(nt: str):
    import rdflib
    g = rdflib.Graph()
    g.parse(data=nt, format="nt")
    return g


def _oxigraph_store(nt: str) -> ox.Store:
    store = ox.Store()
    store.load(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _pyshacl(data, part: str) -> list[Finding]:
    from pyshacl import validate
    try:
        _conforms, results, _text = validate(data, shacl_graph=shapes_graph(part), inference="none",
                                             allow_warnings=True, allow_infos=True)
    except Exception as e:  # noqa: BLE001 - pyshacl's own error types vary by version
        raise ValidationError(f"the shapes of {SHAPES_DIR} could not run: {e}") from e
    if not hasattr(results, "subjects"):  # pyshacl returns a failure in place of the report
        raise ValidationError(f"the shapes of {SHAPES_DIR} could not run: {results}")
    return _findings_from_results(results, shapes_graph(part))


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1] if iri else ""


def _findings_from_results(results, shapes) -> list[Finding]:
    import rdflib

    from budgetkg.validate.structure import path_name
    shn = rdflib.Namespace(SH)
    out = []
    for r in results.subjects(rdflib.RDF.type, shn.ValidationResult):
        sev = _local(str(results.value(r, shn.resultSeverity)))
        msg = str(results.value(r, shn.resultMessage) or "")
        constraint = results.value(r, shn.sourceConstraint)
        shape = results.value(r, shn.sourceShape)
        # a property shape is a blank node: name the node shape it belongs to
        owner = shapes.value(predicate=shn.property, object=shape) if isinstance(shape, rdflib.BNode) else shape
        check = _local(str(constraint)) if isinstance(constraint, rdflib.URIRef) else _local(str(owner or shape))
        value = results.value(r, shn.value)
        focus = results.value(r, shn.focusNode)
        path = results.value(r, shn.resultPath)
        if path is not None and not MESSAGE.match(msg):
            # a path that is not an IRI (^project) is a blank node here: named from the shape
            name = _local(str(path)) if isinstance(path, rdflib.URIRef) else path_name(shapes, shapes.value(shape, shn.path))
            msg = f"{name}: {msg}"
        # SHACL Core names the offending node as the focus (its value may be a literal)
        offending = value if isinstance(value, rdflib.URIRef) and constraint is not None else focus
        out.append(_finding(sev, check, msg, str(offending) if isinstance(offending, rdflib.URIRef) else None,
                            str(focus) if focus is not None else None))
    return out


def _finding(severity: str, check: str, msg: str, value: str | None, focus: str | None) -> Finding:
    f = Finding(severity, check, msg, value=value, focus=focus)
    m = MESSAGE.match(msg)
    if m:
        f.table, f.where, f.identity, f.unit = m["table"], m["where"], m["identity"], m["unit"]
        f.printed, f.expected = Decimal(m["printed"]), Decimal(m["expected"])
        f.difference, f.tolerance = Decimal(m["difference"]), Decimal(m["tolerance"])
    elif (m := LOCATED.match(msg)) and "[" in msg:
        f.table, f.where, f.identity = m["table"], m["where"], m["identity"]
    else:
        f.identity = msg
    return f


@lru_cache(maxsize=1)
def sparql_constraints() -> list[tuple[str, str, str, str]]:
    """(constraint, severity, message template, SELECT with prefixes) of every
    sh:SPARQLConstraint whose shape targets bkg:Document."""
    import rdflib
    g = shapes_graph()
    shn = rdflib.Namespace(SH)
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in g.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?p ?n WHERE { ?x sh:declare [ sh:prefix ?p ; sh:namespace ?n ] }"))
    out = []
    for shape in g.subjects(shn.targetClass, rdflib.URIRef(codes.BKG + "Document")):
        for c in g.objects(shape, shn.sparql):
            sev = _local(str(g.value(shape, shn.severity) or shn.Violation))
            out.append((_local(str(c)), sev, str(g.value(c, shn.message)), prefixes + str(g.value(c, shn.select))))
    return sorted(out)


def _run_sparql(nt: str, document: str) -> list[Finding]:
    store = _oxigraph_store(nt)
    return structure_findings(store) + sparql_findings(store, document)


def structure_findings(store: ox.Store) -> list[Finding]:
    """The SHACL Core shapes (structure.ttl) as SPARQL on a pyoxigraph store
    (validate/structure.py): pyshacl's results, at a cost linear in the graph."""
    from budgetkg.validate.structure import UnsupportedShape, results
    try:
        found = results(store, shapes_graph("core"))
    except UnsupportedShape as e:
        raise ValidationError(f"the shapes of {SHAPES_DIR} could not run as SPARQL: {e}") from e
    out = []
    for check, focus, value in found:
        msg = check.message(focus, value)
        if check.path_name:
            msg = f"{check.path_name}: {msg}"
        out.append(_finding(check.severity, _local(check.shape), msg,
                            focus.value if isinstance(focus, ox.NamedNode) else None, focus.value))
    return out


def sparql_findings(store: ox.Store, document: str) -> list[Finding]:
    """The shapes' SPARQL constraints, run directly on a pyoxigraph store that
    holds a document's graph and its context (amounts in yuan, not converted)."""
    out = []
    for name, severity, template, select in sparql_constraints():
        for sol in store.query(select, substitutions={ox.Variable("this"): ox.NamedNode(document)}):
            def var(m: re.Match, sol=sol) -> str:
                term = sol[m.group(1)]
                return "" if term is None else term.value
            msg = re.sub(r"\{\?(\w+)\}", var, template)
            # no ?value: the value node is the focus, the document (SHACL 5.3.2), as pyshacl reports it
            value = sol["value"] or ox.NamedNode(document)
            out.append(_finding(severity, name, msg, value.value if isinstance(value, ox.NamedNode) else None,
                                document))
    return out


def add_reading(report: Report, nt: str) -> None:
    """What was not read, as findings of its own kind; and a broken identity the
    reading may explain moves out of the publisher's violations."""
    r = reading(_oxigraph_store(nt), report.document)
    for f in report.findings:
        if f.severity == "Violation":
            f.doubt = r.doubt(f.table, f.identity)
            if f.doubt:
                f.severity = NOT_READ
    report.findings += [Finding(NOT_READ, "FullyRead", reason) for reason in r.not_read]


def convert_units(report: Report) -> None:
    """Arithmetic findings come in yuan; show them in the table's printed unit."""
    for f in report.findings:
        factor = MONEY_UNITS.get(f.unit)
        if factor is None:
            continue
        for k in ("printed", "expected", "difference", "tolerance"):
            if getattr(f, k) is not None:
                setattr(f, k, _plain(getattr(f, k) / factor))


def _plain(d: Decimal) -> Decimal:
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral() else d


# ------------------------------------------------------------------ the report as RDF


def report_graph_iri(document: str) -> str:
    """A document's report graph (https://budgetkg.org/id/graph/report/<key>)."""
    return codes.ID + "graph/report/" + document.rsplit("/", 1)[-1]


def report_iri(document: str) -> str:
    return codes.ID + "report/" + document.rsplit("/", 1)[-1]


def report_ntriples(report: Report) -> str:
    """The report as SHACL's own vocabulary (sh:ValidationReport, sh:result …),
    linked to its document (bkg:document) and to the offending observations
    (sh:value), with the numbers as exact decimals."""
    N = ox.NamedNode
    r = N(report_iri(report.document))
    A = codes.A
    t = [(r, A, N(SH + "ValidationReport")), (r, N(codes.BKG + "document"), N(report.document)),
         (r, N(SH + "conforms"), boolean(report.conforms)),
         (r, N(codes.BKG + "violationCount"), integer(len(report.violations))),
         (r, N(codes.BKG + "warningCount"), integer(len(report.warnings))),
         (r, N(codes.BKG + "fullyRead"), boolean(report.fully_read)),
         (r, N(codes.BKG + "validationEngine"), string(report.engine))]
    for i, f in enumerate(report.findings, 1):
        x = N(f"{r.value}/result/{i}")
        t += [(r, N(SH + "result"), x), (x, A, N(SH + "ValidationResult")),
              (x, N(SH + "resultSeverity"), N((codes.BKG if f.severity == NOT_READ else SH) + f.severity)),
              (x, N(SH + "focusNode"), N(f.focus or report.document)),
              (x, N(SH + "sourceConstraint"), N(f"https://budgetkg.org/def/shapes/{f.check}")),
              (x, N(SH + "resultMessage"), string(f.message))]
        if f.value:
            t.append((x, N(SH + "value"), N(f.value)))
        if f.identity:
            t.append((x, N(codes.BKG + "identity"), string(f.identity)))
        if f.where:
            t.append((x, N(codes.BKG + "location"), string(f.where)))
        if f.doubt:
            t.append((x, N(codes.BKG + "readingDoubt"), string(f.doubt)))
        for k, prop in (("printed", "printedValue"), ("expected", "expectedValue"),
                        ("difference", "difference"), ("tolerance", "tolerance")):
            v = getattr(f, k)
            if v is not None:
                t.append((x, N(codes.BKG + prop), decimal(v)))
        if f.unit:
            t.append((x, N(codes.BKG + "printedUnit"), string(f.unit)))
    return to_ntriples(t)
