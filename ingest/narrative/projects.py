"""Projects and sub-projects: the 项目支出 lists of the 情况说明, project
self-evaluation summaries, and, inside a project's evaluation report, its
sub-projects (numbered headings under 项目实施情况), their contracts and the
项目资金 allocation.
"""
from __future__ import annotations

import re

from ..records import ParsedReport
from . import procurement
from .names import name_key, same_name, strip_owner
from .passages import AMOUNT, NUM, Passage, to_decimal, unit_of
from .records import FundAllocation, Narrative, Project, StatedFigure

LIST_CUE = re.compile(r"项目支出(?:主要用于|明细)(?:以下方面)?[:：]?")
LIST_ITEM = re.compile(rf"(?P<label>[^；;，,。：:、\d]+?)\s*(?P<amt>{NUM})\s*(?P<unit>亿元|万元|万|元)")
SUMMARY = re.compile(r"(?P<name>[^，,。：:；;]+?项目)(?:项目)?绩效自评综述[:：]")
SUMMARY_BUDGET = re.compile(rf"(?:全年)?预算数为?\s*{AMOUNT}")
SUMMARY_ACTUAL = re.compile(rf"执行数为?\s*{AMOUNT}")
SUMMARY_RATE = re.compile(rf"完成预算的\s*(?P<r>{NUM})\s*%")
SUB_LIST = re.compile(r"(?:实施|包括|分为)(?:了)?(?:如下|以下)?(?:\d+个)?子项目[:：](?P<list>[^。]+)")
ALLOCATION = re.compile(r"(?:按实际使用)?分配(?:如下|情况(?:如下)?)[:：]")
USED = re.compile(rf"项目(?:使用|实际使用)资金\s*{AMOUNT}")
PHASE = re.compile(r"属(?P<p>年初预算|调整预算|追加)项目")
NATURE = re.compile(r"项目属(?P<n>[^，。；]{2,12}?)项目")
FUNDER = re.compile(r"资金来源于(?P<f>[^，,。；;]+)")
FUNDING_CODE = re.compile(r"(?:支出功能分类|功能分类|预算科目|科目)[^。]{0,20}?(?P<code>\d{7}|\d{5}|\d{3})(?!\d)")
STATUS = [(re.compile(r"尚在实施|正在实施|实施中"), "ongoing"),
          (re.compile(r"验收合格|项目完成|服务期满|交货|验货签收"), "completed")]
_CARRY = re.compile(r"结转|结余")


class Registry:
    """Projects by name; a name seen twice (with or without a place prefix) is one project."""

    def __init__(self, department: str, out: Narrative):
        self.department, self.out = department, out

    def get(self, name: str, span, parent: str | None = None) -> Project:
        clean = strip_owner(name, self.department)
        for p in self.out.projects:
            if p.parent == parent and same_name(p.name, clean):
                if span not in p.extra_spans and span != p.span:
                    p.extra_spans.append(span)
                return p
        key = name_key(clean) if parent is None else f"{parent}/{name_key(clean)}"
        project = Project(key=key, name=clean, span=span, parent=parent)
        self.out.projects.append(project)
        return project


def extract(parsed: ParsedReport, passages: list[Passage], blocks, out: Narrative) -> None:
    reg = Registry(parsed.meta.department, out)
    for p in passages:
        if p.is_heading or p.is_table:
            continue
        _listed(reg, p, out)
        _summary(reg, p)
    for title, block in blocks:
        evaluated = project_of_evaluation(title.text)
        if evaluated:
            _evaluated_project(reg, reg.get(evaluated, title.span()), block, out)


def project_of_evaluation(title: str) -> str | None:
    """二、2021年度<department><project>绩效自评报告 → the project, None for 整体 (the department)."""
    name = re.sub(r"^\s*[一二三四五六七八九十\d]+[、.．]\s*", "", title)
    if "整体" in name or "项目" not in name:
        return None
    return re.sub(r"(?:项目)?(?:支出)?绩效(?:自评|评价)+报告.*$", "", name).strip() + ("" if name.rstrip().endswith("项目") else "项目")


def _listed(reg: Registry, p: Passage, out: Narrative) -> None:
    m = LIST_CUE.search(p.text)
    if not m:
        return
    end = p.text.find("。", m.end())
    segment_end = len(p.text) if end < 0 else end
    for im in LIST_ITEM.finditer(p.text, m.end(), segment_end):
        label = re.sub(r"\s+", "", im.group("label"))
        amount, unit = to_decimal(im.group("amt")), unit_of(im.group("unit"))
        span = p.span(im.start(), im.end(), sentence=False)
        if _CARRY.search(label) or "项目" not in label and "经费" not in label:
            out.figures.append(StatedFigure(label, amount, unit, "项目支出", span))
            continue
        project = reg.get(label, span)
        if project.amount is None:
            project.amount, project.unit, project.amount_span = amount, unit, span


def _summary(reg: Registry, p: Passage) -> None:
    m = SUMMARY.search(p.text)
    if not m:
        return
    project = reg.get(m.group("name"), p.span(m.start(), m.end()))
    b, a, r = SUMMARY_BUDGET.search(p.text, m.end()), SUMMARY_ACTUAL.search(p.text, m.end()), SUMMARY_RATE.search(p.text, m.end())
    project.budget = to_decimal(b.group(1)) if b else None
    project.actual = to_decimal(a.group(1)) if a else None
    project.execution_rate = to_decimal(r.group("r")) if r else None
    marks = [x for x in (b, a, r) if x]
    if marks:
        project.budget_span = p.span(marks[0].start(), marks[-1].end())


def _evaluated_project(reg: Registry, project: Project, block: list[Passage], out: Narrative) -> None:
    listed: list[str] = []
    for p in block:
        text = p.text
        m = SUB_LIST.search(text)
        if m and not listed:
            listed = [re.sub(r"\s+", "", x).strip("“”") for x in re.split(r"[、，,；;]", m.group("list")) if x.strip()]
        for rx, attr, group in ((PHASE, "phase", "p"), (NATURE, "nature", "n"), (FUNDER, "funder", "f")):
            mm = rx.search(text)
            if mm and getattr(project, attr) is None:
                value = mm.group(group)
                setattr(project, attr, {"年初预算": "budget", "调整预算": "adjusted", "追加": "adjusted"}.get(value, value)
                        if attr == "phase" else value.strip())
        for cm in FUNDING_CODE.finditer(text):
            if cm.group("code") not in project.funding_codes:
                project.funding_codes.append(cm.group("code"))
        mm = USED.search(text)
        if mm and project.amount is None:
            project.amount, project.unit, project.amount_span = to_decimal(mm.group(1)), unit_of(mm.group(2)), p.span(mm.start(), mm.end())

    subs = _subprojects(reg, project, block, listed)
    names = {sub.key: sub.name for sub, _ in subs}
    contracts = []
    for n, (sub, body) in enumerate(subs, 1):
        c = procurement.extract_contract(sub.key, f"{sub.key}/contract/1", body)
        if c:
            contracts.append(c)
        for p in body:
            for rx, status in STATUS:
                sm = rx.search(p.text)
                if sm and sub.status is None:
                    sub.status, sub.status_span = status, p.span(sm.start(), sm.end())
                    sub.status_text = sub.status_span.excerpt
    for p in block:
        if not p.is_table and not p.is_heading:
            procurement.payments(contracts, names, p)
            _allocations(project, [s for s, _ in subs], p, contracts)
    procurement.later_periods(contracts, block)
    out.contracts.extend(contracts)


def _subprojects(reg: Registry, project: Project, block: list[Passage], listed: list[str]):
    """(sub-project, its passages) for each numbered heading naming a listed sub-project,
    or, when none is listed, each numbered heading whose text states a contract."""
    out = []
    for i, p in enumerate(block):
        if not p.is_heading:
            continue
        m = re.match(r"^\s*[（(]\d{1,2}[)）]\s*(?P<name>.+)$", p.text.strip())
        if not m:
            continue
        body = []
        for q in block[i + 1:]:
            if q.is_heading:
                break
            body.append(q)
        name = re.sub(r"\s+", "", m.group("name"))
        named = any(same_name(name, x) for x in listed)
        if named or (not listed and any(procurement.PRICE.search(q.text) for q in body)):
            out.append((reg.get(name, p.span(), parent=project.key), body))
    return out


def _allocations(project: Project, subs: list[Project], p: Passage, contracts) -> None:
    m = ALLOCATION.search(p.text)
    if not m:
        return
    end = p.text.find("。", m.end())
    end = len(p.text) if end < 0 else end
    for im in LIST_ITEM.finditer(p.text, m.end(), end):
        label = re.sub(r"\s+", "", im.group("label"))
        span = p.span(im.start(), im.end(), sentence=False)
        alloc = FundAllocation(label, to_decimal(im.group("amt")), span, unit=unit_of(im.group("unit")))
        sub = next((s for s in subs if same_name(s.name, label)), None)
        if sub is not None:
            alloc.subproject = sub.key
            if sub.amount is None:
                sub.amount, sub.unit, sub.amount_span = alloc.amount, alloc.unit, span
            c = next((c for c in contracts if c.project == sub.key), None)
            if c is not None and c.paid is None:
                c.paid = alloc.amount  # 资金按实际使用分配: what the year paid under the contract
                c.facts["paid"] = span
        project.allocations.append(alloc)
