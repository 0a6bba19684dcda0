"""Where things are: the 目录, the parts (第N部分) and numbered headings, and
the table blocks (title, number/unit/department markers, body lines, tail).

Keyed on the standard layout only: a table is a title line naming a budget
table ("…决算表", "…预算表", "…经费…表") followed, after at most a few
marker lines (部门：, 公开NN表, 金额单位：), by grid lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Line, Section
from .numbers import is_amount, normalise_code, split_code_label
from .text import ORDINAL, cells_text, cn_number, fold, line_span, line_text, tidy

# --- markers -------------------------------------------------------------------

_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# 公开01表, 公开 03 表：, 部门预算2表; opening a cell: 表1, 表一, 附表1, 附表 2-1 (before a title)
NUMBER = re.compile(r"(?:公开|部门|预算|决算)\s*" + _NUM + r"\s*表|^附?表\s*" + _NUM +
                    r"(?:[-－—]\d+)?(?=\s*[:：]|\s|$)")
UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(?:人民币)?\s*(亿元|万元|元)")
DEPARTMENT = re.compile(
    r"(?:^|\s)(?:预算主管部门|编制部门|编制单位|部门名称|单位名称|部门|单位)\s*[:：]\s*"
    r"(.+?)(?=\s*(?:金额)?单位\s*[:：]|\s*公开|\s{2,}|$)")
TITLE_WORDS = re.compile(r"决算|预算|经费|收支|收入|支出")
TITLE_STOP = re.compile(r"[。，；：:,;]")
LEADER = re.compile(r"…{2,}|\.{4,}|·{4,}")
NOTE = re.compile(r"^(?:注|说明|备注)\s*\d?\s*[:：]")
EMPTY_NOTE = re.compile(r"(没有|无|未安排|未发生|不涉及|为空|为零|为0)")
PART = re.compile(r"^第([一二三四五六七八九十]+)部分[\s、.．:：]*(.*)$")
HEADING_1 = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(\S.*)$")
HEADING_2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(\S.*)$")
HEADING_3 = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(\S.*)$")
TOTAL_LABEL = re.compile(r"(合计|总计|小计)$|^(合计|总计|小计)")


def is_marker_cell(cell: str) -> bool:
    return bool(NUMBER.search(cell) or UNIT.search(cell) or DEPARTMENT.search(cell))


def is_marker_line(line: Line) -> bool:
    cells = cells_text(line)
    return bool(cells) and all(is_marker_cell(c) for c in cells)


def table_title(line: Line) -> str | None:
    """The table title a line states, without ordinal or year prefix, else None."""
    cells = [c for c in (_unmarked(c) for c in cells_text(line)) if c]
    if len(cells) != 1:
        return None
    text = tidy(cells[0]).lstrip("-•·* ")
    if PART.match(text):
        return None
    text = re.sub(r"[（(]?续(?:表)?[)）]?$", "", text).strip()
    text = ORDINAL.sub("", text)
    text = re.sub(r"^附?表\s*(?:\d+|[一二三四五六七八九十]{1,3})(?:[-－]\d+)?\s*[:：]?\s*", "", text)
    text = re.sub(r"^(?:(?:19|20)\d{2}|[二][〇零○O][一二三四五六七八九〇零○O]{2})\s*年度?", "", text).strip()
    if not text.endswith("表") or len(text) > 45 or len(text) < 4:
        return None
    if TITLE_STOP.search(text) or LEADER.search(text) or not TITLE_WORDS.search(text):
        return None
    if re.search(r"(部门|单位)(预算|决算)表$", text):    # the heading of the tables part, not a table
        return None
    return text


def _unmarked(cell: str) -> str:
    """A cell without its number/unit markers ("公开 01 表：收支预算总表" -> "收支预算总表");
    "" for a department line."""
    if DEPARTMENT.search(cell) and not NUMBER.search(cell):
        return ""
    text = UNIT.sub("", NUMBER.sub("", cell))
    return text.strip(" ：:")


def table_number(text: str) -> tuple[str, str] | None:
    """('公开01表', '01') from a marker cell."""
    m = NUMBER.search(text)
    if not m:
        return None
    digits = m.group(1) or m.group(2)
    number = cn_number(digits)
    if number is None:
        return None
    return tidy(m.group(0)).rstrip("：:"), f"{number:02d}"


def title_ordinal(line: Line) -> int | None:
    """The 一、/1. numbering printed before a table title (Jiangsu style)."""
    cells = [c for c in cells_text(line) if not is_marker_cell(c)]
    if not cells:
        return None
    m = re.match(r"^\s*(?:([一二三四五六七八九十]+)\s*[、.．]|(\d{1,2})\s*[、.．](?!\d))", cells[0])
    if not m:
        return None
    return cn_number(m.group(1)) if m.group(1) else int(m.group(2))


# --- the 目录 ------------------------------------------------------------------

def find_toc(lines: list[Line]) -> tuple[int, int] | None:
    """Index range [start, end) of the 目录: from its heading to the first line that
    repeats one of its entries, leaves its page, or reads as prose."""
    start = next((i for i, ln in enumerate(lines[:400]) if fold(ln.text) in ("目录", "目次")), None)
    if start is None:
        return None
    seen: set[str] = set()
    end = start + 1
    page = lines[start].page
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        text = line_text(ln)
        if not text:
            end = i + 1
            continue
        key = _entry_key(text)
        if key in seen:
            break
        if len(text) > 60 and not LEADER.search(text):
            break
        if page is not None and ln.page is not None and ln.page != page:
            if not LEADER.search(text):
                break
            page = ln.page
        seen.add(key)
        end = i + 1
    return start, end


def _entry_key(text: str) -> str:
    text = LEADER.split(text)[0]
    text = re.sub(r"^第[一二三四五六七八九十]+部分", "", fold(text).lstrip("-•·*"))
    text = ORDINAL.sub("", text).lstrip("、.．:：")
    return re.sub(r"[、.．:：\d]+$", "", text)


def toc_titles(lines: list[Line], toc: tuple[int, int] | None) -> list[str]:
    """Table titles the 目录 announces."""
    if not toc:
        return []
    out = []
    for ln in lines[toc[0]:toc[1]]:
        stripped = Line(ln.no, LEADER.split(ln.text)[0].rstrip(), tuple(
            LEADER.split(c)[0].strip() for c in ln.cells), ln.page)
        title = table_title(stripped)
        if title:
            out.append(title)
    return out


# --- table blocks ----------------------------------------------------------------

@dataclass
class Block:
    title: str
    title_line: Line
    head: list[Line] = field(default_factory=list)    # markers between title and grid
    body: list[Line] = field(default_factory=list)    # header rows and data rows
    tail: list[Line] = field(default_factory=list)    # notes and markers after the grid
    number: tuple[str, str] | None = None
    unit: str | None = None
    department: str | None = None
    ordinal: int | None = None


def is_grid_line(line: Line) -> bool:
    cells = [c for c in cells_text(line) if not is_marker_cell(c)]
    if len(cells) >= 2:
        return not NOTE.match(cells[0])
    if len(cells) == 1:
        c = cells[0]
        if is_amount(c) or normalise_code(c) or split_code_label(c)[0] or TOTAL_LABEL.search(tidy(c)):
            return True
        # One filled cell among blank ones is a row of a grid (a label with no amounts).
        return (len(line.cells) >= 2 and len(c) <= 40 and not NOTE.match(c)
                and table_title(line) is None and not c.endswith("。"))
    return False


def find_blocks(lines: list[Line], skip: range) -> list[Block]:
    """Table blocks in reading order. `skip` is the 目录's line-index range."""
    anchors: list[tuple[int, Line, int]] = []   # (index, title line, index after the title)
    consumed = 0
    for i, ln in enumerate(lines):
        if i in skip or not ln.cells or i < consumed:
            continue
        title_line, after = ln, i + 1
        if table_title(ln) is None:
            title_line, after = _wrapped_title(lines, i)
        if title_line is not None and _grid_follows(lines, after - 1):
            anchors.append((i, title_line, after))
            consumed = after
    blocks: list[Block] = []
    for k, (_, title_line, after) in enumerate(anchors):
        stop = anchors[k + 1][0] if k + 1 < len(anchors) else len(lines)
        block = Block(table_title(title_line), title_line, ordinal=title_ordinal(title_line))
        _read_markers(block, title_line)
        j = after
        while j < stop and not is_grid_line(lines[j]):   # head: blanks and markers
            block.head.append(lines[j])
            j += 1
        last_row = j
        while j < stop:                                   # body: grid lines, blanks between
            ln = lines[j]
            if is_grid_line(ln) or ((not ln.cells or _is_fragment(ln)) and _more_grid(lines, j, stop)):
                if ln.cells:
                    last_row = j
                j += 1
                continue
            if is_marker_line(ln) or _is_page_furniture(ln):
                j += 1
                continue
            break
        block.body = [ln for ln in lines[after + len(block.head): last_row + 1] if ln.cells]
        block.tail = _tail(lines, last_row + 1, stop)
        for ln in block.head:
            _read_markers(block, ln)
        for ln in block.body:
            if is_marker_line(ln):
                _read_markers(block, ln)
        blocks.append(block)
    _assign_tail_markers(blocks)
    return blocks


def _wrapped_title(lines: list[Line], i: int) -> tuple[Line | None, int]:
    """A title wrapped onto a second short line ("…会议费、培训费" / "支出预算表")."""
    ln = lines[i]
    nxt = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].cells), None)
    if nxt is None or len(cells_text(ln)) != 1 or len(cells_text(lines[nxt])) != 1:
        return None, i + 1
    tail = cells_text(lines[nxt])[0]
    if len(tail) > 12 or not tail.endswith("表"):
        return None, i + 1
    joined = ln.text + tail
    merged = Line(ln.no, joined, (cells_text(ln)[0] + tail,), ln.page, ln.bbox)
    return (merged, nxt + 1) if table_title(merged) else (None, i + 1)


def _grid_follows(lines: list[Line], i: int) -> bool:
    """A title is a table's only when grid lines follow after at most a few markers."""
    for ln in lines[i + 1: i + 25]:
        if not ln.cells:
            continue
        if is_grid_line(ln):
            return True
        if is_marker_line(ln) or _is_page_furniture(ln):
            continue
        return False
    return False


def _more_grid(lines: list[Line], j: int, stop: int) -> bool:
    for ln in lines[j + 1: stop]:
        if ln.cells:
            return is_grid_line(ln) and not NOTE.match(cells_text(ln)[0])
    return False


def _is_fragment(line: Line) -> bool:
    """A short one-cell line inside a grid: a header word ("科目编码") or a wrapped label."""
    cells = cells_text(line)
    return (len(cells) == 1 and len(cells[0]) <= 20 and not NOTE.match(cells[0])
            and not re.search(r"[。；;]", cells[0]) and table_title(line) is None)


def _is_page_furniture(line: Line) -> bool:
    """Page numbers and running footers a PDF leaves between table rows."""
    cells = cells_text(line)
    return len(cells) == 1 and bool(re.fullmatch(r"[-—\s]*\d{1,3}[-—\s]*|第\s*\d+\s*页.*", cells[0]))


def _tail(lines: list[Line], start: int, stop: int) -> list[Line]:
    """Lines after the grid that still belong to the table: notes, markers, and the
    "我部门没有…" sentence; stops at headings and prose."""
    out, prose = [], 0
    for ln in lines[start:stop]:
        if not ln.cells:
            continue
        text = line_text(ln)
        if PART.match(text) or HEADING_1.match(text):
            break
        out.append(ln)
        if not (NOTE.match(text) or is_marker_line(ln)):
            prose += 1
            if prose >= 2 or len(text) > 80:
                break
    return out


def _read_markers(block: Block, line: Line) -> None:
    for cell in cells_text(line):
        if block.number is None and (num := table_number(cell)):
            block.number = num
        if block.unit is None and (m := UNIT.search(cell)):
            block.unit = m.group(1)
        if block.department is None and (m := DEPARTMENT.search(cell)):
            dept = tidy(m.group(1))
            if dept and not UNIT.search(dept) and not NUMBER.search(dept) and dept not in ("万元", "元", "亿元"):
                block.department = dept


def _assign_tail_markers(blocks: list[Block]) -> None:
    """Markers printed after a table's grid (a title page layout where 公开04表 and
    金额单位 follow the body) belong to it when it has none, else to the next table."""
    for k, block in enumerate(blocks):
        for ln in block.tail:
            if not is_marker_line(ln) and not any(is_marker_cell(c) for c in cells_text(ln)):
                continue
            target = block
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            if nxt is not None and block.number is not None and table_number(" ".join(ln.cells)):
                target = nxt
            _read_markers(target, ln)


# --- sections ------------------------------------------------------------------

def find_sections(lines: list[Line], skip: set[int]) -> list[Section]:
    """Parts (第N部分, level 0) and numbered headings 一、(1) （一）(2) 1.(3), outside
    the 目录 and the table grids. `skip` holds line indexes to leave out."""
    sections: list[Section] = []
    part: int | None = None
    for i, ln in enumerate(lines):
        if i in skip:
            continue
        cells = cells_text(ln)
        if len(cells) != 1:
            continue
        text = tidy(cells[0])
        if m := PART.match(text):
            part = cn_number(m.group(1))
            sections.append(Section(part, text, 0, line_span(ln)))
            continue
        for level, pattern, limit in ((1, HEADING_1, 40), (2, HEADING_2, 40), (3, HEADING_3, 30)):
            m = pattern.match(text)
            if m and len(text) <= limit and _heading_like(text, level):
                sections.append(Section(part, text, level, line_span(ln)))
                break
    return sections


def _heading_like(text: str, level: int) -> bool:
    """Glossary entries ("十、项目支出：指…", "X(类) Y(款)…") and list items are not headings."""
    if re.search(r"[:：].+|[，,；;]|[（(]类[)）]", text) or "。" in text.rstrip("。"):
        return False
    return not (level == 3 and text.endswith("。"))
