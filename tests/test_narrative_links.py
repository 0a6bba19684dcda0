"""Which table cell a narrative figure restates, on real reports of other
provinces: a wrong link is a false error an auditor sees (rule N-RESTATE), a
missing one hides a genuine contradiction. Also the statements whose wording
differs by province: 年初预算 execution lines, 人员经费/公用经费 lists,
year-over-year clauses."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest import build_graph, parse_report
from ingest.narrative import cells
from ingest.records import Cell, Column, Row, Span, Table
from service.checks import evaluate_ntriples

from conftest import SAMPLE

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FKG = "https://fiscalkg.org/ontology#"


@pytest.fixture(scope="module")
def finance_bureau():
    return parse_report(CORPUS / "sh-putuo-czj-2024-final.pdf")


@pytest.fixture(scope="module")
def procuratorate_2018():
    return parse_report(CORPUS / "js-jcy-2018-budget.pdf")


def cell_of(parsed, ref):
    table = next(t for t in parsed.tables if t.key == ref.table)
    row = next(r for r in table.rows if r.index == ref.row)
    column = next(c for c in table.columns if c.index == ref.column)
    amount = next((c.amount for c in table.cells if c.row is row and c.column is column), None)
    return table, row, column, amount


def test_an_undifferentiated_total_restates_the_total_column(finance_bureau):
    # 一般公共预算财政拨款支出 X 万元 in a table that is all general-budget money: 合计, not 基本支出
    figs = [f for f in finance_bureau.narrative.figures if f.label == "一般公共预算财政拨款支出"]
    assert figs
    for f in figs:
        table, row, column, amount = cell_of(finance_bureau, f.restates)
        assert table.family == "general_budget_expenditure" and row.is_total
        assert column.expenditure_type in (None, "total") and amount == f.amount


def test_a_budget_figure_never_restates_a_final_cell(finance_bureau):
    for f in finance_bureau.narrative.figures:
        if cells.label_phase(f.label) == "budget" and f.restates:
            assert cell_of(finance_bureau, f.restates)[2].phase in ("budget", "adjusted"), f.label
    # 年初预算为 X 万元，支出决算为 Y 万元: an execution statement whose 决算 restates the 05 cell
    rows = [e for e in finance_bureau.narrative.executions if e.code_path]
    assert len(rows) >= 10 and all(e.budget is not None and e.actual is not None for e in rows)
    assert all(not e.code_path[0][0].isdigit() for e in rows)  # no "1、" left in the path
    linked = [e for e in rows if e.restates]
    assert len(linked) >= 10 and all(cell_of(finance_bureau, e.restates)[3] == e.actual for e in linked)
    overall = next(e for e in finance_bureau.narrative.executions if e.subject == "一般公共预算财政拨款支出")
    assert (overall.budget, overall.actual, overall.rate) == (Decimal("2993.92"), Decimal("2940.05"), Decimal("98.20"))


def test_a_phase_word_selects_the_column_of_that_phase():
    span = Span(1, 1, "")
    budget, final = Column(0, "预算数", phase="budget"), Column(1, "决算数", phase="final")
    total = Row(0, "合计", is_total=True)
    table = Table("07", "three_public", "“三公”经费支出决算表", columns=[budget, final], rows=[total],
                  cells=[Cell(total, budget, Decimal("9"), "9", span), Cell(total, final, Decimal("7"), "7", span)])
    topic = "七、“三公”经费支出决算情况说明"
    assert cells.resolve([table], topic, "合计").column == 1
    assert cells.resolve([table], topic, "年初预算合计").column == 0
    # a 决算 statement of a row whose 决算 cell is blank restates that blank cell, never the 预算 one
    only_budget = Table("07", "three_public", table.title, columns=[budget, final], rows=[total],
                        cells=[Cell(total, budget, Decimal("9"), "9", span)])
    ref = cells.resolve([only_budget], topic, "合计")
    assert (ref.column, ref.blank) == (1, True)
    # fund names with 预算 in them are no phase
    assert cells.label_phase("一般公共预算财政拨款支出") is None
    assert cells.label_phase("一般公共预算财政拨款支出年初预算") == "budget"


def test_personnel_and_public_lists_end_where_the_next_begins(finance_bureau):
    lists = {i.kind: i for i in finance_bureau.narrative.itemised}
    personnel, public = lists["personnel"], lists["public"]
    assert personnel.items and public.items
    assert not any("公用经费" in i.label or "办公费" in i.label for i in personnel.items)
    assert public.items[0].label == "办公费"
    for total, row_label in ((personnel, "人员经费合计"), (public, "公用经费合计")):
        _, row, _, amount = cell_of(finance_bureau, total.restates)
        assert row.label == row_label and amount == total.total


def test_lists_whose_first_line_looks_like_a_heading_are_read():
    # （一）人员经费 X 万元。主要包括：… on one line is a paragraph, not a heading
    parsed = parse_report(CORPUS / "js-jcy-2017-budget.pdf")
    kinds = [(i.kind, i.restates and i.items[0].restates.table) for i in parsed.narrative.itemised
             if i.kind in ("personnel", "public")]
    assert [k for k, _ in kinds] == ["personnel", "public", "personnel", "public"]
    # 六、财政拨款基本支出 restates the 财政拨款 table, 八、一般公共预算基本支出 the 一般公共预算 one
    firsts = [i.items[0].restates.table for i in parsed.narrative.itemised if i.kind == "personnel"]
    titles = [next(t.title for t in parsed.tables if t.key == key) for key in firsts]
    assert "一般公共预算" not in titles[0] and "一般公共预算" in titles[1]


def test_year_over_year_subjects_are_clean_and_clauses_not_repeated(procuratorate_2018):
    changes = procuratorate_2018.narrative.year_over_year
    subjects = [y.subject for y in changes]
    assert not [s for s in subjects if re.search(r"[)）(（]|^\d", s)], subjects
    assert "一般公共预算收入预算" in subjects and "行政运行支出" in subjects
    keys = [(y.span.line_start, y.span.char_start, y.amount) for y in changes]
    assert len(keys) == len(set(keys))


def test_a_total_of_a_named_code_is_not_the_tables_total(procuratorate_2018):
    # 检察（款）：2018 年预算支出合计 X 万元 is the 款's total, not the table's 合计
    subtotals = [f for f in procuratorate_2018.narrative.figures if f.label == "预算支出合计"]
    assert len(subtotals) == 3 and all(f.restates is None for f in subtotals)


def test_a_figure_after_a_change_is_not_a_change():
    # …比上年预算减少 X 万元；事业收入 0.00 万元；… : the zero incomes are no 持平 statements
    n = parse_report(CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf").narrative
    assert not [y for y in n.year_over_year if y.direction == "unchanged" and y.amount == 0]
    assert {y.subject for y in n.year_over_year} >= {"财政拨款收入", "财政拨款支出预算", "一般公共预算拨款支出预算"}


# --- blank cells -------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference():
    return parse_report(SAMPLE)


def test_a_figure_restating_a_blank_cell_links_to_it(reference):
    # 支出总计 …（含年末结转和结余 1.63 万元）: table 01 leaves 年末结转和结余 blank
    f = next(f for f in reference.narrative.figures if f.label == "年末结转和结余" and f.topic.startswith("一、"))
    table, row, column, amount = cell_of(reference, f.restates)
    assert f.restates.blank and amount is None
    assert table.family == "income_expenditure_summary" and row.label == "年末结转和结余" and row.side == "expenditure"


def test_a_blank_cell_is_mapped_without_inventing_an_observation_and_checked_as_zero():
    graph = build_graph(SAMPLE)
    nt = graph.ntriples
    links = re.findall(rf"<([^>]+)> <{FKG}restatesBlankCell> <([^>]+)>", nt)
    assert links
    for _, blank in links:
        assert f"<{blank}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{FKG}BlankCell>" in nt
        assert f"<{blank}> <{FKG}blankCellRow> " in nt and f"<{blank}> <{FKG}blankCellColumn> " in nt
        assert not re.search(rf"<{re.escape(blank)}> <{FKG}amount> ", nt)
        assert "/cell/" not in blank  # not the IRI an observation of that cell would have
    findings, _ = evaluate_ntriples(nt)
    assert re.search(r"年末结转和结余」1\.63 万元，表01「年末结转和结余」「支出/金额」为 0", findings)


def test_shanghai_final_accounts_give_no_false_restatement_errors():
    """The genuine contradictions of the two Shanghai 决算, judged by hand: the finance
    bureau states 财政拨款收入支出总计 0.3 万元 (table 04: 2,961.68); the planning bureau
    states 人员经费 4,896.98 under 一般公共预算财政拨款基本支出 (table 06: 4,884.09)."""
    expected = {"sh-putuo-czj-2024-final.pdf": ["财政拨款收入支出总计」0.3"],
                "sh-putuo-ghzyj-2024-final.pdf": ["人员经费」4896.98"]}
    for name, genuine in expected.items():
        findings, _ = evaluate_ntriples(build_graph(CORPUS / name).ntriples)
        errors = re.findall(r'<([^>]+/finding/N-RESTATE/[0-9a-f]+)> <[^>]+#severity> <[^>]+#Error>', findings)
        messages = [m for m in re.findall(r'"(说明称[^"]+)"@zh', findings)]
        assert len(errors) == len(genuine), (name, messages)
        for text in genuine:
            assert any(text in m for m in messages), (name, messages)
