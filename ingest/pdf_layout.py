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
    return [line for line in lines if any(not c.text.isspace() for c in line)]


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
_CJK = "\u2018-\u201f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"   # the ranges of is_cjk
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
#
# A table without ruling lines (a "three-line" table with only horizontal rules, or
# none at all) is rebuilt from positions. Columns come from the data rows: figures
# are right-aligned and labels left-aligned, so the x ranges the rows' cells occupy
# never overlap between two columns; a line is cut into cells where a gap is wide or
# where a figure meets text. Columns blank in every row come from the header words.
# The header rows are rebuilt as a ruled grid would give them: wrapped header text
# joined, a spanning header placed over the columns it is centred on, in their first.

_FIGURE = re.compile(r"^[-−—–]?[\d,，.]+%?$|^[-—–]$")
_NUMERIC = set("0123456789,，.．%")
_DECIMALS = re.compile(r"\d[.．]\d{1,2}%?$")
_ROW_GAP_EM = 1.2    # a line with a gap this wide (in ems) may be a table row
_CELL_GAP_EM = 1.0   # within a row: a gap of an em or more separates two cells
_SWITCH_GAP_EM = 0.3  # a figure and text this far apart are two cells
_CODE_GAP_EM = 0.75  # a code and its name closer than this are one cell ("2070109 群众文化")
_WRAP_PITCH = 0.8    # a line closer than this share of the usual row pitch continues the row
_MIN_FIGURE_ROWS = 3  # fewer lines with figures in columns are prose, not a table
_SAME_ROW = 0.6     # lines closer than this many character sizes are one row on uneven baselines
_LINE_SPACING = 3.0  # lines of one table are at most this many character sizes apart
_MARKER = re.compile(r"[:：]|表$|^[（(]?续[表)）]?$")   # title, 单位：, 部门： lines are no header
_DATA_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{3})")  # row labels
_THREE_DIGITS = re.compile(r"\d{3}")   # the 类 part of a code
_TWO_DIGITS = re.compile(r"\d{2}")     # its 款 or 项 part
# The 类/款/项 sub-columns of a classification code: merged into one code cell
# ("201 06 01") as the text exports carry the code in one column.
CODE_PARTS = (("类", "款", "项"), ("类", "款"))


def _median(values, default: float = 0.0) -> float:
    """The upper median, `default` for no values."""
    values = sorted(values)
    return values[len(values) // 2] if values else default


def _mid(item: Item) -> float:
    return (item.bbox[1] + item.bbox[3]) / 2


def _size(item: Item) -> float:
    """The line's character size: the median glyph box height (figures in some
    fonts carry much taller boxes than the text around them)."""
    return _median((c.height for c in item.chars if not c.text.isspace()), item.bbox[3] - item.bbox[1])


def em_size(chars: list[Char]) -> float:
    """The font size from advance widths (a CJK glyph is an em wide, a digit half
    of one): loose glyph boxes are often twice as tall as the type."""
    sizes = [(c.x1 - c.x0) * (1 if is_cjk(c.text) else 2) for c in chars if is_cjk(c.text) or c.text.isdigit()]
    return _median(sizes) if sizes else _median((c.height for c in chars), 10.0)


def _split(line: list[Char], cuts) -> list[list[Char]]:
    """A line's visible characters in pieces, a new one wherever
    cuts(piece so far, previous char, char) says so."""
    pieces: list[list[Char]] = []
    prev: Char | None = None
    for ch in line:
        if ch.text.isspace():
            continue
        if prev is None or cuts(pieces[-1], prev, ch):
            pieces.append([])
        pieces[-1].append(ch)
        prev = ch
    return pieces


def segments(line: list[Char], gap: float) -> list[list[Char]]:
    """A line cut where the gap between characters is `gap` or wider: a column gap."""
    return _split(line, lambda _, prev, ch: ch.x0 - prev.x1 >= gap)


def cell_tokens(line: list[Char], em: float) -> list[list[Char]]:
    """A table line cut into cell texts: at gaps of an em, and where a figure and
    text meet with a visible gap (a figure set close to its label is still a cell
    of its own; a code and its name typed with one space stay together)."""
    return _split(line, lambda token, prev, ch: _cuts(token, prev, ch, em))


def _cuts(token: list[Char], prev: Char, ch: Char, em: float) -> bool:
    gap = ch.x0 - prev.x1
    if gap >= _CELL_GAP_EM * em:
        return True
    was, now = prev.text in _NUMERIC, ch.text in _NUMERIC
    if was and now:     # two amounts set close: the first ends in its decimals
        return gap >= _SWITCH_GAP_EM * em and bool(_DECIMALS.search("".join(c.text for c in token)))
    if was == now:
        return False
    if was and all(c.text.isdigit() for c in token):
        return gap >= _CODE_GAP_EM * em
    return gap >= _SWITCH_GAP_EM * em


@dataclass
class Carry:
    """The columns of the rule-less table that ended a page: its continuation on
    the next page comes without a header, and its blank columns need these."""
    columns: list[list[float]] | None = None


def table_items_from_prose(items: list[Item], carry: Carry) -> list[Item]:
    """Rebuild tables printed without rules from word positions: runs of lines
    that split into several cells, at least three of them carrying figures (or
    fewer under a header of several lines), are a table, with the header lines
    just above it; a header alone is an empty table. A run opening the page that
    fits the columns of the table ending the previous page continues that table;
    `carry` hands the columns of a table ending this page on to the next."""
    pieces = [segments(it.chars, _ROW_GAP_EM * em_size(it.chars)) for it in items]
    texts = [[join_chars(s) for s in p] for p in pieces]
    is_row = [len(t) >= 2 and any(_FIGURE.match(x) for x in t) for t in texts]
    is_head = [len(t) >= 2 and not row and _is_header_line(t) for t, row in zip(texts, is_row)]
    out: list[Item] = []
    previous, carry.columns = carry.columns, None

    def near(a: int, b: int) -> bool:
        return _mid(items[b]) - _mid(items[a]) < _LINE_SPACING * _size(items[a])

    def header_run(i: int) -> bool:
        run = [i]
        while len(run) < 5 and run[-1] + 1 < len(items) and near(run[-1], run[-1] + 1):
            run.append(run[-1] + 1)
        return is_head[i] and sum(is_head[k] for k in run) >= 3

    i = 0
    while i < len(items):
        if not is_row[i] and not header_run(i):
            out.append(items[i])
            i += 1
            continue
        # Extend the block over the lines that follow at table line spacing (rows with
        # a label only and wrapped labels included); it ends at its last line of cells.
        j = last_row = i
        while j + 1 < len(items) and (near(j, j + 1) or is_row[j + 1] and _in_columns(
                pieces[j + 1], [s for k in range(i, j + 1) if is_row[k] for s in pieces[k]])):
            j += 1
            if is_row[j] or is_head[j]:
                last_row = j
        j = last_row
        top = i
        while top > 0 and near(top - 1, top) and not _is_prose(items[top - 1]):
            top -= 1
        opening = previous is not None and not any(it.in_table for it in out) and \
            all(len(items[k].cells[0]) <= 20 for k in range(top) if k < i)
        # Header lines just above belong to the table too: lines of several cells, and
        # short one-cell lines (a spanning "项目") that are no title or marker. Above a
        # continued table, label-only rows are rows.
        while i > 0 and out and not out[-1].in_table \
                and (_is_header_line(texts[i - 1]) or opening and not _is_prose(items[i - 1])) \
                and near(i - 1, i):
            out.pop()
            i -= 1
        block = list(range(i, j + 1))
        figures = sum(is_row[k] for k in block)
        first = next((k for k in block if is_row[k]), j + 1)
        headed = sum(is_head[k] for k in block if k < first) >= 2
        if figures >= _MIN_FIGURE_ROWS or opening and figures or headed:
            rows, carry.columns = _block_rows([items[k] for k in block], [is_row[k] for k in block],
                                              previous if opening else None)
            out.extend(rows)
        else:
            out.extend(items[k] for k in block)
        previous = None
        i = j + 1
    return out


def _in_columns(line: list[list[Char]], block: list[list[Char]]) -> bool:
    """A row printed apart (a 总计 after blank rows): each of its cells under cells of the block."""
    return len(block) >= 4 and all(any(p[0].x0 < q[-1].x1 and p[-1].x1 > q[0].x0 for q in block) for p in line)


def _is_header_line(texts: list[str]) -> bool:
    if not texts or any(_MARKER.search(t) for t in texts) or _DATA_LABEL.match(texts[0]):
        return False
    return len(texts) >= 2 or len(texts[0].replace(" ", "")) <= 12


def _is_prose(item: Item) -> bool:
    text = item.cells[0] if item.cells else ""
    return len(text) > 40 or bool(_MARKER.search(text)) or text.endswith("。")


@dataclass
class _Token:
    x0: float
    x1: float
    text: str
    line: int
    y: float = 0.0      # vertical middle of its line
    chars: list[Char] = field(default_factory=list, repr=False)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _block_rows(items: list[Item], is_row: list[bool], carried: list[list[float]] | None = None
                ) -> tuple[list[Item], list[list[float]]]:
    """The rows of one table block (header rows first), and its columns."""
    # Lines a few points apart are one row whose fonts sit on different baselines.
    lines: list[tuple[Item, list[Char], bool]] = []
    for item, row in zip(items, is_row):
        chars = [c for c in item.chars if not c.text.isspace()]
        if lines and _mid(item) - _mid(lines[-1][0]) < _SAME_ROW * _size(item):
            prev, prev_chars, prev_row = lines[-1]
            box = (min(prev.bbox[0], item.bbox[0]), min(prev.bbox[1], item.bbox[1]),
                   max(prev.bbox[2], item.bbox[2]), max(prev.bbox[3], item.bbox[3]))
            merged = sorted(prev_chars + chars, key=lambda c: c.x0)
            lines[-1] = (Item(item.page, box, (), (), chars=merged), merged, prev_row or row)
        else:
            lines.append((item, chars, row))
    em = em_size([c for _, chars, _ in lines for c in chars])
    tokens = [[_Token(t[0].x0, t[-1].x1, join_wrapped([t]), k, _mid(item), t) for t in cell_tokens(chars, em)]
              for k, (item, chars, _) in enumerate(lines)]
    every = [t for line in tokens for t in line]
    if carried and _fits(every, carried, em):
        first_row, columns = 0, [list(c) for c in carried]
    else:
        first_row = next((k for k, (_, _, row) in enumerate(lines) if row), len(lines))
        columns = _columns(tokens[first_row:], tokens[:first_row])
    bounds = _bounds(columns, every)
    head = [_split_at_columns(line, columns, bounds, em) for line in tokens[:first_row]]
    body = tokens[first_row:]

    def column_of(t: _Token) -> int:
        """The column the token overlaps most, else the one its centre falls in."""
        def overlap(c: int) -> float:
            return min(t.x1, columns[c][1]) - max(t.x0, columns[c][0])
        best = max(range(len(columns)), key=overlap)
        return best if overlap(best) > 0 else _center_column(bounds, t.center)

    out_rows: list[tuple[tuple[float, float, float, float], list[str]]] = []
    for level in _header_levels(head, columns, bounds, em):
        cells = [""] * len(columns)
        for col, t in level:
            cells[col] = f"{cells[col]} {t.text}" if cells[col] else t.text
        box = lines[min(t.line for _, t in level)][0].bbox
        out_rows.append(((min(t.x0 for _, t in level), box[1], max(t.x1 for _, t in level), box[3]), cells))

    body_lines = lines[first_row:]
    pitch = _median(_mid(b[0]) - _mid(a[0]) for a, b in zip(body_lines, body_lines[1:]))
    rows: list[tuple[Item, list[str]]] = []
    prev_mid = None
    for (item, _, _), line_tokens in zip(body_lines, body):
        cells = [""] * len(columns)
        for t in line_tokens:
            c = column_of(t)
            cells[c] = _SPREAD.sub("", f"{cells[c]} {t.text}") if cells[c] else t.text
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
    out_rows += [(item.bbox, cells) for item, cells in rows]
    matrix = [cells for _, cells in out_rows]
    xs = [c0 for c0, _ in columns]
    groups = code_groups(matrix) or _code_part_columns(matrix[len(out_rows) - len(rows):])
    if groups:
        matrix, xs = merge_columns(matrix, xs, groups)
    page = items[0].page
    return [Item(page, box, tuple(cells), tuple(round(x, 2) for x in xs), in_table=True)
            for (box, _), cells in zip(out_rows, matrix)], columns


def _fits(tokens: list[_Token], columns: list[list[float]], em: float) -> bool:
    """Whether the lines sit in the given columns: each cell text inside one column's cell."""
    bounds = _bounds(columns, [])
    if not tokens or min(t.x0 for t in tokens) < bounds[0][0] - 2 * em or \
            max(t.x1 for t in tokens) > bounds[-1][1] + 2 * em:
        return False
    return all(sum(min(t.x1, hi) - max(t.x0, lo) > 0.3 * em for lo, hi in bounds) <= 1 for t in tokens)


def _split_at_columns(line: list[_Token], columns, bounds, em: float) -> list[_Token]:
    """Header words set close together ("基本支出项目支出") cut where a gap between
    them falls between two columns."""
    out = []
    for t in line:
        start = 0
        for n in range(1, len(t.chars)):
            a, b = t.chars[n - 1], t.chars[n]
            gap = b.x0 - a.x1
            if gap < 0.2 * em or n - start < 2 or len(t.chars) - n < 2:
                continue
            middle = (a.x1 + b.x0) / 2
            if any(c0 < middle < c1 for c0, c1 in columns):
                continue
            if _center_column(bounds, (a.x0 + a.x1) / 2) != _center_column(bounds, (b.x0 + b.x1) / 2):
                out.append(_piece(t, start, n))
                start = n
        out.append(_piece(t, start, len(t.chars)) if start else t)
    return out


def _piece(t: _Token, start: int, end: int) -> _Token:
    chars = t.chars[start:end]
    return _Token(chars[0].x0, chars[-1].x1, join_wrapped([chars]), t.line, t.y, chars)


def _columns(body: list[list[_Token]], head: list[list[_Token]]) -> list[list[float]]:
    """Columns as x ranges: the union of overlapping cell ranges of the data rows,
    plus ranges of header words over no data at all (the lowest of a stack, and not
    one centred over several columns: that one spans them)."""
    columns: list[list] = []     # [x0, x1, found from the header only]
    for x0, x1 in sorted((t.x0, t.x1) for line in body for t in line):
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1, False])
    every = [t for line in head + body for t in line]
    for k in range(len(head) - 1, -1, -1):
        for t in head[k]:
            hit = [col for col in columns if t.x0 < col[1] and t.x1 > col[0]]
            lower = [b for line in head[k + 1:] for b in line]
            below = any(t.x0 < b.x1 and t.x1 > b.x0 for b in lower)
            if not hit and not below and not _spans(t, columns, every, lower):
                columns.append([t.x0, t.x1, True])
                columns.sort()
            elif len(hit) == 1 and hit[0][2]:
                hit[0][0], hit[0][1] = min(hit[0][0], t.x0), max(hit[0][1], t.x1)
    # Figures centred in their cells ("0") can miss the header words above them: such
    # a column joins the nearer of its neighbours found from the header only.
    heads = [t for line in head for t in line]
    for col in [c for c in columns if not c[2]]:
        if not heads or any(t.x0 < col[1] and t.x1 > col[0] for t in heads):
            continue
        n = columns.index(col)
        near = [m for m in (n - 1, n + 1) if 0 <= m < len(columns) and columns[m][2]]
        if near:
            m = min(near, key=lambda m: abs(columns[m][0] + columns[m][1] - col[0] - col[1]))
            columns[m][:] = [min(col[0], columns[m][0]), max(col[1], columns[m][1]), False]
            columns.remove(col)
    return [[x0, x1] for x0, x1, _ in columns]


def _spans(t: _Token, columns: list[list], tokens: list[_Token], lower: list[_Token]) -> bool:
    """Whether a header word sits centred over two or more neighbouring columns
    that have header words of their own below it."""
    if len(columns) < 2 or not lower:
        return False
    bounds = _bounds([c[:2] for c in columns], tokens)
    size = max(t.x1 - t.x0, 1.0) / max(len(t.text.replace(" ", "")), 1)

    def headed(c: int) -> bool:
        return any(bounds[c][0] <= b.center < bounds[c][1] for b in lower)

    for a in range(len(bounds)):
        for b in range(a + 1, len(bounds)):
            if bounds[a][0] <= t.x0 and t.x1 <= bounds[b][1] and headed(a) and headed(b) and \
                    abs((bounds[a][0] + bounds[b][1]) / 2 - t.center) <= size:
                return True
    return False


def _bounds(columns: list[list[float]], tokens: list[_Token]) -> list[tuple[float, float]]:
    """Each column's cell extent: halfway to its neighbours, the table's edges outside."""
    left = min([t.x0 for t in tokens] + [columns[0][0]])
    right = max([t.x1 for t in tokens] + [columns[-1][1]])
    cuts = [left] + [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])] + [right]
    return list(zip(cuts, cuts[1:]))


def _center_column(bounds: list[tuple[float, float]], x: float) -> int:
    for c, (lo, hi) in enumerate(bounds):
        if x < hi:
            return c
    return len(bounds) - 1


def _header_levels(head: list[list[_Token]], columns, bounds, em: float) -> list[list[tuple[int, _Token]]]:
    """Header lines as grid rows: [(first column, token)] per row, top down."""
    if not head:
        return []
    head = [list(line) for line in head]

    def overlapped(t: _Token) -> list[int]:
        return [c for c, (lo, hi) in enumerate(bounds) if min(t.x1, hi) - max(t.x0, lo) > 0.3 * em]

    def single(t: _Token) -> int | None:
        hit = overlapped(t)
        return hit[0] if len(hit) == 1 else None

    # Wrapped header text: a line filling its column continued by the lines below
    # it in that column (a 类/款/项 sub-header is never a continuation).
    for k, line in enumerate(head):
        for u in line:
            c = single(u)
            if c is None or u.x1 - u.x0 < columns[c][1] - columns[c][0] - em:
                continue
            last_y = u.y
            while True:
                below = [(low.y, lower, low) for lower in head[k + 1:] for low in lower
                         if single(low) == c and low.text not in "类款项"]
                if not below:
                    break
                y, lower, low = min(below, key=lambda b: b[0])
                if y - last_y > 2.0 * em:
                    break
                u.text += (" " if u.text[-1:].isascii() and low.text[:1].isascii() else "") + low.text
                u.x0, u.x1, last_y = min(u.x0, low.x0), max(u.x1, low.x1), y
                lower.remove(low)
    # Spans: a word with header words below it spans the columns it is centred on.
    spans: list[tuple[int, int, _Token]] = []
    for k, line in enumerate(head):
        own = {id(t): _center_column(bounds, t.center) for t in line}
        for t in line:
            cc = own[id(t)]
            hit = overlapped(t) or [cc]
            lo, hi = min(hit + [cc]), max(hit + [cc])
            below = any(cc in (overlapped(b) or [_center_column(bounds, b.center)]) for b in
                        (b for lower in head[k + 1:] for b in lower))
            if not below:
                spans.append((cc, cc, t))
                continue
            claimed = {c for i, c in own.items() if i != id(t)}
            best = (lo, hi) if len(hit) > 1 else (cc, cc)
            for a in range(lo, -1, -1):
                if a in claimed:
                    break
                for b in range(hi, len(bounds)):
                    if b in claimed:
                        break
                    width = bounds[b][1] - bounds[a][0]
                    centre = (bounds[a][0] + bounds[b][1]) / 2
                    if abs(centre - t.center) <= max(0.5 * em, 0.2 * width / (b - a + 1)) \
                            and b - a > best[1] - best[0]:
                        best = (a, b)
            spans.append((best[0], best[1], t))
    # A header cell spanning rows (a leaf beside a parent) moves up to the first row
    # where nothing above covers its columns, as a ruled grid gives it.
    placed: list[tuple[int, int, int, _Token]] = []   # (level, a, b, token)
    for a, b, t in spans:
        level = 0
        for lv, pa, pb, p in placed:
            if p.line < t.line and pa <= b and a <= pb:
                level = max(level, p.line + 1)
        placed.append((level, a, b, t))
    levels = sorted({lv for lv, *_ in placed})
    return [[(a, t) for lv, a, _, t in placed if lv == level] for level in levels]


def code_groups(matrix: list[list[str]]) -> list[tuple[int, ...]]:
    """Column groups headed 类 | 款 | 项 in one row."""
    for row in matrix:
        groups = []
        c = 0
        while c < len(row):
            for parts in CODE_PARTS:
                if tuple(row[c:c + len(parts)]) == parts:
                    groups.append(tuple(range(c, c + len(parts))))
                    c += len(parts) - 1
                    break
            c += 1
        if groups:
            return groups
    return []


def _code_part_columns(rows: list[list[str]]) -> list[tuple[int, ...]]:
    """Column groups holding the parts of a code ("201" | "06" | "01") without a
    类/款/项 header: a 3-digit column followed by one or two 2-digit columns."""
    width = max((len(r) for r in rows), default=0)

    def kind(c: int) -> set[str]:
        return {("3" if _THREE_DIGITS.fullmatch(v) else "2" if _TWO_DIGITS.fullmatch(v) else "x")
                for r in rows if c < len(r) and (v := r[c].strip())}

    groups = []
    c = 0
    while c < width - 1:
        if kind(c) == {"3"} and kind(c + 1) == {"2"}:
            g = (c, c + 1, c + 2) if c + 2 < width and kind(c + 2) == {"2"} else (c, c + 1)
            if all(not r[g[-1]] or r[g[0]] for r in rows if len(r) > g[-1]):
                groups.append(g)
                c += len(g)
                continue
        c += 1
    return groups


def merge_columns(matrix: list[list[str]], xs: list[float], groups: list[tuple[int, ...]]):
    """Each group of columns as one column, its texts joined by a space."""
    first = {g[0]: g for g in groups}
    dropped = {c for g in groups for c in g[1:]}
    out = []
    for row in matrix:
        cells = []
        for c, text in enumerate(row):
            if c in first:
                cells.append(" ".join(row[i] for i in first[c] if i < len(row) and row[i]))
            elif c not in dropped:
                cells.append(text)
        out.append(cells)
    return out, [x for c, x in enumerate(xs) if c not in dropped]
