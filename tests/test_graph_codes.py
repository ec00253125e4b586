"""The code lists: a label for every code the corpus prints, in every year;
links between the years' lists with their sources; COFOG in Chinese, said to
be this project's translation."""
from __future__ import annotations

import csv

import pyoxigraph as ox

from budgetkg.graph import codes
from budgetkg.paths import CLASSIFICATIONS
from budgetkg.registry import registry
from graph_support import corpus_documents

SKOS = "http://www.w3.org/2004/02/skos/core#"
XKOS = "http://rdf-vocabulary.ddialliance.org/xkos#"


def labels(store: ox.Store, iri: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"), None)}


def test_every_printed_code_of_every_year_has_a_label(lists):
    missing, checked = [], 0
    for doc in corpus_documents().values():
        for t in doc.tables:
            scheme = registry().types[t.type].codes if t.type in registry().types else "none"
            if scheme not in codes.HIERARCHICAL:
                continue
            classes = codes.classes_of_year(scheme, doc.year)
            for r in t.rows:
                # a code under no 类 of the list is not of it (a unit's 125 over its projects): the graph
                # does not classify by it (test_graph_store)
                if r.code and r.code.isdigit() and codes.level_of(r.code) and r.code[:3] in classes:
                    checked += 1
                    if not labels(lists, codes.concept_iri(scheme, doc.year, r.code)):
                        missing.append(f"{doc.year} {scheme} {r.code}")
    assert checked > 500
    assert missing == []


def test_year_lists_cover_2026(lists):
    assert labels(lists, codes.concept_iri("function", 2026, "201")) == {"一般公共服务支出"}


def test_correspondences_link_existing_concepts_with_their_source(lists):
    with (CLASSIFICATIONS / "correspondences.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["from_code"] for r in rows if r["scheme"] == "function"} == {"207", "210", "215", "220"}
    for r in rows:
        source = codes.concept_iri(r["scheme"], int(r["from_year"]), r["from_code"])
        target = codes.concept_iri(r["scheme"], int(r["to_year"]), r["to_code"])
        assert labels(lists, source) and labels(lists, target), r
        answer = lists.query(f"""ASK {{ ?c a <{XKOS}Correspondence> ; <{XKOS}madeOf> ?a .
            ?a <{XKOS}sourceConcept> <{source}> ; <{XKOS}targetConcept> <{target}> ;
               <http://purl.org/dc/terms/source> ?s . <{source}> <{SKOS}{r['relation']}> <{target}> }}""")
        assert bool(answer), r
    # the renaming is visible: 2018's name and 2019's differ, the link says they correspond
    assert labels(lists, codes.concept_iri("function", 2018, "210")) == {"医疗卫生与计划生育支出"}
    assert labels(lists, codes.concept_iri("function", 2019, "210")) == {"卫生健康支出"}


def test_cofog_in_chinese_marked_as_our_translation(lists):
    """Every division and group, and every COFOG code the function mapping targets, has one
    Chinese label, marked as this project's translation."""
    import csv
    with (codes.CLASSIFICATIONS / "cofog_1999_un.csv").open(encoding="utf-8") as f:
        groups = [r["code"] for r in csv.DictReader(f) if r["level"] in ("1", "2")]
    assert len(groups) == 10 + 69
    targets = {m.cofog for maps in codes.cofog_mappings().values() for m in maps}
    for d in sorted(set(groups) | targets):
        iri = codes.cofog_iri(d)
        zh = [q.object for q in lists.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"), None)
              if q.object.language == "zh"]
        assert len(zh) == 1, d
        notes = [q.object.value for q in lists.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "editorialNote"), None)]
        assert any("translation" in n for n in notes), d


def printed_codes(doc) -> dict[str, dict[str, list[str]]]:
    """scheme -> code -> the names its rows print, from the extraction."""
    out: dict[str, dict[str, list[str]]] = {}
    for t in doc.tables:
        scheme = registry().types[t.type].codes if t.type in registry().types else "none"
        if scheme in codes.HIERARCHICAL:
            for r in t.rows:
                if r.code and r.code.isdigit() and codes.level_of(r.code):
                    out.setdefault(scheme, {}).setdefault(r.code, []).append(r.name)
    return out


def test_codes_are_notes_without_an_official_list_and_warnings_against_one():
    from budgetkg.graph.document import document_graph
    from budgetkg.validate.shapes import validate_ntriples
    from graph_support import seed
    doc = seed()
    dg = document_graph(doc)
    nt = dg.ntriples() + "".join(dg.shared_ntriples().values())
    printed = printed_codes(doc)
    assert len(printed["function"]) == 22 and len(printed["economic"]) == 35  # counted on the seed's tables

    # no official list loaded: one note per scheme, counting its codes, and no warning
    report = validate_ntriples(nt, dg.document, doc.year)
    notes = sorted(f.message for f in report.findings if f.check == "CodeNotVerified")
    assert [f.severity for f in report.findings if f.check == "CodeNotVerified"] == ["Info", "Info"]
    assert notes == [f"{len(printed['function'])} codes of the {doc.year}年支出功能分类科目 printed, not verified "
                     "against an official list (none is loaded for the year: budgetkg codes import)",
                     f"{len(printed['economic'])} codes of the {doc.year}年部门预算支出经济分类科目 printed, not "
                     "verified against an official list (none is loaded for the year: budgetkg codes import)"]
    assert report.warnings == []

    # an official function list without one printed code, naming another otherwise: exactly those warn
    missing, renamed = sorted(printed["function"])[-1], sorted(printed["function"])[0]
    rows = [(c, "另一个名称" if c == renamed else names[0]) for c, names in printed["function"].items() if c != missing]
    official = codes.to_ntriples(codes.official_scheme("function", doc.year, rows, "function-list.csv"))
    report = validate_ntriples(nt + official, dg.document, doc.year)
    warned = sorted((f.check, f.message.split("] ", 1)[1]) for f in report.warnings)
    expected = sorted([("CodeInOfficialList", f"code {missing} ({name}) is not in the official {doc.year}年支出功能分类科目"
                        f"（官方） list: check the code") for name in printed["function"][missing]]
                      + [("CodeOfficialName", f"code {renamed} is printed as {name}, but the official list names it "
                          "另一个名称") for name in printed["function"][renamed]])
    assert warned == expected
    # the economic codes are still only notes: no list of theirs is loaded
    assert [f.message.split(" ")[0] for f in report.findings if f.check == "CodeNotVerified"] == [
        str(len(printed["economic"]))]
