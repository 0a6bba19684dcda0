"""Precision and recall of the consistency checks on the reference report.

The unmodified report must give exactly its genuine contradictions (listed and
judged below); each mutation of one figure, table or year — written to a copy
in tmp_path — must give the finding it should and no other new error or
warning. Findings are compared by IRI (the facts compared) and severity, so a
rounding note that turns into an error counts as new, while a known
contradiction whose numbers the mutation moves does not."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from ingest import build_graph
from service.checks import evaluate_ntriples

from conftest import SAMPLE

_SEVERITY = re.compile(r"<([^>]+/finding/([^/>]+)/[0-9a-f]+)> <https://fiscalkg.org/ontology#severity> "
                       r"<https://fiscalkg.org/ontology#(\w+)>")

# The reference report's genuine contradictions, read and judged by hand:
GENUINE = Counter({
    # 机关运行经费 29.3 万元 but its 13 listed items sum to 390.75
    ("I-ITEMS", "error"): 1,
    # 政府采购 3764.30 but 货物 10 + 工程 3206.3 + 服务 125.01 = 3341.31
    ("I-PROCUREMENT", "error"): 1,
    # 三、支出 本年支出合计 4,883.37 (that is 总计) vs table 03 4,881.73;
    # 五、一般公共预算 基本支出 409.38 / 项目支出 4472.35 are table 03's, table 05 says 407.33 / 4452.11;
    # 提租补贴(项) restated as 29.73 (the line above copied) vs table 05 6.19;
    # 一、支出总计（含年末结转和结余 1.63 万元）but table 01 leaves 年末结转和结余 blank (its 1.63 is 结余分配)
    ("N-RESTATE", "error"): 5,
    # 整体绩效: dimension scores 18.5+37+20+20 = 95.5 vs 综合 96.3; 项目产出 37 vs its indicators 37.75
    ("P-EVAL-SUM", "error"): 2,
    # 运行保障经费项目: 249.96 in the 项目支出 listing, 执行数 230 in its self-evaluation
    ("I-SAME", "warning"): 1,
})


def findings_of(path) -> dict[str, tuple[str, str]]:
    """(rule, severity) of each finding by its IRI."""
    text, _ = evaluate_ntriples(build_graph(path).ntriples)
    return {m.group(1): (m.group(2), m.group(3).lower()) for m in _SEVERITY.finditer(text)}


@pytest.fixture(scope="module")
def baseline():
    return findings_of(SAMPLE)


def mutate(tmp_path, old: str, new: str, occurrence: int = 1):
    text = SAMPLE.read_text(encoding="utf-8")
    at = -1
    for _ in range(occurrence):
        at = text.index(old, at + 1)  # fails loudly when the reference text changed
    path = tmp_path / "mutated.txt"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path


def new_findings(baseline, path) -> Counter:
    """(rule, severity) of the errors and warnings the mutation added."""
    return Counter(v for k, v in findings_of(path).items() if v[1] != "info" and baseline.get(k) != v)


def test_the_reference_report_gives_only_its_genuine_findings(baseline):
    assert Counter(v for v in baseline.values() if v[1] != "info") == GENUINE


def test_rounding_differences_of_the_reference_are_info_only(baseline):
    info = Counter(rule for rule, severity in baseline.values() if severity == "info")
    # e.g. 03 事业运行 845.16 vs 323.76 + 521.39; 01 支出 4881.73 + 1.63 vs 总计 4883.37
    assert set(info) <= {"T-SUM-CODE", "T-SUM-COLS", "T-SUM-TOTAL", "T-SUM-SIDE", "T-BALANCE", "I-ITEMS"}
    assert sum(info.values()) >= 10


MUTATIONS = [
    # --- one table cell: within a table ---
    ("03 项目支出 of a 项", "2013799\t其他网信事务支出\t687.74\t\t687.74", "2013799\t其他网信事务支出\t687.74\t\t688.74", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-CODE", "error")}),
    ("07 “三公” budget total", "0.24\t\t\t\t\t0.24", "0.34\t\t\t\t\t0.24", 1, {("T-SUM-3PUB", "error")}),
    ("06 人员经费合计", "人员经费合计\t\t378.03", "人员经费合计\t\t388.03", 1,
     {("T-SUM-ECON", "error"), ("N-RESTATE", "error")}),
    ("01 收入总计", "总计\t31\t4,883.37", "总计\t31\t4,893.37", 1, {("T-BALANCE", "error"), ("N-RESTATE", "error")}),
    # --- across tables ---
    ("02 合计", "合计\t\t4,883.37\t4,859.44", "合计\t\t4,893.37\t4,859.44", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-TOTAL", "error"), ("X-01-02", "error"), ("N-RESTATE", "error")}),
    ("03 合计", "合计\t\t4,881.73", "合计\t\t4,891.73", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-TOTAL", "error"), ("X-01-03", "error")}),
    ("01 a class", "十九、住房保障支出\t50\t35.92", "十九、住房保障支出\t50\t36.92", 1,
     {("X-CLASS", "error"), ("T-SUM-SIDE", "error")}),
    ("04 a class, general budget", "一、一般公共服务支出\t33\t1,512.66\t1,512.66", "一、一般公共服务支出\t33\t1,512.66\t1,522.66", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-SIDE", "error"), ("X-CLASS", "error")}),
    ("04 本年支出合计", "本年支出合计\t59\t4,859.44\t4,859.44", "本年支出合计\t59\t4,859.44\t4,869.44", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-SIDE", "error"), ("T-BALANCE", "error"), ("X-04-05", "error")}),
    ("05 基本支出", "合计\t\t4,859.44\t407.33", "合计\t\t4,859.44\t417.33", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-TOTAL", "error"), ("X-05-06", "error")}),
    ("02 其他收入", "\t\t\t\t\t23.93\n201", "\t\t\t\t\t24.93\n201", 1,
     {("T-SUM-COLS", "error"), ("T-SUM-TOTAL", "error"), ("X-SOURCE", "error"), ("N-RESTATE", "error")}),
    ("05 a 项 above 03", "2101102\t事业单位医疗\t13.05\t13.05", "2101102\t事业单位医疗\t23.05\t23.05", 3,
     {("T-SUM-CODE", "error"), ("X-CODE-05-03", "error"), ("X-CODE-02-05", "warning"), ("N-RESTATE", "error")}),
    # --- narrative against tables ---
    ("a narrative figure", "其他收入 23.93 万元", "其他收入 25.93 万元", 1, {("N-RESTATE", "error"), ("N-PERCENT", "error")}),
    ("a 06 cell the narrative restates", "30101\t基本工资\t103.80", "30101\t基本工资\t113.80", 1,
     {("T-SUM-CODE", "error"), ("N-RESTATE", "error")}),
    ("a percentage", "占本年收入 99.51%", "占本年收入 98.51%", 1, {("N-PERCENT", "error")}),
    ("a year-over-year percentage", "减少 5.39%", "减少 6.39%", 1, {("N-YOY", "error")}),
    ("an execution rate", "预算执行率为 90.66%", "预算执行率为 91.66%", 1, {("N-EXEC", "error")}),
    # --- narrative against itself ---
    ("an itemised cost", "办公费 5.82 万元", "办公费 6.82 万元", 1, {("I-ITEMS", "error"), ("N-RESTATE", "error")}),
    ("a project's cost item", "政务网及办公光纤费 4.96 万", "政务网及办公光纤费 5.96 万", 1, {("I-ALLOCATION", "error")}),
    ("a count stated twice", "总编制数 21 人", "总编制数 22 人", 1, {("I-SAME", "warning")}),
    # --- procurement and performance ---
    ("a contract's outstanding amount", "余下 14.98 万", "余下 15.98 万", 1, {("P-CONTRACT", "error")}),
    ("a sub-project amount", "政务一张网五级联通项目200万", "政务一张网五级联通项目300万", 1,
     {("I-ALLOCATION", "error"), ("P-SUBPROJECT", "error")}),
    ("a dimension score", "项目效益\t20%\t20\t20\t优", "项目效益\t20%\t20\t19\t优", 2, {("P-EVAL-SUM", "error")}),
    ("a grade", "综合绩效\t100%\t100\t96.3\t优", "综合绩效\t100%\t100\t96.3\t良", 1, {("P-GRADE", "error")}),
    ("an indicator score", "满分 1 分，得 0 分。", "满分 1 分，得 1 分。", 1, {("P-INDICATOR", "warning")}),
    # --- completeness and form ---
    ("a swapped year", "第二部分 武汉市江夏区大数据中心 2021 年度部门决算表",
     "第二部分 武汉市江夏区大数据中心 2020 年度部门决算表", 1, {("C-YEAR", "warning")}),
]


@pytest.mark.parametrize("name,old,new,occurrence,expected", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_mutation_gives_its_finding_and_no_other(baseline, tmp_path, name, old, new, occurrence, expected):
    added = new_findings(baseline, mutate(tmp_path, old, new, occurrence))
    assert set(added) == expected, name


def test_mutations_cover_every_rule_family():
    families = {rule.split("-")[0] for *_, expected in MUTATIONS for rule, _sev in expected}
    assert families == {"T", "X", "N", "I", "P", "C"}


def test_a_dropped_table_is_reported_missing(baseline, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("政府性基金预算财政拨款收入支出决算表\t")
    end = text.index("国有资本经营预算财政拨款支出决算表\t")
    path = tmp_path / "dropped.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    # Dropping lines renumbers the narrative's facts (and so their findings' IRIs): compare counts.
    after = Counter(v for v in findings_of(path).values() if v[1] != "info")
    assert after == GENUINE + Counter({("C-TABLES", "warning"): 1})


def test_an_empty_table_without_its_note_is_reported(baseline, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    note = "我部门没有国有资本经营预算财政拨款收支及结余"
    # under table 09 and in its 情况说明 section: the parser takes either, so drop both
    assert text.count(note) == 2
    path = tmp_path / "no-note.txt"
    path.write_text(text.replace(note, ""), encoding="utf-8")
    assert set(new_findings(baseline, path)) == {("C-EMPTY-NOTE", "warning")}


def test_correcting_a_contradiction_removes_its_finding(baseline, tmp_path):
    path = mutate(tmp_path, "政府采购货物支出 10 万元", "政府采购货物支出 432.99 万元")
    after = findings_of(path)
    assert ("I-PROCUREMENT", "error") in baseline.values()
    assert ("I-PROCUREMENT", "error") not in after.values()
    assert not new_findings(baseline, path)
