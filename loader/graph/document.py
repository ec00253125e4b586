"""A Document (the extraction contract) as RDF: one named graph per document,
every printed amount one bkg:BudgetObservation (W3C Data Cube), amounts in yuan
as exact xsd:decimal. Vocabulary: ontology/budgetkg.ttl.

IRIs are deterministic: a document is named by the SHA-256 of its source files,
so loading it again yields the same triples and two documents never collide;
everything inside a document is named by position under the document's IRI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from budgetkg.amounts import printed_places
from budgetkg.graph import canonical, codes, provenance, roles, units
from budgetkg.graph.coverage import coverage_triples
from budgetkg.graph.identifiers import document_iri, graph_iri, source_label
from budgetkg.graph.namespaces import BKG, DCT, ID, RDFS, XSD, A, N, Triple, zh
from budgetkg.model import Document, Indicator, Row, Table, Where
from budgetkg.read import metadata
from budgetkg.reconstruct.coverage import document_coverage
from budgetkg.reconstruct.identities import (
    Identity,
    balance_identities,
    code_children,
    column_parts,
    cross_table_identities,
    layout_parts,
    top_level_rows,
    total_row,
)
from budgetkg.registry import registry

QB = "http://purl.org/linked-data/cube#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
OBEU_DIM = "http://data.openbudgets.eu/ontology/dsd/dimension/"
OBEU_MEASURE = "http://data.openbudgets.eu/ontology/dsd/measure/"
OBEU_ATTR = "http://data.openbudgets.eu/ontology/dsd/attribute/"
PHASE = "http://data.openbudgets.eu/resource/codelist/budget-phase/"
OPERATION = "http://data.openbudgets.eu/resource/codelist/operation-character/"
CNY = "http://data.openbudgets.eu/codelist/currency/CNY"

# yuan per printed unit
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
               "百万元": Decimal(1000000), "亿元": Decimal(100000000)}
KIND_PHASE = roles.KIND_PHASE
DIM_SCHEME = {dim: scheme for scheme, dim in roles.SCHEME_DIM.items()}


class GraphError(ValueError):
    """A document that cannot become RDF (no year, no money unit, ...)."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")


def _xsd(kind: str, value: str) -> ox.Literal:
    return ox.Literal(value, datatype=N(XSD + kind))


def decimal(value: Decimal) -> ox.Literal:
    # canonical-ish lexical form, never an exponent: 188476100.0000 -> 188476100
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return _xsd("decimal", text)


def integer(n: int) -> ox.Literal:
    return _xsd("integer", str(n))


def boolean(b: bool) -> ox.Literal:
    return _xsd("boolean", "true" if b else "false")


def string(text: str) -> ox.Literal:
    return ox.Literal(text)


@dataclass
class Placed:
    """One observation as the canonical layer (graph/canonical.py) reads it."""
    iri: ox.NamedNode
    table: int
    row: int
    column: str
    yuan: Decimal
    dims: dict[str, str]


@dataclass
class DocumentGraph:
    graph: str
    document: str
    triples: list[Triple] = field(default_factory=list)
    observations: int = 0
    # triples about resources several documents share (their unit, a code the
    # year's list lacks): kept in graphs of their own, so that no triple is in
    # two graphs and a join over the union of graphs never counts one twice
    shared: dict[str, list[Triple]] = field(default_factory=dict)

    def ntriples(self) -> str:
        return codes.to_ntriples(self.triples)

    def shared_ntriples(self) -> dict[str, str]:
        return {g: codes.to_ntriples(ts) for g, ts in self.shared.items()}

    def quads(self) -> list[ox.Quad]:
        g = N(self.graph)
        return [ox.Quad(s, p, o, g) for s, p, o in dict.fromkeys(self.triples)]


def money_factor(unit: str | None, where: str) -> Decimal:
    if unit is None:
        raise GraphError(where, "no money unit (单位：元/万元) found: amounts cannot be converted to yuan")
    key = unit.replace("单位", "").replace("：", "").replace(":", "").strip()
    if key not in MONEY_UNITS:
        raise GraphError(where, f"unknown money unit {unit!r} (known: {', '.join(MONEY_UNITS)})")
    return MONEY_UNITS[key]


def project_rows(table: Table) -> Table:
    """A project table as the identities see it: one row per project, its
    amount in the column 金额."""
    if not table.projects or table.rows:
        return table
    return Table(table.type, table.title, ["金额"], table.where, rows=[
        Row(None, p.name, None, p.where, {"金额": p.amount}) for p in table.projects])


def where_triples(s: ox.NamedNode, where: Where) -> list[Triple]:
    out = []
    if where.page is not None:
        out.append((s, N(BKG + "page"), integer(where.page)))
    if where.line is not None:
        out.append((s, N(BKG + "line"), integer(where.line)))
    return out


def document_graph(doc: Document, meta: dict | None = None) -> DocumentGraph:
    """The RDF of one document (raises GraphError when it lacks what every
    observation needs: unit, year, kind, money unit). `meta`: the publisher's url
    and published date given at load (graph/provenance.py)."""
    label = source_label(doc)
    if not doc.unit or not doc.year:
        missing = [what for what, v in (("budget unit (编制单位)", doc.unit), ("fiscal year", doc.year)) if not v]
        raise GraphError(label, metadata.not_found(missing, [p.page for p in doc.pages_without_text]))
    if doc.kind not in KIND_PHASE:
        raise GraphError(label, f"unknown document kind {doc.kind!r} (expected budget or final_accounts)")
    return _Builder(doc, label, meta).build()


class _Builder:
    def __init__(self, doc: Document, label: str, meta: dict | None = None):
        self.doc, self.label, self.meta = doc, label, meta
        self.dg = DocumentGraph(graph_iri(doc), document_iri(doc))
        self.t = self.dg.triples
        self.d = N(self.dg.document)
        self.scope = doc.scope or "department"
        # a 单位 document is about the department's own (本级) unit, part of the department
        self.unit = N(units.own_unit_iri(doc.unit) if self.scope == "unit" else units.unit_iri(doc.unit))
        self.dataset = N(self.dg.document + "/dataset")
        self.year = doc.year
        # codes already given their concept triples (once per document)
        self.seen_codes: set[tuple[str, str]] = set()
        # (table index, row index, column) -> observation, for the identities across tables
        self.cells: dict[tuple[int, int, str], ox.NamedNode] = {}
        self.placed: list[Placed] = []
        # cells that are the sum of other cells of this document
        self.totals: set[tuple[int, int, str]] = set()
        self.breakdowns = 0

    def build(self) -> DocumentGraph:
        doc, t, d = self.doc, self.t, self.d
        t += [(d, A, N(BKG + "Document")), (d, A, N(PROV + "Entity")),
              (d, N(DCT + "publisher"), self.unit), (d, N(BKG + "fiscalYear"), integer(self.year)),
              (d, N(OBEU_DIM + "budgetPhase"), N(PHASE + KIND_PHASE[doc.kind])),
              (d, N(RDFS + "label"), zh(f"{doc.unit} {self.year}年{'部门预算' if doc.kind == 'budget' else '部门决算'}"))]
        if doc.money_unit:
            t.append((d, N(BKG + "moneyUnit"), string(doc.money_unit)))
        t += provenance.source_triples(d, doc, self.meta)
        t += [(d, N(BKG + "scope"), N(canonical.scope_iri(self.scope))),
              (d, N(BKG + "documentKind"), N(f"{ID}code/document-kind/{doc.kind}"))]
        # the unit and the places are shared by documents: each has a graph of its own
        self.dg.shared.setdefault(units.unit_graph_iri(doc.unit), []).extend(
            units.own_unit_triples(doc.unit) if self.scope == "unit" else units.unit_triples(doc.unit))
        self.dg.shared[units.unit_graph_iri(doc.unit)] += units.identifier_triples(self.unit, doc)
        self.dg.shared.setdefault(units.PLACES_GRAPH, []).extend(units.place_triples())
        activity_graph, activity = provenance.load_activity(self.dg.document, self.dataset.value)
        self.dg.shared.setdefault(activity_graph, []).extend(activity)
        t += [(self.dataset, A, N(BKG + "BudgetDataSet")), (self.dataset, A, N(QB + "DataSet")),
              (self.dataset, N(QB + "structure"), N(BKG + "structure")),
              (self.dataset, N(PROV + "wasDerivedFrom"), d), (self.dataset, N(BKG + "document"), d)]
        ordinal: dict[str, int] = {}
        for ti, table in enumerate(doc.tables):
            ordinal[table.type] = ordinal.get(table.type, 0) + 1
            self.table(ti, table, ordinal[table.type])
        self.cell_identities()
        self.mark_totals()
        # the canonical layer: the disclosure's facts, whatever the layout (graph/canonical.py)
        disclosure_graph, facts = canonical.canonical_triples(
            doc, self.unit.value, self.dg.document, self.scope, self.placed,
            counts_in_totals=self.scope == "department")
        self.dg.shared.setdefault(disclosure_graph, []).extend(facts)
        t.append((d, N(BKG + "disclosure"), N(canonical.disclosure_iri(
            canonical.disclosure_key(self.unit.value, doc.year, doc.kind, self.scope)))))
        for i, inc in enumerate(doc.inconsistencies, 1):
            s = N(f"{self.dg.document}/inconsistency/{i}")
            t += [(s, A, N(BKG + "Inconsistency")), (s, N(BKG + "document"), d),
                  (s, N(BKG + "reason"), string(inc.identity)),
                  (s, N(BKG + "expectedValue"), decimal(inc.expected)),
                  (s, N(BKG + "printedValue"), decimal(inc.printed)),
                  (s, N(BKG + "tolerance"), decimal(inc.tolerance)),
                  (s, N(RDFS + "label"), string(f"{inc.table}: {inc.identity}"))]
            t += where_triples(s, inc.where)
        t += coverage_triples(self.dg.document, doc.coverage or document_coverage(doc))
        return self.dg

    # -------------------------------------------------------------- tables

    def table(self, ti: int, table: Table, n: int) -> None:
        t = self.t
        tiri = f"{self.dg.document}/table/{table.type}" + (f"-{n}" if n > 1 else "")
        s = N(tiri)
        factor = money_factor(table.money_unit or self.doc.money_unit, f"{self.label}: {table.title}")
        printed_unit = (table.money_unit or self.doc.money_unit).replace("单位：", "")
        t += [(s, A, N(BKG + "Table")), (s, N(DCT + "isPartOf"), self.d), (s, N(BKG + "document"), self.d),
              (s, N(DCT + "title"), zh(table.title)), (s, N(BKG + "moneyUnit"), string(printed_unit))]
        places = printed_places([v for r in table.rows for v in r.values.values()]
                                + [p.amount for p in table.projects])
        if places is not None:  # one unit of the last printed digit, in yuan: the rounding step
            t.append((s, N(BKG + "roundingUnit"), decimal(factor / Decimal(10) ** places)))
        if table.type in registry().types:
            t.append((s, N(BKG + "tableType"), N(codes.table_type_iri(table.type))))
        if table.empty:
            t.append((s, A, N(BKG + "DeclaredEmptyTable")))
        if table.mission:
            t.append((s, N(BKG + "mission"), zh(table.mission)))
        t += where_triples(s, table.where)

        rt = registry().types.get(table.type)
        code_list = rt.codes if rt else "none"
        all_columns = table.columns + [c for cs in (table.section_columns or {}).values() for c in cs]
        col_index = {c: i for i, c in enumerate(dict.fromkeys(all_columns), 1)}
        row_iris = [N(f"{tiri}/row/{ri}") for ri in range(1, len(table.rows) + 1)]
        columns = self.columns(table, tiri, s)
        total = total_row(table.rows)
        funding = roles.table_funding(table.type, table.title)

        for ri, row in enumerate(table.rows, 1):
            row_dims = self.row_dims(table, code_list, row.code, row.name, row.section)
            self.row(row_iris[ri - 1], s, row, row_dims, ri - 1 == total)
            for column, value in row.values.items():
                ci = col_index.get(column) or len(col_index) + 1 + list(row.values).index(column)
                obs = N(f"{tiri}/row/{ri}/{ci}")
                column_iri = columns.get((row.section, column)) or columns.get((None, column))
                if roles.is_count_column(column):  # a count (a procurement line's 数量) is never money
                    self.count(obs, s, value, row, column)
                else:
                    self.cells[(ti, ri - 1, column)] = obs
                    dims = dict(row_dims)
                    if row.project is not None:  # a self-evaluation's block of amounts is its project's
                        dims["project"] = f"{tiri}/project/{row.project + 1}"
                    for k, v in self.column_dims(table, column, funding).items():
                        dims.setdefault(k, v)
                    self.observation(obs, s, value, factor, printed_unit, row.where, dims,
                                     column=column, row_code=row.code, row_name=row.name,
                                     section=row.section)
                    self.placed.append(Placed(obs, ti, ri - 1, column, value * factor, dims))
                t.append((obs, N(BKG + "cellPosition"), string(f"r{ri}c{ci}")))
                if column_iri is not None:
                    t += [(obs, N(BKG + "inRow"), row_iris[ri - 1]), (obs, N(BKG + "inColumn"), column_iri)]
        self.row_breakdowns(table, tiri, row_iris)
        self.parent_rows(table, row_iris, total)
        for pi, project in enumerate(table.projects, 1):
            p = N(f"{tiri}/project/{pi}")
            t += [(p, A, N(BKG + "Project")), (p, N(RDFS + "label"), zh(project.name)),
                  (p, N(DCT + "isPartOf"), s), (p, N(BKG + "document"), self.d)]
            if project.goal:
                t.append((p, N(BKG + "goal"), zh(project.goal)))
            t += where_triples(p, project.where)
            for ii, ind in enumerate(project.indicators, 1):
                self.indicator(p, N(f"{tiri}/project/{pi}/indicator/{ii}"), ind)
            if table.type == "performance_self_evaluation":
                continue  # its amount is a cell of the table's rows, which carry the project
            dims = {"expenditureType": codes.fixed_iri("expenditure-type", "project"),
                    "project": p.value,
                    "budgetPhase": PHASE + KIND_PHASE[self.doc.kind]}
            obs = N(f"{tiri}/project/{pi}/amount")
            self.cells[(ti, pi - 1, "金额")] = obs
            self.observation(obs, s, project.amount, factor, printed_unit,
                             project.where, dims, column=None, row_code=None, row_name=project.name,
                             section=None)
            self.placed.append(Placed(obs, ti, pi - 1, "金额", project.amount * factor, dims))
            t.append((obs, N(BKG + "cellPosition"), string(f"p{pi}")))
            # its split by source of funds: observations with their funding source, parts of a
            # breakdown of the project's amount (which stays the project's one observation: shapes)
            parts = []
            for si, (name, value) in enumerate(project.sources.items(), 1):
                fs = roles.term_id("funding-source", name)
                sobs = N(f"{tiri}/project/{pi}/source/{si}")
                sdims = {k: v for k, v in dims.items() if k != "project"}
                if fs:
                    sdims["fundingSource"] = roles.fixed_iri("funding-source", fs)
                self.observation(sobs, s, value, factor, printed_unit, project.where, sdims,
                                 column=name, row_code=None, row_name=project.name, section=None)
                # a part, never a total; outside self.placed: no canonical fact of its own
                t += [(sobs, N(BKG + "cellPosition"), string(f"p{pi}s{si}")),
                      (sobs, N(BKG + "isTotal"), boolean(False))]
                parts.append(sobs)
            if parts:
                self.breakdown(obs, parts, f"{project.name}: 项目总额 = Σ 资金来源", project.where)
        for ii, ind in enumerate(table.indicators, 1):
            self.indicator(s, N(f"{tiri}/indicator/{ii}"), ind)
        for ui, u in enumerate(table.unresolved, 1):
            us = N(f"{tiri}/unresolved/{ui}")
            t += [(us, A, N(BKG + "UnresolvedValue")), (us, N(BKG + "table"), s),
                  (us, N(BKG + "document"), self.d), (us, N(BKG + "printedValue"), decimal(u.value)),
                  (us, N(BKG + "printedUnit"), string(printed_unit)),
                  (us, N(BKG + "reason"), string(u.reason))]
            t.append((us, N(BKG + ("rowCode" if u.row.isdigit() else "rowName")), string(u.row)))
            t += [(us, N(BKG + "candidateColumn"), string(c)) for c in u.candidates]
            t += where_triples(us, u.where)
            ri = next((i for i, r in enumerate(table.rows) if u.row and u.row in (r.code, r.name)), None)
            if ri is not None:  # the identities through its possible cells are not certain
                t.append((us, N(BKG + "inRow"), row_iris[ri]))
                section = table.rows[ri].section if table.section_columns else None
                t += [(us, N(BKG + "possibleColumn"), columns[(section, c)]) for c in u.candidates
                      if (section, c) in columns]

    # -------------------------------------------------------------- structure
    # Rows and columns are resources, so that the shapes (shapes/) can say which
    # cells add up: rows with codes along bkg:parentRow, the rest by the
    # breakdowns the printed layout and the registry state.

    def row(self, r: ox.NamedNode, table: ox.NamedNode, row: Row, dims: dict[str, str], total: bool) -> None:
        label = f"{row.code} {row.name}" if row.code else row.name
        self.t.extend([(r, A, N(BKG + "Row")), (r, N(BKG + "table"), table), (r, N(RDFS + "label"), zh(label)),
                       (r, N(BKG + "rowName"), string(row.name))])
        if row.code:
            self.t.append((r, N(BKG + "rowCode"), string(row.code)))
        if row.section:
            self.t.append((r, N(BKG + "section"), string(row.section)))
        concept = dims.get("functionalClassification") or dims.get("economicClassification")
        if concept and row.code:
            self.t.append((r, N(BKG + "code"), N(concept)))
        for scheme, code, name in codes.also_codes(row, self.year):  # its 政府 code beside its 部门 code
            self.t.append((r, N(BKG + "alsoCode"), N(self.code_concept(scheme, code, name))))
        if total:
            self.t.append((r, A, N(BKG + "TotalRow")))
        self.t.extend(where_triples(r, row.where))

    def columns(self, table: Table, tiri: str, s: ox.NamedNode) -> dict[tuple[str | None, str], ox.NamedNode]:
        """One resource per column (per section of a summary table), and the
        column breakdowns (合计 = Σ parts) the header and the registry state."""
        keys = ([(sec, c) for sec, cs in table.section_columns.items() for c in cs] if table.section_columns
                else [(None, c) for c in table.columns])
        out: dict[tuple[str | None, str], ox.NamedNode] = {}
        for k, key in enumerate(dict.fromkeys(keys), 1):
            c = out[key] = N(f"{tiri}/column/{k}")
            label = f"{key[0]} {key[1]}" if key[0] else key[1]
            self.t.extend([(c, A, N(BKG + "Column")), (c, N(BKG + "table"), s), (c, N(RDFS + "label"), zh(label))])
        seen = set()
        for row in table.rows:
            for whole, parts in column_parts(table, row):
                key = (row.section if table.section_columns else None, whole)
                if (key, tuple(parts)) in seen or key not in out:
                    continue
                seen.add((key, tuple(parts)))
                self.breakdown(out[key], [out[(key[0], p)] for p in parts if (key[0], p) in out],
                               f"{whole} = {' + '.join(parts)}", None)
        return out

    def row_breakdowns(self, table: Table, tiri: str, rows: list[ox.NamedNode]) -> None:
        for whole, parts, what in layout_parts(table):
            self.breakdown(rows[whole], [rows[i] for i in parts], f"{table.rows[whole].name} = {what}",
                           table.rows[whole].where)
        for whole, parts in canonical.unit_total_rows(table).items():  # no 合计: the department's row over its units'
            self.breakdown(rows[whole], [rows[i] for i in parts], f"{table.rows[whole].name} = Σ the rows of its kind",
                           table.rows[whole].where)

    def parent_rows(self, table: Table, rows: list[ox.NamedNode], total: int | None) -> None:
        """Each coded row's bkg:parentRow, the row it adds up into as the extraction's
        identities say: the nearest row above printing its parent code (a table of
        per-unit blocks prints the codes again in each), or the 合计 row for a top-level code."""
        if table.section_columns:
            return
        for parent, kids in code_children(table.rows).items():
            self.t.extend((rows[k], N(BKG + "parentRow"), rows[parent]) for k in kids)
        if total is not None:
            self.t.extend((rows[k], N(BKG + "parentRow"), rows[total]) for k in top_level_rows(table.rows))

    def breakdown(self, whole: ox.NamedNode, parts: list[ox.NamedNode], label: str, where: Where | None,
                  kind: str = "Breakdown") -> None:
        self.breakdowns += 1
        b = N(f"{self.dg.document}/breakdown/{self.breakdowns}")
        self.t.extend([(b, A, N(BKG + kind)), (b, N(BKG + "document"), self.d), (b, N(BKG + "whole"), whole),
                       (b, N(RDFS + "label"), string(label))])
        self.t.extend((b, N(BKG + "part"), p) for p in parts)
        if where is not None:
            self.t.extend(where_triples(b, where))

    def cell_identities(self) -> None:
        """The identities between single cells: a summary table's balance, and
        the tables' agreement with each other (loader/reconstruct/identities.py)."""
        tables = [project_rows(t) for t in self.doc.tables]
        idents: list[Identity] = cross_table_identities(tables, self.doc.kind)
        for ti, table in enumerate(tables):
            if table.section_columns and not table.empty:
                idents += balance_identities(ti, table)
        for ident in idents:
            whole = self.cells.get((ident.lhs.table, ident.lhs.row, ident.lhs.column))
            parts = [self.cells[k] for k in ((c.table, c.row, c.column) for c in ident.rhs) if k in self.cells]
            if whole is None or not parts:
                continue
            kind = "Inclusion" if ident.kind == "ge" else "SameQuantity" if ident.exact else "Breakdown"
            if kind == "Breakdown" and len(parts) > 1:
                self.totals.add((ident.lhs.table, ident.lhs.row, ident.lhs.column))
            self.breakdown(whole, parts, ident.description, ident.where, kind)

    def mark_totals(self) -> None:
        """bkg:isTotal is true exactly on an amount that is the sum of other
        amounts of this document: a total column (合计 = Σ parts, 公务用车购置及运行费 =
        购置费 + 运行费), a row the layout sums (合计, 人员经费合计, 货物类), a parent
        code whose children are printed, a summary's (sub)totals."""
        for ti, table in enumerate(self.doc.tables):
            rows = table.rows
            for ri, row in enumerate(rows):
                for whole, parts in column_parts(table, row):
                    if whole in row.values and any(p in row.values for p in parts):
                        self.totals.add((ti, ri, whole))
            wholes = [(w, ps) for w, ps, _ in layout_parts(table)] + list(code_children(rows).items()) \
                + list(canonical.unit_total_rows(table).items())
            for whole, parts in wholes:
                for column in rows[whole].values:
                    if any(column in rows[p].values for p in parts):
                        self.totals.add((ti, whole, column))
        for p in self.placed:
            self.t.append((p.iri, N(BKG + "isTotal"), boolean((p.table, p.row, p.column) in self.totals)))

    def indicator(self, owner: ox.NamedNode, s: ox.NamedNode, ind: Indicator) -> None:
        t = self.t
        t += [(owner, N(BKG + "indicator"), s), (s, A, N(BKG + "PerformanceIndicator")),
              (s, N(RDFS + "label"), zh(str(ind.name)))]
        value = "" if ind.value is None else str(ind.value)
        if value:
            t.append((s, N(BKG + "targetValue"), string(value)))
        if ind.category:
            t.append((s, N(BKG + "indicatorCategory"), zh(ind.category)))
        if ind.subcategory:
            t.append((s, N(BKG + "indicatorSubcategory"), zh(ind.subcategory)))
        if ind.operator:
            t.append((s, N(BKG + "operator"), string(ind.operator)))
        if ind.unit:
            t.append((s, N(BKG + "targetUnit"), string(ind.unit)))
        number = value.replace(",", "").strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", number):
            t.append((s, N(BKG + "targetNumber"), decimal(Decimal(number))))
        weight = "" if ind.weight is None else str(ind.weight).strip().rstrip("%")
        if re.fullmatch(r"\d+(\.\d+)?", weight):
            t.append((s, N(BKG + "weight"), decimal(Decimal(weight))))
        if ind.actual:
            t.append((s, N(BKG + "actualValue"), string(ind.actual)))
        score = (ind.score or "").strip()
        if re.fullmatch(r"\d+(\.\d+)?", score):
            t.append((s, N(BKG + "score"), decimal(Decimal(score))))
        if ind.deviation:
            t.append((s, N(BKG + "deviationReason"), zh(ind.deviation)))
        if ind.note:  # as printed under 备注: the table does not say what it is
            t.append((s, N(BKG + "note"), string(ind.note)))
        t += where_triples(s, ind.where)

    # -------------------------------------------------------------- dimensions

    def row_dims(self, table: Table, code_list: str, code: str | None, name: str,
                 section: str | None) -> dict[str, str]:
        dims: dict[str, str] = {}
        direction = "revenue" if table.type == "income" or section == "收入" else "expenditure"
        dims["operationCharacter"] = OPERATION + direction
        # a code under no 类 of the table's list is not of that list (a unit's code over its projects, a 政府
        # economic code printed before the 部门 one): the row keeps it as printed (rowCode), unclassified
        if code and code.isdigit() and codes.level_of(code) and code_list in codes.HIERARCHICAL \
                and code[:3] in codes.classes_of_year(code_list, self.year):
            dims["functionalClassification" if code_list == "function" else "economicClassification"] = \
                self.code_concept(code_list, code, name)
        elif code is None:
            cls = codes.class_code_for_name("function", self.year, name) if direction == "expenditure" else None
            if cls and table.type in ("summary", "fiscal_summary"):
                dims["functionalClassification"] = self.code_concept("function", cls, name)
            measure = roles.table_roles(table.type).measure
            for dim, tid in roles.name_roles(name, measure).items():
                dims[dim] = roles.fixed_iri(DIM_SCHEME[dim], tid)
            base, phase = roles.split_phase(name, roles.note_phases(table.notes))  # 预算数为全年预算数: revised
            if phase and not base:  # the phases as rows (三公 决算表: a 预算数 row, a 决算数 row)
                dims["budgetPhase"] = PHASE + phase
        return dims

    def column_dims(self, table: Table, column: str, funding: str | None) -> dict[str, str]:
        """What a column says (data/roles.toml): its phase (合计/决算数, “三公”经费预算数),
        funding source, expenditure type, 三公 item; else what the table says."""
        dims: dict[str, str] = {}
        base, phase = roles.split_phase(column, roles.note_phases(table.notes))  # 预算数为全年预算数: revised
        dims["budgetPhase"] = PHASE + (phase or KIND_PHASE[self.doc.kind])
        tr = roles.table_roles(table.type)
        base = re.sub(r"^\s*其中\s*[:：]", "", base)  # a 其中 column (其中：公务用车运行费) is the part it names
        named = roles.name_roles(base, tr.measure) if base else {}
        if not named and "/" in base:  # a grouped header (2019年/公务接待费): its parts, the lowest first
            for part in reversed(base.split("/")):
                named = {**roles.name_roles(part, tr.measure), **named}
        whole_table = {"fundingSource": funding, "expenditureType": tr.type, "threePublicItem": tr.item}
        for dim in ("fundingSource", "expenditureType", "threePublicItem", "procurementCategory"):
            tid = named.get(dim) or whole_table.get(dim)
            if tid:
                dims[dim] = roles.fixed_iri(DIM_SCHEME[dim], tid)
        return dims

    def code_concept(self, scheme: str, code: str, printed: str) -> str:
        """The concept of the document's year. A code the year's list in
        ontology/codes/ lacks gets its chain up to a listed code (or the 类) in a
        shared graph, so that it resolves without repeating listed triples."""
        iri = codes.concept_iri(scheme, self.year, code)
        if (scheme, code) not in self.seen_codes:
            self.seen_codes.add((scheme, code))
            listed = codes.listed_codes(scheme, self.year)
            chain = []
            c = code
            while c and c not in listed:
                chain.append(c)
                c = codes.parent_of(c)
            if chain:
                extra = self.dg.shared.setdefault(codes.printed_codes_graph_iri(scheme, self.year), [])
                for c in chain:
                    extra += codes.concept_link_triples(scheme, self.year, c)
                extra.append((N(iri), N(BKG + "printedName"), zh(printed)))
                extra += codes.scheme_header(scheme, self.year) if not listed else []
        return iri

    # -------------------------------------------------------------- observations

    def count(self, c: ox.NamedNode, table: ox.NamedNode, value: Decimal, row: Row, column: str) -> None:
        """A number printed in a column of counts: kept with its row and column, and no
        amount of money (no qb:Observation, no obeu-measure:amount, in no sum of money)."""
        self.t.extend([(c, A, N(BKG + "PrintedCount")), (c, N(BKG + "document"), self.d), (c, N(BKG + "table"), table),
                       (c, N(BKG + "count"), decimal(value)), (c, N(BKG + "column"), string(column)),
                       (c, N(BKG + "rowName"), string(row.name))])
        if row.code:
            self.t.append((c, N(BKG + "rowCode"), string(row.code)))
        self.t.extend(where_triples(c, row.where))

    def observation(self, obs: ox.NamedNode, table: ox.NamedNode, value: Decimal, factor: Decimal,
                    printed_unit: str, where: Where, dims: dict[str, str], *, column: str | None,
                    row_code: str | None, row_name: str, section: str | None) -> None:
        t = self.t
        self.dg.observations += 1
        t += [(obs, A, N(BKG + "BudgetObservation")), (obs, A, N(QB + "Observation")),
              (obs, N(QB + "dataSet"), self.dataset),
              (obs, N(BKG + "document"), self.d), (obs, N(PROV + "wasDerivedFrom"), self.d),
              (obs, N(OBEU_DIM + "organization"), self.unit),
              # a column (2025年预算数, 上年执行数 in a 2026 budget) or a row (单位/2025年) of another year is that year's
              (obs, N(BKG + "fiscalYear"), integer(canonical.amount_year(column, row_name, self.year))),
              (obs, N(BKG + "table"), table),
              (obs, N(BKG + "rowName"), string(row_name)),
              (obs, N(OBEU_MEASURE + "amount"), decimal(value * factor)),
              (obs, N(OBEU_ATTR + "currency"), N(CNY)),
              (obs, N(BKG + "printedValue"), decimal(value)),
              (obs, N(BKG + "printedUnit"), string(printed_unit))]
        if "budgetPhase" not in dims:
            dims["budgetPhase"] = PHASE + KIND_PHASE[self.doc.kind]
        if "operationCharacter" not in dims:
            dims["operationCharacter"] = OPERATION + "expenditure"
        for key, iri in dims.items():
            ns = OBEU_DIM if key in ("budgetPhase", "operationCharacter", "functionalClassification",
                                     "economicClassification") else BKG
            t.append((obs, N(ns + key), N(iri)))
        if column is not None:
            t.append((obs, N(BKG + "column"), string(column)))
        if row_code:
            t.append((obs, N(BKG + "rowCode"), string(row_code)))
        if section:
            t.append((obs, N(BKG + "section"), string(section)))
        t += where_triples(obs, where)
