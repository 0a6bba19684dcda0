"""Small text helpers every parser shares: whitespace folding, Chinese
numerals, spans over lines and cells."""
from __future__ import annotations

import re
import unicodedata

from ..records import Line, Span

_CJK = r"\u4e00-\u9fff"
# PDF extraction and hand-typed exports break words with spaces: "公务用车购 置费".
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}（）()“”、])\s+(?=[{_CJK}（）()“”、])")
_CELL_GAP = re.compile(r"\t| {2,}|\u3000+")

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}

# Leading enumerations of headings and list items: 一、 （一） (1) 1. 1、 ①
ORDINAL = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+(?:部分|章|节)|[一二三四五六七八九十]+\s*[、.．]|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．](?!\d)|[①-⑳])\s*")


def tidy(text: str) -> str:
    """Collapse spaces that only split CJK words; keep other spacing single."""
    text = _INNER_SPACE.sub("", text.strip())
    return re.sub(r"\s+", " ", text)


def fold(text: str) -> str:
    """Width-folded, space-free form for keyword tests (not for output)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_CN_YEAR = re.compile(r"([一二三四五六七八九〇零○Ｏ]{4})(?=\s*年)")


def arabic_years(text: str) -> str:
    """Years written in Chinese numerals ("二〇二三年") as digits ("2023年")."""
    return _CN_YEAR.sub(lambda m: "".join(str(CN_DIGITS.get(ch, 0)) for ch in m.group(1)), text)


def cn_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十三 -> 23; digits pass through."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:  # "十十", "一二十": not a numeral
            return None
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + CN_DIGITS[ch]
    return value


def line_span(line: Line, start: int | None = None, end: int | None = None) -> Span:
    return Span(line.no, line.no, line.text, page=line.page, char_start=start, char_end=end)


def lines_span(lines: list[Line]) -> Span:
    return Span(lines[0].no, lines[-1].no, "\n".join(ln.text for ln in lines), page=lines[0].page)


def cell_offsets(line: Line) -> list[tuple[int, int]]:
    """(start, end) of each of line.cells within line.text, for cell-precise spans."""
    offsets, pos = [], 0
    text = line.text
    pieces = _CELL_GAP.split(text) if "\t" in text or "  " in text or "\u3000" in text else [text]
    if len(pieces) != len(line.cells):
        # The reader split differently (PDF word positions): find each cell in order.
        for cell in line.cells:
            i = text.find(cell, pos) if cell else pos
            if i < 0:
                i = pos
            offsets.append((i, i + len(cell)))
            pos = i + len(cell)
        return offsets
    for gap in list(_CELL_GAP.finditer(text)) + [None]:
        end = gap.start() if gap else len(text)
        raw = text[pos:end]
        lead = len(raw) - len(raw.lstrip())
        offsets.append((pos + lead, pos + len(raw.rstrip())))
        pos = gap.end() if gap else end
    return offsets


def cells_text(line: Line) -> list[str]:
    """The non-empty cells of a line."""
    return [c for c in line.cells if c]


def line_text(line: Line) -> str:
    """A line's cells joined by single spaces and tidied: the form prose tests read."""
    return tidy(" ".join(cells_text(line)))
