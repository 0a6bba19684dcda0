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
_LEAD = re.compile(r"^(?:其中|主要用于以下方面|主要用于|主要包括|含|包括)[:：]?")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}\s*(?:年度|年|度)")
# Labels that belong to other statements (changes, execution) or to other extractors.
_NOT_A_FIGURE = re.compile(r"增加|减少|降低|增长|下降|相比|预算为|决算为|预算数|执行数|项目$|结转$")
CODE_PATH = re.compile(r"(\S+?)[(（]类[)）]\s*(\S+?)[(（]款[)）]\s*(\S+?)[(（]项[)）]")
_PARTIAL_PATH = re.compile(r"[(（]类[)）]")
# A sentence handled by `summaries` (itemised totals, procurement, assets).
SUMMARY_CUES = re.compile(r"主要包括|机关运行经费|政府采购|国有资产|车辆|三公")

DIRECTIONS = {"增加": "increase", "增长": "increase", "上升": "increase", "减少": "decrease",
              "降低": "decrease", "下降": "decrease", "持平": "unchanged"}
YOY_START = re.compile(r"与\s*(?:去年|上年度?|上一年度?|\d{4}\s*年度?)\s*(?:决算数?)?(?:同期)?相比"
                       r"|[比较]\s*(?:上年|\d{4}\s*年度?)|同比")
YOY_CLAUSE = re.compile(
    rf"(?P<subj>收入|支出)?\s*(?P<d1>增加|增长|上升|减少|降低|下降|持平)?\s*(?:[(（]减少[)）])?\s*"
    rf"(?P<amt>{NUM})\s*(?P<unit>亿元|万元|万|元)\s*[，,]?\s*(?P<d2>增加|增长|上升|减少|降低|下降|增减)?\s*"
    rf"(?:(?P<pct>{NUM})\s*%)?")
REASON = re.compile(r"主要原因(?:是|为)?[:：]?\s*(?P<reason>[^。；;]+)")

BUDGET = re.compile(rf"(?:年度预算|年初预算|调整预算|调整后预算|全年预算数|预算数|预算资金)为?\s*{AMOUNT}")
ACTUAL = re.compile(rf"(?:支出决算|执行数|实际支出数?|本年支出合计|实际使用资金)为?\s*{AMOUNT}")
RATE = re.compile(rf"(?:完成(?:年度|年初|全年|调整)?预算的|预算执行率为?|执行率为?|占预算数的)\s*(?P<rate>{NUM})\s*%")


def extract(parsed: ParsedReport, passages: list[Passage], out: Narrative) -> None:
    topic = ""
    pending_path: tuple[str, ...] = ()
    carry = ""  # a 类/款 path printed as a heading line, completed by the next passage
    last_execution: tuple[int, BudgetExecution] | None = None
    for n, p in enumerate(passages):
        if p.region not in ("explanation", "body") or p.is_table:
            continue
        if p.is_heading:
            if re.match(r"^\s*(第.+部分|[一二三四五六七八九十]+[、.．])", p.text):
                topic = p.text.strip()
            pending_path = ()
            carry = p.text if _PARTIAL_PATH.search(p.text) and not CODE_PATH.search(p.text) else ""
            continue
        if "绩效自评综述" in p.text:  # a project's summary: see projects.py
            continue
        figures(parsed, p, topic, out)
        year_over_year(p, topic, out)
        ex = execution(parsed, p, topic, pending_path, prefix=carry)
        carry = ""
        if ex and ex.budget is None and ex.actual is None and last_execution \
                and last_execution[0] == n - 1 and last_execution[1].rate is None:
            last_execution[1].rate = ex.rate  # 完成年初预算的 X% printed as a sentence of its own
            ex = None
        if ex:
            out.executions.append(ex)
            last_execution = (n, ex)
            pending_path = ()
        else:
            m = CODE_PATH.search(p.text)
            pending_path = _code_path(m) if m else ()


_DELIM_RE = re.compile(r"[，。；;：:、]|[（(](?![一二三四五六七八九十\d]{1,3}[)）]|[类款项][)）])|,(?!\d)")
_ENUMERATOR = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．])")
_MARKER = re.compile(r"[（(][类款项][)）]")


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
    label = _ENUMERATOR.sub("", label)  # （1）一般公共预算收入 / 2．社会保障…
    label = _MARKER.sub("", label)  # 公共安全（类）支出 → 公共安全支出
    label = re.sub(r"[（(][^（）()]*[)）]", "", label)  # （含政府性基金拨款）
    label = re.sub(r"[“”\"]", "", label).rstrip("为是")
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
        label, start = found
        if _NOT_A_FIGURE.search(label):
            continue
        amount = to_decimal(re.match(NUM, m.group()).group())
        unit = "亿元" if m.group().endswith("亿元") else "万元"
        # 检察（款）：预算支出合计 X: a total of the code the sentence names, not of the table
        owner = text[max(text.rfind(c, 0, start) for c in "。；;！？") + 1:start]
        restates = None if _MARKER.search(owner) else cells.resolve(parsed.tables, topic, label)
        fig = StatedFigure(label, amount, unit, topic, p.span(m.start(), m.end()), restates=restates)
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
    """与上年相比，X 增加 A 万元，增长 B%: one statement per change clause. The
    clauses of one comparison follow each other (…减少 A 万元，降低 B%，支出减少 …);
    a figure further on (；事业收入 0 万元) is no change."""
    text = p.text
    reasons = [m.span() for m in REASON.finditer(text)]
    starts = [m.start() for m in YOY_START.finditer(text)
              if not any(a < m.start() < b for a, b in reasons)]  # …比上年度减少 inside a reason
    for n, a in enumerate(starts):
        b = starts[n + 1] if n + 1 < len(starts) else len(text)
        segment = text[a:b]
        reason_m = REASON.search(segment)
        reason = reason_m.group("reason").strip() if reason_m else None
        pos = YOY_START.match(segment).end()
        first = True
        for m in YOY_CLAUSE.finditer(segment, pos):
            if reason_m and m.start() >= reason_m.start():
                break
            gap = segment[pos:m.start()]
            if re.search(r"[。；;]", gap) or len(gap) > (_FIRST_GAP if first else _NEXT_GAP):
                break
            d = m.group("d1") or (m.group("d2") if m.group("d2") != "增减" else None)
            amount = to_decimal(m.group("amt"))
            if amount == 0 and (d or (first and not gap.strip(" ，,"))):
                direction, d = "unchanged", d or "持平"  # 增加(减少) 0 万元
            elif d:
                direction = DIRECTIONS[d]
            else:
                break  # a figure with no direction word is not a change
            subject = _yoy_subject(m.group("subj"), text[:a], _clean_gap(gap), topic)
            out.year_over_year.append(YearOverYear(
                subject, direction, d, p.span(a + m.start(), a + m.end()), amount=amount,
                percent=to_decimal(m.group("pct")), unit=unit_of(m.group("unit")), reason=reason))
            pos, first = m.end(), False


_FIRST_GAP, _NEXT_GAP = 12, 2  # characters between a comparison and its (next) clause


def _clean_gap(gap: str) -> str:
    """The subject words between 与上年相比 and the change (，财政拨款 / 收入支出总计)."""
    return re.sub(r"[，,、：:\s]|各$|均$", "", gap.strip()).rstrip("各均")


def _yoy_subject(word: str | None, head: str, gap: str, topic: str) -> str:
    """What changed: the words printed with the change (一般公共预算财政拨款支出减少),
    收入/支出 → the 收入总计 the passage began with, or the nearest figure of the sentence."""
    found = [f for f in (figure_label(head, m.start()) for m in FIGURE_RE.finditer(head)) if f]
    labels = [f[0] for f in found]
    if word:
        if gap:
            return gap + word
        for lab in labels:
            if word in lab and re.search("总计|合计", lab):
                return lab
        return word
    sentence_start = max(head.rfind(c) for c in "。；;") + 1
    in_sentence = [lab for lab, start in found if start >= sentence_start]
    if in_sentence:
        return in_sentence[-1]
    if gap:
        return gap
    tail = figure_label(head, len(head))  # “三公”经费财政拨款支出决算数比上年减少 …
    if tail and tail[1] >= sentence_start:
        return tail[0]
    return labels[0] if labels else topic


def _code_path(m: re.Match) -> tuple[str, ...]:
    """The 类/款/项 names of a CODE_PATH match, without the item's numbering (2、)."""
    return tuple(_ENUMERATOR.sub("", g.strip()) for g in m.groups())


def execution(parsed: ParsedReport, p: Passage, subject: str,
              pending_path: tuple[str, ...] = (), prefix: str = "") -> BudgetExecution | None:
    """年度预算为 X，支出决算为 Y，完成年度预算的 Z%. The subject is the 类/款/项 path
    (in the passage, in `prefix`, or in the passage before), else the words before
    the budget (一般公共预算财政拨款支出年初预算为 …), else the topic."""
    text = p.text
    b, a, r = BUDGET.search(text), ACTUAL.search(text), RATE.search(text)
    if not (r or (b and a)):
        return None
    path_m = CODE_PATH.search(prefix + text)
    path = _code_path(path_m) if path_m else pending_path
    topic = subject
    label = None
    if path:
        subject = " ".join(f"{n}({lvl})" for n, lvl in zip(path, "类款项"))
    elif b:
        found = figure_label(text, b.start())
        label = found[0] if found and cells.label_phase(found[0]) is None else None
        subject = label or subject
    marks = [m for m in (b, a, r) if m]
    span = p.span(min(m.start() for m in marks), max(m.end() for m in marks))
    actual = to_decimal(a.group(1)) if a else None
    restates = None
    if actual is not None and path:
        restates = cells.resolve(parsed.tables, topic, subject, code_path=path)
    elif actual is not None and label:
        restates = cells.resolve(parsed.tables, topic, label)
    return BudgetExecution(
        subject=subject, span=span,
        budget=to_decimal(b.group(1)) if b else None, actual=actual,
        rate=to_decimal(r.group("rate")) if r else None,
        unit=unit_of((a or b).group(2)) if (a or b) else "万元", code_path=path, restates=restates)
