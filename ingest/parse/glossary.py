"""名词解释: numbered "term：definition" entries, and entries that explain a
classification subject "X(类) Y(款) Z(项)。反映…" (code_path = (X, Y, Z))."""
from __future__ import annotations

import re

from ..records import GlossaryEntry, Line
from .segment import PART, table_title
from .text import ORDINAL, line_text, lines_span, tidy

GLOSSARY_HEADING = re.compile(r"名词解释|名词说明|术语解释")
_TERM = re.compile(r"^\**\s*(?P<term>[^：:。，,*]{1,40}?)\s*\**\s*[：:]\s*(?P<definition>.+)$")
_SUBJECT = re.compile(
    r"^(?P<subject>(?P<lei>[^（(。]+?)\s*[（(]类[)）]\s*(?:(?P<kuan>[^（(。]+?)\s*[（(]款[)）])?\s*"
    r"(?:(?P<xiang>[^（(。]+?)\s*[（(]项[)）])?)\s*[。.：:]?\s*(?P<definition>.*)$")
_TITLE_LIKE = re.compile(r"^[^，。；：,;:]{2,25}$")


def find_glossary_start(lines: list[Line]) -> int | None:
    """Index of the 名词解释 heading line (a short line naming it)."""
    for i, ln in enumerate(lines):
        text = line_text(ln)
        if GLOSSARY_HEADING.search(text) and len(text) <= 30 and not text.endswith("。"):
            return i
    return None


def parse_glossary(lines: list[Line]) -> list[GlossaryEntry]:
    """Entries from the lines after the heading up to the next part or heading-like line."""
    entries: list[GlossaryEntry] = []
    current: list[Line] = []

    def close() -> None:
        if current:
            entry = _entry(current)
            if entry:
                entries.append(entry)

    for ln in lines:
        text = line_text(ln)
        if not text:
            continue
        starts = bool(ORDINAL.match(text)) or bool(_TERM.match(text) and len(text.split("：")[0]) <= 20)
        if PART.match(text) or table_title(ln) or (_TITLE_LIKE.match(text) and not ORDINAL.match(text)):
            break
        if starts:
            close()
            current = [ln]
        elif current:
            current.append(ln)       # a wrapped line of the current entry
    close()
    return entries


def _entry(lines: list[Line]) -> GlossaryEntry | None:
    text = "".join(line_text(ln) for ln in lines)
    body = ORDINAL.sub("", text).strip()
    body = re.sub(r"^\d+\s*[.．、]\s*", "", body)
    span = lines_span(lines)
    m = _SUBJECT.match(body)
    if m and m.group("kuan"):
        path = tuple(tidy(g) for g in (m.group("lei"), m.group("kuan"), m.group("xiang")) if g)
        return GlossaryEntry(term=tidy(m.group("subject")), definition=m.group("definition").strip(),
                             span=span, code_path=path)
    m = _TERM.match(body)
    if m:
        term = m.group("term").strip("* ")
        if re.fullmatch(r"[“\"「][^“”\"「」]+[”\"」]", term):   # quoted as a whole: “term”
            term = term[1:-1]
        return GlossaryEntry(term=term, definition=m.group("definition").strip(), span=span)
    return None
