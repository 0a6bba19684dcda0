"""Statements of the 情况说明: figures restating table cells, shares of a whole,
year-over-year changes and budget execution.

Each passage is read under the heading it sits in (its topic), which tells
which table its figures restate (see `cells`).
"""
from __future__ import annotations

import re

from ..records import ParsedReport
from . import cells
from .passages import AMOUNT, NUM, Passage, to_decimal, unit_of
from .records import BudgetExecution, Narrative, StatedFigure, StatedPercentage, YearOverYear

FIGURE_RE = re.compile(rf"{NUM}\s*(?:亿元|万元)")
PERCENT_AFTER = re.compile(rf"\s*[，,]?\s*占(?P<whole>[^，,。；;\d]{{1,20}}?)的?\s*(?P<pct>{NUM})\s*%")
_DELIM = "，,。；;：:、"
_LEAD = re.compile(r"^(?:其中|主要用于以下方面|主要用于|主要包括|含|包括)[:：]?")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}\s*(?:年度|年|度)")
# Labels that belong to other statements (changes, execution) or to other extractors.
_NOT_A_FIGURE = re.compile(r"增加|减少|降低|增长|下降|相比|预算为|决算为|预算数|执行数|项目$|结转$")
CODE_PATH = re.compile(r"(\S+?)[(（]类[)）]\s*(\S+?)[(（]款[)）]\s*(\S+?)[(（]项[)）]")
# A sentence handled by `summaries` (itemised totals, procurement, assets).
SUMMARY_CUES = re.compile(r"主要包括|机关运行经费|政府采购|国有资产|车辆|三公")

DIRECTIONS = {"增加": "increase", "增长": "increase", "上升": "increase", "减少": "decrease",
              "降低": "decrease", "下降": "decrease", "持平": "unchanged"}
YOY_START = re.compile(r"与(?:去年|上年度?|上一年度?|\d{4}年度?)(?:决算数?)?(?:同期)?相比|[比较](?:上年|\d{4}年度?)|同比")
YOY_CLAUSE = re.compile(
    rf"(?P<subj>收入|支出)?\s*(?P<d1>增加|增长|上升|减少|降低|下降|持平)?\s*(?:[(（]减少[)）])?\s*"
    rf"(?P<amt>{NUM})\s*(?P<unit>亿元|万元|万|元)\s*[，,]?\s*(?P<d2>增加|增长|上升|减少|降低|下降|增减)?\s*"
    rf"(?:(?P<pct>{NUM})\s*%)?")
REASON = re.compile(r"主要原因(?:是|为)?[:：]?\s*(?P<reason>[^。；;]+)")

BUDGET = re.compile(rf"(?:年度预算|全年预算数|预算数|预算资金)为?\s*{AMOUNT}")
ACTUAL = re.compile(rf"(?:支出决算|执行数|实际支出数?|本年支出合计|实际使用资金)为?\s*{AMOUNT}")
RATE = re.compile(rf"(?:完成(?:年度)?预算的|预算执行率为?|执行率为?|占预算数的)\s*(?P<rate>{NUM})\s*%")


def extract(parsed: ParsedReport, passages: list[Passage], out: Narrative) -> None:
    topic = ""
    pending_path: tuple[str, ...] = ()
    for p in passages:
        if p.region not in ("explanation", "body") or p.is_table:
            continue
        if p.is_heading:
            if re.match(r"^\s*(第.+部分|[一二三四五六七八九十]+[、.．])", p.text):
                topic = p.text.strip()
            pending_path = ()
            continue
        if "绩效自评综述" in p.text:  # a project's summary: see projects.py
            continue
        figures(parsed, p, topic, out)
        year_over_year(p, topic, out)
        ex = execution(parsed, p, topic, pending_path)
        if ex:
            out.executions.append(ex)
            pending_path = ()
        else:
            m = CODE_PATH.search(p.text)
            pending_path = tuple(m.groups()) if m else ()


_DELIM_RE = re.compile(r"[，。；;：:、（(]|,(?!\d)")


def figure_label(text: str, end: int) -> tuple[str, int] | None:
    """The label a figure at `end` carries: the words since the last delimiter,
    over a bracketed note right before the figure (财政拨款收入（含…）1234.56)."""
    head = text[:end].rstrip()
    if head.endswith(("）", ")")):
        depth = 0
        for i in range(len(head) - 1, -1, -1):
            depth += {"）": 1, ")": 1, "（": -1, "(": -1}.get(head[i], 0)
            if depth == 0:
                head = head[:i]
                break
    starts = [m.end() for m in _DELIM_RE.finditer(head)]
    start = starts[-1] if starts else 0
    raw = head[start:]
    label = re.sub(r"\s+", "", raw)
    label = re.sub(r"[（(][^（）()]*[)）]", "", label)  # （含政府性基金拨款）
    label = re.sub(r"^\d+[.、．]", "", label).rstrip("为是")
    label = _LEAD.sub("", label)
    label = _YEAR_PREFIX.sub("", label)
    return (label, start) if len(label) >= 2 else None


def figures(parsed: ParsedReport, p: Passage, topic: str, out: Narrative) -> None:
    text = p.text
    if SUMMARY_CUES.search(text) or not topic or "三公" in topic:
        return
    passage_figures: list[StatedFigure] = []
    for m in FIGURE_RE.finditer(text):
        found = figure_label(text, m.start())
        if not found:
            continue
        label, _ = found
        if _NOT_A_FIGURE.search(label):
            continue
        amount = to_decimal(re.match(NUM, m.group()).group())
        unit = "亿元" if m.group().endswith("亿元") else "万元"
        fig = StatedFigure(label, amount, unit, topic, p.span(m.start(), m.end()),
                           restates=cells.resolve(parsed.tables, topic, label))
        out.figures.append(fig)
        passage_figures.append(fig)
        share = PERCENT_AFTER.match(text, m.end())
        if share:
            whole_label = share.group("whole").strip()
            whole = next((f for f in passage_figures if whole_label in f.label), passage_figures[0])
            out.percentages.append(StatedPercentage(
                to_decimal(share.group("pct")), label, whole.label if whole is not fig else whole_label,
                p.span(m.start(), share.end()), part_amount=amount,
                whole_amount=whole.amount if whole is not fig else None, unit=unit))


def year_over_year(p: Passage, topic: str, out: Narrative) -> None:
    text = p.text
    reasons = [m.span() for m in REASON.finditer(text)]
    starts = [m.start() for m in YOY_START.finditer(text)
              if not any(a < m.start() < b for a, b in reasons)]  # …比上年度减少 inside a reason
    for n, a in enumerate(starts):
        b = starts[n + 1] if n + 1 < len(starts) else len(text)
        segment = text[a:b]
        reason_m = REASON.search(segment)
        reason = reason_m.group("reason").strip() if reason_m else None
        head = text[:a]
        for m in YOY_CLAUSE.finditer(segment, YOY_START.match(segment).end()):
            if reason_m and m.start() >= reason_m.start():
                break
            d = m.group("d1") or (m.group("d2") if m.group("d2") != "增减" else None)
            amount = to_decimal(m.group("amt"))
            if amount == 0:
                direction, d = "unchanged", d or "持平"
            elif d:
                direction = DIRECTIONS[d]
            else:
                continue
            subject = _yoy_subject(m.group("subj"), head, topic)
            out.year_over_year.append(YearOverYear(
                subject, direction, d, p.span(a + m.start(), a + m.end()), amount=amount,
                percent=to_decimal(m.group("pct")), unit=unit_of(m.group("unit")), reason=reason))


def _yoy_subject(word: str | None, head: str, topic: str) -> str:
    """收入 → the 收入总计 the passage began with; otherwise the passage's subject."""
    labels = [f[0] for f in (figure_label(head, m.start()) for m in FIGURE_RE.finditer(head)) if f]
    if word:
        for lab in labels:
            if word in lab and re.search("总计|合计", lab):
                return lab
        return word
    return labels[0] if labels else topic


def execution(parsed: ParsedReport, p: Passage, subject: str,
              pending_path: tuple[str, ...] = ()) -> BudgetExecution | None:
    """年度预算为 X，支出决算为 Y，完成年度预算的 Z%."""
    text = p.text
    b, a, r = BUDGET.search(text), ACTUAL.search(text), RATE.search(text)
    if not (r or (b and a)):
        return None
    path_m = CODE_PATH.search(text)
    path = tuple(g.strip() for g in path_m.groups()) if path_m else pending_path
    topic = subject
    if path:
        subject = " ".join(f"{n}({lvl})" for n, lvl in zip(path, "类款项"))
    marks = [m for m in (b, a, r) if m]
    span = p.span(min(m.start() for m in marks), max(m.end() for m in marks))
    actual = to_decimal(a.group(1)) if a else None
    restates = None
    if actual is not None and path:
        restates = cells.resolve(parsed.tables, topic, subject, code_path=path)
    return BudgetExecution(
        subject=subject, span=span,
        budget=to_decimal(b.group(1)) if b else None, actual=actual,
        rate=to_decimal(r.group("rate")) if r else None,
        unit=unit_of((a or b).group(2)) if (a or b) else "万元", code_path=path, restates=restates)
