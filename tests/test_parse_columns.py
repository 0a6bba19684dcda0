"""Column variants of the Ministry-of-Finance national templates, on text fixtures with
invented departments and figures that add up by construction: a 部门预算 (表1…表10)
with 上年预算数 | 本年预算数 | 比上年增减 (增减额, 增减%) and 2023年 | 2024年 “三公”
groups, 类 | 款 | 项 code columns, a "（万元）" header and a 单位：元 table; and a
central-template 部门决算 with 年初预算数 | 调整预算数 | 决算数 | 决算数为调整预算数的%.
Every figure must carry its year, phase and measure; no percentage or difference may
be summed as an amount, and the checks must find nothing wrong."""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import rdflib

from ingest import build_graph
from ingest.parse import parse_document
from ingest.parse.tables import _join_split_code
from ingest.read import read_document
from ingest.vocab import FKG
from service.checks import evaluate_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
BUDGET = FIXTURES / "national_budget.txt"
FINAL = FIXTURES / "central_final.txt"


@cache
def parsed(path: Path):
    return parse_document(read_document(path))


def table(path: Path, key: str):
    return next(t for t in parsed(path).tables if t.key == key)


def tags(t):
    return [(c.label, c.year, c.phase, c.measure) for c in t.columns]


def cell(t, column_label: str, code: str | None = None, label: str | None = None):
    return next(c for c in t.cells if c.column.label == column_label
                and (c.row.code == code if code else c.row.label == label))


def test_budget_previous_year_current_year_and_change_columns():
    t = table(BUDGET, "05")
    assert tags(t) == [("上年预算数", 2023, "budget", "amount"),
                       ("本年预算数/合计", None, "budget", "amount"),
                       ("本年预算数/基本支出", None, "budget", "amount"),
                       ("本年预算数/项目支出", None, "budget", "amount"),
                       ("比上年增减/增减额", None, None, "change"),
                       ("比上年增减/增减%", None, None, "ratio")]
    assert cell(t, "上年预算数", "2130306").amount == Decimal("180.00")
    assert cell(t, "比上年增减/增减额", "2130306").amount == Decimal("-30.00")
    assert cell(t, "比上年增减/增减%", "2130306").amount == Decimal("-16.67")   # "-16.67%" read as a percentage
    assert parsed(BUDGET).warnings == []


def test_three_public_groups_of_two_years():
    t = table(BUDGET, "07")
    assert [(c.item, c.year) for c in t.columns] == [
        (item, year) for year in (2023, None)
        for item in ("total", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")]
    assert {c.phase for c in t.columns} == {"budget"}


def test_final_accounts_initial_adjusted_final_and_percentage():
    t = table(FINAL, "05")
    assert tags(t) == [("年初预算数", None, "budget", "amount"), ("调整预算数", None, "adjusted", "amount"),
                       ("决算数/合计", None, "final", "amount"), ("决算数/基本支出", None, "final", "amount"),
                       ("决算数/项目支出", None, "final", "amount"),
                       ("决算数为调整预算数的%", None, None, "ratio")]
    assert [c.expenditure_type for c in t.columns[:3]] == ["total", "total", "total"]
    three = table(FINAL, "07")
    assert [(c.item, c.phase) for c in three.columns[:4]] == [
        ("total", "budget"), ("total", "final"), ("abroad", "budget"), ("abroad", "final")]


def test_split_code_columns_join_and_inherit_their_class():
    # 类 | 款 | 项 in three text columns, a 款 or 项 row printing only its own part
    t = table(BUDGET, "02")
    assert [r.code for r in t.rows] == [None, "208", "20805", "2080505", "213", "21303", "2130301", "2130306",
                                        "221", "22102", "2210201"]
    assert cell(t, "事业收入", "2130306").amount == Decimal("50.00")
    lineage = ["", ""]
    assert [_join_split_code(p, lineage) for p in (["201", "", ""], ["", "1", ""], ["", "", "02"],
                                                   ["201", "03", "01"], ["合计", "", ""])] == [
        "201", "20101", "2010102", "2010301", None]


def test_units_from_header_cells_and_per_table():
    assert [(t.key, t.unit) for t in parsed(BUDGET).tables if t.key in ("05", "06", "10")] == [
        ("05", "万元"), ("06", "万元"), ("10", "元")]
    t6 = table(BUDGET, "06")        # "合计（万元）": the unit leaves the label
    assert [c.label for c in t6.columns] == ["合计", "人员经费", "公用经费"]
    assert [c.expenditure_type for c in t6.columns] == ["basic", "personnel", "public"]
    t10 = table(BUDGET, "10")
    assert cell(t10, "一般公共预算拨款", label="河道清淤").amount == Decimal("300000.00")


@cache
def graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(data=build_graph(path).ntriples, format="nt")


@pytest.mark.parametrize("path", [BUDGET, FINAL])
def test_no_percentage_or_change_is_an_amount(path):
    g = graph(path)
    rows = g.query("""
        PREFIX fkg: <https://fiscalkg.org/ontology#>
        SELECT ?cell ?kind ?amount WHERE {
          ?cell fkg:column ?col . ?col fkg:measureKind ?kind .
          OPTIONAL { ?cell fkg:amount ?amount }
          FILTER(?kind != fkg:Amount)
        }""")
    found = list(rows)
    assert found, "the fixture has percentage columns"
    assert all(r.amount is None for r in found)
    ratio = rdflib.URIRef(FKG + "Ratio")
    for r in found:
        assert (r.cell, rdflib.URIRef(FKG + "measureKind"), r.kind) in g
        prop = "percentage" if r.kind == ratio else "changeAmount"
        assert g.value(r.cell, rdflib.URIRef(FKG + prop)) is not None
        assert (r.cell, rdflib.RDF.type, rdflib.URIRef(FKG + "TableCell")) not in g


def test_cells_of_the_previous_year_carry_that_year():
    g = graph(BUDGET)
    years = {(str(label), int(year)) for label, year in g.query("""
        PREFIX fkg: <https://fiscalkg.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?label ?year WHERE {
          ?cell a fkg:TableCell ; fkg:column ?col ; fkg:fiscalYear ?year ; fkg:budgetPhase fkg:InitialBudget .
          ?col rdfs:label ?label ; fkg:inTable ?t . ?t fkg:tableKey "05" }""")}
    assert years == {("上年预算数", 2023), ("本年预算数/合计", 2024), ("本年预算数/基本支出", 2024),
                     ("本年预算数/项目支出", 2024)}


@pytest.mark.parametrize("path", [BUDGET, FINAL])
def test_consistent_reports_raise_no_finding(path):
    _, counts = evaluate_report(build_graph(path), "https://data.fiscalkg.org/")
    assert counts == {}


def test_a_wrong_figure_is_still_found(tmp_path):
    # the same budget with one 2024 三公 part changed: the checks are not blind to the layout
    text = BUDGET.read_text(encoding="utf-8").replace("11.00\t0.00\t9.00", "11.00\t0.00\t9.50")
    assert text != BUDGET.read_text(encoding="utf-8")
    path = tmp_path / "budget.txt"
    path.write_text(text, encoding="utf-8")
    _, counts = evaluate_report(build_graph(path), "https://data.fiscalkg.org/")
    assert counts.get("error")
