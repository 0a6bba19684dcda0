"""The explanation of an empty table, wherever the report gives it.

Most reports print "本部门没有…" under the empty table (read with the table's
tail in tables.py); others say it in 第三部分 情况说明, in the section that
discusses the table ("七、政府性基金支出预算表情况说明 … 本部门无政府性基金预算。").
Such a sentence negates the table's subject (its fund type, or its title words)
within one clause; the sentence is kept with its span.
"""
from __future__ import annotations

import re

from ..records import Line, Section, Span, Table
from .segment import HEADING_1, HEADING_2, HEADING_3, PART
from .text import fold, lines_span, line_span, tidy

# What an empty table of a family is about, in the words a sentence uses for it.
SUBJECTS = {
    "gov_fund": "政府性基金",
    "state_capital": "国有资本经营",
    "three_public": "三公",
    "operating_cost": "机关运行经费",
    "procurement": "政府采购",
    "project": "项目支出",
}
NEGATION = r"(?:没有|无|未安排|未发生|未使用|不涉及)"
_EMPTY_AFTER = r"(?:为空|为零|为0|无数据|空表)"
_SENTENCE_END = "。；;！!"
_MAX_NOTE = 120


def table_subject(table: Table) -> str:
    """The words a sentence about this table uses: its fund type, else its title
    without the 预算/决算 表 ending ("一般公共预算机关运行经费支出")."""
    if table.family in SUBJECTS:
        return SUBJECTS[table.family]
    core = re.sub(r"(预算|决算)?(明细)?表$", "", fold(table.title))
    return re.sub(r"^(部门|单位)", "", core)


def find_empty_note(table: Table, lines: list[Line], skip: set[int],
                    sections: list[Section]) -> tuple[str, Span] | None:
    """The sentence explaining why `table` is empty: first in the section whose
    heading names the table, else anywhere outside the 目录 and the table grids."""
    subject = re.escape(table_subject(table))
    pattern = re.compile(rf"{NEGATION}[^，,。；;\n]{{0,15}}?{subject}|{subject}[^，,。；;\n]{{0,20}}?{_EMPTY_AFTER}")
    title = re.sub(r"(情况)?说明$", "", fold(table.title))
    first = lines[0].no if lines else 0
    ranges = []
    for k, sec in enumerate(sections):
        if title and title in fold(sec.title):
            stop = next((s.span.line_start for s in sections[k + 1:] if s.level <= sec.level), None)
            ranges.append((sec.span.line_start - first, (stop - first) if stop else len(lines)))
    ranges.append((0, len(lines)))
    for lo, hi in ranges:
        found = _search(lines[lo:hi], skip, lo, pattern)
        if found:
            return found
    return None


def _search(lines: list[Line], skip: set[int], offset: int, pattern: re.Pattern) -> tuple[str, Span] | None:
    """Prose lines joined into one text (a wrapped line continues its sentence;
    headings and lines ending a sentence break it), searched clause by clause."""
    text, starts, kept = "", [], []
    for i, ln in enumerate(lines):
        if offset + i in skip or not ln.text.strip():
            continue
        line_text = ln.text.strip()
        if text and not text.endswith("\n"):
            prev = kept[-1].text.strip()
            if prev[-1:] in _SENTENCE_END + "：:" or _is_heading(prev) or _is_heading(line_text):
                text += "\n"
        starts.append(len(text))
        kept.append(ln)
        text += line_text
    for m in pattern.finditer(text):
        start, end = _bounds(text, m.start(), m.end(), _SENTENCE_END + "\n")
        if end - start > _MAX_NOTE:      # a long sentence: its clause alone
            start, end = _bounds(text, m.start(), m.end(), "，," + _SENTENCE_END + "\n")
        return tidy(text[start:end]), _span(kept, starts, start, end)
    return None


def _bounds(text: str, a: int, b: int, stops: str) -> tuple[int, int]:
    """[start, end) of the run around text[a:b] between stop characters (the closing
    punctuation kept, a line break not)."""
    start = max(text.rfind(ch, 0, a) for ch in stops) + 1
    ends = [i for i in (text.find(ch, b) for ch in stops) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    if text[end - 1:end] == "\n":
        end -= 1
    while start < end and text[start] == " ":
        start += 1
    return start, end


def _is_heading(text: str) -> bool:
    t = tidy(text)
    return len(t) <= 40 and any(p.match(t) for p in (PART, HEADING_1, HEADING_2, HEADING_3))


def _span(kept: list[Line], starts: list[int], start: int, end: int) -> Span:
    first = max(k for k, s in enumerate(starts) if s <= start)
    last = max(k for k, s in enumerate(starts) if s < end)
    if first == last:
        ln = kept[first]
        lead = len(ln.text) - len(ln.text.lstrip())
        a, b = start - starts[first] + lead, end - starts[first] + lead
        return line_span(ln, a, min(b, len(ln.text)))
    return lines_span(kept[first:last + 1])
