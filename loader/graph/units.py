"""Budget units researchers can find: one identity per unit whatever name a
document prints (data/units.toml: renames, full and short forms), its region
and administrative level (data/gazetteer.toml), its parent department."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from budgetkg.graph.identifiers import normalise_name
from budgetkg.graph.namespaces import BKG, ID, RDFS, SKOS, A, N, Triple, zh
from budgetkg.paths import REPO

UNITS_FILE = REPO / "data" / "units.toml"
GAZETTEER_FILE = REPO / "data" / "gazetteer.toml"
ORG = "http://www.w3.org/ns/org#"
PLACES_GRAPH = f"{ID}graph/places"
LEVELS = {"national": ("中央", "national"), "province": ("省级", "province"), "city": ("地市级", "city"),
          "district": ("县区级", "district"), "township": ("乡镇街道级", "township")}


@dataclass(frozen=True)
class UnitEntry:
    name: str
    aliases: tuple[str, ...] = ()
    code: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    level: str
    parent: str | None
    short: tuple[str, ...]


@lru_cache(maxsize=1)
def unit_entries() -> dict[str, UnitEntry]:
    """normalised name or alias -> the unit's entry."""
    with UNITS_FILE.open("rb") as f:
        rows = tomllib.load(f).get("unit", [])
    out: dict[str, UnitEntry] = {}
    for r in rows:
        e = UnitEntry(r["name"], tuple(r.get("aliases", ())), r.get("code"), r.get("parent"))
        for n in (e.name, *e.aliases):
            key = normalise_name(n)
            if key in out and out[key] != e:
                raise ValueError(f"{UNITS_FILE}: {n!r} names two units ({out[key].name}, {e.name})")
            out[key] = e
    return out


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    with GAZETTEER_FILE.open("rb") as f:
        rows = tomllib.load(f)["place"]
    out = {r["name"]: Place(r["name"], r["level"], r.get("parent"), tuple(r.get("short", ()))) for r in rows}
    for p in out.values():
        if p.level not in LEVELS or (p.parent and p.parent not in out):
            raise ValueError(f"{GAZETTEER_FILE}: {p.name}: unknown level or parent")
    return out


def entry(printed: str) -> UnitEntry | None:
    return unit_entries().get(normalise_name(printed))


def preferred_name(printed: str) -> str:
    e = entry(printed)
    return e.name if e else printed


def unit_iri(printed: str) -> str:
    return f"{ID}unit/{quote(normalise_name(preferred_name(printed)), safe='')}"


def unit_graph_iri(printed: str) -> str:
    return f"{ID}graph/unit/{quote(normalise_name(preferred_name(printed)), safe='')}"


def place_iri(name: str) -> str:
    return f"{ID}place/{quote(name, safe='')}"


def level_iri(level: str) -> str:
    return f"{ID}code/administrative-level/{level}"


def _named(place: Place, text: str) -> bool:
    return any(n in text for n in (place.name, *place.short))


def region_of(printed: str) -> Place | None:
    """The deepest place the unit's names name, its parents named too (the
    national level only when nothing else is named)."""
    e = entry(printed)
    text = "".join(normalise_name(n) for n in (printed, *((e.name, *e.aliases) if e else ())))
    ps = places()

    def chain_named(p: Place) -> bool:
        while p.parent and ps[p.parent].level != "national":
            p = ps[p.parent]
            if not _named(p, text):
                return False
        return True

    depth = {"national": 0, "province": 1, "city": 2, "district": 3, "township": 4}
    found = [p for p in ps.values() if _named(p, text) and chain_named(p)]
    return max(found, key=lambda p: (depth[p.level], len(p.name)), default=None)


def unit_triples(printed: str) -> list[Triple]:
    """The unit's description (kept in its own graph, shared by its documents)."""
    u = N(unit_iri(printed))
    e = entry(printed)
    name = preferred_name(printed)
    out: list[Triple] = [(u, A, N(ORG + "Organization")), (u, N(SKOS + "prefLabel"), zh(name)),
                         (u, N(RDFS + "label"), zh(name))]
    out += [(u, N(SKOS + "altLabel"), zh(a)) for a in dict.fromkeys((*(e.aliases if e else ()), printed))
            if a != name]
    if e and e.code:
        out.append((u, N(ORG + "identifier"), zh(e.code)))
    if e and e.parent:
        out.append((u, N(ORG + "subOrganizationOf"), N(unit_iri(e.parent))))
    place = region_of(printed)
    if place:
        out += [(u, N(BKG + "region"), N(place_iri(place.name))),
                (u, N(BKG + "administrativeLevel"), N(level_iri(place.level)))]
    return out


def printed_codes(doc) -> list[str]:
    """The codes a document prints for its own unit: a row named as the unit, with a
    code (长沙 prints 106_长沙市公安局 in its 部门名称 column). Only where a page prints one."""
    want = normalise_name(doc.unit or "")
    return sorted({r.code for t in doc.tables for r in t.rows
                   if r.code and r.code.isalnum() and normalise_name(r.name).lstrip("_") == want})


def identifier_triples(unit: ox.NamedNode, doc) -> list[Triple]:
    return [(unit, N(ORG + "identifier"), ox.Literal(c)) for c in printed_codes(doc)]


def own_unit_iri(printed: str) -> str:
    """A department's own (本级) unit: what a 单位 document is about."""
    return unit_iri(printed) + "/own"


def own_unit_triples(printed: str) -> list[Triple]:
    """The 本级 unit: part of its department (the entry's parent, else the
    department of the same name), found by the department's names too."""
    u = N(own_unit_iri(printed))
    e = entry(printed)
    name = preferred_name(printed)
    department = unit_iri(e.parent) if e and e.parent else unit_iri(printed)
    out: list[Triple] = [(u, A, N(ORG + "Organization")), (u, N(SKOS + "prefLabel"), zh(f"{name}（本级）")),
                         (u, N(RDFS + "label"), zh(f"{name}（本级）")), (u, N(SKOS + "altLabel"), zh(name)),
                         (u, N(ORG + "subOrganizationOf"), N(department))]
    place = region_of(printed)
    if place:
        out += [(u, N(BKG + "region"), N(place_iri(place.name))),
                (u, N(BKG + "administrativeLevel"), N(level_iri(place.level)))]
    return out


def place_triples() -> list[Triple]:
    """Every place of the gazetteer with its level and parent (one shared graph)."""
    out: list[Triple] = []
    for p in places().values():
        s = N(place_iri(p.name))
        out += [(s, A, N(BKG + "Place")), (s, N(SKOS + "prefLabel"), zh(p.name)), (s, N(RDFS + "label"), zh(p.name)),
                (s, N(BKG + "administrativeLevel"), N(level_iri(p.level)))]
        out += [(s, N(SKOS + "altLabel"), zh(x)) for x in p.short]
        if p.parent:
            out.append((s, N(BKG + "withinPlace"), N(place_iri(p.parent))))
    for level, (zh_name, en_name) in LEVELS.items():
        c = N(level_iri(level))
        out += [(c, A, N(SKOS + "Concept")), (c, N(SKOS + "prefLabel"), zh(zh_name)),
                (c, N(SKOS + "notation"), ox.Literal(level)), (c, N(SKOS + "prefLabel"), ox.Literal(en_name, language="en"))]
    return out
