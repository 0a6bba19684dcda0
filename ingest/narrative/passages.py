"""The narrative as passages: wrapped lines joined back into paragraphs, with a
way back from any character to its source line (for `Span`s).

PDF and text exports break sentences across lines (even inside a word), and
leave blank lines inside paragraphs; a passage runs on until a line ends a
sentence or a heading starts. Table-like lines (tab-separated cells) stay
passages of their own, so score and indicator tables keep their cells.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..records import Line, ParsedReport, Span

PART_RE = re.compile(r"^\s*第([一二三四五六七八九十]+)部分")
HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|"
    r"\d{1,2}\s*[.、．](?!\d)|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")
ITEM_RE = re.compile(r"^\s*[A-Z][、.．]")  # lettered items (indicators) start a passage
_SENTENCE_END = tuple("。；;！!？?：:")
NUM = r"\d[\d,，]*(?:\.\d+)?"
# An amount and its unit; 万 alone is 万元 in these reports.
AMOUNT = rf"({NUM})\s*(亿元|万元|万|元)?"
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)}


@dataclass
class Passage:
    lines: list[Line]
    text: str
    starts: list[int]             # char offset of each line in `text`
    part: int | None              # 第N部分 it belongs to
    region: str                   # explanation / other / attachment / body
    is_table: bool = False

    @property
    def is_heading(self) -> bool:
        return is_heading(self.text)

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lines[0].cells

    def span(self, start: int = 0, end: int | None = None, sentence: bool = True) -> Span:
        """The span of text[start:end]; the excerpt is the whole sentence around it
        unless `sentence` is False."""
        end = len(self.text) if end is None else end
        if sentence:
            start, end = sentence_bounds(self.text, start, end)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = max(bisect_right(self.starts, max(end - 1, start)) - 1, 0)
        line_a, line_b = self.lines[first], self.lines[last]
        char_start = char_end = None
        if first == last and (start > self.starts[first] or end < self.starts[first] + len(line_a.text)):
            char_start, char_end = start - self.starts[first], end - self.starts[first]
        return Span(line_a.no, line_b.no, self.text[start:end], page=line_a.page,
                    char_start=char_start, char_end=char_end)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = max(text.rfind(c, 0, start) for c in "。；;！？") + 1
    ends = [i for i in (text.find(c, max(end - 1, start)) for c in "。；;！？") if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return a, b


def is_heading(text: str) -> bool:
    t = text.strip()
    if t.endswith("。") and len(t) <= 24 and "。" not in t[:-1] and re.match(r"^[（(]?[一二三四五六七八九十]+[、)）]", t):
        t = t[:-1]  # 十三、预算绩效情况说明。
    # a sentence inside (（一）人员经费 9710.42 万元。主要包括：…) makes it a paragraph
    return (bool(HEADING_RE.match(t)) and len(t) <= 60 and "，" not in t and "," not in t
            and not t.endswith(("。", "；", ";")) and "。" not in t and not re.search(r"[:：].", t))


def _region(title: str) -> str:
    if "附件" in title:
        return "attachment"
    if "名词解释" in title or "表" in title.split("部分", 1)[-1][-6:]:
        return "skip"
    if "其他" in title:
        return "other"
    if "说明" in title:
        return "explanation"
    return "body"


def part_regions(lines: list[Line]) -> list[tuple[int, int, int, str]]:
    """(part, first index, end index, region) for each 第N部分 of the body; the
    table of contents repeats the headings, so the last occurrence of each counts."""
    last: dict[int, int] = {}
    for i, line in enumerate(lines):
        m = PART_RE.match(line.text)
        if m:
            last[cn_number(m.group(1))] = i
    order = sorted(last.items(), key=lambda kv: kv[1])
    out = []
    for n, (part, i) in enumerate(order):
        end = order[n + 1][1] if n + 1 < len(order) else len(lines)
        out.append((part, i, end, _region(lines[i].text)))
    return out


def narrative_passages(parsed: ParsedReport) -> list[Passage]:
    lines = parsed.document.lines
    regions = part_regions(lines)
    if not regions:  # no 第N部分 headings (many budgets): read the whole document
        regions = [(None, 0, len(lines), "body")]
    out: list[Passage] = []
    for part, a, b, region in regions:
        if region == "skip":
            continue
        out.extend(build_passages(lines[a:b], part, region))
    return out


def build_passages(lines: list[Line], part: int | None = None, region: str = "body") -> list[Passage]:
    out: list[Passage] = []
    current: list[Line] = []

    def flush():
        if current:
            out.append(_make(current, part, region))
            current.clear()

    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if "\t" in line.text and len(line.cells) >= 2:
            flush()
            out.append(_make([line], part, region, is_table=True))
            continue
        if current and (HEADING_RE.match(text) or ITEM_RE.match(text)
                        or current[-1].text.rstrip().endswith(_SENTENCE_END)):
            flush()
        current.append(line)
        if is_heading(text):  # headings are passages of their own
            flush()
    flush()
    return out


def _make(lines: list[Line], part, region, is_table=False) -> Passage:
    starts, parts, pos = [], [], 0
    for line in lines:
        starts.append(pos)
        parts.append(line.text)
        pos += len(line.text)
    return Passage(list(lines), "".join(parts), starts, part, region, is_table)


# --- values --------------------------------------------------------------------

def cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_NUM[tens] * 10 + (_CN_NUM.get(ones, 0) if ones else 0)
    return _CN_NUM.get(text, 0)


def to_decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None


def unit_of(text: str | None, default: str = "万元") -> str:
    if not text:
        return default
    return {"万": "万元"}.get(text, text)


def iso_date(m: re.Match) -> str | None:
    """YYYY-MM-DD, or YYYY-MM when the day is not stated; None for impossible dates."""
    y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        if d:
            return date(y, mo, int(d)).isoformat()
        date(y, mo, 1)
        return f"{y:04d}-{mo:02d}"
    except ValueError:
        return None


def clean_math(text: str) -> str:
    """Undo the LaTeX that PDF converters leave around comparators ($\\leq 5\\%$)."""
    text = text.replace("\\leq", "≤").replace("\\geq", "≥").replace("\\le", "≤").replace("\\ge", "≥")
    text = text.replace("\\%", "%").replace("$", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip(" ，,。；;")


def unspaced(text: str) -> str:
    """A name as it reads, without the spaces extraction put between characters
    (unlike ingest.parse.text.tidy, also those next to Latin letters and digits)."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text).strip()
