"""`fiscalkg validate` and service.validation: the reference report's graph
conforms to the shapes; broken graphs are reported with what is wrong and where."""
from __future__ import annotations

import time
from decimal import Decimal


from conftest import run_cli
from ingest import DEFAULT_BASE, map_report
from ingest.records import (FINAL, Cell, Column, Count, Document, Duty, GlossaryEntry, Line, ParsedReport,
                            ReportMeta, Row, Section, Span, Table)
from service.loading import store_report
from service.ontology import ensure_ontology
from service.store import Store
from service.validation import validate_store

FKG = "https://fiscalkg.org/ontology#"


def _span(line: int, text: str) -> Span:
    return Span(line, line, text)


def small_report(department: str, year: int, class_label: str = "一般公共服务支出") -> ParsedReport:
    """A hand-made report with every kind of record the core mapping writes."""
    doc = Document(f"{department}.txt", f"{department}.txt", "0" * 64, "text/plain", "utf-8",
                   [Line(i, "x", ("x",)) for i in range(1, 40)])
    meta = ReportMeta(kind=FINAL, department=department, year=year, title=f"{department}{year}年度部门决算",
                      published=f"{year + 1}-08-30", span=_span(1, f"{department}{year}年度部门决算"))
    cols = [Column(0, "合计"), Column(1, "基本支出", expenditure_type="basic"),
            Column(2, "项目支出", expenditure_type="project")]
    rows = [Row(0, "合计", is_total=True, span=_span(11, "合计")),
            Row(1, class_label, code="201", scheme="functional", span=_span(12, "201")),
            Row(2, "财政事务", code="20106", scheme="functional", span=_span(13, "20106")),
            Row(3, "行政运行", code="2010601", scheme="functional", span=_span(14, "2010601"))]
    cells = [Cell(r, c, Decimal(v), v, _span(11 + r.index, v)) for r in rows
             for c, v in zip(cols, ["12.50", "10.00", "2.50"])]
    return ParsedReport(
        doc, meta,
        sections=[Section(1, "第一部分 部门概况", 0, _span(2, "第一部分 部门概况"))],
        tables=[Table("03", "expenditure", "支出决算表", "公开03表", "万元", _span(10, "支出决算表"), cols, rows, cells),
                Table("08", "gov_fund", "政府性基金预算财政拨款收入支出决算表", "公开08表", "万元", _span(20, "表"),
                      empty_note="本部门没有政府性基金预算财政拨款收入支出。", empty_note_span=_span(21, "本部门没有"))],
        duties=[Duty(1, "负责本部门职责范围内的工作。", _span(3, "1、负责"))],
        counts=[Count("staff_quota", "编制人数", 12, "人", _span(4, "编制人数12人"))],
        glossary=[GlossaryEntry("基本支出", "指为保障机构正常运转的支出。", _span(30, "基本支出：指"))],
    )


def add_report(store: Store, parsed: ParsedReport) -> str:
    graph = map_report(parsed, DEFAULT_BASE)
    store_report(store, graph, DEFAULT_BASE)
    return graph.report_iri


def sample_report_iri(store: Store) -> str:
    rows = store.select(f"SELECT ?r WHERE {{ ?r a <{FKG}Report> }}")
    assert len(rows) == 1
    return rows[0]["r"]


def cells(store: Store, report_iri: str, n: int) -> list[str]:
    rows = store.select(f"""SELECT ?c WHERE {{ ?c a <{FKG}TableCell> ; <http://purl.org/linked-data/cube#dataSet> ?t .
                                              ?t <{FKG}inReport> <{report_iri}> }} ORDER BY ?c LIMIT {n}""")
    return [r["c"] for r in rows]


def break_report(store: Store, report_iri: str) -> dict[str, str]:
    """Damage three cells of a report the way a faulty mapper would."""
    string_amount, no_provenance, bad_unit = cells(store, report_iri, 3)
    store.raw.update(f"""
        PREFIX fkg: <{FKG}>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        DELETE {{ GRAPH ?g {{ <{string_amount}> fkg:amount ?a }} }}
        INSERT {{ GRAPH ?g {{ <{string_amount}> fkg:amount "1,234.50" }} }}
        WHERE {{ GRAPH ?g {{ <{string_amount}> fkg:amount ?a }} }} ;
        DELETE WHERE {{ GRAPH ?g {{ <{no_provenance}> prov:wasDerivedFrom ?loc }} }} ;
        DELETE {{ GRAPH ?g {{ <{bad_unit}> fkg:unit ?u }} }}
        INSERT {{ GRAPH ?g {{ <{bad_unit}> fkg:unit fkg:Dollar }} }}
        WHERE {{ GRAPH ?g {{ <{bad_unit}> fkg:unit ?u }} }}
    """)
    return {"string_amount": string_amount, "no_provenance": no_provenance, "bad_unit": bad_unit}


# --- the reference report -------------------------------------------------------------

def test_reference_report_conforms(sample_store):
    started = time.perf_counter()
    conforms, text = validate_store(sample_store, None)
    elapsed = time.perf_counter() - started
    assert conforms, text
    assert text.startswith("Conforms:")
    assert elapsed < 20, f"validation of one report took {elapsed:.1f} s"


def test_reference_report_conforms_through_the_cli(sample_store_dir):
    result = run_cli("validate", "--store", sample_store_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conforms:" in result.stdout and "0 violation(s)" in result.stdout


def test_one_report_of_the_reference_store_conforms(sample_store):
    conforms, text = validate_store(sample_store, sample_report_iri(sample_store))
    assert conforms, text


# --- broken graphs ----------------------------------------------------------------------

def test_broken_cells_are_reported_with_shape_path_and_node(store_copy):
    store = Store(store_copy)
    broken = break_report(store, sample_report_iri(store))
    conforms, text = validate_store(store, None)
    assert not conforms
    assert text.startswith("Does NOT conform")
    assert "3 violation(s)" in text.splitlines()[0], text
    amount_line = next(ln for ln in text.splitlines() if "fkg:amount" in ln)
    assert "Violation" in amount_line and "xsd:decimal" in amount_line
    assert broken["string_amount"] in text
    assert "prov:wasDerivedFrom" in text and broken["no_provenance"] in text
    assert "fkg:unit" in text and broken["bad_unit"] in text


def test_cli_exits_1_on_a_broken_store(store_copy):
    store = Store(store_copy)
    broken = break_report(store, sample_report_iri(store))
    store.flush()
    del store
    result = run_cli("validate", "--store", store_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Does NOT conform" in result.stdout
    assert broken["string_amount"] in result.stdout


def test_missing_excerpt_and_report_type_are_violations(tmp_path):
    store = Store(tmp_path / "store")
    ensure_ontology(store, DEFAULT_BASE)
    report = add_report(store, small_report("示例县测试局", 2022))
    store.raw.update(f"""
        PREFIX fkg: <{FKG}>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        DELETE WHERE {{ GRAPH ?g {{ ?loc oa:exact ?text }} }} ;
        DELETE WHERE {{ GRAPH ?g {{ <{report}> a fkg:FinalAccountsReport }} }}
    """)
    conforms, text = validate_store(store, report)
    assert not conforms
    assert "oa:exact" in text
    assert "fkg:FinalAccountsReport" in text and report in text


# --- scope and warnings -------------------------------------------------------------------

def test_report_option_validates_only_that_report(tmp_path):
    store = Store(tmp_path / "store")
    ensure_ontology(store, DEFAULT_BASE)
    good = add_report(store, small_report("示例县测试局", 2022))
    bad = add_report(store, small_report("示例县样本中心", 2022))
    break_report(store, bad)
    assert validate_store(store, good)[0]
    conforms, text = validate_store(store, bad)
    assert not conforms and bad in text and good not in text
    assert not validate_store(store, None)[0]


def test_unknown_report_does_not_conform(sample_store_dir):
    result = run_cli("validate", "--store", sample_store_dir, "--report", "https://example.org/id/report/none")
    assert result.returncode == 1
    assert "no report https://example.org/id/report/none" in result.stdout


def test_differing_code_names_are_a_warning_not_a_violation(tmp_path):
    store = Store(tmp_path / "store")
    ensure_ontology(store, DEFAULT_BASE)
    add_report(store, small_report("示例县测试局", 2022, class_label="一般公共服务支出"))
    add_report(store, small_report("示例县样本中心", 2022, class_label="一般公共服务"))
    conforms, text = validate_store(store, None)
    assert conforms, text
    warning = next(ln for ln in text.splitlines() if ln.strip().startswith("Warning"))
    assert "skos:prefLabel" in warning
    assert "codelist/functional/2022/201" in text


def test_empty_store_does_not_conform(tmp_path):
    conforms, text = validate_store(Store(tmp_path / "store"), None)
    assert not conforms and "no report graphs" in text


def test_a_budget_report_from_pdf_conforms(tmp_path):
    """A 部门预算 read from PDF (other layout, other report class and phase) conforms too."""
    from conftest import FIXTURES
    from service.loading import ingest_paths
    store = Store(tmp_path / "store")
    results = ingest_paths(store, [str(FIXTURES / "corpus" / "sh-putuo-wanli-2025-budget-dept.pdf")], DEFAULT_BASE, jobs=1)
    assert all(r.ok for r in results), [r.message for r in results]
    report = results[0].report_iri
    assert store.select(f"SELECT ?c WHERE {{ <{report}> a <{FKG}BudgetReport> . ?c a <{FKG}TableCell> }} LIMIT 1")
    conforms, text = validate_store(store, report)
    assert conforms, text
    assert "0 violation(s)" in text
