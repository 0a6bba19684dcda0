"""Performance evaluations (附件 绩效评价报告 / 绩效自评报告): total score and
grade, the per-dimension score table, the evaluator, budget execution, and the
indicators — from lettered paragraphs (A、<name>，目标值：…，实际完成：…
满分 n 分，得 m 分) and from indicator tables (二级指标 / 三级指标 / 目标值 …).
"""
from __future__ import annotations

import re
from decimal import Decimal

from .names import name_key, same_name
from .nlp import get_nlp
from .passages import NUM, Passage, clean_math, to_decimal
from .records import BudgetExecution, Evaluation, Indicator, Narrative, ScoreRow
from .statements import ACTUAL, BUDGET, RATE

TITLE = re.compile(r"绩效(?:自评|评价)+报告")
TOTAL = re.compile(rf"(?:综合)?得分为?\s*(?P<score>{NUM})\s*分\s*[，,]?\s*(?:评价)?等级为?\s*[“\"]?(?P<grade>[优良中差])")
LETTER = re.compile(r"^\s*(?P<code>[A-Z])\s*[、.．]\s*")
LEVEL2_PREFIX = re.compile(r"^(?P<l2>[\u4e00-\u9fff]{2,10}?指标)\s*[—\-一－–]+\s*")
TARGET = re.compile(r"目标值?\s*[:：]\s*(?P<t>.+?)\s*[，,；;。]\s*(?=实际|目标值)")
ACTUAL_TEXT = re.compile(r"(?:实际完成率?|实际|目标值)\s*[:：]?\s*(?P<a>.+?)\s*(?:。|$|满分)")
SCORE = re.compile(rf"满分\s*(?P<full>{NUM})\s*分\s*[，,]?\s*得\s*(?P<score>{NUM})\s*分")
SELF_SCORE = re.compile(rf"自评得\s*(?P<score>{NUM})\s*分")
DEVIATION = re.compile(r"偏[离差]原因\s*[:：]\s*(?P<r>[^。]+)")
GROUP_L1 = re.compile(r"(?P<l1>[\u4e00-\u9fff]{2,6}指标)完成情况")
GROUP_L2 = re.compile(r"(?P<l2>数量|质量|时效|成本)指标")
ADJUSTED_BUDGET = re.compile(rf"调整后(?:收入)?预算数?为?\s*(?P<v>{NUM})")
VALUE = re.compile(rf"(?P<v>{NUM})\s*(?P<u>%|万人|万元|万|个|台|套|项|人|名|次|家|天|小时|户|辆|平方米|元)?(?!\s*[年月日\d])")
COMPARATORS = [("≤", "≤"), ("≥", "≥"), ("不超过", "≤"), ("不高于", "≤"), ("不低于", "≥"), ("不少于", "≥"),
               ("<", "<"), (">", ">"), ("以上", "≥"), ("以下", "≤")]
LEVEL1_OF = [("满意度", "满意度指标"), ("效益", "效益指标"), ("数量", "产出指标"), ("质量", "产出指标"),
             ("时效", "产出指标"), ("成本", "产出指标")]


def evaluation_blocks(passages: list[Passage]) -> list[tuple[Passage, list[Passage]]]:
    """(title, passages) of each evaluation report in the attachments."""
    blocks: list[tuple[Passage, list[Passage]]] = []
    for p in passages:
        if p.region == "attachment" and p.is_heading and TITLE.search(p.text):
            blocks.append((p, []))
        elif blocks and p.region == "attachment":
            blocks[-1][1].append(p)
    return blocks


def extract(department: str, blocks, out: Narrative) -> None:
    from .projects import project_of_evaluation
    from .names import strip_owner
    for n, (title, block) in enumerate(blocks, 1):
        title_text = re.sub(r"^\s*[一二三四五六七八九十\d]+[、.．]\s*", "", title.text.strip())
        project = project_of_evaluation(title.text)
        ev = Evaluation(key=f"evaluation/{n}", title=title_text, scope="project" if project else "department",
                        span=title.span())
        if project:
            name = strip_owner(project, department)
            ev.project = next((p.key for p in out.projects if p.parent is None and same_name(p.name, name)), None)
        _read(ev, block)
        out.evaluations.append(ev)


def _read(ev: Evaluation, block: list[Passage]) -> None:
    nlp = get_nlp()
    level1 = level2 = None
    current: Indicator | None = None
    table_kind, header = None, ()
    group: list[Passage] = []
    for p in block:
        text = p.text
        if p.is_table:
            cells = p.cells
            joined = "".join(cells)
            if "三级指标" in joined or ("指标" in joined and "目标值" in joined):
                table_kind, header = "indicators", cells
            elif "权重" in joined or ("评价指标" in joined and "得分" in joined):
                table_kind, header = "scores", cells
            elif table_kind == "scores":
                _score_row(ev, header, p)
            elif table_kind == "indicators":
                level2 = _table_indicator(ev, header, p, level2)
            continue
        table_kind = None
        if p.is_heading:
            _execution(ev, group)
            group = []
            m = GROUP_L1.search(text)
            level1 = m.group("l1") if m else level1
            current = None
            continue
        group.append(p)
        if ev.total_score is None:
            m = TOTAL.search(text)
            if m:
                ev.total_score, ev.grade = to_decimal(m.group("score")), m.group("grade")
                ev.score_span = p.span(m.start(), m.end())
        if ev.evaluator is None and re.search(r"聘请|委托", text) and "第三方" in text:
            for ent in nlp(text).ents:
                if ent.label_ == "ORG" and "第三方" in text[max(0, ent.start_char - 8):ent.start_char]:
                    ev.evaluator, ev.evaluator_span = ent._.name, p.span(ent.start_char, ent.end_char)
                    break
        if re.match(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]", text) or text.lstrip().startswith("本指标"):
            m = GROUP_L2.search(text)
            if m and "以下" in text:
                level2 = m.group("l2") + "指标"
            current = None
            continue
        letter = LETTER.match(text)
        body = text[letter.end():] if letter else text
        if letter or (LEVEL2_PREFIX.match(body) and "目标" in body):
            current = _indicator(p, letter, body, level1, level2)
            _add(ev, current)
        elif current is not None:
            _continuation(current, p)
    _execution(ev, group)


def _add(ev: Evaluation, ind: Indicator) -> None:
    """A paragraph about an indicator the evaluation's table already listed replaces
    the table's entry, keeping what only the table gave (target, its span)."""
    for n, old in enumerate(ev.indicators):
        if old.code is None and old.actual_text is None and same_name(old.name, ind.name):
            for attr in ("target_text", "comparator", "target_value", "target_unit", "level1", "level2"):
                if getattr(ind, attr) is None:
                    setattr(ind, attr, getattr(old, attr))
            ind.extra_spans[:0] = [old.span] + old.extra_spans
            ind.met = judge(ind)
            ev.indicators[n] = ind
            return
    ev.indicators.append(ind)


def _indicator(p: Passage, letter, body: str, level1, level2) -> Indicator:
    offset = letter.end() if letter else 0
    l2 = LEVEL2_PREFIX.match(body)
    if l2:
        level2, body, offset = l2.group("l2"), body[l2.end():], offset + l2.end()
    name_end = re.search(r"[，,；;。]", body)
    name = clean_math(body[:name_end.start()] if name_end else body)
    ind = Indicator(name=re.sub(r"\s+", "", name), span=p.span(0, len(p.text), sentence=False),
                    code=letter.group("code") if letter else None, level2=level2,
                    level1=level1 or _level1_of(level2))
    rest = body[name_end.end():] if name_end else ""
    t = TARGET.search(rest)
    if t:
        ind.target_text = clean_math(t.group("t"))
        ind.comparator, ind.target_value, ind.target_unit = parse_value(ind.target_text)
        a = ACTUAL_TEXT.search(rest, t.end())
    else:
        a = None
        ind.actual_text = clean_math(re.split(r"满分", rest)[0]) or None
    if a:
        ind.actual_text = clean_math(a.group("a"))
    if ind.actual_text:
        _, ind.actual_value, ind.actual_unit = parse_value(ind.actual_text)
    _continuation(ind, p, first=True)
    return ind


def _continuation(ind: Indicator, p: Passage, first: bool = False) -> None:
    text = p.text
    m = SCORE.search(text) or SELF_SCORE.search(text)
    if m and ind.score is None:
        ind.score = to_decimal(m.group("score"))
        if "full" in m.groupdict():
            ind.full_score = to_decimal(m.group("full"))
    d = DEVIATION.search(text)
    if d and ind.deviation_reason is None:
        ind.deviation_reason = d.group("r").strip()
    if not first:
        ind.extra_spans.append(p.span(0, len(text), sentence=False))
    ind.met = judge(ind)


def _level1_of(level2: str | None) -> str | None:
    if not level2:
        return None
    return next((l1 for word, l1 in LEVEL1_OF if word in level2), None)


def parse_value(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """(comparator, value, unit) of a target or actual such as ≤ 21 人, 完成 50% 以上, 0.24 万."""
    comparator = next((sym for word, sym in COMPARATORS if word in text), None)
    m = VALUE.search(text)
    if not m:
        return comparator, None, None
    unit = {"万": "万元", "名": "人"}.get(m.group("u"), m.group("u"))
    return comparator, to_decimal(m.group("v")), unit


def judge(ind: Indicator) -> bool | None:
    """Met or missed: compare numbers under the target's comparator; else equal
    wording (健全/健全); else full marks."""
    if ind.target_value is not None and ind.actual_value is not None:
        t, a = ind.target_value, ind.actual_value
        actual_cmp = parse_value(ind.actual_text or "")[0]
        cmp = ind.comparator or ("≤" if ind.level2 and "成本" in ind.level2 else "≥")
        if actual_cmp == ">" and cmp in ("≤", "<") and a >= t:
            return False
        if actual_cmp == "<" and cmp in ("≥", ">") and a <= t:
            return False
        return {"≤": a <= t, "<": a < t, "≥": a >= t, ">": a > t}.get(cmp, a == t)
    if ind.target_text and ind.actual_text and name_key(ind.target_text) == name_key(ind.actual_text):
        return True
    if ind.score is not None and ind.full_score is not None:
        return ind.score >= ind.full_score
    return None


def _score_row(ev: Evaluation, header: tuple[str, ...], p: Passage) -> None:
    cells = p.cells

    def col(*words):
        for i, h in enumerate(header):
            if any(w in h for w in words) and i < len(cells):
                return cells[i]
        return None

    dimension = col("指标", "项目", "内容") or cells[0]
    row = ScoreRow(dimension=dimension, span=p.span(0, len(p.text), sentence=False),
                   weight=to_decimal((col("权重") or "").rstrip("%")) if col("权重") else None,
                   full=to_decimal(col("标准分", "满分", "分值")), score=to_decimal(col("得分")),
                   grade=col("级别", "等级"))
    ev.rows.append(row)


def _table_indicator(ev: Evaluation, header: tuple[str, ...], p: Passage, level2):
    cells = p.cells

    def col(*words):
        for i, h in enumerate(header):
            if any(w in h for w in words) and i < len(cells) and cells[i]:
                return cells[i]
        return None

    level2 = col("二级指标") or level2
    name = col("三级指标")
    if not name:
        return level2
    target = col("目标值", "指标值")
    actual = col("实际", "完成值")
    found = next((i for i in ev.indicators if same_name(i.name, name)), None)
    if found is None:
        found = Indicator(name=re.sub(r"\s+", "", name), span=p.span(0, len(p.text), sentence=False),
                          level1=col("一级指标") or _level1_of(level2), level2=level2)
        ev.indicators.append(found)
    else:
        found.extra_spans.append(p.span(0, len(p.text), sentence=False))
        found.level2 = found.level2 or level2
        found.level1 = found.level1 or _level1_of(level2)
    if target and found.target_text is None:
        found.target_text = clean_math(target)
        found.comparator, found.target_value, found.target_unit = parse_value(found.target_text)
    if actual and found.actual_text is None:
        found.actual_text = clean_math(actual)
        _, found.actual_value, found.actual_unit = parse_value(found.actual_text)
    for attr, words in (("full_score", ("分值", "满分")), ("score", ("得分",))):
        v = col(*words)
        if v and getattr(found, attr) is None:
            setattr(found, attr, to_decimal(v))
    reason = col("偏差原因", "偏离原因")
    if reason and not found.deviation_reason:
        found.deviation_reason = reason
    found.met = judge(found)
    return level2


def _execution(ev: Evaluation, group: list[Passage]) -> None:
    """Budget execution stated in one sub-section: (adjusted) budget, actual, rate."""
    rate_p = next((p for p in group if RATE.search(p.text)), None)
    if rate_p is None:
        return
    r = RATE.search(rate_p.text)
    budget = actual = None
    unit = "万元"
    for p in group:
        adj = ADJUSTED_BUDGET.search(p.text)
        b = BUDGET.search(p.text)
        if adj:
            budget = to_decimal(adj.group("v"))
        elif b and budget is None:
            budget = to_decimal(b.group(1))
        a = ACTUAL.search(p.text)
        if a and actual is None:
            actual = to_decimal(a.group(1))
    rate = to_decimal(r.group("rate"))
    if any((e.budget, e.actual, e.rate) == (budget, actual, rate) for e in ev.executions):
        return
    ev.executions.append(BudgetExecution(subject=ev.title, span=rate_p.span(r.start(), r.end()),
                                         budget=budget, actual=actual, rate=rate, unit=unit))
