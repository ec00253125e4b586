"""Citable provenance: a document is its files' names and SHA-256 (never a
path of the machine that loaded it), the publisher's URL and publication date
when known, and the load that made its graph (a prov:Activity with the
budgetkg version, named by document and version so that reloading adds nothing).

The URL and date come from `budgetkg load --source-url URL --published DATE`, or
from a sidecar beside the file, FILE.meta.json or FILE.meta.toml:
{"url": "https://…", "published": "2025-02-14"}. Both may be given if they agree;
a flag that disagrees with the sidecar is an error naming both."""
from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from budgetkg import __version__
from budgetkg.graph.identifiers import source_files
from budgetkg.graph.namespaces import BKG, DCT, ID, XSD, A, N, Triple
from budgetkg.model import Document

PROV = "http://www.w3.org/ns/prov#"
SOFTWARE = f"{ID}software/budgetkg"


KEYS = {"url": "--source-url", "published": "--published"}  # sidecar key -> `budgetkg load` flag


def sidecar_file(path: Path) -> Path | None:
    for suffix in (".meta.json", ".meta.toml"):
        f = path.with_name(path.name + suffix)
        if f.exists():
            return f
    return None


def sidecar(path: Path) -> dict:
    """The publisher's URL and date for a file, from FILE.meta.json / .meta.toml."""
    f = sidecar_file(path)
    if f is None:
        return {}
    try:
        meta = json.loads(f.read_text(encoding="utf-8")) if f.suffix == ".json" else \
            tomllib.loads(f.read_text(encoding="utf-8"))
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"{f}: not valid {f.suffix[1:]}: {e}") from e
    return checked({k: str(v) for k, v in meta.items() if k in KEYS}, str(f))


def checked(meta: dict, origin: str) -> dict:
    """A citation must be usable: an absolute http(s) URL, an ISO date (YYYY-MM-DD)."""
    url, published = meta.get("url"), meta.get("published")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc or " " in url):
        raise ValueError(f"{origin}: url {url!r} is not an absolute http(s) URL")
    if published:
        try:
            date.fromisoformat(published)
        except ValueError:
            raise ValueError(f"{origin}: published {published!r} is not a date (YYYY-MM-DD)") from None
    return meta


def given(path: Path, meta: dict | None) -> dict:
    """The URL and date of a file: from the flags of `budgetkg load` (`meta`) and
    its sidecar. Both may be given when they agree; when they disagree that is an
    error, never a silent choice."""
    side, flags = sidecar(path), checked({k: v for k, v in (meta or {}).items() if v}, "budgetkg load")
    for k, v in flags.items():
        if side.get(k) not in (None, v):
            raise ValueError(f"{path.name}: {KEYS[k]} {v} disagrees with {sidecar_file(path)} "
                             f"({k} = {side[k]}): correct one of them")
    return {**side, **flags}


def source_triples(d: ox.NamedNode, doc: Document, meta: dict | None = None) -> list[Triple]:
    """The files a document was read from: name and SHA-256; the URL and the
    publication date given at load (`meta`) or in a sidecar."""
    out: list[Triple] = []
    for f, h in source_files(doc.source):
        out.append((d, N(BKG + "sourceFile"), ox.Literal(Path(f).name)))
        if h:
            out.append((d, N(BKG + "sha256"), ox.Literal(h)))
        cite = given(Path(f), meta)
        if cite.get("url"):
            out.append((d, N(DCT + "source"), N(cite["url"])))
        if cite.get("published"):
            out.append((d, N(DCT + "issued"), ox.Literal(cite["published"], datatype=N(XSD + "date"))))
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
