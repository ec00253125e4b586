"""Benchmark: whole-pipeline extraction (reader + reconstruction) over the corpus.

    .venv/bin/python bench/extract.py

Prints pages/s and documents/s, one process, with the machine and the date."""
from __future__ import annotations

import datetime
import os
import platform
import time
from pathlib import Path

import pypdfium2

from budgetkg.cli.extract import group_documents
from budgetkg.reconstruct.extract import extract_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def pages(group: list[Path]) -> int:
    n = 0
    for p in group:
        if p.suffix == ".pdf":
            pdf = pypdfium2.PdfDocument(p)
            n += len(pdf)
            pdf.close()
        else:  # text: pages are separated by three empty lines or a form feed
            from budgetkg.read.text import decode, split_pages
            n += len(split_pages(decode(p, p.read_bytes())))
    return n


def main() -> None:
    print(f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{datetime.date.today()}")
    total_pages = total_docs = 0
    total_time = 0.0
    for label, groups in (("text", group_documents([CORPUS / "cq-yongchuan-psb-2024.txt"])),
                          ("pdf", group_documents([CORPUS / "pdf"]))):
        n_pages = sum(pages(g) for g in groups)
        t0 = time.perf_counter()
        for g in groups:
            extract_document(g)
        dt = time.perf_counter() - t0
        print(f"{label:5} {len(groups):3} documents {n_pages:4} pages {dt:7.2f} s  "
              f"{n_pages / dt:7.1f} pages/s  {len(groups) / dt:6.2f} documents/s")
        total_pages += n_pages
        total_docs += len(groups)
        total_time += dt
    print(f"all   {total_docs:3} documents {total_pages:4} pages {total_time:7.2f} s  "
          f"{total_pages / total_time:7.1f} pages/s  {total_docs / total_time:6.2f} documents/s")


if __name__ == "__main__":
    main()
