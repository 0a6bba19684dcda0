"""Document → ParsedReport: identity, sections, tables, 概况 and 名词解释.

    from ingest.read import read_document
    from ingest.parse import parse_document
    report = parse_document(read_document("report.txt"))

Narrative prose (第三部分 情况说明, attachments) is another extractor's; it
works from `report.sections`. Bad input raises `IngestError` with file and line.
"""
from __future__ import annotations

from collections import Counter

from ..errors import IngestError
from ..records import Document, Line, ParsedReport
from .glossary import find_glossary_start, parse_glossary
from .meta import parse_meta
from .notes import find_empty_note
from .profile import parse_counts, parse_duties
from .segment import PART, Block, find_blocks, find_sections, find_toc, toc_titles
from .tables import parse_table, table_family
from .text import cells_text, tidy

__all__ = ["parse_document"]


def parse_document(document: Document) -> ParsedReport:
    lines = document.lines
    path = document.path
    if not any(ln.cells for ln in lines):
        raise IngestError(path, "not a budget report: the document has no text")
    toc = find_toc(lines)
    toc_range = range(*toc) if toc else range(0)
    blocks = _join_continuations(find_blocks(lines, toc_range))
    part_starts = [i for i, ln in enumerate(lines)
                   if i not in toc_range and len(cells_text(ln)) == 1 and PART.match(tidy(ln.cells[0] or ""))]
    first_block = _index(lines, blocks[0].title_line) if blocks else len(lines)
    cover_end = min(([toc[0]] if toc else []) + part_starts[:1] + [first_block])
    meta = parse_meta(path, lines, cover_end, blocks)
    report = ParsedReport(document=document, meta=meta)
    if not blocks:
        raise IngestError(path, "not a budget report: no budget table (收支总表, 收入表, 支出表, …) found",
                          line=meta.span.line_start if meta.span else None)

    in_tables = set(toc_range)
    for b in blocks:
        in_tables.update(range(_index(lines, b.title_line), _index(lines, b.body[-1]) + 1 if b.body else
                               _index(lines, b.title_line) + 1))
    report.sections = find_sections(lines, in_tables)

    default_unit = Counter(b.unit for b in blocks if b.unit).most_common(1)
    default_unit = default_unit[0][0] if default_unit else "万元"
    used: set[str] = set()
    for b in blocks:
        key = _table_key(b, used)
        report.tables.append(parse_table(b, key, meta.kind, path, default_unit, report.warnings, meta.year))

    for t in report.tables:
        if not t.empty_note and not any(c.amount for c in t.cells):
            found = find_empty_note(t, lines, in_tables, report.sections)
            if found:
                t.empty_note, t.empty_note_span = found
    _check_complete(report, lines, toc_titles(lines, toc), blocks)

    profile = _profile_lines(lines, toc_range, part_starts, first_block)
    report.duties = parse_duties(profile)
    report.counts = parse_counts(profile)
    start = find_glossary_start([ln if i not in toc_range else Line(ln.no, "", (), ln.page)
                                 for i, ln in enumerate(lines)])
    if start is not None:
        report.glossary = parse_glossary(lines[start + 1:])
    return report


def _index(lines: list[Line], line: Line) -> int:
    return line.no - lines[0].no


def _join_continuations(blocks: list[Block]) -> list[Block]:
    """A table continued on the next page may repeat its title: one table, not two."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if prev and b.title == prev.title and (b.number is None or b.number == prev.number):
            prev.body.extend(b.body)
            prev.tail = b.tail
            continue
        out.append(b)
    return out


def _table_key(block: Block, used: set[str]) -> str:
    if block.number:
        key = block.number[1]
    elif block.ordinal:
        key = f"{block.ordinal:02d}"
    else:
        key = table_family(block.title)
    base, n = key, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


def _check_complete(report: ParsedReport, lines: list[Line], announced: list[str], blocks: list[Block]) -> None:
    """A report cut off inside its tables is refused; a table missing from an
    otherwise complete report is a warning (publishers drop empty tables)."""
    path = report.document.path
    last = blocks[-1]
    last_row = last.body[-1] if last.body else last.title_line
    after = [ln for ln in lines[_index(lines, last_row) + 1:] if ln.cells]
    ends_in_tables = len(after) <= 3
    final = report.tables[-1]
    if not final.rows and not final.empty_note:
        if ends_in_tables:
            raise IngestError(path, f"truncated report: table {final.key} {final.title} has a header "
                                    "but no rows, and the text ends there", line=last_row.no, page=last_row.page)
        report.warnings.append(f"table {final.key} {final.title}: header without rows")
    for t in report.tables[:-1]:
        if not t.rows and not t.empty_note:
            report.warnings.append(f"table {t.key} {t.title}: header without rows")
    if len(announced) > len(blocks):
        message = (f"the 目录 announces {len(announced)} tables but {len(blocks)} were found")
        if ends_in_tables:
            raise IngestError(path, f"truncated report: {message}; the text ends at line {lines[-1].no} "
                                    f"inside table {final.key} {final.title}", line=lines[-1].no)
        report.warnings.append(message)


def _profile_lines(lines: list[Line], toc: range, part_starts: list[int], first_block: int) -> list[Line]:
    """第一部分 (or, without parts, what precedes the tables after the 目录)."""
    start = part_starts[0] if part_starts else (toc.stop if toc else 0)
    later = [i for i in part_starts if i > start]
    stop = min(later[:1] + [first_block]) if later else first_block
    return lines[start:max(stop, start)]
