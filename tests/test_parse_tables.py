"""Tables of the reference report, a rewritten variant, and the corpus PDFs,
parsed with the real reader and parser."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from ingest.parse import parse_document
from ingest.read import read_document

from conftest import FIXTURES, SAMPLE as SEED

VARIANT = FIXTURES / "parse" / "variant_final.txt"
CORPUS = FIXTURES / "corpus"


@pytest.fixture(scope="module")
def variant():
    return parse_document(read_document(VARIANT))


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def cell(t, column_label, code=None, label=None, side=None):
    """The amount of the cell at (row by code or label, column by label); None when absent."""
    for c in t.cells:
        if c.column.label != column_label or (side and c.row.side != side):
            continue
        if (code is not None and c.row.code == code) or (label is not None and c.row.label == label):
            return c.amount
    return None


def test_all_nine_tables_with_family_unit_and_number(seed):
    got = [(t.key, t.family, t.unit, t.number) for t in seed.tables]
    assert got == [
        ("01", "income_expenditure_summary", "万元", "公开01表"),
        ("02", "income", "万元", "公开02表"),
        ("03", "expenditure", "万元", "公开03表"),
        ("04", "fiscal_summary", "万元", "公开04表"),   # its 公开04表 line follows the body
        ("05", "general_budget_expenditure", "万元", "公开05表"),
        ("06", "basic_expenditure_economic", "万元", "公开06表"),
        ("07", "three_public", "万元", "公开07表"),
        ("08", "gov_fund", "万元", "公开08表"),
        ("09", "state_capital", "万元", "公开09表"),
    ]
    assert seed.warnings == []


def test_cell_counts_are_every_printed_figure(seed):
    # Non-blank amount cells counted by hand in the file (tables 01-07).
    counts = {t.key: len(t.cells) for t in seed.tables}
    assert counts == {"01": 12, "02": 51, "03": 49, "04": 17, "05": 49, "06": 19, "07": 2, "08": 0, "09": 0}


def test_income_table_cells(seed):
    t = table(seed, "02")
    assert [c.label for c in t.columns] == ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
                                            "经营收入", "附属单位上缴收入", "其他收入"]
    assert [c.number for c in t.columns] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [c.fund_source for c in t.columns] == ["total", "fiscal", "superior_subsidy", "business",
                                                  "operating", "subsidiary", "other"]
    assert all(c.phase == "final" for c in t.columns)
    assert cell(t, "本年收入合计", label="合计") == Decimal("4883.37")
    assert cell(t, "其他收入", code="2013799") == Decimal("21.88")
    assert cell(t, "财政拨款收入", code="2080505") == Decimal("31.99")
    assert cell(t, "上级补助收入", code="2080505") is None          # blank: no cell
    total = next(r for r in t.rows if r.label == "合计")
    assert total.is_total and total.code is None


def test_code_hierarchy_and_scheme(seed):
    t = table(seed, "03")
    codes = [r.code for r in t.rows if r.code]
    assert len(codes) == 21 and all(r.scheme == "functional" for r in t.rows if r.code)
    for code in codes:      # every 款 and 项 sits under a 类 / 款 printed above it
        if len(code) > 3:
            assert code[:len(code) - 2] in codes
    assert cell(t, "项目支出", code="2013750") == Decimal("521.39")
    assert cell(t, "基本支出", code="2013799") is None
    assert [c.expenditure_type for c in t.columns] == ["total", "basic", "project", "remit_superior",
                                                       "operating", "subsidiary_grant"]


def test_multi_row_headers_are_combined(seed):
    t5 = table(seed, "05")
    assert [c.label for c in t5.columns] == ["本年支出/小计", "本年支出/基本支出", "本年支出/项目支出"]
    assert {c.fund_source for c in t5.columns} == {"general_budget"}
    assert cell(t5, "本年支出/项目支出", code="2100410") == Decimal("19.97")
    t7 = table(seed, "07")     # three header rows
    assert t7.columns[3].label == "预算数/公务用车购置及运行费/公务用车购置费"
    assert t7.columns[11].label == "决算数/公务接待费"
    assert [c.phase for c in t7.columns] == ["budget"] * 6 + ["final"] * 6
    assert [(c.column.label, c.amount) for c in t7.cells] == [
        ("预算数/合计", Decimal("0.24")), ("预算数/公务接待费", Decimal("0.24"))]


def test_two_sided_summary_keeps_each_record(seed):
    t = table(seed, "01")
    assert [(c.label, c.side) for c in t.columns] == [("收入/金额", "income"), ("支出/金额", "expenditure")]
    income = next(r for r in t.rows if r.label == "八、其他收入")
    spend = next(r for r in t.rows if r.label == "八、社会保障和就业支出")
    assert (income.side, income.line_item, spend.side, spend.line_item) == ("income", "8", "expenditure", "39")
    assert income.span.line_start == spend.span.line_start == 115
    assert cell(t, "收入/金额", label="八、其他收入") == Decimal("23.93")
    assert cell(t, "支出/金额", label="八、社会保障和就业支出") == Decimal("36.65")
    assert [cell(t, f"{s}/金额", label="总计", side=k) for s, k in (("收入", "income"), ("支出", "expenditure"))] \
        == [Decimal("4883.37")] * 2
    t4 = table(seed, "04")
    assert cell(t4, "支出/一般公共预算财政拨款", label="六、科学技术支出") == Decimal("3243.25")
    assert next(c for c in t4.columns if c.label == "支出/政府性基金预算财政拨款").fund_source == "gov_fund"


def test_three_part_economic_table(seed):
    t = table(seed, "06")
    assert [c.side for c in t.columns] == ["personnel", "public", "public"]
    assert all(r.scheme == "economic" for r in t.rows if r.code)
    assert cell(t, "人员经费/决算数", code="30113") == Decimal("61.11")
    assert cell(t, "公用经费/决算数", code="30228") == Decimal("7.92")
    # 公用经费合计 is printed in the third part's amount column: it keeps its label.
    assert [(c.row.label, c.amount) for c in t.cells if c.row.is_total] == [
        ("人员经费合计", Decimal("378.03")), ("公用经费合计", Decimal("29.30"))]
    lines = {r.code: r.span.line_start for r in t.rows if r.code}
    assert lines["30113"] == lines["30212"] == lines["31009"] == 301


def test_spans_point_at_the_printed_cell(seed):
    t = table(seed, "02")
    c = next(c for c in t.cells if c.row.code == "2013799" and c.column.label == "其他收入")
    assert c.span.line_start == 154 and c.raw == "21.88"
    assert c.span.excerpt[c.span.char_start:c.span.char_end] == "21.88"
    assert c.row.span.excerpt.startswith("2013799\t其他网信事务支出")


def test_empty_tables_keep_their_sentence(seed):
    t8, t9 = table(seed, "08"), table(seed, "09")
    assert t8.empty_note == "我部门没有政府性基金预算财政拨款收支及结余"
    assert t8.empty_note_span.line_start == 348
    assert t9.empty_note.startswith("我部门没有国有资本经营") and t9.empty_note_span.line_start == 359
    assert table(seed, "07").empty_note is None       # 07 has figures


def test_parsing_the_reference_is_fast():
    document = read_document(SEED)
    start = time.perf_counter()
    parse_document(document)
    assert time.perf_counter() - start < 0.3


# --- a rewritten report: other names, figures, order, unit and layout -----------

def test_variant_report_in_yuan_with_spaced_codes(variant):
    assert [(t.key, t.family, t.unit) for t in variant.tables] == [
        ("02", "income", "元"), ("01", "income_expenditure_summary", "元"), ("03", "expenditure", "元"),
        ("06", "basic_expenditure_economic", "元"), ("07", "three_public", "元"), ("08", "gov_fund", "元")]
    t2 = table(variant, "02")
    assert [r.code for r in t2.rows] == [None, "207", "20701", "2070109", "2070199"]
    assert cell(t2, "本年收入合计", label="合计") == Decimal("1250300.50")
    assert cell(t2, "事业收入", label="合计") == Decimal("0")          # "-" is an explicit zero
    assert cell(t2, "事业收入", code="207") == Decimal("0")            # so is "0"
    assert cell(t2, "事业收入", code="20701") is None                  # blank is no cell


def test_variant_code_and_name_in_one_cell_and_negative(variant):
    t3 = table(variant, "03")
    assert [(r.code, r.label) for r in t3.rows] == [(None, "合计"), ("2070109", "群众文化"),
                                                    ("2070199", "其他文化和旅游支出")]
    assert cell(t3, "项目支出", code="2070109") == Decimal("210000.00")
    t1 = table(variant, "01")
    assert cell(t1, "支出/金额", label="年末结转和结余") == Decimal("-10000.00")


def test_variant_two_part_economic_and_three_public(variant):
    t6 = table(variant, "06")
    assert [(c.row.label, c.column.side, c.amount) for c in t6.cells if c.row.is_total] == [
        ("人员经费合计", "personnel", Decimal("700000.00")), ("公用经费合计", "public", Decimal("100000.00"))]
    t7 = table(variant, "07")
    # The one row of figures of a table without a label column is its total.
    assert cell(t7, "决算数/公务接待费", label="合计") == Decimal("12500.00")
    assert [(r.label, r.is_total) for r in t7.rows] == [("合计", True)]
    assert table(variant, "08").empty_note.startswith("本馆本年度没有")


# --- the corpus PDFs --------------------------------------------------------------

@pytest.mark.parametrize("name, families", [
    ("sh-putuo-czj-2024-final.pdf", ["income_expenditure_summary", "income", "expenditure", "fiscal_summary",
                                     "general_budget_expenditure", "basic_expenditure_economic",
                                     "three_public", "gov_fund", "state_capital"]),
    ("sh-putuo-wanli-2024-budget-dept.pdf", ["income_expenditure_summary", "income", "expenditure",
                                             "fiscal_summary", "general_budget_expenditure", "gov_fund",
                                             "state_capital", "basic_expenditure_economic", "three_public"]),
    ("js-jcy-2017-budget.pdf", ["income_expenditure_summary", "income", "expenditure", "fiscal_summary",
                                "general_budget_expenditure", "basic_expenditure_economic", "gov_fund",
                                "general_budget_expenditure", "basic_expenditure_economic",
                                "operating_cost", "three_public", "procurement"]),
])
def test_pdf_tables_found(name, families):
    report = parse_document(read_document(CORPUS / name))
    assert [t.family for t in report.tables] == families
    assert all(t.rows for t in report.tables)


def test_pdf_budget_in_yuan_with_code_columns():
    report = parse_document(read_document(CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf"))
    assert (report.meta.kind, report.meta.year) == ("budget", 2024)
    t = next(t for t in report.tables if t.family == "expenditure")
    assert t.unit == "元" and all(c.phase == "budget" for c in t.columns)
    assert cell(t, "支出预算/项目支出", code="2010507") == Decimal("257700")
    assert cell(t, "支出预算/合计", label="合计") == Decimal("156211123")   # on its own page
    assert t.cells[0].span.page == 16
