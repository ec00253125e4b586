"""Citable provenance: a document is its files' names and SHA-256 (never a
path of the machine that loaded it), the publisher's URL and publication date
when known, and the load that made its graph (a prov:Activity with the
budgetkg version, named by document and version so that reloading adds nothing).

The URL and date come from a sidecar beside the file, FILE.meta.json or
FILE.meta.toml: {"url": "https://…", "published": "2025-02-14"}."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pyoxigraph as ox

from budgetkg import __version__
from budgetkg.graph.identifiers import source_files
from budgetkg.graph.namespaces import BKG, DCT, ID, XSD, A, N, Triple
from budgetkg.model import Document

PROV = "http://www.w3.org/ns/prov#"
SOFTWARE = f"{ID}software/budgetkg"


def sidecar(path: Path) -> dict:
    """The publisher's URL and date for a file, from FILE.meta.json / .meta.toml."""
    for suffix, read in ((".meta.json", lambda f: json.loads(f.read_text(encoding="utf-8"))),
                         (".meta.toml", lambda f: tomllib.loads(f.read_text(encoding="utf-8")))):
        f = path.with_name(path.name + suffix)
        if f.exists():
            try:
                meta = read(f)
            except (ValueError, tomllib.TOMLDecodeError) as e:
                raise ValueError(f"{f}: not valid {suffix[6:]}: {e}") from e
            return {k: str(v) for k, v in meta.items() if k in ("url", "published")}
    return {}


def source_triples(d: ox.NamedNode, doc: Document, meta: dict | None = None) -> list[Triple]:
    """The files a document was read from: name and SHA-256; the URL and the
    publication date given at load (`meta`) or in a sidecar."""
    out: list[Triple] = []
    for f, h in source_files(doc.source):
        out.append((d, N(BKG + "sourceFile"), ox.Literal(Path(f).name)))
        if h:
            out.append((d, N(BKG + "sha256"), ox.Literal(h)))
        given = {**sidecar(Path(f)), **(meta or {})}
        if given.get("url"):
            out.append((d, N(DCT + "source"), N(given["url"])))
        if given.get("published"):
            out.append((d, N(DCT + "issued"), ox.Literal(given["published"], datatype=N(XSD + "date"))))
    return out


def activity_graph_iri(document: str) -> str:
    return f"{ID}graph/activity/{document.rsplit('/', 1)[-1]}"


def load_activity(document: str, dataset: str) -> tuple[str, list[Triple]]:
    """The load as a prov:Activity in a graph of its own: what it used, what it
    generated, which budgetkg did it. No time stamp: a reload is the same activity."""
    a = N(f"{document}/load/{__version__}")
    sw = N(SOFTWARE)
    return activity_graph_iri(document), [
        (a, A, N(PROV + "Activity")), (a, N(PROV + "used"), N(document)),
        (a, N(PROV + "wasAssociatedWith"), sw), (a, N(BKG + "softwareVersion"), ox.Literal(__version__)),
        (sw, A, N(PROV + "SoftwareAgent")), (sw, N(DCT + "title"), ox.Literal("budgetkg")),
        (N(dataset), N(PROV + "wasGeneratedBy"), a)]
