"""A document (one text extraction, or one or two PDFs) to the extraction contract."""
from __future__ import annotations

from pathlib import Path

from budgetkg.errors import ExtractionError
from budgetkg.model import Document
from budgetkg.reconstruct import reconstruct


def read_raw(paths: list[Path]):
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise ExtractionError(str(p), "no such file")
        if p.is_dir():
            raise ExtractionError(str(p), "is a folder; give the files in it (or use a batch command)")
    if all(p.suffix.lower() == ".pdf" for p in paths):
        from budgetkg.read.pdf import read_pdf  # imported lazily: text users need no PDF stack
        return read_pdf(paths)
    if len(paths) != 1:
        raise ExtractionError(str(paths[1]), "only PDFs can be combined into one document "
                              "(the -tables and -text halves of one disclosure)")
    from budgetkg.read.text import read_text
    return read_text(paths[0])


def extract_document(paths: list[Path] | Path) -> Document:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return reconstruct(read_raw(list(paths)))
