"""What printed headers, row names and tables mean, read from data/roles.toml:
an observation's phase, funding source, expenditure type, 三公 item and
procurement category come from here, never from code that knows a layout."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from budgetkg.graph.identifiers import normalise_name
from budgetkg.graph.namespaces import ID
from budgetkg.paths import REPO

ROLES_FILE = REPO / "data" / "roles.toml"
KIND_PHASE = {"budget": "approved", "final_accounts": "executed"}
# the dimension each fixed list fills
SCHEME_DIM = {"funding-source": "fundingSource", "expenditure-type": "expenditureType",
              "three-public": "threePublicItem", "procurement-category": "procurementCategory"}
# the lists whose every term is a quantity of its own beside the others: a 其中 row naming
# one (a 三公 item, a procurement category) is that term, not a restatement of the row above
ITEM_SCHEMES = ("three-public", "procurement-category")
SCHEME_NAMES = {"funding-source": ("资金来源", "funding source"),
                "expenditure-type": ("支出类型", "expenditure type"),
                "three-public": ("三公经费及相关项目", "\"three public\" and related expense item"),
                "procurement-category": ("政府采购品目类别", "procurement category")}


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str
    broader: str | None = None
    # other printed forms (column headers, row names) that mean this term
    printed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRoles:
    measure: str | None = None
    funding: str | None = None
    type: str | None = None
    item: str | None = None
    title_funding: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def data() -> dict:
    with ROLES_FILE.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def fixed_lists() -> dict[str, tuple[str, str, tuple[Term, ...]]]:
    """scheme -> (zh, en, terms): the fixed SKOS lists, in file order."""
    terms: dict[str, list[Term]] = {s: [] for s in SCHEME_NAMES}
    for t in data()["term"]:
        if t["scheme"] not in terms:
            raise ValueError(f"{ROLES_FILE}: term {t['id']}: unknown scheme {t['scheme']!r}")
        terms[t["scheme"]].append(Term(t["id"], t["zh"], t["en"], t.get("broader"), tuple(t.get("printed", ()))))
    return {s: (*SCHEME_NAMES[s], tuple(ts)) for s, ts in terms.items()}


def fixed_iri(scheme: str, term_id: str) -> str:
    return f"{ID}code/{scheme}/{term_id}"


def clean(name: str) -> str:
    """A printed name as it is looked up: normalised, the year prefix taken off."""
    key = normalise_name(name)
    for p in data()["names"]["strip_prefix"]:
        key = re.sub(p, "", key)
    return key


def is_part_of_above(name: str) -> bool:
    key = normalise_name(name)
    return any(re.search(p, key) for p in data()["names"]["part_of_above"])


def without_part_of_above(name: str) -> str:
    key = normalise_name(name)
    for p in data()["names"]["part_of_above"]:
        key = re.sub(p, "", key)
    return key


@lru_cache(maxsize=None)
def _printed_index(scheme: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in fixed_lists()[scheme][2]:
        for form in (t.zh, *t.printed):
            out[normalise_name(form)] = t.id
    return out


def term_id(scheme: str, printed: str) -> str | None:
    return _printed_index(scheme).get(clean(printed))


def fixed_term(scheme: str, printed: str) -> str | None:
    """The IRI of the fixed-list term a printed column or row name is, or None."""
    tid = term_id(scheme, printed)
    return fixed_iri(scheme, tid) if tid else None


def _suffix_phase(text: str) -> str | None:
    return next((phase for suffix, phase in data()["phase"]["suffixes"] if text.endswith(suffix)), None)


def note_phases(notes: list[str]) -> dict[str, str]:
    """phase word -> phase, as a table's printed notes state it (预算数为全年预算数: 预算数 -> revised)."""
    out: dict[str, str] = {}
    for note in notes:
        for pattern in data()["phase"].get("notes", ()):
            for m in re.finditer(pattern, normalise_name(note)):
                if (phase := _suffix_phase(m.group("as"))):
                    out.setdefault(m.group("word"), phase)
    return out


def split_phase(column: str, stated: dict[str, str] | None = None) -> tuple[str, str | None]:
    """A header without its phase, and the phase it states (None: the document's).
    合计/决算数 -> (合计, executed); “三公”经费预算数 -> (“三公”经费, approved);
    预算数/公务接待费 (the phase over the items) -> (公务接待费, approved).
    `stated`: what the table's notes say a phase word is (note_phases)."""
    upper, _, lower = column.partition("/")
    for text, rest_of in ((lower, upper), (upper, lower)):
        if not text:
            continue
        key = clean(text)
        for suffix, phase in data()["phase"]["suffixes"]:
            if key.endswith(suffix):
                rest = rest_of or key[: -len(suffix)]
                return rest, (stated or {}).get(suffix, phase)
    return column, None


def table_roles(table_type: str) -> TableRoles:
    t = data()["tables"].get(table_type, {})
    return TableRoles(t.get("measure"), t.get("funding"), t.get("type"), t.get("item"),
                      tuple(tuple(x) for x in t.get("title_funding", ())))


def table_funding(table_type: str, title: str) -> str | None:
    tr = table_roles(table_type)
    if tr.funding:
        return tr.funding
    return next((fs for text, fs in tr.title_funding if text in title), None)


def name_roles(name: str, measure: str | None) -> dict[str, str]:
    """dimension -> term id for a printed column header or row name (without
    its phase). Combined headers (基本支出财政拨款) give both parts; a 三公 item only
    in a 三公 table, a procurement category only in a procurement table."""
    group, sep, _ = name.partition("/")
    if sep and term_id("funding-source", group) in data()["names"]["group_over_parts"]:
        return {"fundingSource": term_id("funding-source", group)}  # 上年结转结余/一般公共预算: carried over
    out: dict[str, str] = {}
    schemes = ["funding-source", "expenditure-type"]
    if measure == "three-public":
        schemes.append("three-public")
    if measure == "procurement":
        schemes.append("procurement-category")
    for scheme in schemes:
        tid = term_id(scheme, name)
        if not tid and scheme in ITEM_SCHEMES:  # 其中：（一）因公出国（境）支出 names that item
            tid = term_id(scheme, without_part_of_above(name))
        if tid:
            out[SCHEME_DIM[scheme]] = tid
    if not out:
        key = clean(name)
        for prefix in ("基本支出", "项目支出"):
            if key.startswith(prefix) and key != prefix:
                out["expenditureType"] = term_id("expenditure-type", prefix) or ""
                fs = term_id("funding-source", key[len(prefix):])
                if fs:
                    out["fundingSource"] = fs
    return {k: v for k, v in out.items() if v}


def canonical_order() -> list[str]:
    return data()["canonical"]["order"]


def is_year_total(name: str) -> bool:
    return clean(name) in {normalise_name(n) for n in data()["canonical"]["year_totals"]}


def is_balance_row(name: str) -> bool:
    return clean(name) in {normalise_name(n) for n in data()["canonical"]["balances"]}


def is_change_column(name: str) -> bool:
    """A column, or a column under a group, that prints a change between years."""
    return any(re.search(p, normalise_name(part)) for part in name.split("/")
               for p in data()["canonical"]["change_columns"])


def is_count_column(name: str) -> bool:
    return clean(name.rsplit("/", 1)[-1]) in {normalise_name(n) for n in data()["canonical"]["count_columns"]}


def is_balance_column(name: str) -> bool:
    base, _ = split_phase(name)
    return clean(base) in {normalise_name(n) for n in data()["canonical"]["balance_columns"]}
