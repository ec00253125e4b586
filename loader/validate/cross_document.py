"""Checks that span documents, as plain SPARQL on the store: one saved query
per check in shapes/cross-document/*.rq. A document's own identities are SHACL
(shapes/*.ttl, loader/validate/shapes.py); these join documents with each other, which
pyshacl would do slowly over a whole store and a SPARQL server does at once.

Each file starts with comment lines: `# title: …`, `# severity: Violation |
Warning | Info`, then why the check holds. Its SELECT returns ?document and
?identity, and may return ?value (the observation), ?table, ?where, ?printed,
?expected, ?tolerance (in yuan) and ?unit (the printed unit)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budgetkg.graph import codes
from budgetkg.validate.shapes import SHAPES_DIR, Finding, Report, convert_units

CROSS_DOCUMENT_DIR = SHAPES_DIR / "cross-document"
CROSS_DOCUMENT = codes.ID + "document/cross-document"  # the report these findings go in


@dataclass
class Check:
    name: str
    title: str
    severity: str
    sparql: str


def checks(folder: Path = CROSS_DOCUMENT_DIR) -> list[Check]:
    out = []
    for f in sorted(folder.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        header = dict(re.findall(r"^#\s*(title|severity):\s*(.+?)\s*$", text, re.M))
        severity = header.get("severity", "Warning")
        if severity not in ("Violation", "Warning", "Info"):
            raise ValueError(f"{f}: severity must be Violation, Warning or Info, not {severity!r}")
        out.append(Check(f.stem, header.get("title", f.stem), severity, text))
    return out


def run_checks(store) -> Report:
    """Every cross-document check against the store (its union of graphs)."""
    report = Report(CROSS_DOCUMENT, "documents in the store", engine="sparql")
    for check in checks():
        for row in store.query(check.sparql):
            f = Finding(check.severity, check.name, "", table=str(row.get("table", "")),
                        where=str(row.get("where", "")), identity=str(row.get("identity", "")),
                        unit=str(row.get("unit", "")), value=row.get("value"), focus=row.get("document"))
            printed, expected = row.get("printed"), row.get("expected")
            if isinstance(printed, Decimal) and isinstance(expected, Decimal):
                f.printed, f.expected, f.difference = printed, expected, printed - expected
                f.tolerance = row.get("tolerance") if isinstance(row.get("tolerance"), Decimal) else None
            f.message = f"{check.title}: {f.identity}"
            report.findings.append(f)
    convert_units(report)
    report.sort()
    return report
