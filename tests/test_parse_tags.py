"""Semantic tags that cross-document questions and checks rely on: the total
column of spending tables (expenditure type "total", the fund its title names),
the item of each “三公” column, and the explanation of an empty table wherever
the report gives it. Checked on the corpus PDFs, the reference report and the
cross-document fixtures (layouts of three provinces)."""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.parse.notes import find_empty_note
from ingest.read import read_document
from ingest.records import Line, Table

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "fixtures" / "corpus"
SEED = TESTS / "fixtures" / "seed" / "000_db8f0e8ff5a3a27e.txt"
BUDGET_FIXTURE = TESTS / "fixtures" / "cross" / "wuhan-jiangxia-bigdata-2021-budget.txt"


@cache
def parsed(path: Path):
    return parse_document(read_document(path))


def tables(path: Path, family: str) -> list[Table]:
    return [t for t in parsed(path).tables if t.family == family]


def tags(table: Table) -> list[tuple[str, str | None, str | None]]:
    return [(c.label, c.fund_source, c.expenditure_type) for c in table.columns]


# --- total columns of spending tables ------------------------------------------------

def test_general_budget_total_column_is_all_expenditure_of_that_fund():
    sh = tables(CORPUS / "sh-putuo-czj-2024-final.pdf", "general_budget_expenditure")[0]
    assert tags(sh) == [("合计", "general_budget", "total"), ("基本支出", "general_budget", "basic"),
                        ("项目支出", "general_budget", "project")]
    wh = tables(BUDGET_FIXTURE, "general_budget_expenditure")[0]
    assert tags(wh)[0] == ("合计", "general_budget", "total")
    wl = tables(CORPUS / "sh-putuo-wanli-2025-budget-dept.pdf", "general_budget_expenditure")[0]
    assert tags(wl)[0] == ("一般公共预算支出/合计", "general_budget", "total")


def test_single_amount_columns_are_totals_and_fiscal_tables_are_told_apart():
    # Jiangsu prints 财政拨款支出预算表 (all appropriations) and 一般公共预算支出预算表, one 金额 column each
    fiscal, general = tables(CORPUS / "js-jcy-2018-budget.pdf", "general_budget_expenditure")
    assert (fiscal.title, tags(fiscal)) == ("财政拨款支出预算表", [("金额", "fiscal", "total")])
    assert (general.title, tags(general)) == ("一般公共预算支出预算表", [("金额", "general_budget", "total")])
    basic = tables(CORPUS / "js-jcy-2018-budget.pdf", "basic_expenditure_economic")
    assert [tags(t) for t in basic] == [[("金额", "fiscal", "basic")], [("金额", "general_budget", "basic")]]


def test_all_sources_expenditure_table_total():
    js = tables(CORPUS / "js-jcy-2017-budget.pdf", "expenditure")[0]
    assert tags(js)[:2] == [("合计", "total", "total"), ("基本支出", "total", "basic")]
    assert tags(js)[4] == ("结转下年资金", "total", None)      # a carry-over is not spending
    # its one figure row prints no label: it is the table's 合计
    assert [(r.label, r.is_total) for r in js.rows] == [("合计", True)]
    assert [c.amount for c in js.cells if c.column.index == 0] == [Decimal("17996.68")]
    wl = tables(CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf", "expenditure")[0]
    assert tags(wl)[0] == ("支出预算/合计", "total", "total")
    inc = tables(CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf", "income")[0]
    assert (inc.columns[0].label, inc.columns[0].fund_source, inc.columns[0].expenditure_type) == (
        "收入预算/合计", "total", None)


def test_fund_tables_hold_their_fund_in_every_column():
    gf = tables(SEED, "gov_fund")[0]
    assert tags(gf) == [("年初结转和结余", "carryover", None), ("本年收入", "gov_fund", None),
                        ("本年支出/小计", "gov_fund", "total"), ("本年支出/基本支出", "gov_fund", "basic"),
                        ("本年支出/项目支出", "gov_fund", "project"), ("年末结转和结余", None, None)]
    sc = tables(CORPUS / "sh-putuo-wanli-2025-budget-dept.pdf", "state_capital")[0]
    assert {(c.fund_source, c.expenditure_type) for c in sc.columns[:1]} == {("state_capital", "total")}


def test_basic_table_columns_take_their_own_word_before_their_parent():
    t = tables(CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf", "basic_expenditure_economic")[0]
    assert [c.expenditure_type for c in t.columns] == ["basic", "personnel", "public"]


# --- “三公” items -------------------------------------------------------------------

ITEMS_SEED = ["total", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation", "reception"]


@pytest.mark.parametrize("path, items", [
    (SEED, ITEMS_SEED * 2),                                                    # 预算数 | 决算数 groups
    (CORPUS / "sh-putuo-czj-2024-final.pdf",                                   # item over 预算数/决算数
     [i for i in ITEMS_SEED for _ in range(2)]),
    (CORPUS / "js-jcy-2017-budget.pdf",                                        # 合计 adds 会议费, 培训费
     [None, "total", "abroad", "vehicles", "vehicle_purchase", "vehicle_operation", "reception", None, None]),
    (CORPUS / "sh-putuo-wanli-2025-budget-dept.pdf",                           # with 机关运行经费
     ["total", "abroad", "reception", "vehicles", "vehicle_purchase", "vehicle_operation", None]),
    (TESTS / "fixtures" / "parse" / "variant_final.txt", ["total", "abroad", "reception"] * 2),
])
def test_three_public_columns_carry_their_item(path, items):
    t = tables(path, "three_public")[0]
    assert [c.item for c in t.columns] == items


def test_shanghai_three_public_figures_sit_under_their_printed_columns():
    # page 18 of the PDF: 0.95 under 合计/预算数 and under 公务接待费/预算数, every other cell blank
    t = tables(CORPUS / "sh-putuo-czj-2024-final.pdf", "three_public")[0]
    assert [(c.column.item, c.column.phase, c.amount) for c in t.cells] == [
        ("total", "budget", Decimal("0.95")), ("reception", "budget", Decimal("0.95"))]


def test_three_public_item_is_mapped_and_defined():
    import rdflib
    from ingest import build_graph
    from ingest.vocab import FKG, THREE_PUBLIC_ITEMS
    g = rdflib.Graph().parse(data=build_graph(SEED).ntriples, format="nt")
    item = rdflib.URIRef(FKG + "threePublicItem")
    cells = {(str(o).rsplit("#", 1)[1], str(a)) for s, o in g.subject_objects(item)
             for a in g.objects(s, rdflib.URIRef(FKG + "amount"))}
    assert cells == {("ThreePublicTotal", "0.24"), ("OfficialReception", "0.24")}
    onto = rdflib.Graph().parse(TESTS.parent / "ontology" / "fiscalkg.ttl")
    for local in THREE_PUBLIC_ITEMS.values():
        term = rdflib.URIRef(FKG + local)
        assert (term, rdflib.RDF.type, rdflib.URIRef(FKG + "ThreePublicItem")) in onto
        assert {lbl.language for lbl in onto.objects(term, rdflib.RDFS.label)} == {"zh", "en"}


# --- the explanation of an empty table --------------------------------------------------

def test_empty_table_explained_in_the_narrative_only():
    t = next(t for t in parsed(CORPUS / "js-jcy-2017-budget.pdf").tables if t.key == "07")
    assert (t.title, t.cells) == ("政府性基金支出预算表", [])
    # said in 第三部分 under "七、政府性基金支出预算表情况说明", wrapped over two lines
    assert t.empty_note == "省检察院 2017 年政府性基金支出预算支出 0 万元，本部门无政府性基金预算。"
    span = t.empty_note_span
    assert (span.line_start, span.line_end, span.page) == (490, 491, 21)
    assert "本部门无政府性基金预算" in span.excerpt


def test_note_under_the_table_is_preferred_and_the_narrative_is_the_fallback(tmp_path):
    t9 = next(t for t in parsed(SEED).tables if t.key == "09")
    assert t9.empty_note_span.line_start == 359                 # under the table
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[358] == "我部门没有国有资本经营预算财政拨款收支及结余"
    path = tmp_path / "note-in-narrative-only.txt"
    path.write_text("\n".join(lines[:358] + [""] + lines[359:]), encoding="utf-8")
    t9 = next(t for t in parse_document(read_document(path)).tables if t.key == "09")
    assert t9.empty_note == "我部门没有国有资本经营预算财政拨款收支及结余"
    assert t9.empty_note_span.line_start == 465                 # in 九、…情况说明


def _lines(*texts: str) -> list[Line]:
    return [Line(n, t, (t,)) for n, t in enumerate(texts, 1)]


def test_a_negation_elsewhere_in_the_sentence_is_no_explanation():
    table = Table(key="08", family="gov_fund", title="政府性基金预算财政拨款收入支出决算表")
    lines = _lines("本年度支出无重大变化，政府性基金预算财政拨款支出 12.00 万元。",
                   "本部门没有国有资本经营预算财政拨款支出。")
    assert find_empty_note(table, lines, set(), []) is None
    lines = _lines("八、其他说明", "本单位本年度未安排政府性基金预算", "拨款支出，故本表为空。")
    note, span = find_empty_note(table, lines, set(), [])
    assert note == "本单位本年度未安排政府性基金预算拨款支出，故本表为空。"
    assert (span.line_start, span.line_end) == (2, 3)
