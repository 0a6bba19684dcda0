"""第一部分 概况: the numbered list of duties (职能/职责) and the counted facts of
机构设置 and staffing (下属单位 by type, 编制, 在职实有, 离退休)."""
from __future__ import annotations

import re

from ..records import Count, Duty, Line
from .segment import HEADING_1, PART, table_title
from .text import cn_number, line_span, line_text, lines_span

DUTY_HEADING = re.compile(r"(主要|部门|单位)?(职能|职责)")
_ITEM_STYLES = [
    ("arabic", re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(\S.*)$")),
    ("paren", re.compile(r"^[（(]\s*(\d{1,2}|[一二三四五六七八九十]+)\s*[)）]\s*(\S.*)$")),
    ("chinese", re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(\S.*)$")),
]
_ITEM_STYLES_BY_NAME = dict(_ITEM_STYLES)
_TITLE_LIKE = re.compile(r"^[^，。；：,;:]{2,30}$")


def parse_duties(lines: list[Line]) -> list[Duty]:
    """The numbered items after the first 职能/职责 heading of the profile lines."""
    start = next((i for i, ln in enumerate(lines) if _is_duty_heading(ln)), None)
    if start is None:
        return []
    duties: list[Duty] = []
    item_lines: list[Line] = []
    style = None

    def close() -> None:
        if item_lines:
            text = "".join(line_text(ln) for ln in item_lines)
            text = _ITEM_STYLES_BY_NAME[style].match(text).group(2)
            duties.append(Duty(len(duties) + 1, text, lines_span(item_lines)))

    for ln in lines[start + 1:]:
        text = line_text(ln)
        if not text:
            continue
        hit = _item(text)
        if style is None:
            if hit and hit[1] == 1:
                style = hit[0]
                item_lines = [ln]
            elif len(duties) == 0 and len(text) > 120:
                break
            continue
        if hit and hit[0] == style and hit[1] == len(duties) + 2:
            close()
            item_lines = [ln]
            continue
        if PART.match(text) or table_title(ln) or (_TITLE_LIKE.match(text) and not text.endswith("。")) \
                or (hit and hit[0] != style) or (HEADING_1.match(text) and len(text) <= 40):
            break
        item_lines.append(ln)      # a wrapped line of the current item
    if style is not None:
        close()
    return duties


def _is_duty_heading(ln: Line) -> bool:
    text = line_text(ln)
    return bool(DUTY_HEADING.search(text)) and len(text) <= 40 and not text.endswith("。")


def _item(text: str) -> tuple[str, int] | None:
    for name, pattern in _ITEM_STYLES:
        if m := pattern.match(text):
            n = cn_number(m.group(1))
            if n is not None:
                return name, n
    return None


# --- counts ----------------------------------------------------------------------

# "<label> N 人/个": the label is the run of words before the number.
_LABELLED = re.compile(r"([\u4e00-\u9fff（）()]{1,40}?)\s*(?:为|共|有)?\s*(\d+)\s*(人|名|个|家)")
_UNITS_FIRST = re.compile(r"(\d+)\s*[个家]\s*(?:下属单位|下属预算单位|所属单位|二级预算单位)")

_UNIT_LABELS = [
    ("units_civil_servant_managed", re.compile(r"参照公务员法管理事业单位|参公事业单位|参公单位")),
    ("units_admin", re.compile(r"行政单位$")),
    ("units_full_funded", re.compile(r"全额拨款事业单位|全额事业单位")),
    ("units_partial_funded", re.compile(r"差额拨款事业单位|差额事业单位")),
    ("units_self_funded", re.compile(r"自收自支事业单位")),
    ("units_total", re.compile(r"下属单位|所属单位")),
]
_STAFF_LABELS = {
    "quota": [("staff_quota", re.compile(r"编制人数|编制数|总编制|核定编制")),
              ("staff_quota_civil_servant_managed", re.compile(r"参照公务员|参公")),
              ("staff_quota_admin", re.compile(r"行政(编制)?$")),
              ("staff_quota_institution", re.compile(r"事业(编制)?$"))],
    "actual": [("staff_actual", re.compile(r"实有|在职人|在编人")),
               ("staff_actual_civil_servant_managed", re.compile(r"参照公务员|参公")),
               ("staff_actual_admin", re.compile(r"行政(人员)?$")),
               ("staff_actual_institution", re.compile(r"事业(人员)?$"))],
    "retired": [("retired_total", re.compile(r"离退休")), ("retired_lixiu", re.compile(r"离休")),
                ("retired_tuixiu", re.compile(r"退休"))],
}
_LABEL_LEAD = re.compile(r"^(其中|包括|含|共)")
_SENTENCE = re.compile(r"[^。]+")
_ACTUAL_CUE = re.compile(r"实有|在职|在编")


def parse_counts(lines: list[Line]) -> list[Count]:
    counts: list[Count] = []
    seen: set[str] = set()

    def add(key: str, label: str, value: str, unit: str, ln: Line, m: re.Match) -> None:
        if key in seen:
            return
        seen.add(key)
        unit = "人" if unit in ("人", "名") else "个"
        counts.append(Count(key, label, int(value), unit, line_span(ln, m.start(), m.end())))

    for ln in lines:
        text = ln.text
        for m in _UNITS_FIRST.finditer(text):
            add("units_total", m.group(0), m.group(1), "个", ln, m)
        for sentence in _SENTENCE.finditer(text):
            context = None     # which count a bare "行政 N 人" belongs to, set by the sentence's lead
            for m in _LABELLED.finditer(text, sentence.start(), sentence.end()):
                label, value, unit = m.group(1), m.group(2), m.group(3)
                label = _LABEL_LEAD.sub("", label).strip("（）()")
                if unit in ("个", "家"):
                    for key, pattern in _UNIT_LABELS:
                        if pattern.search(label):
                            add(key, label, value, unit, ln, m)
                            break
                    continue
                if "离退休" in label:
                    context = "retired"
                elif "编制" in label and "实有" not in label:
                    context = "quota"
                elif _ACTUAL_CUE.search(label):
                    context = "actual"
                if context is None:
                    continue
                for key, pattern in _STAFF_LABELS[context]:
                    if pattern.search(label):
                        add(key, label, value, unit, ln, m)
                        break
    return counts
