"""`fiscalkg check` over a real on-disk store: findings grouped by severity with
both sides' values and excerpts, JSON output, the exit status, and findings
that are replaced with their report when it is ingested again."""
from __future__ import annotations

import json

from conftest import SAMPLE, run_cli


def ingest(store, *paths):
    run_cli("ingest", *paths, "--store", store, "-q", "--jobs", "1", check=True)


def test_check_prints_findings_by_severity_with_evidence_and_fails_on_errors(tmp_path):
    store = tmp_path / "store"
    ingest(store, SAMPLE)
    result = run_cli("check", "--store", store)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    errors, warnings, info = (out.index("错误 / errors"), out.index("警告 / warnings"), out.index("提示 / info"))
    assert errors < warnings < info
    # the procurement contradiction, with the values of both sides and the sentence it is read from
    block = out[out.index("[I-PROCUREMENT]"):]
    block = block[:block.index("\n  [")]
    assert "所述 stated 3764.3" in block and "应为 expected 3341.31" in block and "差额 difference 422.99" in block
    assert "line " in block and "政府采购支出总额 3764.30 万元" in block
    # a restatement shows the table cell and the narrative sentence
    block = out[out.index("[N-RESTATE] 说明称「本年支出合计」"):]
    block = block[:block.index("\n  [")]
    assert "表03 合计 / 本年支出合计 = 4881.73" in block and "本年支出合计 4,883.37 万元" in block


def test_check_json_lists_every_finding_with_rule_values_and_excerpts(tmp_path):
    store = tmp_path / "store"
    ingest(store, SAMPLE)
    result = run_cli("check", "--store", store, "--format", "json")
    findings = json.loads(result.stdout)
    assert result.returncode == 1
    errors = [f for f in findings if f["severity"] == "error"]
    assert len(errors) == 9  # the reference report's genuine contradictions (see test_checks_mutations.GENUINE)
    assert [f["severity"] for f in findings] == sorted((f["severity"] for f in findings),
                                                       key=["error", "warning", "info"].index)
    for f in errors:
        assert f["rule"] and f["rule_title"] and f["message"] and f["message_en"]
        assert f["stated"] is not None and f["expected"] is not None and f["difference"] is not None
        assert f["evidence"] and all(loc["excerpt"] for e in f["evidence"] for loc in e["locations"])
    restated = next(f for f in errors if f["rule"] == "N-RESTATE" and "提租补贴" in f["message"])
    values = {e["value"] for e in restated["evidence"]}
    assert values == {"29.73", "6.19"}


def test_check_of_one_report_and_of_an_unknown_report(tmp_path):
    store = tmp_path / "store"
    ingest(store, SAMPLE)
    findings = json.loads(run_cli("check", "--store", store, "--format", "json").stdout)
    report = findings[0]["report"]
    mine = json.loads(run_cli("check", "--store", store, "--report", report, "--format", "json").stdout)
    assert len(mine) == len(findings)
    none = run_cli("check", "--store", store, "--report", "https://data.fiscalkg.org/id/report/none")
    assert none.returncode == 0 and "no findings" in none.stdout
    bad = run_cli("check", "--store", store, "--report", "not an IRI")
    assert bad.returncode == 1 and "not a valid IRI" in bad.stderr and "Traceback" not in bad.stderr


def test_reingesting_a_corrected_report_replaces_its_findings(tmp_path):
    store = tmp_path / "store"
    ingest(store, SAMPLE)
    before = json.loads(run_cli("check", "--store", store, "--format", "json").stdout)
    assert any(f["rule"] == "I-PROCUREMENT" for f in before)
    corrected = tmp_path / SAMPLE.name  # the same department and year: the same report IRI
    corrected.write_text(SAMPLE.read_text(encoding="utf-8").replace(
        "政府采购货物支出 10 万元", "政府采购货物支出 432.99 万元"), encoding="utf-8")
    ingest(store, corrected)
    after = json.loads(run_cli("check", "--store", store, "--format", "json").stdout)
    assert not any(f["rule"] == "I-PROCUREMENT" for f in after)
    assert len(after) == len(before) - 1
    assert {f["finding"] for f in after} < {f["finding"] for f in before}
