"""Benchmark: whole-pipeline extraction (reader + reconstruction) over the corpus.

    .venv/bin/python bench/extract.py [--no-ocr]

Prints pages/s and documents/s, one process, with the machine and the date:
the text seed, the earlier PDFs (Shanghai, Jiangsu), the other regions' PDFs.
OCR (the `ocr` extra) reads the scanned pages; --no-ocr leaves them unread."""
from __future__ import annotations

import datetime
import os
import platform
import sys
import time
from pathlib import Path

import pypdfium2

from budgetkg.errors import ExtractionError
from budgetkg.read import ocr
from budgetkg.read.grouping import document_groups as group_documents
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


def earlier(group: list[Path]) -> bool:
    return group[0].name.startswith(("sh-", "js-"))


def main() -> None:
    if "--no-ocr" in sys.argv:
        os.environ["BUDGETKG_OCR"] = "0"
    # the machine may be shared: its load says how far wall-clock figures can be trusted
    print(f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{datetime.date.today()} · OCR {'on' if ocr.available() else 'off'} · "
          f"load average {os.getloadavg()[0]:.1f}")
    total_pages = total_docs = 0
    total_time = 0.0
    pdfs = group_documents([CORPUS / "pdf"])
    for label, groups in (("text", group_documents([CORPUS / "cq-yongchuan-psb-2024.txt"])),
                          ("pdf, Shanghai + Jiangsu", [g for g in pdfs if earlier(g)]),
                          ("pdf, other regions", [g for g in pdfs if not earlier(g)])):
        n_pages = sum(pages(g) for g in groups)
        t0, c0 = time.perf_counter(), time.process_time()
        failed = 0
        for g in groups:
            try:
                extract_document(g)
            except ExtractionError as e:  # counted, and the run goes on
                failed += 1
                print(f"  {e}", file=sys.stderr)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{label:24} {len(groups):3} documents {n_pages:4} pages {dt:7.2f} s ({cpu:6.2f} s CPU)  "
              f"{n_pages / dt:7.1f} pages/s  {len(groups) / dt:6.2f} documents/s"
              + (f"  ({failed} failed)" if failed else ""))
        total_pages += n_pages
        total_docs += len(groups)
        total_time += dt
    print(f"{'all':24} {total_docs:3} documents {total_pages:4} pages {total_time:7.2f} s  "
          f"{total_pages / total_time:7.1f} pages/s  {total_docs / total_time:6.2f} documents/s")


if __name__ == "__main__":
    main()
