"""Namespace IRIs and the small term builders every graph module shares."""
from __future__ import annotations

import pyoxigraph as ox

ID = "https://budgetkg.org/id/"
BKG = "https://budgetkg.org/def/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XKOS = "http://rdf-vocabulary.ddialliance.org/xkos#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"


Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=N(XSD + "integer"))


A = N(RDF_TYPE)
