"""Project tables and performance sheets of the national template (项目支出预算表,
项目支出绩效目标表, 项目支出绩效自评表) on an invented department's budget and
final accounts of one year: the records extracted, one project IRI across both
reports, and the planned-vs-executed query over an on-disk store."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest import map_report, parse_report
from ingest.iris import DEFAULT_BASE, Minter
from ingest.narrative.targets import parse_target
from service.loading import ingest_paths
from service.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "narrative"
BUDGET = FIXTURES / "planning_env_2024_budget.txt"
FINAL = FIXTURES / "planning_env_2024_final.txt"
QUERY = Path(__file__).resolve().parent.parent / "queries" / "cross-project-plan-vs-actual.rq"
DEPARTMENT = "四川省宁江市生态环境局"
AIR, WATER = "大气污染防治监测运维项目", "农村生活污水治理项目"


@pytest.fixture(scope="module")
def budget():
    return parse_report(str(BUDGET))


@pytest.fixture(scope="module")
def final():
    return parse_report(str(FINAL))


def _project(parsed, name):
    return next(p for p in parsed.narrative.projects if p.name == name)


def test_project_table_rows_become_projects_with_amounts_by_fund_source(budget):
    assert {p.name for p in budget.narrative.projects} == {AIR, WATER}  # the 合计 row is no project
    water = _project(budget, WATER)
    assert (water.amount, water.unit, water.phase, water.nature) == (Decimal("420.00"), "万元", "budget", "一次性项目")
    row = water.amount_span.line_start
    assert {(f.fund_source, f.label): f.amount for f in water.funding if f.span.line_start == row} == {
        ("total", "合计"): Decimal("420.00"),
        ("general_budget", "财政拨款/一般公共预算"): Decimal("300.00"),  # a two-row header
        ("gov_fund", "财政拨款/政府性基金预算"): Decimal("100.00"),
        ("other", "其他资金"): Decimal("20.00"),
    }
    air = _project(budget, AIR)
    assert air.implementer == "宁江市生态环境监测站"
    assert "大气污染防治监测运维项目\t经常性项目\t186.50" in air.amount_span.excerpt


def test_target_sheets_give_goal_and_indicator_grid(budget):
    sheets = {e.title: e for e in budget.narrative.evaluations}
    assert set(sheets) == {f"{AIR}绩效目标表", f"{WATER}绩效目标表"}
    air = sheets[f"{AIR}绩效目标表"]
    assert air.kind == "targets" and air.project == _project(budget, AIR).key and air.total_score is None
    assert air.goal.startswith("保障全市空气自动监测站全年稳定运行")
    by_name = {i.name: i for i in air.indicators}
    assert len(by_name) == 7
    # merged category cells carry down the grid
    checks = by_name["季度质控比对次数"]
    assert (checks.level1, checks.level2, checks.comparator, checks.target_value, checks.target_unit) == (
        "产出指标", "数量指标", "=", Decimal("4"), "次")
    cost = by_name["单站年运维成本"]
    assert (cost.level2, cost.comparator, cost.target_value, cost.target_unit) == ("成本指标", "≤", Decimal("15.5"), "万元")
    assert by_name["公众满意度"].level1 == "满意度指标" and all(i.met is None for i in air.indicators)

    water = sheets[f"{WATER}绩效目标表"]
    # a goal wrapped onto a line of its own, and a grid with 指标性质 / 度量单位 columns
    assert water.goal.endswith("农村生活污水治理率提高5个百分点以上。")
    rate = next(i for i in water.indicators if i.name == "农村生活污水治理率提升")
    assert (rate.level1, rate.target_text, rate.comparator, rate.target_value, rate.target_unit) == (
        "效益指标", "≥5个百分点", "≥", Decimal("5"), "个百分点")
    # the sheet's 资金总额 and its parts, besides the project table's row
    stated = {(f.fund_source, f.label): f.amount for f in _project(budget, WATER).funding}
    assert stated[("total", "年度资金总额")] == Decimal("420.00") and stated[("fiscal", "其中：财政拨款")] == Decimal("400.00")


def test_self_assessment_sheet_gives_execution_scores_and_deviations(final):
    (ev,) = final.narrative.evaluations
    assert (ev.kind, ev.scope, ev.total_score, ev.grade) == ("self_assessment", "project", Decimal("93.5"), "优")
    assert ev.achieved.startswith("建成处理设施7座")
    (ex,) = ev.executions
    assert (ex.initial_budget, ex.budget, ex.actual, ex.rate, ex.full_score, ex.score) == (
        Decimal("420.00"), Decimal("450.00"), Decimal("405.00"), Decimal("90.00"), Decimal("10"), Decimal("9.00"))
    water = _project(final, WATER)
    assert (water.budget, water.actual, water.execution_rate) == (Decimal("450.00"), Decimal("405.00"), Decimal("90.00"))
    phases = {(f.phase, f.fund_source): f.amount for f in water.funding}
    assert phases[("adjusted", "fiscal")] == Decimal("430.00") and phases[("final", "other")] == Decimal("15.00")
    assert ("budget", "carryover") not in phases  # a blank cell states nothing
    by_name = {i.name: i for i in ev.indicators}
    built = by_name["新建污水处理设施数量"]
    assert (built.target_value, built.actual_value, built.actual_unit, built.full_score, built.score, built.met) == (
        Decimal("8"), Decimal("7"), "座", Decimal("15"), Decimal("13"), False)
    assert built.deviation_reason.startswith("1座因选址调整")
    assert by_name["单座设施建设成本"].met is True and by_name["项目完工及时率"].met is False
    assert by_name["设施验收合格率"].deviation_reason is None
    # the execution score and the indicator scores add up to the stated total
    assert ex.score + sum(i.score for i in ev.indicators) == ev.total_score


def test_the_same_project_is_one_iri_in_budget_and_final_accounts(budget, final):
    iri = Minter().project(DEPARTMENT, WATER)
    for parsed in (budget, final):
        text = map_report(parsed).ntriples
        assert f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://fiscalkg.org/ontology#Project>" in text


def test_targets_of_a_budget_are_no_evaluation(budget):
    text = map_report(budget).ntriples
    assert "<https://fiscalkg.org/ontology#PerformanceTargetSheet>" in text
    assert "<https://fiscalkg.org/ontology#PerformanceEvaluation>" not in text
    assert "<https://fiscalkg.org/ontology#targetsOf>" in text


@pytest.mark.parametrize("text, expected", [
    ("≥95%", ("≥", Decimal("95"), "%")),
    ("≤24小时", ("≤", Decimal("24"), "小时")),
    ("不低于3,200户", ("≥", Decimal("3200"), "户")),
    ("100%", (None, Decimal("100"), "%")),
    ("及时", (None, None, None)),
])
def test_target_cells(text, expected):
    assert parse_target(text) == expected


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("plan-vs-actual") / "db")
    results = ingest_paths(s, [str(BUDGET), str(FINAL)], DEFAULT_BASE, jobs=1)
    assert all(r.ok for r in results), [r.message for r in results]
    return s


def test_planned_vs_executed_per_project(store):
    text = QUERY.read_text(encoding="utf-8")
    assert text.startswith("# title: ") and "\n# description: " in text and "\n# param: department iri" in text
    department = Minter().organisation(DEPARTMENT)
    rows = store.select(text.replace("WHERE {", f"WHERE {{\n  VALUES ?department {{ <{department}> }}", 1))
    by_name = {r["projectName"]: r for r in rows}
    assert set(by_name) == {AIR, WATER}
    water = by_name[WATER]
    assert water["project"] == Minter().project(DEPARTMENT, WATER)
    assert (water["planned"], water["initialBudget"], water["adjustedBudget"], water["executed"]) == (
        Decimal("4200000"), Decimal("4200000"), Decimal("4500000"), Decimal("4050000"))
    assert (water["difference"], water["executionRate"], water["totalScore"]) == (
        Decimal("-150000"), Decimal("90"), Decimal("93.5"))
    # planned in the budget, not assessed in the final accounts
    air = by_name[AIR]
    assert air["planned"] == Decimal("1865000") and "executed" not in air and "totalScore" not in air
