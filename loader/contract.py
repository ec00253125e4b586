"""The extraction contract's JSON (`budgetkg extract --json`) read back into a
Document, so that saved extractions can be loaded without extracting again."""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from budgetkg import paths
from budgetkg.errors import ExtractionError
from budgetkg.model import (
    AlsoCode,
    Coverage,
    Document,
    Inconsistency,
    Indicator,
    OtherTable,
    PageRef,
    Project,
    Row,
    Table,
    TocEntry,
    Unresolved,
    Where,
)


def _where(d: dict[str, Any]) -> Where:
    return Where(line=d.get("line"), page=d.get("page"))


def _dec(path: str, text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise ExtractionError(path, f"{text!r} is not an amount") from None


def _indicator(d: dict[str, Any]) -> Indicator:
    return Indicator(category=d.get("category"), name=d["name"], operator=d.get("operator"),
                     value=d.get("value"), unit=d.get("unit"), where=_where(d),
                     weight=d.get("weight"), subcategory=d.get("subcategory"),
                     actual=d.get("actual"), score=d.get("score"), deviation=d.get("deviation"),
                     note=d.get("note"))


def document_from_json(obj: dict[str, Any], path: str = "<json>") -> Document:
    if not isinstance(obj, dict) or "document" not in obj or "tables" not in obj:
        raise ExtractionError(path, "not an extraction (expected the keys document and tables)")
    d = obj["document"]
    tables = []
    for t in obj["tables"]:
        tables.append(Table(
            type=t["type"], title=t.get("title", t["type"]), columns=list(t.get("columns", [])),
            where=_where(t), empty=bool(t.get("empty")), money_unit=t.get("money_unit"),
            section_columns=t.get("section_columns"),
            column_sums=[(total, list(parts)) for total, parts in t.get("column_sums", [])],
            rows=[Row(code=r.get("code"), name=r.get("name", ""), section=r.get("section"),
                      where=_where(r), values={k: _dec(path, v) for k, v in r.get("values", {}).items()},
                      enumerated=bool(r.get("enumerated")), indent=r.get("indent"),
                      project=r.get("project"),
                      also=tuple(AlsoCode(a["classification"], a["code"], a["name"]) for a in r.get("also", ())))
                  for r in t.get("rows", [])],
            unresolved=[Unresolved(value=_dec(path, u["value"]), text=str(u["value"]), row=str(u.get("row", "")),
                                   where=_where(u), reason=u.get("reason", ""),
                                   candidates=list(u.get("candidates", [])))
                        for u in t.get("unresolved", [])],
            projects=[Project(name=p["name"], amount=_dec(path, p["amount"]), goal=p.get("goal", ""),
                              where=_where(p), indicators=[_indicator(i) for i in p.get("indicators", [])],
                              sources={k: _dec(path, v) for k, v in p.get("sources", {}).items()})
                      for p in t.get("projects", [])],
            indicators=[_indicator(i) for i in t.get("indicators", [])],
            mission=t.get("mission"), notes=list(t.get("notes", []))))
    return Document(unit=d.get("unit"), year=d.get("year"), kind=d.get("kind"), scope=d.get("scope"),
                    money_unit=d.get("money_unit"), source=d.get("source") or {"file": path},
                    tables=tables,
                    inconsistencies=[Inconsistency(table=i["table"], identity=i["identity"], where=_where(i),
                                                   expected=_dec(path, i["expected"]),
                                                   printed=_dec(path, i["printed"]),
                                                   tolerance=_dec(path, i["tolerance"]))
                                     for i in obj.get("inconsistencies", [])],
                    warnings=list(obj.get("warnings", [])), coverage=_coverage(obj.get("coverage")))


def _coverage(c: dict[str, Any] | None) -> Coverage | None:
    """The coverage block as extracted (None in contracts saved before it existed)."""
    if not c:
        return None
    amounts = c.get("amounts", {})
    pages = [PageRef(p["page"], p.get("file")) for p in c.get("pages_without_text", [])]
    return Coverage(pages=c.get("pages", 0), amounts=amounts.get("printed", 0), placed=amounts.get("placed", 0),
                    unresolved=amounts.get("unresolved", 0), observations=c.get("observations", 0),
                    tables=dict(c.get("tables", {})),
                    other_tables=[OtherTable(o["title"], _where(o), o.get("amounts", 0))
                                  for o in c.get("other_tables", [])],
                    toc=[TocEntry(e["title"], e.get("type"), _where(e), bool(e.get("empty")), e.get("reason"))
                         for e in c.get("toc", [])],
                    toc_missing=list(c.get("toc_missing", [])),
                    declared_empty=[(d["title"], d.get("reason")) for d in c.get("declared_empty", [])],
                    missing_standard=list(c.get("missing_standard", [])), pages_without_text=pages,
                    pages_ocr=[PageRef(p["page"], p.get("file")) for p in c.get("pages_ocr", [])],
                    not_read=list(c.get("not_read", [])),
                    identities=c.get("identities", {}).get("checked", 0),
                    identities_broken=c.get("identities", {}).get("broken", 0))


SCHEMA = paths.REPO / "docs" / "contract.schema.json"


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check_schema(obj: Any, path: str) -> None:
    """The saved extraction against docs/contract.schema.json: the first
    problem (the deepest, most specific one) as one line naming where it is."""
    from jsonschema.exceptions import best_match
    error = best_match(_validator().iter_errors(obj))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise ExtractionError(path, f"not a valid extraction ({SCHEMA.name}): at {where}: "
                              + " ".join(error.message.split())[:300])


def read_contract(path: Path) -> Document:
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ExtractionError(str(path), f"not valid JSON ({e})") from None
    check_schema(obj, str(path))
    return document_from_json(obj, str(path))
