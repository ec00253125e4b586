"""IRIs that name documents: stable wherever the files lie (a document
is the digest of its files' digests), and the name normalisation they rest on."""
from __future__ import annotations

import hashlib
import json
import unicodedata

from budgetkg.graph.namespaces import ID
from budgetkg.model import Document
from budgetkg.registry import squash


def normalise_name(name: str) -> str:
    """How printed and official names are compared: NFKC (full-width brackets),
    no white space or quotes."""
    return squash(unicodedata.normalize("NFKC", name))


def source_label(doc: Document) -> str:
    files = [f for f in source_files(doc.source)]
    return ", ".join(f for f, _ in files) or (doc.unit or "document")


def source_files(source) -> list[tuple[str, str | None]]:
    """(file, sha256) of every file the source dict names (one, or several halves)."""
    out: list[tuple[str, str | None]] = []
    if isinstance(source, dict):
        if "file" in source:
            out.append((str(source["file"]), source.get("sha256")))
        for v in source.values():
            if isinstance(v, (list, dict)):
                out += source_files(v)
    elif isinstance(source, list):
        for v in source:
            out += source_files(v)
    return out


def document_key(doc: Document) -> str:
    """16 hex digits naming a document: the digest of its files' digests (so the
    same files are the same document wherever they lie)."""
    digests = sorted(h for _, h in source_files(doc.source) if h)
    if not digests:  # no digest: fall back to what the document says it is
        digests = [json.dumps([doc.unit, doc.year, doc.kind, sorted(f for f, _ in source_files(doc.source))],
                              ensure_ascii=False)]
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]


def document_iri(doc: Document) -> str:
    return f"{ID}document/{document_key(doc)}"


def graph_iri(doc: Document) -> str:
    return f"{ID}graph/{document_key(doc)}"
