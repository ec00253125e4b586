"""Page primitives: the characters with their boxes and the ruling lines of
each page, in display coordinates (points, origin top-left, y down, page
rotation applied), read with pypdfium2 (default) or pdfplumber.

Both readers give the same `PageData`, so the table layer above does not care
which one ran. pypdfium2 is the default because it reads the same characters
(identical text, boxes within 1 pt) and rules about 9x faster. Measured with
bench/extract_pdf_layer.py on the 12 corpus PDFs (260 pages, 114,288 chars),
2026-11-27, AMD EPYC, 2 cores, Python 3.11.7, pdfplumber 0.11.10, pypdfium2 5.15.2:
pypdfium2 202.9 pages/s (1.28 s), pdfplumber 21.1 pages/s (12.32 s) = 9.6x;
the whole read_pdf (tables included) 66.9 pages/s on a busy machine.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

THIN = 2.5  # a filled shape thinner than this (pt) is a ruling line, not a cell background


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Segment:
    """A horizontal ('h', pos = y) or vertical ('v', pos = x) ruling line from a to b."""

    kind: str
    pos: float
    a: float
    b: float


@dataclass
class PageData:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    images: int = 0


def _is_white(rgb: tuple[float, float, float] | None) -> bool:
    return rgb is not None and min(rgb) > 0.9


def _add_box(segs: list[Segment], x0: float, top: float, x1: float, bottom: float,
             stroked: bool) -> None:
    """A rectangle drawn on the page: a ruling line if thin, its four edges if stroked."""
    w, h = x1 - x0, bottom - top
    if h < THIN and w >= THIN:
        segs.append(Segment("h", (top + bottom) / 2, x0, x1))
    elif w < THIN and h >= THIN:
        segs.append(Segment("v", (x0 + x1) / 2, top, bottom))
    elif stroked and w >= THIN and h >= THIN:
        segs += [Segment("h", top, x0, x1), Segment("h", bottom, x0, x1),
                 Segment("v", x0, top, bottom), Segment("v", x1, top, bottom)]


# ---------------------------------------------------------------- pypdfium2

class _Pdfium:
    """Reading with pypdfium2 (PDFium): text page char boxes, path objects."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium
        import pypdfium2.raw as c
        self.c = c
        self.pdf = pdfium.PdfDocument(str(path))

    def __len__(self) -> int:
        return len(self.pdf)

    def close(self) -> None:
        self.pdf.close()

    def page(self, index: int, rules: bool = True) -> PageData:
        c = self.c
        page = self.pdf[index]
        try:
            left, bottom, right, top = page.get_cropbox()
            rot = page.get_rotation() % 360
            w, h = right - left, top - bottom

            if rot == 90:
                def tr(x, y):
                    return y - bottom, x - left
            elif rot == 180:
                def tr(x, y):
                    return right - x, y - bottom
            elif rot == 270:
                def tr(x, y):
                    return top - y, right - x
            else:
                def tr(x, y):
                    return x - left, top - y
            dw, dh = (h, w) if rot in (90, 270) else (w, h)
            data = PageData(index + 1, dw, dh)

            tp = page.get_textpage()
            clips: dict[int, tuple[float, float, float, float] | None] = {}
            try:
                n = c.FPDFText_CountChars(tp.raw)
                rect = c.FS_RECTF()
                for i in range(n):
                    u = c.FPDFText_GetUnicode(tp.raw, i)
                    if u in (0, 0xFFFE, 0xFFFF) or c.FPDFText_IsGenerated(tp.raw, i) == 1:
                        continue
                    ch = chr(u)
                    if ch.isspace():
                        continue
                    if not c.FPDFText_GetLooseCharBox(tp.raw, i, rect):
                        continue
                    if not self._visible(c.FPDFText_GetTextObject(tp.raw, i), rect, clips):
                        continue
                    ax, ay = tr(rect.left, rect.top)
                    bx, by = tr(rect.right, rect.bottom)
                    data.chars.append(Char(ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
            finally:
                tp.close()
            if rules:
                self._paths(page.raw, (1, 0, 0, 1, 0, 0), tr, data, 0)
            return data
        finally:
            page.close()

    def _visible(self, obj, rect, clips: dict) -> bool:
        """False for a character its clip path wholly hides: a table cell split over two pages
        draws its whole text on both, each page clipping it to its part of the cell
        (北京's 绩效目标表: names and amounts printed below the page's last row)."""
        if not obj:
            return True
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in clips:
            clips[key] = self._clip_box(obj)
        box = clips[key]
        if box is None:
            return True
        # hidden only when wholly above or below it: a glyph cut by its cell's edge still shows
        # a part, and text running past a cell's side (资本性支出（基本建设）) is the cell's label
        return min(rect.top, rect.bottom) < box[3] and max(rect.top, rect.bottom) > box[1]

    def _clip_box(self, obj) -> tuple[float, float, float, float] | None:
        """The box a page object is clipped to: the intersection of its clip paths' boxes."""
        c = self.c
        cp = c.FPDFPageObj_GetClipPath(obj)
        if not cp:
            return None
        boxes = []
        x, y = ctypes.c_float(), ctypes.c_float()
        for pi in range(c.FPDFClipPath_CountPaths(cp)):
            pts = []
            for si in range(c.FPDFClipPath_CountPathSegments(cp, pi)):
                if c.FPDFPathSegment_GetPoint(c.FPDFClipPath_GetPathSegment(cp, pi, si), x, y):
                    pts.append((x.value, y.value))
            if pts:
                boxes.append((min(p[0] for p in pts), min(p[1] for p in pts),
                              max(p[0] for p in pts), max(p[1] for p in pts)))
        if not boxes:
            return None
        return (max(b[0] for b in boxes), max(b[1] for b in boxes),
                min(b[2] for b in boxes), min(b[3] for b in boxes))

    def _paths(self, parent, m0, tr, data: PageData, depth: int) -> None:
        c = self.c
        if depth == 0:
            count, get = c.FPDFPage_CountObjects(parent), c.FPDFPage_GetObject
        else:
            count, get = c.FPDFFormObj_CountObjects(parent), c.FPDFFormObj_GetObject
        mat = c.FS_MATRIX()
        for k in range(count):
            obj = get(parent, k)
            typ = c.FPDFPageObj_GetType(obj)
            if typ == c.FPDF_PAGEOBJ_IMAGE:
                data.images += 1
                continue
            if typ not in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM):
                continue
            if c.FPDFPageObj_GetMatrix(obj, mat):
                m1 = (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)
            else:
                m1 = (1, 0, 0, 1, 0, 0)
            # compose: point -> m1 -> m0
            a0, b0, c0, d0, e0, f0 = m0
            a1, b1, c1, d1, e1, f1 = m1
            m = (a1 * a0 + b1 * c0, a1 * b0 + b1 * d0, c1 * a0 + d1 * c0, c1 * b0 + d1 * d0,
                 e1 * a0 + f1 * c0 + e0, e1 * b0 + f1 * d0 + f0)
            if typ == c.FPDF_PAGEOBJ_FORM:
                if depth < 4:
                    self._paths(obj, m, tr, data, depth + 1)
                continue
            self._path(obj, m, tr, data)

    def _path(self, obj, m, tr, data: PageData) -> None:
        c = self.c
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not c.FPDFPath_GetDrawMode(obj, fill, stroke):
            return
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        stroked = bool(stroke.value)
        if stroked and c.FPDFPageObj_GetStrokeColor(obj, r, g, b, a):
            if a.value == 0 or _is_white((r.value / 255, g.value / 255, b.value / 255)):
                stroked = False
        filled = fill.value != 0
        if filled and c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
            if a.value == 0 or _is_white((r.value / 255, g.value / 255, b.value / 255)):
                filled = False
        if not stroked and not filled:
            return
        n = c.FPDFPath_CountSegments(obj)
        x, y = ctypes.c_float(), ctypes.c_float()
        pts: list[list[tuple[float, float]]] = []
        aa, bb, cc, dd, ee, ff = m
        for i in range(n):
            seg = c.FPDFPath_GetPathSegment(obj, i)
            c.FPDFPathSegment_GetPoint(seg, x, y)
            px, py = aa * x.value + cc * y.value + ee, bb * x.value + dd * y.value + ff
            p = tr(px, py)
            t = c.FPDFPathSegment_GetType(seg)
            if t == c.FPDF_SEGMENT_MOVETO or not pts:
                pts.append([p])
            else:
                pts[-1].append(p)
            if c.FPDFPathSegment_GetClose(seg) and pts[-1]:
                pts[-1].append(pts[-1][0])
        segs = data.segments
        for poly in pts:
            if filled and not stroked:
                # a filled shape: only thin ones are rules
                xs = [p[0] for p in poly]
                ys = [p[1] for p in poly]
                _add_box(segs, min(xs), min(ys), max(xs), max(ys), False)
                continue
            for (x0, y0), (x1, y1) in zip(poly, poly[1:]):
                if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 0.5:
                    segs.append(Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 0.5:
                    segs.append(Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


# ---------------------------------------------------------------- pdfplumber

class _Plumber:
    """Reading with pdfplumber (pdfminer.six): slower, kept for measurement and
    as a second opinion."""

    def __init__(self, path: Path):
        import pdfplumber
        self.pdf = pdfplumber.open(str(path))

    def __len__(self) -> int:
        return len(self.pdf.pages)

    def close(self) -> None:
        self.pdf.close()

    def page(self, index: int, rules: bool = True) -> PageData:
        p = self.pdf.pages[index]
        data = PageData(index + 1, float(p.width), float(p.height))
        for ch in p.chars:
            t = ch["text"]
            if not t or t.isspace():
                continue
            data.chars.append(Char(t, ch["x0"], ch["top"], ch["x1"], ch["bottom"]))
        if rules:
            segs = data.segments
            for r in p.rects:
                fill_white = _is_white(_rgb(r.get("non_stroking_color")))
                stroke_white = _is_white(_rgb(r.get("stroking_color")))
                stroked = bool(r.get("stroke")) and not stroke_white
                filled = bool(r.get("fill")) and not fill_white
                if stroked or filled:
                    _add_box(segs, r["x0"], r["top"], r["x1"], r["bottom"], stroked)
            for ln in p.lines + p.curves:
                if not ln.get("stroke") or _is_white(_rgb(ln.get("stroking_color"))):
                    continue
                pts = ln["pts"]
                for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                    if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 0.5:
                        segs.append(Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                    elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 0.5:
                        segs.append(Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1)))
            data.images = len(p.images)
        p.flush_cache()
        return data


def _rgb(color) -> tuple[float, float, float] | None:
    if color is None:
        return None
    if isinstance(color, (int, float)):
        return (float(color),) * 3
    color = tuple(color)
    if len(color) == 1:
        return (float(color[0]),) * 3
    if len(color) == 3:
        return tuple(float(v) for v in color)  # type: ignore[return-value]
    if len(color) == 4:  # CMYK
        cy, mg, ye, k = (float(v) for v in color)
        return ((1 - cy) * (1 - k), (1 - mg) * (1 - k), (1 - ye) * (1 - k))
    return None


BACKENDS = {"pypdfium2": _Pdfium, "pdfplumber": _Plumber}


def open_pdf(path: Path, backend: str = "pypdfium2"):
    return BACKENDS[backend](path)
