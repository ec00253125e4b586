"""SHACL Core shapes (shapes/structure.ttl) run as SPARQL: each constraint of a
shape becomes one SELECT of the nodes that break it, so the structure checks
cost a pass over the graph per constraint, at any size, not pyshacl's walk node
by node. The queries are generated from the shapes graph, never written by
hand; a Core feature this translation does not know is an error, never skipped.

The results are pyshacl's: the same focus nodes, values and paths, the same
messages (pyshacl's own wording, through its stringify_node), the results of a
nested sh:node shape reported as pyshacl's details are (tests/test_validate.py
compares both on planted faults)."""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pyoxigraph as ox
import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.collection import Collection

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
XSD = "http://www.w3.org/2001/XMLSchema#"
# a literal of these types is well formed when SPARQL can cast its text to the type
CASTABLE = {XSD + t for t in ("string", "boolean", "decimal", "integer", "float", "double", "dateTime", "date",
                              "time")}
NODE_KINDS = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
              "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
              "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
# what a shape may say besides its constraints: targets, names, the report's own fields
NOT_CONSTRAINTS = {RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path,
                   SH.property, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
                   SH.deactivated, rdflib.RDFS.label, rdflib.RDFS.comment, SH.flags}


class UnsupportedShape(ValueError):
    """A SHACL feature the translation to SPARQL does not cover."""


@dataclass(frozen=True)
class Check:
    """One constraint as a query: SELECT ?this ?value of what breaks it."""
    shape: str  # the node shape findings name (a property shape's owner)
    severity: str  # Violation / Warning / Info
    path_name: str | None  # the property shape's path as findings name it ("amount", "^project")
    select: str
    message: Callable[[object, object], str]  # (focus, value) as pyoxigraph terms -> pyshacl's message


def _sparql_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        text = json.dumps(str(t), ensure_ascii=False)  # a valid SPARQL string: \" \\ \n escaped
        if t.language:
            return f"{text}@{t.language}"
        return f"{text}^^<{t.datatype}>" if t.datatype else text
    raise UnsupportedShape(f"a blank node {t} where SPARQL needs a term")


class _Compiler:
    def __init__(self, g: rdflib.Graph):
        self.g = g
        self.fresh = itertools.count(1)
        from pyshacl.rdfutil.stringify import stringify_node
        data = rdflib.Graph()  # how pyshacl names data nodes: a fresh rdflib graph's prefixes
        self.sg = lambda n: stringify_node(g, n)
        self.data = lambda n: stringify_node(data, _rdflib_term(n))

    def var(self) -> str:
        return f"?v{next(self.fresh)}"

    def path(self, p) -> str:
        g = self.g
        if isinstance(p, URIRef):
            return f"<{p}>"
        if (g.value(p, RDF.first) is not None) or p == RDF.nil:
            return "(" + "/".join(self.path(x) for x in Collection(g, p)) + ")"
        for pred, op in ((SH.inversePath, "^"), (SH.alternativePath, None), (SH.zeroOrMorePath, "*"),
                         (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            x = g.value(p, pred)
            if x is None:
                continue
            if pred == SH.alternativePath:
                return "(" + "|".join(self.path(y) for y in Collection(g, x)) + ")"
            inner = self.path(x) if isinstance(x, URIRef) else f"({self.path(x)})"
            return f"^{inner}" if op == "^" else f"{inner}{op}"
        raise UnsupportedShape(f"a path this translation does not know: {self.sg(p)}")

    # ------------------------------------------------------------ constraints

    def constraints(self, shape) -> list[tuple[URIRef, object]]:
        """(parameter, argument) of each constraint a shape states itself."""
        out = []
        for p, o in sorted(self.g.predicate_objects(shape)):
            if p in NOT_CONSTRAINTS:
                continue
            if p not in self.VALUE | self.COUNT:
                raise UnsupportedShape(f"{self.sg(shape)} uses {self.sg(p)}, which the SPARQL path does not translate")
            out.append((p, o))
        return out

    COUNT = {SH.minCount, SH.maxCount}
    VALUE = {SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH["class"], SH.node, SH["or"], SH["and"], SH["not"],
             SH.hasValue}

    def value_filter(self, shape, p, arg, v: str) -> str:
        """A FILTER true when value node `v` breaks constraint (p, arg)."""
        g = self.g
        if p == SH.datatype:
            ok = f"isLiteral({v}) && datatype({v}) = <{arg}>"
            if str(arg) in CASTABLE:  # ill-formed ("abc"^^xsd:integer) breaks it too, as in pyshacl
                ok += f" && COALESCE(isLiteral(<{arg}>(STR({v}))), false)"
            return f"FILTER(!({ok}))"
        if p == SH.nodeKind:
            kind = str(arg).rsplit("#", 1)[-1]
            if kind not in NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {self.sg(arg)}")
            return f"FILTER(!{NODE_KINDS[kind].format(v=v)})"
        if p == SH["in"]:
            items = [f"sameTerm({v}, {_sparql_term(x)})" for x in Collection(g, arg)]
            return f"FILTER(!({' || '.join(items) or 'false'}))"
        if p == SH.pattern:
            flags = g.value(shape, SH.flags)
            args = f"STR({v}), {_sparql_term(Literal(str(arg)))}" + (f", {_sparql_term(Literal(str(flags)))}"
                                                                       if flags else "")
            return f"FILTER(isBlank({v}) || !REGEX({args}))"
        if p == SH["class"]:
            return f"FILTER NOT EXISTS {{ {v} a/<{rdflib.RDFS.subClassOf}>* <{arg}> }}"
        if p == SH.node:
            return f"FILTER EXISTS {{ {self.breaks(arg, v)} }}"
        if p == SH["not"]:
            return f"FILTER NOT EXISTS {{ {self.breaks(arg, v)} }}"
        if p in (SH["or"], SH["and"]):
            members = [f"EXISTS {{ {self.breaks(x, v)} }}" for x in Collection(g, arg)]
            return f"FILTER({(' && ' if p == SH['or'] else ' || ').join(members) or 'false'})"
        raise UnsupportedShape(f"{self.sg(p)}")  # hasValue is a count-like check, below

    def pattern(self, shape, p, arg, focus: str) -> tuple[str, str | None]:
        """A group pattern that matches when `focus` breaks the constraint, and
        the variable of the offending value (None: the focus itself)."""
        path = self.g.value(shape, SH.path)
        sp = self.path(path) if path is not None else None
        if p in self.COUNT:
            n = int(arg)
            if sp is None:
                raise UnsupportedShape(f"{self.sg(p)} on a node shape")
            k = n if p == SH.minCount else n + 1  # minCount n: not n distinct values; maxCount m: m + 1
            if k == 0:
                return ("FILTER(false)" if p == SH.minCount else ""), None
            vs = [self.var() for _ in range(k)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
            inner = " ".join(f"{focus} {sp} {x} ." for x in vs) + (f" FILTER({distinct})" if distinct else "")
            return (f"FILTER {'NOT ' if p == SH.minCount else ''}EXISTS {{ {inner} }}"), None
        if p == SH.hasValue:
            if sp is None:
                return f"FILTER(!sameTerm({focus}, {_sparql_term(arg)}))", None
            return f"FILTER NOT EXISTS {{ {focus} {sp} {_sparql_term(arg)} }}", None
        if sp is None:
            return self.value_filter(shape, p, arg, focus), None
        v = self.var()
        return f"{focus} {sp} {v} . {self.value_filter(shape, p, arg, v)}", v

    def breaks(self, shape, focus: str) -> str:
        """A pattern matching when `focus` does not conform to `shape`."""
        parts = [self.pattern(shape, p, arg, focus)[0] for p, arg in self.constraints(shape)]
        parts += [self.breaks(ps, focus) for ps in self.g.objects(shape, SH.property)]
        return " UNION ".join(f"{{ {x} }}" for x in parts) if parts else "FILTER(false)"

    # ------------------------------------------------------------ reports

    def message(self, shape, p, arg) -> Callable[[object, object], str]:
        g = self.g
        path = g.value(shape, SH.path)
        own = g.value(shape, SH.message)
        if own is not None:
            return lambda focus, value: str(own)
        if p == SH.minCount:
            return lambda focus, value: f"Less than {arg} values on {self.data(focus)}->{self.sg(path)}"
        if p == SH.maxCount:
            return lambda focus, value: f"More than {arg} values on {self.data(focus)}->{self.sg(path)}"
        fixed = {
            SH.datatype: lambda: f"Value is not Literal with datatype {self.sg(arg)}",
            SH.nodeKind: lambda: f"Value is not of Node Kind {self.sg(arg)}",
            SH.pattern: lambda: f"Value does not match pattern '{arg}'",
            SH["class"]: lambda: f"Value does not have class {self.sg(arg)}",
            SH.node: lambda: f"Value does not conform to Shape {self.sg(arg)}. See details for more information.",
        }
        if p in fixed:
            text = fixed[p]()
            return lambda focus, value: text
        if p == SH["in"]:
            items = [self.sg(x) for x in Collection(g, arg)]
            return lambda focus, value: f"Value {self.data(value)} not in list {items}"
        if p == SH.hasValue:
            if path is None:
                return lambda focus, value: f"Node {self.data(focus)} value is not a in the set of values: " \
                                            f"{self.sg(arg)}"
            return lambda focus, value: f"Node {self.data(focus)}->{self.sg(path)} does not contain a value in " \
                                        f"the set: {self.sg(arg)}"
        members = " , ".join(self.sg(x) for x in Collection(g, arg)) if p != SH["not"] else self.sg(arg)
        wording = {SH["or"]: "must conform to one or more shapes in", SH["and"]: "must conform to all shapes in",
                   SH["not"]: "must not conform to shape"}[p]
        return lambda focus, value: f"Node {self.data(value)} {wording} {members}"

    def checks(self, shape, owner, target: Callable[[str], str]) -> list[Check]:
        """The checks of `shape` (and of its property shapes, and of the shapes
        its values must conform to) on the focus nodes `target` binds."""
        g = self.g
        out = []
        for ps in [shape, *g.objects(shape, SH.property)]:
            if g.value(ps, SH.deactivated) == Literal(True):
                continue
            severity = str(g.value(ps, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
            path = g.value(ps, SH.path)
            for p, arg in self.constraints(ps):
                pattern, value = self.pattern(ps, p, arg, "?this")
                select = (f"SELECT DISTINCT ?this ?value WHERE {{ {target('?this')} {pattern} "
                          f"BIND({value or '?this'} AS ?value) }}")
                out.append(Check(str(owner), severity, path_name(g, path), select, self.message(ps, p, arg)))
                if p == SH.node:  # pyshacl reports why a value does not conform: its results, as details
                    sp = self.path(path) if path is not None else None

                    def nested(x: str, target=target, sp=sp) -> str:
                        outer = self.var()
                        return f"{target(outer)} {outer} {sp} {x} ." if sp else target(x)
                    out += self.checks(arg, arg, nested)
        return out


def path_name(g: rdflib.Graph, p) -> str | None:
    """A property shape's path as findings name it: an IRI by its local name,
    others as SPARQL with local names ("^project")."""
    if p is None:
        return None
    return re.sub(r"<[^>]*?([^/#>]*)>", r"\1", _Compiler(g).path(p))


def targets(g: rdflib.Graph, shape, var: str) -> str | None:
    """A pattern binding `var` to the shape's focus nodes (None: no target)."""
    parts = [f"{var} a/<{rdflib.RDFS.subClassOf}>* <{c}> ." for c in g.objects(shape, SH.targetClass)]
    if (shape, RDF.type, rdflib.RDFS.Class) in g:  # an implicit class target
        parts.append(f"{var} a/<{rdflib.RDFS.subClassOf}>* <{shape}> .")
    parts += [f"VALUES {var} {{ {_sparql_term(n)} }}" for n in g.objects(shape, SH.targetNode)]
    parts += [f"{var} <{p}> [] ." for p in g.objects(shape, SH.targetSubjectsOf)]
    parts += [f"[] <{p}> {var} ." for p in g.objects(shape, SH.targetObjectsOf)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "{ SELECT DISTINCT " + var + " WHERE { " + \
        " UNION ".join(f"{{ {x} }}" for x in parts) + " } }"


def compile_checks(g: rdflib.Graph) -> list[Check]:
    """Every Core constraint of the targeted shapes of `g`, as queries."""
    c = _Compiler(g)
    out = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(SH.targetClass, None))):
        if g.value(shape, SH.deactivated) == Literal(True) or targets(g, shape, "?x") is None:
            continue

        def target(var: str, shape=shape) -> str:
            return targets(g, shape, var)
        out += c.checks(shape, shape, target)
    return out


@lru_cache(maxsize=4)
def _cached(g: rdflib.Graph) -> tuple[Check, ...]:
    return tuple(compile_checks(g))


def _rdflib_term(t):
    """A data node as pyshacl sees it (a plain literal has no datatype there);
    converted only for a message, so an ill-formed literal is parsed only then."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    plain = t.language or t.datatype.value == XSD + "string"
    return Literal(t.value, lang=t.language, datatype=None if plain else URIRef(t.datatype.value))


def results(store: ox.Store, g: rdflib.Graph) -> list[tuple[Check, object, object]]:
    """(check, focus, value) of every result of the Core shapes of `g` on a
    pyoxigraph store (its default graph holding the data)."""
    return [(check, sol["this"], sol["value"]) for check in _cached(g) for sol in store.query(check.select)]
