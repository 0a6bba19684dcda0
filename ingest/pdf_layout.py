"""Characters → text lines, and tables printed without rules → rows of cells.

Positions, not the PDF's character order, decide what is one line, where a
space goes and which column a word belongs to: producers write characters in
any order and rarely write the spaces a reader sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Item:
    """A Line in the making: one prose line or one table row of a page."""
    page: int
    bbox: tuple[float, float, float, float]
    cells: tuple[str, ...]
    cell_x: tuple[float, ...]
    in_table: bool = False
    chars: list[Char] = field(default_factory=list, repr=False)
    page_height: float = 0.0


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
            or 0x2018 <= o <= 0x201F or 0x3400 <= o <= 0x4DBF)


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters into visual lines (top to bottom), each sorted left to right.
    A character joins the line whose vertical middle it shares."""
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        mid = (ch.top + ch.bottom) / 2
        if bands and bands[-1][0] <= mid <= bands[-1][1]:
            lines[-1].append(ch)
            top, bottom = bands[-1]
            # Grow the band only a little so that a tall glyph does not swallow the next line.
            bands[-1] = (min(top, mid - ch.height * 0.35), max(bottom, mid + ch.height * 0.35))
        else:
            lines.append([ch])
            bands.append((mid - ch.height * 0.35, mid + ch.height * 0.35))
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return [[c for c in line] for line in lines if any(not c.text.isspace() for c in line)]


def gap_is_space(prev: Char, ch: Char, spaced: bool) -> bool:
    """Is there a word break between two neighbouring characters? Justified
    Chinese text spreads its characters (sometimes with space characters
    between them) without any break meant, so between two CJK characters only
    a gap of half a character or more counts."""
    gap = ch.x0 - prev.x1
    size = max(prev.height, ch.height)
    if is_cjk(prev.text) and is_cjk(ch.text):
        return gap > 0.5 * size
    return spaced or gap > 0.2 * size


def join_chars(line: list[Char]) -> str:
    out: list[str] = []
    prev: Char | None = None
    spaced = False
    for ch in line:
        if ch.text.isspace():
            spaced = prev is not None
            continue
        if prev is not None and gap_is_space(prev, ch, spaced):
            out.append(" ")
        out.append(ch.text)
        prev, spaced = ch, False
    return "".join(out)


_ASCII_WORD = re.compile(r"[A-Za-z]")
_CJK = "\u2018-\u201f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPREAD = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def join_wrapped(lines: list[list[Char]]) -> str:
    """The text of one table cell whose content wraps over several lines: the
    pieces join without a space (Chinese), except between two Latin words.
    A cell holds one name or figure, so characters spread out to fill its width
    ("合 计") are closed up."""
    text = ""
    for line in lines:
        piece = join_chars(line)
        if text and piece and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(piece[0]):
            text += " "
        text += piece
    return _SPREAD.sub("", text)


# --- tables printed without rules ---------------------------------------------------

_FIGURE = re.compile(r"^[-−—–]?[\d,，.]+%?$|^[-—–]$")
_COLUMN_GAP = 1.0    # a gap of a character's height or more separates two cells
_WRAP_PITCH = 0.8    # a line closer than this share of the usual row pitch continues the row
_MIN_FIGURE_ROWS = 3  # fewer lines with figures in columns are prose, not a table
_SAME_ROW = 0.6     # lines closer than this many character sizes are one row on uneven baselines
_LINE_SPACING = 3.0  # lines of one table are at most this many character sizes apart


def _mid(item: Item) -> float:
    return (item.bbox[1] + item.bbox[3]) / 2


def _size(item: Item) -> float:
    """The line's character size: the median glyph box height (figures in some
    fonts carry much taller boxes than the text around them)."""
    heights = sorted(c.height for c in item.chars if not c.text.isspace())
    return heights[len(heights) // 2] if heights else item.bbox[3] - item.bbox[1]


def segments(line: list[Char]) -> list[list[Char]]:
    """A line cut where the gap between characters is wide enough to be a column gap."""
    pieces: list[list[Char]] = []
    prev: Char | None = None
    for ch in line:
        if ch.text.isspace():
            continue
        if prev is None or ch.x0 - prev.x1 >= _COLUMN_GAP * max(prev.height, ch.height):
            pieces.append([])
        pieces[-1].append(ch)
        prev = ch
    return pieces


def table_items_from_prose(items: list[Item]) -> list[Item]:
    """Rebuild tables printed without rules from word positions: runs of lines
    that split into several cells, at least two of them carrying figures, are
    a table; its columns are the x ranges the figure rows occupy; wrapped cell
    text (a line much closer than the row pitch) joins the row above."""
    pieces = [segments(it.chars) for it in items]
    is_row = [len(p) >= 2 and any(_FIGURE.match(join_chars(s)) for s in p) for p in pieces]
    out: list[Item] = []
    i = 0
    while i < len(items):
        if not is_row[i]:
            out.append(items[i])
            i += 1
            continue
        # Extend the block over the lines that follow at table line spacing (rows with
        # a label only and wrapped labels included); it ends at its last figure row.
        j = last_row = i
        while j + 1 < len(items) and _mid(items[j + 1]) - _mid(items[j]) < _LINE_SPACING * _size(items[j]):
            j += 1
            if is_row[j]:
                last_row = j
        j = last_row
        # Header lines just above (several cells, no figures) belong to the table too.
        while i > 0 and out and not out[-1].in_table and len(pieces[i - 1]) >= 2 \
                and _mid(items[i]) - _mid(items[i - 1]) < _LINE_SPACING * _size(items[i - 1]):
            out.pop()
            i -= 1
        block = list(range(i, j + 1))
        if sum(is_row[k] for k in block) < _MIN_FIGURE_ROWS:
            out.extend(items[k] for k in block)
        else:
            out.extend(_block_rows([items[k] for k in block], [pieces[k] for k in block],
                                   [is_row[k] for k in block]))
        i = j + 1
    return out


def _block_rows(items: list[Item], pieces: list[list[list[Char]]], is_row: list[bool]) -> list[Item]:
    # Lines a few points apart are one row whose fonts sit on different baselines.
    lines: list[tuple[Item, list[Char], bool]] = []
    for item, line, row in zip(items, pieces, is_row):
        chars = [c for seg in line for c in seg]
        if lines and _mid(item) - _mid(lines[-1][0]) < _SAME_ROW * _size(item):
            prev, prev_chars, prev_row = lines[-1]
            box = (min(prev.bbox[0], item.bbox[0]), min(prev.bbox[1], item.bbox[1]),
                   max(prev.bbox[2], item.bbox[2]), max(prev.bbox[3], item.bbox[3]))
            merged = sorted(prev_chars + chars, key=lambda c: c.x0)
            lines[-1] = (Item(item.page, box, (), (), chars=merged), merged, prev_row or row)
        else:
            lines.append((item, chars, row))
    cut = [(item, segments(chars), row) for item, chars, row in lines]
    # Columns: x ranges of the figure rows' cells, overlapping ranges being one column;
    # header cells above the first figure row add the columns left blank in every row.
    spans = sorted((s[0].x0, s[-1].x1) for _, segs, row in cut if row for s in segs)
    first_row = next(k for k, (_, _, row) in enumerate(cut) if row)
    header = [(s[0].x0, s[-1].x1) for _, segs, _ in cut[:first_row] for s in segs]
    spans += sorted(h for h in header if not any(h[0] < x1 and h[1] > x0 for x0, x1 in spans))
    columns: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])

    def column_of(x0: float, x1: float) -> int:
        for c, (c0, c1) in enumerate(columns):
            if x0 < c1 and x1 > c0:
                return c  # a header spanning several columns sits in its first one
        return min(range(len(columns)), key=lambda c: abs((columns[c][0] + columns[c][1]) / 2 - (x0 + x1) / 2))

    pitches = sorted(_mid(b[0]) - _mid(a[0]) for a, b in zip(cut, cut[1:]))
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    rows: list[tuple[Item, list[str]]] = []
    prev_mid = None
    for item, segs, _ in cut:
        cells = [""] * len(columns)
        for seg in segs:
            c = column_of(seg[0].x0, seg[-1].x1)
            text = join_wrapped([seg])
            cells[c] = f"{cells[c]} {text}" if cells[c] else text
        wraps = (rows and prev_mid is not None and _mid(item) - prev_mid < _WRAP_PITCH * pitch
                 and not any(a and b and (_FIGURE.match(a) or _FIGURE.match(b))
                             for a, b in zip(rows[-1][1], cells)))
        if wraps:
            last, last_cells = rows[-1]
            box = (min(last.bbox[0], item.bbox[0]), last.bbox[1], max(last.bbox[2], item.bbox[2]), item.bbox[3])
            rows[-1] = (Item(last.page, box, (), ()), [a + b for a, b in zip(last_cells, cells)])
        else:
            rows.append((item, cells))
        prev_mid = _mid(item)
    xs = tuple(round(c0, 2) for c0, _ in columns)
    return [Item(item.page, item.bbox, tuple(cells), xs, in_table=True) for item, cells in rows]
