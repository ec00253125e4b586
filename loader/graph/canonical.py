"""The canonical layer: what a disclosure says, whatever its layout. One
bkg:Fact per quantity (total expenditure, basic expenditure of function 201,
income from 事业收入, 公务接待费 …) of a unit, year, phase and scope, taken from
whichever table prints it (data/roles.toml says which first) and linked to the
printed observations (prov:wasDerivedFrom). Every fact has every dimension;
"not broken down" is the code `total`, so a question is one pattern and a SUM
over facts never adds a total to its parts.

Facts are named by their disclosure (unit, year, kind, scope) and their key, and
kept in the disclosure's own graph: loading the same disclosure twice, from the
same or another file, gives the same facts, counted once.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from budgetkg.amounts import printed_places, tolerance
from budgetkg.graph import codes, roles
from budgetkg.graph.namespaces import BKG, ID, RDFS, A, N, Triple, integer, zh
from budgetkg.model import Document, Table
from budgetkg.reconstruct.identities import total_row

PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
OBEU_DIM = "http://data.openbudgets.eu/ontology/dsd/dimension/"
OBEU_MEASURE = "http://data.openbudgets.eu/ontology/dsd/measure/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS_MEMBER = "http://www.w3.org/2004/02/skos/core#member"
TOTAL = codes.TOTAL
QUANTITIES = ("expenditure", "revenue", "three-public", "procurement")
# the dimensions of a fact besides unit, year, phase, scope and quantity, in key order
DIMS = ("functionalClassification", "economicClassification", "expenditureType", "fundingSource",
        "threePublicItem", "procurementCategory")
CLASSIFIED = {"functionalClassification", "economicClassification"}
OBEU_DIMS = {"budgetPhase", "functionalClassification", "economicClassification", "organization"}
SCOPES = ("department", "unit")
DERIVED = 99  # the rank of a fact added up, not printed


def quantity_iri(q: str) -> str:
    return f"{ID}code/quantity/{q}"


def scope_iri(scope: str) -> str:
    return f"{ID}code/scope/{scope}"


def dim_property(dim: str) -> str:
    return (OBEU_DIM if dim in OBEU_DIMS else BKG) + dim


def disclosure_key(unit_iri: str, year: int, kind: str, scope: str) -> str:
    return hashlib.sha256(f"{unit_iri}\n{year}\n{kind}\n{scope}".encode()).hexdigest()[:16]


def disclosure_iri(key: str) -> str:
    return f"{ID}disclosure/{key}"


def disclosure_graph_iri(key: str) -> str:
    return f"{ID}graph/disclosure/{key}"


@dataclass
class Candidate:
    order: int
    yuan: Decimal
    observations: list[ox.NamedNode] = field(default_factory=list)


Key = tuple[str, str, tuple[str, ...]]  # quantity, phase, dimension values (TOTAL where not broken down)


def _decimal(value: Decimal) -> ox.Literal:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return ox.Literal(text, datatype=N(XSD + "decimal"))


def _row_counts(table: Table, ri: int, totals: set[int], year: int) -> bool:
    """Whether a row states a quantity of its own: a coded row, a row with a
    role (基本支出, 事业收入, 货物类 …), the table's total row, or a summary's
    year total; never a balance (年初结转和结余), a change between years or a 其中 row."""
    row = table.rows[ri]
    measure = roles.table_roles(table.type).measure
    if roles.is_change_column(row.name):  # 增减变化金额: a row of the change between years
        return False
    if roles.is_part_of_above(row.name):  # unless it names a 三公 item or a procurement category
        return bool({"threePublicItem", "procurementCategory"} & roles.name_roles(row.name, measure).keys())
    if row.code:
        return True
    base, phase = roles.split_phase(row.name)
    if phase and not base:  # a row that states only its phase (预算数, 决算数): the table's quantities
        return True
    if table.section_columns:
        if roles.is_balance_row(row.name):
            return False
        return roles.is_year_total(row.name) or bool(roles.name_roles(row.name, "section")) or \
            codes.class_code_for_name("function", year, row.name) is not None
    return ri in totals or bool(roles.name_roles(row.name, measure))


def unit_total_rows(table: Table) -> dict[int, list[int]]:
    """The table's total rows where it prints no 合计 but a row per unit (or a block of
    rows each), the department's own row first, named as the department: the first row
    of a kind that adds up, column by column within rounding, the others of its kind.
    A row's kind is what its name states after the unit's where several rows state it
    (深圳's 三公 table: 单位/2025年, 2026年, 增减变化金额 per unit), else a unit's heading
    row. Arithmetic, not names, says which row is the total: total row -> the rows it adds up."""
    if table.section_columns or total_row(table.rows) is not None:
        return {}
    measure = roles.table_roles(table.type).measure
    rows = [i for i, r in enumerate(table.rows) if r.code is None and r.values
            and not roles.is_part_of_above(r.name) and not roles.name_roles(r.name, measure)]
    tails = {i: table.rows[i].name.rsplit("/", 1)[-1] for i in rows}
    seen = Counter(tails.values())
    kinds: dict[str, list[int]] = {}
    for i in rows:
        kinds.setdefault(tails[i] if seen[tails[i]] > 1 else "", []).append(i)
    places = printed_places(v for r in table.rows for v in r.values.values()) or 0
    half = Decimal(5).scaleb(-(places + 1))
    out: dict[int, list[int]] = {}
    for first, *others in kinds.values():
        values = table.rows[first].values
        if len(others) < 2 or any(r.values.keys() != values.keys() for r in (table.rows[i] for i in others)):
            continue
        if all(abs(v - sum((table.rows[i].values[c] for i in others), Decimal(0))) <= tolerance(len(others), half)
               for c, v in values.items()):
            out[first] = others
    return out


STATED_YEAR = re.compile(r"(?:^|/)\s*((?:19|20)\d\d)\s*年")
PREVIOUS_YEAR = re.compile(r"(?:^|/)\s*上年度?(?!结转)")  # 上年预算数, 上年执行数; not 上年结转 (a funding source)


def stated_year(column: str) -> int | None:
    """The year a column header names (2025年预算数, 2026年预算数/公务接待费), or None."""
    m = STATED_YEAR.search(column or "")
    return int(m.group(1)) if m else None


def column_year(column: str | None, year: int) -> int:
    """The fiscal year a column's amounts are of, in a document of `year`: the year its
    header names, the year before for 上年…数, else the document's."""
    stated = stated_year(column or "")
    if stated is not None:
        return stated
    return year - 1 if PREVIOUS_YEAR.search(column or "") else year


ROW_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年度?\s*$")


def amount_year(column: str | None, row_name: str, year: int) -> int:
    """The fiscal year of an amount: its column's (column_year), else, where the column
    names none, the year its row states as the whole of its name's last part (a 年度
    column beside the unit: 单位/2025年, 2026年)."""
    if stated_year(column or "") is None and not PREVIOUS_YEAR.search(column or ""):
        m = ROW_YEAR.match(row_name.rsplit("/", 1)[-1])
        if m:
            return int(m.group(1))
    return column_year(column, year)


def candidates(doc: Document, placed) -> dict[Key, Candidate]:
    """Every quantity the document prints, from the first table (in the roles'
    order) that prints it, with every observation printing the same amount.

    A code printed on several rows of one table (a block of rows per unit, each with
    its own 208 and 301 …; a line per economic item under its function code) is the
    department's only as the sum of those rows. The table's 合计 = Σ its top-level
    rows identity (reconstruct/identities.py) is what makes that sum safe: a table
    printing the department's own block beside its units' would break it."""
    order = {t: i for i, t in enumerate(roles.canonical_order())}
    out: dict[Key, Candidate] = {}
    by_table: dict[int, list] = {}
    for p in placed:
        by_table.setdefault(p.table, []).append(p)
    tables = sorted((order[t.type], ti) for ti, t in enumerate(doc.tables) if t.type in order and not t.empty)
    for rank, ti in tables:
        table = doc.tables[ti]
        measure = roles.table_roles(table.type).measure
        tot = total_row(table.rows)
        totals = {tot} if tot is not None else set(unit_total_rows(table))
        printed = Counter(r.code for r in table.rows if r.code)
        summed: dict[tuple[Key, str], Candidate] = {}  # (key, column) -> the sum over a repeated code's rows
        groups = source_groups(table)
        for p in by_table.get(ti, []):
            if "project" in p.dims or roles.is_balance_column(p.column) or roles.is_change_column(p.column):
                continue
            # a column of another year (a 2026 budget printing 2025年预算数 beside 2026年预算数) is
            # that year's figure restated: the printed observation keeps it, no fact of this year
            if amount_year(p.column, table.rows[p.row].name, doc.year) != doc.year:
                continue
            row = table.rows[p.row]
            # a code that is no classification's (a unit's 125001, a procurement line's) heads or
            # names one unit's or line's amounts, never a quantity of the department
            if row.code and not (CLASSIFIED & p.dims.keys()):
                continue
            quantity = measure
            if measure == "section":
                quantity = "revenue" if row.section == "收入" else "expenditure"
            if not _row_counts(table, p.row, totals, doc.year):
                continue
            values = tuple(p.dims.get(d, TOTAL) for d in DIMS)
            if quantity == "three-public" and p.dims.get("threePublicItem") is None:
                if not three_public_total(table, p.column):
                    continue  # a 三公 table's 合计 sums different things in different layouts
                ti_ = DIMS.index("threePublicItem")
                values = values[:ti_] + (roles.fixed_iri("three-public", "three-public"),) + values[ti_ + 1:]
            if quantity == "revenue":  # an income table's codes are what the income is for
                values = (values[0], TOTAL, TOTAL, values[3], TOTAL, TOTAL)
            key = (quantity, p.dims["budgetPhase"], values)
            if p.column in groups:  # an item by source (公务接待费/一般公共预算 …): the item is their sum
                whole, funding = groups[p.column]
                fi = DIMS.index("fundingSource")
                s = summed.setdefault(((quantity, key[1], values[:fi] + (funding,) + values[fi + 1:]), whole),
                                      Candidate(DERIVED, Decimal(0)))
                s.yuan += p.yuan
                s.observations.append(p.iri)
            if row.code and printed[row.code] > 1:
                s = summed.setdefault((key, p.column), Candidate(DERIVED, Decimal(0)))
                s.yuan += p.yuan
                s.observations.append(p.iri)
                continue
            _offer(out, key, Candidate(rank, p.yuan, [p.iri]))
        for (key, _), s in summed.items():
            _offer(out, key, s)
    return out


def _narrower(source: str, broader: str) -> bool:
    """Whether a funding-source term is (transitively) a part of another."""
    up = {t.id: t.broader for t in roles.fixed_lists()["funding-source"][2]}
    seen = set()
    while source in up and source not in seen:
        seen.add(source)
        source = up[source]
        if source == broader:
            return True
    return False


def source_groups(table: Table) -> dict[str, tuple[str, str]]:
    """column -> (its group, the table's funding source IRI), for a table printing each
    item under a header by source (三公: 公务接待费/一般公共预算 | 公务接待费/政府性基金预算 | …)
    and no column of the item's own: the item's amount is the sum over those columns,
    of the table's funding (a 财政拨款 title: the three budgets are its parts)."""
    funding = roles.table_funding(table.type, table.title)
    if not funding:
        return {}
    by_group: dict[str, list[str]] = {}
    for c in table.columns:
        group, sep, part = roles.split_phase(c)[0].rpartition("/")
        source = roles.term_id("funding-source", part) if sep else None
        if source and _narrower(source, funding):
            by_group.setdefault(group, []).append(c)
    iri = roles.fixed_iri("funding-source", funding)
    return {c: (g, iri) for g, cs in by_group.items() if len(cs) > 1 and g not in table.columns for c in cs}


def three_public_total(table: Table, column: str) -> bool:
    """Whether a 三公 table's total column (合计, or one that states only its phase: 决算数)
    is the “三公”经费 total: only where every item column it prints is one of the 三公 (no
    “三公”经费 column beside it, no 会议费 or 培训费 it would add in)."""
    def item(c: str) -> str | None:  # of a grouped header (公务接待费/一般公共预算), its lowest part naming one
        base, _ = roles.split_phase(c)
        return next((i for part in reversed(base.split("/")) if (i := roles.name_roles(
            roles.without_part_of_above(part), "three-public").get("threePublicItem"))), None)

    # the column without the funding source it is printed under (总计/一般公共预算: 总计)
    parts = [x for x in roles.split_phase(column)[0].split("/") if not roles.term_id("funding-source", x)]
    if roles.clean(parts[-1] if parts else "") not in ("", "合计", "小计", "总计"):
        return False
    broader = {t.id: t.broader for t in roles.fixed_lists()["three-public"][2]}
    items = {i for c in table.columns if (i := item(c))}
    return bool(items) and all(broader.get(i) == "three-public" or broader.get(broader.get(i)) == "three-public"
                               for i in items)


def _offer(out: dict[Key, Candidate], key: Key, c: Candidate) -> None:
    """The first table (and column) printing a quantity gives it; another printing the
    same amount is linked to it too."""
    have = out.get(key)
    if have is None:
        out[key] = c
    elif have.yuan == c.yuan:  # the same quantity printed again
        have.observations += c.observations


def derive(facts: dict[Key, Candidate]) -> dict[Key, Candidate]:
    """Quantities a document does not print but adds up to: a total over the
    function 类 printed (Jiangsu prints no 合计 by function), a 三公 total over
    its items (the SKOS broader of data/roles.toml)."""
    derived: dict[Key, Candidate] = {}

    def add(whole: Key, part: Candidate) -> None:
        d = derived.setdefault(whole, Candidate(DERIVED, Decimal(0)))
        d.yuan += part.yuan
        d.observations += part.observations

    fi = DIMS.index("functionalClassification")
    for (q, phase, values), c in facts.items():
        code = values[fi]
        if code != TOTAL and codes.level_of(code.rsplit("/", 1)[-1]) == 1:
            whole = (q, phase, values[:fi] + (TOTAL,) + values[fi + 1:])
            if whole not in facts:
                add(whole, c)
    ti = DIMS.index("threePublicItem")
    terms = roles.fixed_lists()["three-public"][2]
    broader = {roles.fixed_iri("three-public", t.id): roles.fixed_iri("three-public", t.broader)
               for t in terms if t.broader}
    depth = {k: 1 + (k in broader and broader[k] in broader) for k in broader}
    for level in (2, 1):  # 购置费 + 运行费 -> 公务用车购置及运行费, then the three -> “三公”经费
        for (q, phase, values), c in list({**facts, **derived}.items()):
            item = values[ti]
            if q != "three-public" or depth.get(item) != level:
                continue
            whole = (q, phase, values[:ti] + (broader[item],) + values[ti + 1:])
            if whole not in facts:
                add(whole, c)
    return derived


def canonical_triples(doc: Document, unit: str, document: str, scope: str, placed,
                      counts_in_totals: bool) -> tuple[str, list[Triple]]:
    """(the disclosure's graph, its triples): the disclosure, and every fact."""
    key = disclosure_key(unit, doc.year, doc.kind, scope)
    disc = N(disclosure_iri(key))
    dataset = N(disclosure_iri(key) + "/facts")
    out: list[Triple] = [
        (disc, A, N(BKG + "Disclosure")), (disc, N(BKG + "copy"), N(document)),
        (disc, N(OBEU_DIM + "organization"), N(unit)), (disc, N(BKG + "fiscalYear"), integer(doc.year)),
        (disc, N(BKG + "scope"), N(scope_iri(scope))),
        (disc, N(BKG + "documentKind"), N(f"{ID}code/document-kind/{doc.kind}")),
        (dataset, A, N(QB + "DataSet")), (dataset, A, N(BKG + "FactSet")),
        (dataset, N(QB + "structure"), N(BKG + "factStructure")), (dataset, N(BKG + "disclosure"), disc),
        (dataset, N(RDFS + "label"), zh(f"{doc.unit} {doc.year} {doc.kind} {scope}: canonical facts"))]
    found = candidates(doc, placed)
    facts = {**found, **derive(found)}
    for (quantity, phase, values), c in sorted(facts.items()):
        digest = hashlib.sha256("\n".join((quantity, phase, *values)).encode()).hexdigest()[:16]
        f = N(f"{disclosure_iri(key)}/fact/{digest}")
        out += [(f, A, N(BKG + "Fact")), (f, A, N(QB + "Observation")), (f, N(QB + "dataSet"), dataset),
                (f, N(BKG + "disclosure"), disc),
                (f, N(BKG + "quantity"), N(quantity_iri(quantity))),
                (f, N(OBEU_DIM + "organization"), N(unit)), (f, N(BKG + "fiscalYear"), integer(doc.year)),
                (f, N(OBEU_DIM + "budgetPhase"), N(phase)), (f, N(BKG + "scope"), N(scope_iri(scope))),
                (f, N(OBEU_MEASURE + "amount"), _decimal(c.yuan)),
                (f, N(BKG + "countsInTotals"), ox.Literal("true" if counts_in_totals else "false",
                                                          datatype=N(XSD + "boolean"))),
                (f, N(BKG + "derivation"), N(f"{ID}code/derivation/{'printed' if c.order < DERIVED else 'sum'}"))]
        out += [(f, N(dim_property(d)), N(v)) for d, v in zip(DIMS, values)]
        # a year's code is a member of its dimension's code list (the collection of every year)
        out += [(N(codes.collection_iri(scheme)), N(SKOS_MEMBER), N(v))
                for scheme, v in (("function", values[0]), ("economic", values[1])) if v != TOTAL]
        out += [(f, N(PROV + "wasDerivedFrom"), o) for o in dict.fromkeys(c.observations)]
    return disclosure_graph_iri(key), out
