"""Narrative records → RDF: projects, contracts and tenders (OCDS/ePO-aligned),
organisations by role, performance evaluations with score tables and
indicators, and the statements of the 情况说明 (restated figures linked with
fkg:restates to the table cell they restate, shares, year-over-year changes,
budget execution, itemised totals, procurement and asset summaries)."""
from __future__ import annotations

from decimal import Decimal

from ..iris import Minter, key
from ..narrative.names import is_department
from ..narrative.records import CellRef, Narrative
from ..rdf import boolean, curie, dec, integer, iri, lit, xdate, zh
from ..vocab import FUND_SOURCES, PHASES, UNITS
from .common import MapContext, cell_iri, column_iri, row_iri

DIRECTIONS = {"increase": "fkg:Increase", "decrease": "fkg:Decrease", "unchanged": "fkg:Unchanged"}
ITEMISED_CLASSES = {"operating_cost": "fkg:OperatingCostStatement", "personnel": "fkg:PersonnelCostStatement",
                    "public": "fkg:PublicCostStatement", "three_public": "fkg:ThreePublicStatement"}
ROLE_CLASSES = {"supplier": "fkg:Supplier", "agent": "fkg:ProcurementAgent", "evaluator": "fkg:Evaluator",
                "buyer": "fkg:Buyer", "funder": "fkg:FundingBody", "implementer": "fkg:ImplementingUnit"}
EVALUATION_CLASSES = {"report": ("fkg:PerformanceEvaluation",),
                      "self_assessment": ("fkg:PerformanceEvaluation", "fkg:SelfAssessment"),
                      "targets": ("fkg:PerformanceTargetSheet",)}


def map_narrative(ctx: MapContext, narrative: Narrative) -> None:
    project_iris = _projects(ctx, narrative)
    _contracts(ctx, narrative, project_iris)
    _evaluations(ctx, narrative, project_iris)
    _statements(ctx, narrative)
    _summaries(ctx, narrative)


# --- helpers -------------------------------------------------------------------

def _base(ctx: MapContext, s: str, cls: str, span=None) -> None:
    ctx.triples.add(s, "rdf:type", curie(cls))
    ctx.triples.add(s, "fkg:inReport", iri(ctx.report_iri))
    ctx.source(s, span)


def _org(ctx: MapContext, name: str, role: str) -> str:
    """An organisation by normalised name (one IRI across reports); the report's own
    department when the narrative names it by its short name (区X中心)."""
    if is_department(name, ctx.parsed.meta.department):
        return ctx.department_iri
    o = ctx.minter.organisation(name)
    t = ctx.triples
    t.add(o, "rdf:type", curie("org:Organization"))
    t.add(o, "rdf:type", curie(ROLE_CLASSES[role]))
    ctx.label(o, name)
    return o


def _restates(ctx: MapContext, s: str, ref: CellRef | None) -> None:
    """Link a stated figure to the cell it restates: fkg:restates the cell's
    observation, or fkg:restatesBlankCell a fkg:BlankCell when the report left the
    cell empty (no observation exists and none is invented; the checks read it as 0)."""
    if ref is None:
        return
    if not ref.blank:
        ctx.triples.add(s, "fkg:restates", iri(cell_iri(ctx, ref.table, ref.row, ref.column)))
        return
    table = next(t for t in ctx.parsed.tables if t.key == ref.table)
    row = next(r for r in table.rows if r.index == ref.row)
    column = next(c for c in table.columns if c.index == ref.column)
    b = ctx.local("table", ref.table, "blank", f"r{ref.row}c{ref.column}")
    t = ctx.triples
    t.add(s, "fkg:restatesBlankCell", iri(b))
    t.add(b, "rdf:type", curie("fkg:BlankCell"))
    t.add(b, "fkg:inReport", iri(ctx.report_iri))
    t.add(b, "fkg:blankCellRow", iri(row_iri(ctx, table.key, row.index)))
    t.add(b, "fkg:blankCellColumn", iri(column_iri(ctx, table.key, column.index)))
    ctx.label(b, f"表{table.key}「{row.label}」「{column.label}」（空）")
    ctx.source(b, row.span or table.span, table=table.key, row=row.index, column=column.index)


def _dec(t, s: str, prop: str, value: Decimal | None) -> None:
    if value is not None:
        t.add(s, prop, dec(value))


def _date(value: str | None) -> str | None:
    """xsd:date for a day, xsd:gYearMonth when the report states only the month."""
    if value is None:
        return None
    if len(value) == 7:
        return lit(value, datatype="http://www.w3.org/2001/XMLSchema#gYearMonth")
    return xdate(value)


# --- projects and contracts ----------------------------------------------------------

def _projects(ctx: MapContext, narrative: Narrative) -> dict[str, str]:
    t, dept = ctx.triples, ctx.parsed.meta.department
    by_key = {p.key: p for p in narrative.projects}
    iris: dict[str, str] = {}
    for p in narrative.projects:
        name = p.name if p.parent is None else f"{by_key[p.parent].name}/{p.name}"
        iris[p.key] = ctx.minter.project(dept, name)
    for p in narrative.projects:
        s = iris[p.key]
        _base(ctx, s, "fkg:Project", p.span)
        if p.parent:
            t.add(s, "rdf:type", curie("fkg:SubProject"))
            t.add(s, "fkg:subProjectOf", iri(iris[p.parent]))
        ctx.label(s, p.name)
        t.add(s, "fkg:department", iri(ctx.department_iri))
        t.add(s, "fkg:fiscalYear", integer(ctx.year))
        for extra in p.extra_spans:
            ctx.source(s, extra)
        if p.amount is not None:
            ctx.amount(s, p.amount, p.unit)
            ctx.source(s, p.amount_span)
        if p.budget is not None or p.actual is not None:
            _dec(t, s, "fkg:budgetAmount", p.budget)
            _dec(t, s, "fkg:actualAmount", p.actual)
            _dec(t, s, "fkg:executionRate", p.execution_rate)
            ctx.source(s, p.budget_span)
        if p.phase in PHASES:
            t.add(s, "fkg:budgetPhase", curie("fkg:" + PHASES[p.phase]))
        if p.nature:
            t.add(s, "fkg:projectNature", zh(p.nature))
        if p.funder:
            t.add(s, "fkg:fundedBy", iri(_org(ctx, p.funder, "funder")))
        for code in p.funding_codes:
            t.add(s, "fkg:fundingCode", iri(ctx.minter.code("functional", ctx.year, code)))
        if p.status:
            t.add(s, "fkg:status", curie("fkg:Completed" if p.status == "completed" else "fkg:Ongoing"))
            t.add(s, "fkg:statusText", zh(p.status_text))
            ctx.source(s, p.status_span)
        if p.implementer:
            t.add(s, "fkg:implementingUnit", iri(_org(ctx, p.implementer, "implementer")))
        for i, f in enumerate(p.funding, 1):
            # one node per stated amount, so a budget's 年初预算 and a final account's
            # 全年执行 of the same project stay apart in the union of the reports
            node = ctx.local("project-funding", key(p.key), i)
            _base(ctx, node, "fkg:ProjectFunding", f.span)
            ctx.label(node, f"{p.name} {f.label}")
            t.add(node, "fkg:forProject", iri(s))
            t.add(node, "fkg:budgetPhase", curie("fkg:" + PHASES[f.phase]))
            t.add(node, "fkg:fundSource", curie("fkg:" + FUND_SOURCES[f.fund_source]))
            ctx.amount(node, f.amount, f.unit)
        for i, a in enumerate(p.allocations, 1):
            node = Minter.under(s, "allocation", i)
            _base(ctx, node, "fkg:FundAllocation", a.span)
            ctx.label(node, a.label)
            ctx.amount(node, a.amount, a.unit)
            t.add(s, "fkg:allocation", iri(node))
            if a.subproject:
                t.add(node, "fkg:allocatedTo", iri(iris[a.subproject]))
    return iris


def _contracts(ctx: MapContext, narrative: Narrative, projects: dict[str, str]) -> None:
    t = ctx.triples
    for c in narrative.contracts:
        s = ctx.local("contract", key(c.key))
        tender = ctx.local("tender", key(c.key))
        _base(ctx, s, "fkg:Contract", c.span)
        t.add(s, "rdf:type", curie("ocds:Contract"))
        t.add(s, "rdf:type", curie("epo:Contract"))
        ctx.label(s, c.title or f"{_project_name(narrative, c.project)} 合同")
        if c.title:
            t.add(s, "fkg:contractTitle", zh(c.title))
        t.add(s, "fkg:forProject", iri(projects[c.project]))
        t.add(s, "fkg:tender", iri(tender))
        if c.supplier:
            t.add(s, "fkg:supplier", iri(_org(ctx, c.supplier, "supplier")))
        if c.buyer:
            t.add(s, "fkg:buyer", iri(_org(ctx, c.buyer, "buyer")))
        if c.price is not None:
            ctx.amount(s, c.price, c.unit)
        if c.paid is not None:
            ctx.amount(s, c.paid, c.unit, prop="fkg:amountPaid")
        if c.outstanding is not None:
            ctx.amount(s, c.outstanding, c.unit, prop="fkg:amountOutstanding")
        _dec(t, s, "fkg:paidShare", c.paid_share)
        ctx.source(s, c.payment_span)
        t.add(s, "fkg:dateSigned", _date(c.signed))
        t.add(s, "fkg:periodStart", _date(c.period_start))
        t.add(s, "fkg:periodEnd", _date(c.period_end))
        if c.duration:
            t.add(s, "fkg:durationText", zh(c.duration))
        if c.deliverables:
            t.add(s, "fkg:deliverables", zh(c.deliverables))
        for fact in ("supplier", "buyer", "price", "signed", "period", "duration", "deliverables", "paid", "title"):
            ctx.source(s, c.facts.get(fact))

        _base(ctx, tender, "fkg:Tender", c.facts.get("method") or c.span)
        t.add(tender, "rdf:type", curie("ocds:Tender"))
        t.add(tender, "rdf:type", curie("epo:Procedure"))
        ctx.label(tender, f"{c.title or _project_name(narrative, c.project)} 采购")
        t.add(tender, "fkg:forProject", iri(projects[c.project]))
        if c.method:
            t.add(tender, "fkg:procurementMethod", curie("fkg:method_" + c.method))
        if c.method_details:
            t.add(tender, "fkg:procurementMethodDetails", zh(c.method_details))
        if c.plan_number:
            t.add(tender, "fkg:planNumber", lit(c.plan_number))
            ctx.source(tender, c.facts.get("plan_number"))
        if c.plan_issuer:
            t.add(tender, "fkg:planIssuer", iri(_org(ctx, c.plan_issuer, "funder")))
        if c.agent:
            t.add(tender, "fkg:procurementAgent", iri(_org(ctx, c.agent, "agent")))
            ctx.source(tender, c.facts.get("agent"))
        if c.buyer:
            t.add(tender, "fkg:buyer", iri(_org(ctx, c.buyer, "buyer")))


def _project_name(narrative: Narrative, project_key: str) -> str:
    return next((p.name for p in narrative.projects if p.key == project_key), project_key)


# --- evaluations ---------------------------------------------------------------

def _evaluations(ctx: MapContext, narrative: Narrative, projects: dict[str, str]) -> None:
    t = ctx.triples
    for n, ev in enumerate(narrative.evaluations, 1):
        s = ctx.local("evaluation", n)
        classes = EVALUATION_CLASSES[ev.kind]
        _base(ctx, s, classes[0], ev.span)
        for cls in classes[1:]:
            t.add(s, "rdf:type", curie(cls))
        ctx.label(s, ev.title)
        subject = projects.get(ev.project) if ev.project else None
        t.add(s, "fkg:evaluationScope", curie("fkg:ProjectScope" if ev.scope == "project" else "fkg:DepartmentScope"))
        # a target sheet sets the targets a later evaluation assesses; it evaluates nothing
        t.add(s, "fkg:targetsOf" if ev.kind == "targets" else "fkg:evaluates", iri(subject or ctx.department_iri))
        if ev.goal:
            t.add(s, "fkg:annualGoal", zh(ev.goal))
        if ev.achieved:
            t.add(s, "fkg:goalAchieved", zh(ev.achieved))
        ctx.source(s, ev.goal_span)
        _dec(t, s, "fkg:totalScore", ev.total_score)
        if ev.grade:
            t.add(s, "fkg:grade", zh(ev.grade))
        ctx.source(s, ev.score_span)
        if ev.evaluator:
            t.add(s, "fkg:evaluator", iri(_org(ctx, ev.evaluator, "evaluator")))
            ctx.source(s, ev.evaluator_span)
        for i, row in enumerate(ev.rows, 1):
            r = Minter.under(s, "score", i)
            _base(ctx, r, "fkg:ScoreRow", row.span)
            t.add(s, "fkg:scoreRow", iri(r))
            ctx.label(r, row.dimension)
            t.add(r, "fkg:ordinal", integer(i))
            _dec(t, r, "fkg:weight", row.weight)
            _dec(t, r, "fkg:fullScore", row.full)
            _dec(t, r, "fkg:score", row.score)
            if row.grade:
                t.add(r, "fkg:grade", zh(row.grade))
        for i, ind in enumerate(ev.indicators, 1):
            x = Minter.under(s, "indicator", i)
            _base(ctx, x, "fkg:PerformanceIndicator", ind.span)
            for extra in ind.extra_spans:
                ctx.source(x, extra)
            t.add(s, "fkg:hasIndicator", iri(x))
            t.add(x, "fkg:indicatorOf", iri(subject or ctx.department_iri))
            ctx.label(x, ind.name)
            t.add(x, "fkg:ordinal", integer(i))
            if ind.code:
                t.add(x, "skos:notation", lit(ind.code))
            for prop, value in (("fkg:level1Category", ind.level1), ("fkg:level2Category", ind.level2),
                                ("fkg:targetText", ind.target_text), ("fkg:actualText", ind.actual_text),
                                ("fkg:deviationReason", ind.deviation_reason)):
                if value:
                    t.add(x, prop, zh(value))
            for prop, value in (("fkg:comparator", ind.comparator), ("fkg:targetUnit", ind.target_unit),
                                ("fkg:actualUnit", ind.actual_unit)):
                if value:
                    t.add(x, prop, lit(value))
            _dec(t, x, "fkg:targetValue", ind.target_value)
            _dec(t, x, "fkg:actualValue", ind.actual_value)
            _dec(t, x, "fkg:fullScore", ind.full_score)
            _dec(t, x, "fkg:score", ind.score)
            if ind.met is not None:
                t.add(x, "fkg:targetMet", boolean(ind.met))
        for i, ex in enumerate(ev.executions, 1):
            e = Minter.under(s, "execution", i)
            _execution(ctx, e, ex)
            t.add(s, "fkg:budgetExecution", iri(e))


def _execution(ctx: MapContext, s: str, ex) -> None:
    t = ctx.triples
    _base(ctx, s, "fkg:BudgetExecutionStatement", ex.span)
    t.add(s, "fkg:subjectText", zh(ex.subject))
    _dec(t, s, "fkg:budgetAmount", ex.budget)
    _dec(t, s, "fkg:actualAmount", ex.actual)
    _dec(t, s, "fkg:executionRate", ex.rate)
    _dec(t, s, "fkg:initialBudgetAmount", ex.initial_budget)
    _dec(t, s, "fkg:fullScore", ex.full_score)
    _dec(t, s, "fkg:score", ex.score)
    t.add(s, "fkg:unit", curie("fkg:" + UNITS[ex.unit][0]))
    _restates(ctx, s, ex.restates)


# --- statements and summaries ------------------------------------------------------

def _statements(ctx: MapContext, narrative: Narrative) -> None:
    t = ctx.triples
    for f in narrative.figures:
        s = ctx.local("stated", key(f.label, f.span.line_start, f.span.char_start, f.amount))
        _base(ctx, s, "fkg:StatedFigure", f.span)
        ctx.label(s, f.label)
        t.add(s, "fkg:topic", zh(f.topic))
        if f.amount is not None:
            ctx.amount(s, f.amount, f.unit)
        _restates(ctx, s, f.restates)
    for p in narrative.percentages:
        s = ctx.local("share", key(p.part_label, p.whole_label, p.span.line_start, p.value))
        _base(ctx, s, "fkg:StatedPercentage", p.span)
        ctx.label(s, f"{p.part_label} / {p.whole_label}")
        t.add(s, "fkg:percentage", dec(p.value))
        t.add(s, "fkg:partLabel", zh(p.part_label))
        t.add(s, "fkg:wholeLabel", zh(p.whole_label))
        _dec(t, s, "fkg:partAmount", p.part_amount)
        _dec(t, s, "fkg:wholeAmount", p.whole_amount)
    for y in narrative.year_over_year:
        s = ctx.local("change", key(y.subject, y.span.line_start, y.span.char_start, y.amount))
        _base(ctx, s, "fkg:YearOverYearStatement", y.span)
        ctx.label(s, f"{y.subject} {y.direction_text}")
        t.add(s, "fkg:subjectText", zh(y.subject))
        t.add(s, "fkg:direction", curie(DIRECTIONS[y.direction]))
        if y.amount is not None:
            ctx.amount(s, y.amount, y.unit, prop="fkg:changeAmount")
        _dec(t, s, "fkg:changePercent", y.percent)
        if y.reason:
            t.add(s, "fkg:reason", zh(y.reason))
    for i, ex in enumerate(narrative.executions, 1):
        _execution(ctx, ctx.local("execution", i), ex)


def _summaries(ctx: MapContext, narrative: Narrative) -> None:
    t = ctx.triples
    for n, it in enumerate(narrative.itemised, 1):
        s = ctx.local("itemised", it.kind, n)
        _base(ctx, s, "fkg:ItemisedTotal", it.span)
        t.add(s, "rdf:type", curie(ITEMISED_CLASSES[it.kind]))
        ctx.label(s, it.label)
        if it.total is not None:
            ctx.amount(s, it.total, it.unit)
        _restates(ctx, s, it.restates)
        for i, item in enumerate(it.items, 1):
            x = Minter.under(s, "item", i)
            _base(ctx, x, "fkg:StatedItem", item.span)
            t.add(s, "fkg:hasItem", iri(x))
            ctx.label(x, item.label)
            t.add(x, "fkg:ordinal", integer(i))
            if item.amount is not None:
                ctx.amount(x, item.amount, it.unit)
            _restates(ctx, x, item.restates)
    for n, pr in enumerate(narrative.procurement, 1):
        s = ctx.local("procurement-summary", n)
        _base(ctx, s, "fkg:ProcurementSummary", pr.span)
        ctx.label(s, "政府采购支出")
        if pr.total is not None:
            ctx.amount(s, pr.total, pr.unit)
        for prop, v in (("fkg:goodsAmount", pr.goods), ("fkg:worksAmount", pr.works),
                        ("fkg:servicesAmount", pr.services), ("fkg:smeAmount", pr.sme),
                        ("fkg:smeShare", pr.sme_share), ("fkg:smallMicroAmount", pr.small_micro),
                        ("fkg:smallMicroShare", pr.small_micro_share)):
            _dec(t, s, prop, v)
    for n, a in enumerate(narrative.assets, 1):
        s = ctx.local("asset", n)
        _base(ctx, s, "fkg:AssetHolding", a.span)
        ctx.label(s, a.label)
        t.add(s, "fkg:assetKind", curie("fkg:asset_" + a.kind))
        t.add(s, "fkg:quantity", dec(a.quantity))
        t.add(s, "fkg:quantityUnit", zh(a.unit))
        t.add(s, "fkg:holder", iri(ctx.department_iri))
    core_counts = {c.key for c in ctx.parsed.counts}
    for c in narrative.counts:
        s = ctx.local("stated-count", c.key)
        _base(ctx, s, "fkg:StatedCount", c.span)
        ctx.label(s, c.label)
        t.add(s, "fkg:countKind", curie("fkg:count_" + c.key))
        t.add(s, "fkg:count", integer(c.value))
        t.add(s, "fkg:countUnit", zh(c.unit))
        t.add(s, "fkg:countOf", iri(ctx.department_iri))
        if c.key in core_counts:
            t.add(s, "fkg:restates", iri(ctx.local("count", c.key)))
