"""Layouts of reports nobody here has seen, written as text fixtures with invented
departments and figures: a 单位 budget with years in Chinese numerals, table
numbers 表一 / 附表2： / 公开 03 表：, the short titles of budgets (部门收支总表,
部门收入总表, …), units 元 / 万元 / 亿元, 政府经济分类 codes, labels wrapped onto
the next line, a 三公 table without a label column, and an empty table."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.parse.tables import _continues, code_scheme
from ingest.read import read_document

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "parse" / "unit_budget_variants.txt"


@pytest.fixture(scope="module")
def report():
    return parse_document(read_document(FIXTURE))


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def amount(t, column, label=None, code=None, side=None):
    return next((c.amount for c in t.cells if c.column.label == column and (side is None or c.row.side == side)
                 and (c.row.code == code if code else c.row.label == label)), None)


def test_unit_level_budget_with_a_chinese_numeral_year(report):
    assert (report.meta.kind, report.meta.level, report.meta.year) == ("budget", "unit", 2024)
    assert report.meta.department == "青石镇农业服务中心"
    assert report.meta.title == "二〇二四年单位预算"          # verbatim
    assert report.warnings == []


def test_numbering_variants_titles_families_and_units(report):
    assert [(t.key, t.number, t.family, t.unit, t.title) for t in report.tables] == [
        ("01", "表一", "income_expenditure_summary", "元", "部门收支总表"),
        ("02", "附表2", "income", "万元", "部门收入总表"),
        ("03", "公开 03 表", "expenditure", "万元", "部门支出总表"),
        ("04", "表四", "fiscal_summary", "万元", "财政拨款收支总表"),
        ("05", "附表5", "general_budget_expenditure", "亿元", "一般公共预算支出表"),
        ("06", "附表6", "basic_expenditure_economic", "元", "一般公共预算基本支出表"),
        ("07", "附表7", "three_public", "元", "“三公”经费支出预算表"),
        ("08", "附表8", "gov_fund", "万元", "政府性基金预算支出表"),
    ]
    assert all(c.phase == "budget" for t in report.tables for c in t.columns)


def test_codes_schemes_and_amounts(report):
    t2 = table(report, "02")
    assert [r.code for r in t2.rows] == [None, "213", "21301", "2130104", "2130199", "208", "20805", "2080505"]
    assert {r.scheme for r in t2.rows if r.code} == {"functional"}
    assert amount(t2, "一般公共预算拨款收入", code="2130104") == Decimal("66.00")
    assert amount(t2, "事业收入", code="2130199") is None
    assert amount(table(report, "05"), "基本支出", code="2130104") == Decimal("0.0066")
    # 政府预算支出经济分类 (5xx) under a header naming the economic classification.
    t6 = table(report, "06")
    assert [(r.code, r.scheme) for r in t6.rows] == [("501", "economic"), ("50101", "economic"),
                                                      ("502", "economic"), ("50201", "economic")]
    assert amount(t6, "公用经费", code="50201") == Decimal("60000.00")
    # the 合计 of a 基本支出 table is its basic-spending total, in the one fund its title names
    assert [c.expenditure_type for c in t6.columns] == ["basic", "personnel", "public"]
    assert {c.fund_source for c in t6.columns} == {"general_budget"}


def test_wrapped_labels_join_the_row_above(report):
    # "机关事业单位基本养老保险" / "缴费支出": a tail longer than three characters.
    t2 = table(report, "02")
    assert t2.rows[-1].label == "机关事业单位基本养老保险缴费支出" and len(t2.rows) == 8
    t4 = table(report, "04")
    spend = [r.label for r in t4.rows if r.side == "expenditure"]
    assert spend == ["一、农林水支出", "二、社会保障和就业支出", "本年支出合计", "年末结转和结余"]
    assert amount(t4, "支出/一般公共预算", label="二、社会保障和就业支出") == Decimal("6.00")


def test_income_rows_of_summary_tables_name_their_fund_source(report):
    t1 = table(report, "01")
    income = {r.label: r.fund_source for r in t1.rows if r.side == "income"}
    assert income == {"一、一般公共预算拨款收入": "general_budget", "二、政府性基金预算拨款收入": "gov_fund",
                      "三、事业收入": "business", "本年收入合计": "total", "上年结转": "carryover",
                      "收入总计": "total"}
    assert all(r.fund_source is None for r in t1.rows if r.side == "expenditure")
    t4 = table(report, "04")
    assert {r.label: r.fund_source for r in t4.rows if r.side == "income"}["一、一般公共预算拨款"] == "general_budget"


def test_three_public_single_row_is_the_total_and_empty_table_keeps_its_note(report):
    t7 = table(report, "07")
    assert [(r.label, r.is_total) for r in t7.rows] == [("合计", True)]
    assert amount(t7, "公务用车购置及运行费/公务用车运行费", label="合计") == Decimal("30000.00")
    assert amount(t7, "因公出国（境）费", label="合计") == Decimal("0")
    t8 = table(report, "08")
    assert not t8.rows and t8.empty_note.startswith("本单位没有使用政府性基金")


@pytest.mark.parametrize("label, fragment, joined", [
    ("十七、国土海洋气象等支", "出", True),            # a row cut by a page break
    ("十八、自然资源海洋气", "象等支出", True),
    ("八、其他收入", "使用非财政拨款结余", False),       # a label-only row of its own
    ("一、一般公共服务支出", "二、外交支出", False),
    ("机关事业单位基本养老保险", "缴费支出", True),
    ("行政运行", "2010302 机关服务", False),
])
def test_label_continuation_rule(label, fragment, joined):
    assert _continues(label, fragment) is joined


@pytest.mark.parametrize("code, family, header, scheme", [
    ("30101", "basic_expenditure_economic", "", "economic"),
    ("50101", "general_budget_economic", "", "economic"),
    ("2010301", "basic_expenditure_economic", "", "functional"),
    ("30101", "expenditure", "部门预算支出经济分类科目编码", "economic"),
    ("201", "basic_expenditure_economic", "支出功能分类科目编码", "functional"),
])
def test_code_scheme(code, family, header, scheme):
    assert code_scheme(code, family, header) == scheme
