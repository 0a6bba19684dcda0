"""Narrative extraction on the reference report: projects, sub-projects and
their contracts, evaluations with score tables, indicators, summaries — each
with the verbatim excerpt it was read from — and restated figures linked to
the table cells they restate."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from ingest import parse_report
from ingest.narrative import extract_narrative
from ingest.narrative.nlp import get_nlp


@pytest.fixture(scope="module")
def parsed(sample_path):
    return parse_report(sample_path)


@pytest.fixture(scope="module")
def narrative(parsed):
    return parsed.narrative


def _project(n, name):
    return next(p for p in n.projects if p.name == name)


def test_department_projects_have_their_amounts(narrative):
    top = {p.name: p.amount for p in narrative.projects if p.parent is None}
    assert top["智慧城市建设项目"] == Decimal("3084.68")
    assert top["人事代理项目"] == Decimal("72")
    assert top["设备购置项目"] == Decimal("54.23")
    assert top["全区政务网络运营及基础业务设备设施维护经费项目"] == Decimal("405")
    assert any(name.endswith("运行保障经费项目") and amount == Decimal("249.96") for name, amount in top.items())


def test_five_subprojects_with_allocations(narrative):
    parent = _project(narrative, "全区政务网络运营及基础业务设备设施维护经费项目")
    subs = [p for p in narrative.projects if p.parent == parent.key]
    assert len(subs) == 5
    assert sorted(s.amount for s in subs) == [Decimal("5.5"), Decimal("10"), Decimal("37.80"),
                                              Decimal("134.82"), Decimal("200")]
    # the allocation also lists cost items that are no sub-project
    assert {a.label for a in parent.allocations if a.subproject is None} == {"政务网及办公光纤费", "咨询及评估费"}
    assert parent.phase == "budget" and parent.funder


def test_contracts_with_supplier_agent_method_plan_price_dates(narrative):
    by_supplier = {}
    for c in narrative.contracts:
        by_supplier.setdefault(c.supplier, []).append(c)
    assert len(narrative.contracts) == 5
    telecom = by_supplier["中国电信股份有限公司武汉分公司"][0]
    assert telecom.agent == "武汉宏信天工程项目管理有限公司"
    assert (telecom.method_details, telecom.method) == ("竞争性谈判", "limited")
    assert telecom.plan_number == "夏财采（2018）01192号"
    assert telecom.price == Decimal("200")
    assert (telecom.period_start, telecom.period_end) == ("2020-05-01", "2021-04-30")
    assert telecom.buyer == "武汉市江夏区社会管理网络服务中心"

    env = by_supplier["武汉花开科技发展有限公司"][0]
    assert env.plan_number == "夏财采（2021）00081号" and env.agent == "武汉江南福乐工程管理有限公司"
    assert env.signed == "2021-03-19" and env.price == Decimal("149.8") and env.duration == "1年"
    assert env.paid_share == Decimal("90") and env.outstanding == Decimal("14.98")
    assert env.paid == Decimal("134.82")

    shop = by_supplier["武汉市江夏区登高办公设备经营部"]
    assert sorted((c.method_details, c.method) for c in shop) == [("三方询价", "limited"), ("政府采购电子商城", "direct")]
    ups = next(c for c in shop if c.title == "UPS电池组购销合同")
    assert ups.price == Decimal("37.80") and ups.signed == "2021-06"
    assert "蓄电池176节" in ups.deliverables

    grid = by_supplier["武汉力龙信息科技股份有限公司"][0]
    assert grid.signed == "2020-11" and grid.price == Decimal("10")
    assert grid.period_start == "2021-10"  # stated later, under its indicator


def test_every_contract_fact_has_its_excerpt(narrative):
    for c in narrative.contracts:
        assert c.facts["price"].excerpt and "合同价" in c.facts["price"].excerpt
        assert c.supplier in c.facts["supplier"].excerpt
        assert c.facts["method"].excerpt


def test_evaluations_with_score_tables(narrative):
    dept, proj = narrative.evaluations
    assert (dept.scope, dept.total_score, dept.grade) == ("department", Decimal("96.3"), "优")
    assert (proj.scope, proj.total_score, proj.grade) == ("project", Decimal("100"), "优")
    assert proj.project == _project(narrative, "全区政务网络运营及基础业务设备设施维护经费项目").key
    assert [(r.dimension, r.weight, r.full, r.score) for r in dept.rows][0] == \
        ("预算执行情况", Decimal("20"), Decimal("20"), Decimal("18.5"))
    assert len(dept.rows) == len(proj.rows) == 5
    assert dept.evaluator == "武汉夏财信会计服务有限责任公司"
    ex = dept.executions[0]
    assert (ex.budget, ex.actual, ex.rate) == (Decimal("5359.78"), Decimal("4859.44"), Decimal("90.66"))


def test_indicators_with_target_actual_score(narrative):
    dept, proj = narrative.evaluations
    assert len(dept.indicators) == 17 and len(proj.indicators) == 11
    by_name = {i.name: i for i in dept.indicators}
    machines = by_name["物理机"]
    assert (machines.target_value, machines.actual_value, machines.full_score, machines.score, machines.met) == \
        (Decimal("15"), Decimal("0"), Decimal("1"), Decimal("0"), False)
    adjust = by_name["预算调整率"]
    assert adjust.comparator == "≤" and adjust.met is False and "人员调动" in adjust.deviation_reason
    staff = by_name["在编人员数"]
    assert (staff.level1, staff.level2, staff.comparator, staff.met) == ("产出指标", "数量指标", "≤", True)
    # the project's table gives targets, its paragraphs actuals and scores: one indicator each
    repair = next(i for i in proj.indicators if "故障修复响应" in i.name)
    assert (repair.target_text, repair.actual_text, repair.score) == ("及时", "及时", Decimal("5"))
    assert repair.extra_spans, "the table row is kept as a second source"
    assert all(i.score is not None for i in proj.indicators if i.level1 == "产出指标")


def test_summaries_assets_staffing_operating_cost(narrative):
    proc = narrative.procurement[0]
    assert (proc.total, proc.goods, proc.works, proc.services) == \
        (Decimal("3764.30"), Decimal("10"), Decimal("3206.3"), Decimal("125.01"))
    assert (proc.sme, proc.sme_share, proc.small_micro_share) == (Decimal("125"), Decimal("3.32"), Decimal("3.32"))
    assets = {(a.kind, a.label): a.quantity for a in narrative.assets}
    assert assets[("building", "房屋")] == 1360 and assets[("building_use", "办公用房")] == 400
    assert assets[("vehicle", "车辆")] == 0
    counts = {c.key: c.value for c in narrative.counts}
    assert counts["staff_quota"] == 21 and counts["staff_actual"] == 19
    op = next(i for i in narrative.itemised if i.kind == "operating_cost")
    assert op.total == Decimal("29.3") and len(op.items) == 14
    assert next(i for i in op.items if i.label == "邮电费").amount is None  # printed blank
    three = next(i for i in narrative.itemised if i.kind == "three_public")
    assert len(three.items) == 3


def _at(ref):
    return ref.table, ref.row, ref.column


def test_restated_figures_point_at_the_cells_they_restate(parsed, narrative):
    cells = {(t.key, c.row.index, c.column.index): c.amount for t in parsed.tables for c in t.cells}
    fig = {(f.topic[:2], f.label): f for f in narrative.figures}
    income = fig[("二、", "本年收入合计")]
    assert income.restates.table == "02" and cells[_at(income.restates)] == income.amount
    # disagreements are kept as data: the narrative's 基本支出 differs from table 05's cell
    basic = fig[("五、", "基本支出")]
    assert basic.restates.table == "05" and cells[_at(basic.restates)] != basic.amount
    rows = [e for e in narrative.executions if e.code_path]
    assert len(rows) == 9 and all(e.restates is not None for e in rows)
    personnel = next(i for i in narrative.itemised if i.kind == "personnel")
    assert personnel.restates is not None and all(i.restates for i in personnel.items)


def test_year_over_year_and_shares(narrative):
    yoy = {y.subject: y for y in narrative.year_over_year}
    assert yoy["收入总计"].amount == Decimal("278.3") and yoy["收入总计"].direction == "decrease"
    assert yoy["收入总计"].reason.endswith("比上年度减少")
    share = next(p for p in narrative.percentages if p.part_label == "财政拨款收入")
    assert (share.value, share.part_amount, share.whole_amount) == (Decimal("99.51"), Decimal("4859.44"), Decimal("4883.37"))


def test_extraction_is_fast_once_the_pipeline_is_loaded(parsed):
    get_nlp()
    start = time.perf_counter()
    extract_narrative(parsed)
    assert time.perf_counter() - start < 0.5
