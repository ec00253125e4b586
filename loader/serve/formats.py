"""Result formats of the SPARQL 1.1 Protocol: which one a request asks for (its
`?format=` or its Accept header), and results written in it. SELECT solutions
are written as SPARQL JSON here (so a row cap can cut them), then turned into
XML, CSV or TSV by Oxigraph's own writers."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from budgetkg.serve.safety import Refused

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str


RESULT_FORMATS = {f.name: f for f in (
    Format("json", "application/sparql-results+json", "srj"),
    Format("xml", "application/sparql-results+xml", "srx"),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)}
GRAPH_FORMATS = {f.name: f for f in (
    Format("turtle", "text/turtle", "ttl"),
    Format("ntriples", "application/n-triples", "nt"),
    Format("jsonld", "application/ld+json", "jsonld"),
    Format("rdfxml", "application/rdf+xml", "rdf"),
)}
# other names clients send, for results and for graphs
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                  "srj": "json", "srx": "xml", "text/plain": "tsv"}
GRAPH_ALIASES = {"ttl": "turtle", "application/x-turtle": "turtle", "nt": "ntriples", "n-triples": "ntriples",
                 "text/plain": "ntriples", "json-ld": "jsonld", "application/json": "jsonld",
                 "application/xml": "rdfxml", "text/xml": "rdfxml", "xml": "rdfxml"}
OX_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
              "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
OX_GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
             "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


def _lookup(key: str, graph: bool) -> Format | None:
    table, aliases = (GRAPH_FORMATS, GRAPH_ALIASES) if graph else (RESULT_FORMATS, RESULT_ALIASES)
    for f in table.values():
        if key in (f.name, f.media_type):
            return f
    return table.get(aliases.get(key, ""))


def _accepted(accept: str) -> list[str]:
    """The media types of an Accept header, most wanted first (q=0 dropped)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(graph: bool, format_param: str | None, accept: str | None) -> Format:
    """The format to answer in: `?format=` wins, then the Accept header, then
    SPARQL JSON (results) or Turtle (graphs). 400/406 when none fits."""
    kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    default = GRAPH_FORMATS["turtle"] if graph else RESULT_FORMATS["json"]
    if format_param:  # a name or media type; clients such as SPARQLWrapper send a list of media types
        for key in format_param.lower().split(","):
            found = _lookup(key.strip(), graph)
            if found is not None:
                return found
        names = ", ".join(GRAPH_FORMATS if graph else RESULT_FORMATS)
        raise Refused(400, f"format {format_param!r} is not one of {names} for a {kind} query")
    if not accept:
        return default
    wanted = _accepted(accept)
    for media in wanted:
        found = _lookup(media, graph)
        if found is not None:
            return found
        if media in ("*/*", "application/*", "text/*"):
            return default
    raise Refused(406, f"none of the accepted types ({accept}) is a {kind} result format")


def term_json(term) -> dict:
    """A term as SPARQL 1.1 JSON results write it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):  # RDF-star: a quoted triple
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(variables: list[str], rows: list[dict]) -> bytes:
    """SPARQL JSON of solutions given as {variable: term} (unbound ones absent)."""
    bindings = [{v: term_json(t) for v, t in row.items()} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_solutions(variables: list[str], rows: list[dict], fmt: Format) -> bytes:
    body = solutions_json(variables, rows)
    if fmt.name == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=OX_RESULTS[fmt.name])


def write_boolean(result: ox.QueryBoolean, fmt: Format) -> bytes:
    return result.serialize(format=OX_RESULTS[fmt.name])


def write_triples(triples: list, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    if fmt.name == "turtle":
        return ox.serialize(triples, format=OX_GRAPHS["turtle"], prefixes=prefixes or {})
    return ox.serialize(triples, format=OX_GRAPHS[fmt.name])
