"""docs/vocabulary.md, a readable reference of ontology/budgetkg.ttl (and a list
of the code lists in ontology/codes/), generated so that it never drifts from
the TTL. Run: `python -m budgetkg.graph.ontology_docs [OUT]` (what `make docs` does)."""
from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from budgetkg.paths import CODES_DIR, ONTOLOGY, REPO

OUT = REPO / "docs" / "vocabulary.md"
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")

SECTIONS = [
    ("Classes", [OWL.Class]),
    ("Dimensions (one per GROUP BY)", [QB.DimensionProperty]),
    ("Measure", [QB.MeasureProperty]),
    ("Attributes", [QB.AttributeProperty]),
    ("Other properties", [OWL.ObjectProperty, OWL.DatatypeProperty]),
]


# the layer a researcher sums comes first; the printed layer is for checking against the page
CANONICAL_FIRST = [
    "## Start with the canonical layer", "",
    "Sum `bkg:Fact`s, not printed observations: one fact per quantity of a disclosure (unit, year, phase, "
    "scope), whatever table or layout printed it, with every dimension of `bkg:factStructure` set "
    "(`<https://budgetkg.org/id/code/total>` where not broken down), `obeu-measure:amount` in yuan, "
    "`prov:wasDerivedFrom` the printed observations, and `bkg:countsInTotals`. A question fixes the dimensions "
    "it does not break down to total and binds the one it does; the worked, tested queries are in "
    "`ontology/README.md` and `tests/test_canonical.py`. The printed observations (`bkg:BudgetObservation`, "
    "`bkg:structure`) keep every printed amount where it was printed.", ""]


def label(g: rdflib.Graph, s, lang: str) -> str:
    for o in g.objects(s, RDFS.label):
        if getattr(o, "language", None) == lang:
            return str(o)
    return ""


def definition(g: rdflib.Graph, s, lang: str) -> str:
    for o in g.objects(s, SKOS.definition):
        if getattr(o, "language", None) == lang:
            return str(o)
    return ""


def term_entry(g: rdflib.Graph, s) -> list[str]:
    name = g.namespace_manager.normalizeUri(s)
    lines = [f"### `{name}` — {label(g, s, 'en')} / {label(g, s, 'zh')}", ""]
    lines.append(f"<{s}>")
    lines.append("")
    for lang in ("en", "zh"):
        d = definition(g, s, lang)
        if d:
            lines.append(f"- {d}")
    for pred, what in ((RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
                       (RDFS.range, "range")):
        for o in sorted(g.objects(s, pred)):
            if isinstance(o, rdflib.URIRef):
                lines.append(f"- {what}: `{g.namespace_manager.normalizeUri(o)}`")
    lines.append("")
    return lines


def code_lists() -> list[str]:
    lines = ["## Code lists (`ontology/codes/`)", "",
             "| file | scheme | concepts |", "|---|---|---|"]
    for path in sorted(CODES_DIR.glob("*.ttl")):
        g = rdflib.Graph().parse(path)
        schemes = sorted(g.subjects(RDF.type, SKOS.ConceptScheme))
        names = "; ".join(label_any(g, s) for s in schemes) or "(mapping)"
        lines.append(f"| {path.name} | {names} | {len(set(g.subjects(RDF.type, SKOS.Concept)))} |")
    lines.append("")
    return lines


def label_any(g: rdflib.Graph, s) -> str:
    labels = {getattr(o, "language", None): str(o) for o in g.objects(s, SKOS.prefLabel)}
    return " / ".join(v for k, v in sorted(labels.items(), key=lambda kv: kv[0] != "zh") if k in ("zh", "en"))


def render(ontology: Path = ONTOLOGY) -> str:
    g = rdflib.Graph().parse(ontology)
    onto = next(g.subjects(RDF.type, OWL.Ontology))
    lines = [f"# {label(g, onto, 'en')} / {label(g, onto, 'zh')}", "",
             "<!-- generated from ontology/budgetkg.ttl by `make docs`; do not edit -->", "",
             definition(g, onto, "en"), "", definition(g, onto, "zh"), "",
             "Prefixes: " + ", ".join(f"`{p}:` <{n}>" for p, n in sorted(g.namespaces())
                                      if p in ("bkg", "qb", "obeu-dimension", "obeu-measure", "obeu-attribute",
                                               "skos", "xkos", "org", "prov", "dcterms")), "",
             *CANONICAL_FIRST]
    done: set = set()
    for title, types in SECTIONS:
        terms = sorted({s for t in types for s in g.subjects(RDF.type, t)
                        if isinstance(s, rdflib.URIRef)} - done)
        if not terms:
            continue
        lines += [f"## {title}", ""]
        for s in terms:
            lines += term_entry(g, s)
        done |= set(terms)
    reused = sorted({s for s in g.subjects(RDFS.label, None) if isinstance(s, rdflib.URIRef)} - done - {onto}
                    - set(g.subjects(RDF.type, SKOS.Concept)))
    if reused:
        lines += ["## Reused terms, as this vocabulary uses them", ""]
        for s in reused:
            lines += term_entry(g, s)
    lines += code_lists()
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
