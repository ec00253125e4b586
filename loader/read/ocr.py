"""OCR for pages without a text layer (scanned pages), with the optional extra
`budgetkg[ocr]`: RapidOCR on onnxruntime, whose Chinese detection and
recognition models (PP-OCR) ship inside its wheel, so it runs offline.

Without the extra, `available()` is False and such pages are only reported by
number. OCR gives text lines, not table cells: a scanned *table* page is still
not read (its amounts are not placed); a scanned narrative page is read.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

# rendering scale: 2 = 144 dpi, where the models read 5-mm Chinese print reliably
SCALE = 2
INSTALL_HINT = "pip install 'budgetkg[ocr]'"


def available() -> bool:
    if os.environ.get("BUDGETKG_OCR") == "0":  # switched off (bench/extract.py --no-ocr)
        return False
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR
    # it logs every model file it opens at INFO, and resets its level when constructed
    logging.getLogger("RapidOCR").disabled = True
    return RapidOCR()


def page_lines(path: Path, page: int) -> list[str]:
    """The text lines OCR reads on a page (1-based), top to bottom."""
    import numpy as np
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    result = _engine()(np.array(image))
    if result.txts is None:
        return []
    # boxes are four corners; order by the top edge, then left
    found = sorted(zip(result.boxes, result.txts), key=lambda bt: (min(p[1] for p in bt[0]), bt[0][0][0]))
    return [text for _box, text in found if text.strip()]
