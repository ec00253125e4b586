"""The W3C Data Cube integrity constraints on the loaded corpus: IC-1 … IC-21 as
the Recommendation publishes them (https://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/,
section 11.1), run after its normalisation (section 10, phase 1: the type and
property closure the constraints assume). Every ASK must be false."""
from __future__ import annotations

import re

import pytest

from budgetkg.graph.document import GraphError, document_graph
from budgetkg.store.backends import EmbeddedStore
from budgetkg.store.load import load_static
from graph_support import corpus_documents

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

# Section 10.1, normalisation phase 1: type and property closure. The store keeps each
# document in its own named graph: each rule's WHERE reads them all (GRAPH ?g), as a
# query on the union default graph does.
NORMALISE_RULES = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p }",
]
NORMALISE = [rule.replace("WHERE { ", "WHERE { GRAPH ?g { ") + " }" for rule in NORMALISE_RULES]

# Section 11.1, transcribed
IC = {
    "IC-1 Unique DataSet": """ASK {
  { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
  UNION { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) } }""",
    "IC-2 Unique DSD": """ASK {
  { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
  UNION { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3 DSD includes measure": """ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] } }""",
    "IC-4 Dimensions have range": """ASK {
  ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-5 Concept dimensions have code lists": """ASK {
  ?dim a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6 Only attributes may be optional": """ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty } }""",
    "IC-7 Slice Keys must be declared": """ASK {
  ?sliceKey a qb:SliceKey . FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey } }""",
    "IC-8 Slice Keys consistent with DSD": """ASK {
  ?slicekey a qb:SliceKey; qb:componentProperty ?prop . ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] } }""",
    "IC-9 Unique slice structure": """ASK {
  { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
  UNION { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2; FILTER (?key1 != ?key2) } }""",
    "IC-10 Slice dimensions complete": """ASK {
  ?slice qb:sliceStructure [qb:componentProperty ?dim] . FILTER NOT EXISTS { ?slice ?dim [] } }""",
    "IC-11 All dimensions required": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty; FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-13 Required attributes": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component ?component .
  ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
  FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14 All measures present": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd .
  FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
  ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty;
  FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-15 Measure dimension consistent": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
  ?dsd qb:component/qb:componentProperty qb:measureType .
  FILTER NOT EXISTS { ?obs ?measure [] } }""",
    "IC-16 Single measure on measure dimension observation": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
  ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?omeasure .
  ?omeasure a qb:MeasureProperty . FILTER (?omeasure != ?measure) }""",
    "IC-17 All measures present in measures dimension cube": """ASK {
  { SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
      { SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
          ?dsd qb:component/qb:componentProperty ?m. ?m a qb:MeasureProperty . } GROUP BY ?dsd }
      ?obs1 qb:dataSet/qb:structure ?dsd; qb:dataSet ?dataset ; qb:measureType ?m1 .
      ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?dim . FILTER (?dim != qb:measureType)
          ?dim a qb:DimensionProperty . ?obs1 ?dim ?v1 . ?obs2 ?dim ?v2. FILTER (?v1 != ?v2) }
    } GROUP BY ?obs1 ?numMeasures HAVING (?count != ?numMeasures) } }""",
    "IC-18 Consistent data set links": """ASK {
  ?dataset qb:slice ?slice . ?slice qb:observation ?obs . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . } }""",
    "IC-19a Codes from code list (scheme)": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:ConceptScheme .
  ?obs ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }""",
    "IC-19b Codes from code list (collection)": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:Collection .
  ?obs ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } }""",
}
# IC-12 compares every pair of observations of a data set: run as published, one data set at a time
IC12 = """ASK {
  FILTER( ?allEqual )
  { SELECT (MIN(?equal) AS ?allEqual) WHERE {
      VALUES ?dataset { <%s> }
      ?obs1 qb:dataSet ?dataset . ?obs2 qb:dataSet ?dataset . FILTER (?obs1 != ?obs2)
      ?dataset qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty .
      ?obs1 ?dim ?value1 . ?obs2 ?dim ?value2 . BIND( ?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2 } }"""
# IC-20/21: instantiated for every parent-child property of a qb:HierarchicalCodeList
IC20_P = "SELECT ?p WHERE { ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?p . FILTER ( isIRI(?p) ) }"
IC21_P = """SELECT ?p WHERE { ?hierarchy a qb:HierarchicalCodeList; qb:parentChildProperty ?pcp .
  FILTER( isBlank(?pcp) ) ?pcp owl:inverseOf ?p . FILTER( isIRI(?p) ) }"""
IC20 = """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList .
  ?obs ?dim ?v . FILTER NOT EXISTS { ?list qb:hierarchyRoot/<%s>* ?v } }"""
IC21 = """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList .
  ?obs ?dim ?v . FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<%s>)* ?v } }"""


@pytest.fixture(scope="module")
def cube(tmp_path_factory):
    s = EmbeddedStore(tmp_path_factory.mktemp("cube"))
    load_static(s)
    for doc in corpus_documents().values():
        try:
            dg = document_graph(doc)
        except GraphError:
            continue
        s.replace_graph(dg.graph, dg.ntriples(), dg.shared_ntriples())
    for update in NORMALISE:
        s.update(PREFIXES + update)
    yield s
    s.close()


@pytest.mark.parametrize("name", list(IC))
def test_integrity_constraint(cube, name):
    assert cube.query(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?o a qb:Observation }")[0]["n"] > 1000
    assert not cube.ask(PREFIXES + IC[name]), name


# IC-12 as published compares every pair of observations (quadratic: hours on a document's
# thousands of cells). It runs as published on the fact sets of up to 170 facts; on every data
# set its condition, no two observations with equal values for every dimension, is checked
# from the observations' dimension values (SPARQL has no order-free key to GROUP BY).
DIMENSION_VALUES = """SELECT ?dataset ?obs ?dim ?v WHERE {
  ?obs qb:dataSet ?dataset . ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty . ?obs ?dim ?v }"""


def duplicate_observations(store) -> list[list[str]]:
    keys: dict[str, dict[str, set]] = {}
    for r in store.query(PREFIXES + DIMENSION_VALUES):
        keys.setdefault(r["obs"], {"dataset": r["dataset"], "values": set()})["values"].add((r["dim"], str(r["v"])))
    groups: dict[tuple, list[str]] = {}
    for obs, k in keys.items():
        groups.setdefault((k["dataset"], frozenset(k["values"])), []).append(obs)
    return [g for g in groups.values() if len(g) > 1]


def test_ic12_no_duplicate_observations(cube):
    facts = [r["d"] for r in cube.query(PREFIXES + """SELECT ?d WHERE { ?d a <https://budgetkg.org/def/FactSet> .
        ?f qb:dataSet ?d } GROUP BY ?d HAVING (COUNT(?f) <= 170)""")]
    assert len(facts) >= 4
    for d in facts:
        assert not cube.ask(PREFIXES + IC12 % d), d
    assert duplicate_observations(cube) == []


def test_ic20_ic21_codes_from_hierarchy(cube):
    for select, ask in ((IC20_P, IC20), (IC21_P, IC21)):
        for r in cube.query(PREFIXES + select):
            assert not cube.ask(PREFIXES + ask % r["p"]), r["p"]


def test_a_missing_dimension_is_caught(cube, tmp_path):
    """The constraints can fail: an observation without its phase breaks IC-11."""
    s = EmbeddedStore(tmp_path / "broken")
    try:
        load_static(s)
        doc = next(iter(corpus_documents().values()))
        dg = document_graph(doc)
        broken = "".join(line + "\n" for line in dg.ntriples().splitlines()
                         if "/row/1/1>" not in line or "budgetPhase" not in line)
        s.replace_graph(dg.graph, broken)
        for update in NORMALISE:
            s.update(PREFIXES + update)
        assert s.ask(PREFIXES + IC["IC-11 All dimensions required"])
        # and cells printed at one position break IC-12
        position = "<https://budgetkg.org/def/cellPosition>"
        moved = "".join(re.sub(r'"[rp][0-9c]+"', '"r1c1"', line) + "\n" if position in line else line + "\n"
                        for line in dg.ntriples().splitlines())
        s.replace_graph(dg.graph, moved)
        assert duplicate_observations(s)
    finally:
        s.close()
