"""PDF → `Document` in the shape of the text exports, so one parser reads both.

Characters and their boxes come from pdfium (pypdfium2), which is some twenty
times faster than pdfminer; ruling lines come from the page's path objects.
Ruled tables (`ingest.pdf_tables`) give one Line per table row with one cell
per column ("" where blank), wrapped cell text joined; tables without rules
are rebuilt from word positions (`ingest.pdf_layout`). Everything else is one
Line per visual line of prose. Page numbers and running headers/footers are
dropped. A table continued on the next page simply continues.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import IngestError
from .pdf_layout import (Carry, Char, Item, code_groups, group_lines, join_chars, join_wrapped, merge_columns,
                         table_items_from_prose)
from .pdf_tables import Grid, Rule, find_grids
from .records import Document, Line

MEDIA_TYPE = "application/pdf"

_THIN = 3.0          # a path this thin (pt) is a rule
_MARGIN = 0.09       # top/bottom band of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－\s]*$")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def read_pdf(path: str, data: bytes, sha256: str) -> Document:
    pdf = _open(path, data)
    try:
        page_count = len(pdf)
        pages = []
        code_layout: tuple | None = None
        carry = Carry()     # columns of a rule-less table continued on the next page
        char_count = 0
        for index in range(page_count):
            page = pdf[index]
            try:
                items, chars, code_layout = _read_page(page, index + 1, code_layout, carry)
            finally:
                page.close()
            pages.append(items)
            char_count += chars
    except pdfium.PdfiumError as exc:
        raise IngestError(path, f"corrupt PDF: cannot read its pages ({exc})") from exc
    finally:
        pdf.close()
    if char_count == 0:
        raise IngestError(path, f"no text layer in any of its {page_count} pages "
                                "(scanned PDF; OCR is not supported)")
    _drop_running_lines(pages)
    lines: list[Line] = []
    for items in pages:
        for item in items:
            lines.append(Line(no=len(lines) + 1, text="\t".join(item.cells), cells=item.cells,
                              page=item.page, bbox=item.bbox, cell_x=item.cell_x))
    return Document(path=path, name=Path(path).name, sha256=sha256, media_type=MEDIA_TYPE,
                    encoding=None, lines=lines, page_count=page_count)


def _open(path: str, data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise IngestError(path, "encrypted PDF: it needs a password to open") from exc
        raise IngestError(path, f"corrupt or unreadable PDF ({exc})") from exc


# --- one page ----------------------------------------------------------------------

@dataclass
class _Space:
    """Maps PDF user space (y up, possibly rotated) to the page as displayed (y down)."""
    width: float
    height: float
    left: float
    bottom: float
    rotation: int

    def box(self, l: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        l, r, b, t = l - self.left, r - self.left, b - self.bottom, t - self.bottom
        if self.rotation == 90:
            return b, l, t, r
        if self.rotation == 180:
            return self.width - r, b, self.width - l, t
        if self.rotation == 270:
            return self.height - t, self.width - r, self.height - b, self.width - l
        return l, self.height - t, r, self.height - b

    @property
    def shown_height(self) -> float:
        return self.width if self.rotation in (90, 270) else self.height


def _page_space(page: pdfium.PdfPage) -> _Space:
    l, b, r, t = page.get_cropbox()
    return _Space(r - l, t - b, l, b, page.get_rotation() % 360)


def _read_page(page: pdfium.PdfPage, number: int, code_layout, carry: Carry
               ) -> tuple[list[Item], int, tuple | None]:
    """The page's Items top to bottom, its count of visible characters, and the
    类/款/项 column layout carried on to the next page (see `_grid_rows`)."""
    space = _page_space(page)
    chars = _page_chars(page, space)
    grids = find_grids(_page_rules(page, space)) if chars else []
    in_grid: list[dict[int, list[Char]]] = [{} for _ in grids]
    free: list[Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for g, grid in enumerate(grids):
            cell = grid.cell_at(cx, cy)
            if cell is not None:
                in_grid[g].setdefault(cell, []).append(ch)
                break
        else:
            free.append(ch)
    items: list[Item] = []
    for grid, cell_chars in zip(grids, in_grid):
        rows, code_layout = _grid_rows(grid, cell_chars, number, code_layout)
        items.extend(rows)
    prose = [Item(page=number, bbox=(line[0].x0, min(c.top for c in line), line[-1].x1,
                                     max(c.bottom for c in line)),
                  cells=(join_chars(line),), cell_x=(line[0].x0,), chars=line)
             for line in group_lines(free)]
    items.extend(table_items_from_prose(prose, carry))
    items.sort(key=lambda it: (it.bbox[1], it.bbox[0]))
    for item in items:
        item.page_height = space.shown_height
    return items, sum(1 for c in chars if not c.text.isspace()), code_layout


def _page_chars(page: pdfium.PdfPage, space: _Space) -> list[Char]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        chars = []
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code < 32 and code != 9 or pdfium_c.FPDFText_IsGenerated(raw, i):
                continue  # line breaks and spaces pdfium inferred; positions decide those
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            x0, top, x1, bottom = space.box(rect.left, rect.bottom, rect.right, rect.top)
            if x1 - x0 <= 0 or bottom - top <= 0:
                continue
            text = " " if code in (9, 0xA0, 0x3000) else chr(code)
            chars.append(Char(text, x0, top, x1, bottom))
        return chars
    finally:
        textpage.close()


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(m: pdfium_c.FS_MATRIX) -> tuple:
    return m.a, m.b, m.c, m.d, m.e, m.f


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner`, then `outer` (PDF a b c d e f order)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_objects(page: pdfium.PdfPage):
    """(path object, matrix of the forms around it) for the paths of the page and
    of the Form XObjects it draws (a table pasted in as a form keeps its rules).
    The raw API: wrapping each of a page's (often thousands of) text objects costs more."""
    matrix = pdfium_c.FS_MATRIX()
    stack = [(pdfium_c.FPDFPage_CountObjects(page.raw), lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i),
              _IDENTITY, 0)]
    while stack:
        count, get, outer, depth = stack.pop()
        for index in range(count):
            raw = get(index)
            kind = pdfium_c.FPDFPageObj_GetType(raw)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield raw, outer
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4 and pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
                stack.append((pdfium_c.FPDFFormObj_CountObjects(raw),
                              lambda i, raw=raw: pdfium_c.FPDFFormObj_GetObject(raw, i),
                              _compose(_matrix(matrix), outer), depth + 1))


def _page_rules(page: pdfium.PdfPage, space: _Space) -> list[Rule]:
    """Ruling lines: thin path objects, and the edges of drawn boxes. White
    paint (backgrounds, erased borders) draws nothing and is skipped."""
    rules = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    left, bottom_, right, top_ = (ctypes.c_float() for _ in range(4))

    def painted(get_color, raw) -> bool:
        return bool(get_color(raw, r, g, b, a)) and a.value > 0 and (r.value, g.value, b.value) != (255, 255, 255)

    for raw, outer in _path_objects(page):
        pdfium_c.FPDFPath_GetDrawMode(raw, fill_mode, stroke)
        visible = (stroke.value and painted(pdfium_c.FPDFPageObj_GetStrokeColor, raw)
                   or fill_mode.value and painted(pdfium_c.FPDFPageObj_GetFillColor, raw))
        if not visible or not pdfium_c.FPDFPageObj_GetBounds(raw, left, bottom_, right, top_):
            continue
        l, bt, rt, tp = left.value, bottom_.value, right.value, top_.value
        if outer is not _IDENTITY:
            corners = [_apply(outer, x, y) for x in (l, rt) for y in (bt, tp)]
            l, rt = min(x for x, _ in corners), max(x for x, _ in corners)
            bt, tp = min(y for _, y in corners), max(y for _, y in corners)
        x0, top, x1, bottom = space.box(l, bt, rt, tp)
        w, h = x1 - x0, bottom - top
        if w <= _THIN and h <= _THIN:
            continue
        if h <= _THIN:
            rules.append(Rule(True, (top + bottom) / 2, x0, x1))
        elif w <= _THIN:
            rules.append(Rule(False, (x0 + x1) / 2, top, bottom))
        else:
            rules += _path_rules(raw, space, outer)
    return rules


def _path_rules(raw, space: _Space, outer: tuple) -> list[Rule]:
    """The horizontal and vertical strokes of a path drawn as several segments
    (a box, or a whole grid in one path); slanted strokes are no rules."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
        return []
    m = _compose(_matrix(matrix), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    rules: list[Rule] = []
    start = prev = None
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        px, py = _apply(m, x.value, y.value)
        x0, top, _, _ = space.box(px, py, px, py)
        point = (x0, top)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            _add_stroke(rules, prev, point)
            if pdfium_c.FPDFPathSegment_GetClose(segment):
                _add_stroke(rules, point, start)
        prev = point
    return rules


def _add_stroke(rules: list[Rule], a: tuple[float, float], b: tuple[float, float]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 0.5 and abs(ax - bx) > _THIN:
        rules.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 0.5 and abs(ay - by) > _THIN:
        rules.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))


def _grid_rows(grid: Grid, cell_chars: dict[int, list[Char]], page: int, code_layout):
    """One Item per grid row that has text; each cell's text sits in its
    top-left grid unit, so spanning headers and merged labels appear once."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    matrix = [[""] * n_cols for _ in range(n_rows)]
    starts = set()
    for k, (r0, c0, _, _) in enumerate(grid.cells):
        starts.add(c0)
        chars = cell_chars.get(k)
        if chars:
            matrix[r0][c0] = join_wrapped(group_lines(chars))
    # A column no cell starts in is a sliver between misaligned rules: always blank.
    keep = [c for c in range(n_cols) if c in starts]
    matrix = [[row[c] for c in keep] for row in matrix]
    xs = [grid.xs[c] for c in keep]
    groups = code_groups(matrix)
    if groups:
        code_layout = (xs, groups)
    elif code_layout and _same_columns(code_layout[0], xs):
        groups = code_layout[1]  # a table continued from the previous page, without its header
    else:
        code_layout = None
    if groups:
        matrix, xs = merge_columns(matrix, xs, groups)
    items = []
    for r, row in enumerate(matrix):
        if any(row):
            items.append(Item(page=page, bbox=(grid.xs[0], grid.ys[r], grid.xs[-1], grid.ys[r + 1]),
                              cells=tuple(row), cell_x=tuple(round(x, 2) for x in xs), in_table=True))
    return items, code_layout


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 2 for x, y in zip(a, b))


# --- running headers and footers ----------------------------------------------------

def _drop_running_lines(pages: list[list[Item]]) -> None:
    """Drop page numbers and lines repeated in the top/bottom band of many pages."""
    def marginal(item: Item) -> bool:
        band = item.page_height * _MARGIN
        return not item.in_table and (item.bbox[3] <= band or item.bbox[1] >= item.page_height - band)

    def key(item: Item) -> str:
        return _DIGITS.sub("#", _SPACES.sub("", item.cells[0]))

    seen: dict[str, int] = {}
    for items in pages:
        for k in {key(it) for it in items if marginal(it)}:
            seen[k] = seen.get(k, 0) + 1
    repeated = {k for k, n in seen.items() if n >= 3 and n >= 0.4 * len(pages)}
    for items in pages:
        # A bare number ending or opening a page is its page number wherever it is placed.
        ends = {id(items[0]), id(items[-1])} if items else set()
        items[:] = [it for it in items if not (
            not it.in_table and _PAGE_NUMBER.match(it.cells[0]) and (marginal(it) or id(it) in ends)
            or marginal(it) and key(it) in repeated)]

