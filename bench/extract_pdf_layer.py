"""Time reading characters and ruling lines with pdfplumber vs pypdfium2 over
the PDF corpus, and the whole read_pdf (tables) on top of the default reader.

    .venv/bin/python bench/extract_pdf_layer.py [--repeat N] [FILES...]

Prints pages/s for each reader and the machine and date, so numbers recorded
in loader/pdf/backend.py can be checked again.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetkg.read.pdf import read_pdf  # noqa: E402
from budgetkg.read.pdf.backend import BACKENDS, open_pdf  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def read_all(files: list[Path], backend: str) -> tuple[int, int, int, float]:
    pages = chars = segs = 0
    t0 = time.perf_counter()
    for f in files:
        doc = open_pdf(f, backend)
        try:
            for i in range(len(doc)):
                p = doc.page(i)
                pages += 1
                chars += len(p.chars)
                segs += len(p.segments)
        finally:
            doc.close()
    return pages, chars, segs, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "corpus" / "pdf").glob("*.pdf"))
    import pdfplumber
    import pypdfium2
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')} on {machine()}")
    print(f"# pdfplumber {pdfplumber.__version__}, pypdfium2 {pypdfium2.PYPDFIUM_INFO}, "
          f"{len(files)} files")
    best: dict[str, float] = {}
    for backend in BACKENDS:
        times = []
        for _ in range(args.repeat):
            pages, chars, segs, dt = read_all(files, backend)
            times.append(dt)
        dt = min(times)
        best[backend] = dt
        print(f"{backend:11s} chars+rules: {pages} pages, {chars} chars, {segs} rule segments, "
              f"{dt:.2f} s (best of {args.repeat}) = {pages / dt:.1f} pages/s")
    if "pdfplumber" in best and "pypdfium2" in best:
        print(f"pypdfium2 is {best['pdfplumber'] / best['pypdfium2']:.1f}x faster than pdfplumber")
    t0 = time.perf_counter()
    pages = tables = 0
    for f in files:
        doc = read_pdf([f])
        tables += len(doc.tables)
        pages += len(open_pdf(f))
    dt = time.perf_counter() - t0
    print(f"read_pdf (pypdfium2 + tables): {pages} pages, {tables} tables, {dt:.2f} s = {pages / dt:.1f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
