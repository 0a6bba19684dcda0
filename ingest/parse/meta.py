"""Report identity: kind (决算/预算), department, year, level, title, publication
date and contact, from the cover lines, with the tables' 部门： lines as the
authority on the department's name."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ..errors import IngestError
from ..records import BUDGET, FINAL, Line, ReportMeta
from .segment import DEPARTMENT, PART, Block
from .text import arabic_years, cells_text, fold, line_span, line_text, tidy

YEAR = r"((?:19|20)\d{2})"
TITLE = re.compile(YEAR + r"\s*年度?\s*(?:区级|市级|省级|县级|州级|本级)?\s*(部门|单位)?\s*(决算|预算)")
KIND_ONLY = re.compile(r"(部门|单位)(决算|预算)")
DATE = re.compile(YEAR + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CONTACT = re.compile(r"(?:咨询|联系)电话\s*[:：]\s*([\d\-－—()（） ]{7,})")
_ORG_PREFIX = re.compile(r"^(?:第[一二三四五六七八九十]+部分[\s、.．]*)")


def parse_meta(path: str, lines: list[Line], cover_end: int, blocks: list[Block]) -> ReportMeta:
    """`cover_end` is the index where the 目录 or the first part starts."""
    cover = [ln for ln in lines[:max(cover_end, 1)] if ln.cells][:12]
    if not cover:
        cover = [ln for ln in lines if ln.cells][:12]
    title_line, m = None, None
    for ln in cover + [ln for ln in lines[:400] if ln.cells]:
        text = arabic_years(line_text(ln))
        if PART.match(text) and ln in cover:
            continue
        m = TITLE.search(text)
        if m and len(text) <= 80:
            title_line = ln
            break
    if title_line is not None:
        title = line_text(title_line)   # verbatim; a "二〇二三" year has as many characters
        year, level_word, kind_word = int(m.group(1)), m.group(2), m.group(3)
        prefix = _ORG_PREFIX.sub("", title[: m.start()]).strip(" ：:")
        if not prefix and title_line in cover:
            # The department printed on the line(s) above the title, maybe wrapped.
            above = []
            for ln in reversed(cover[:cover.index(title_line)]):
                text = line_text(ln)
                if len(text) > 40 or re.search(r"\d|目\s*录", text):
                    break
                above.insert(0, text)
            prefix = "".join(above)
    else:
        # Covers printed as separate lines ("某某局" / "年部门预算" / "2017").
        joined = arabic_years("".join(fold(" ".join(cells_text(ln))) for ln in cover))
        km, ym = KIND_ONLY.search(joined), re.search(YEAR + r"(?!\d)", joined)
        if not (km and ym):
            first = cover[0] if cover else None
            raise IngestError(path, "not a budget report: no title naming a 部门决算/部门预算 and its year"
                                    " in the opening lines", line=first.no if first else None)
        title_line = cover[0]
        title = tidy(" ".join(line_text(ln) for ln in cover[:4]))
        year, level_word, kind_word = int(ym.group(1)), km.group(1), km.group(2)
        prefix = ""
    department = _cover_department(cover) or _table_department(blocks) or prefix
    if not department:
        raise IngestError(path, "not a budget report: the department is named neither in the title "
                                "nor in a 部门： line", line=title_line.no)
    meta = ReportMeta(
        kind=FINAL if kind_word == "决算" else BUDGET, department=department, year=year,
        level="unit" if level_word == "单位" else "department", title=title, span=line_span(title_line))
    for ln in cover:
        text = " ".join(cells_text(ln))
        if meta.published is None and (d := DATE.search(text)):
            meta.published = _iso_date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
        if meta.contact is None and (c := CONTACT.search(text)):
            meta.contact = tidy(c.group(1))
    return meta


def _cover_department(cover: list[Line]) -> str | None:
    for ln in cover:
        for cell in cells_text(ln):
            if m := DEPARTMENT.search(cell):
                name = tidy(m.group(1))
                if name and not re.search(r"\d|^(亿元|万元|元)$", name):
                    return name
    return None


def _table_department(blocks: list[Block]) -> str | None:
    names = Counter(b.department for b in blocks if b.department)
    return names.most_common(1)[0][0] if names else None


def _iso_date(year: int, month: int, day: int) -> str | None:
    """The date as xsd:date text; None for a misprint such as 13 月 or 2 月 30 日."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
