"""The narrative competency queries (queries/*.rq) answered from an on-disk
store loaded with the reference report."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.iris import DEFAULT_BASE, Minter
from service.loading import ingest_paths
from service.store import Store

QUERIES = Path(__file__).resolve().parent.parent / "queries"
PARENT = "全区政务网络运营及基础业务设备设施维护经费项目"


@pytest.fixture(scope="module")
def store(tmp_path_factory, sample_path):
    s = Store(tmp_path_factory.mktemp("narrative-store") / "db")
    results = ingest_paths(s, [str(sample_path)], DEFAULT_BASE, jobs=1)
    assert all(r.ok for r in results), [r.message for r in results]
    return s


def run(store, name, values: str = ""):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# title: ") and "\n# description: " in text
    if values:  # bind a parameter the way the service does: a VALUES block after WHERE {
        text = text.replace("WHERE {", "WHERE {\n  " + values, 1)
    return store.select(text)


def test_contracts_of_a_project(store):
    project = Minter().project("武汉市江夏区大数据中心", PARENT)
    rows = run(store, "project-contracts", f"VALUES ?project {{ <{project}> }}")
    assert len(rows) == 5
    env = next(r for r in rows if r.get("supplierName") == "武汉花开科技发展有限公司")
    assert (env["agentName"], env["method"], env["methodDetails"]) == ("武汉江南福乐工程管理有限公司", "limited", "竞争性谈判")
    assert env["planNumber"] == "夏财采（2021）00081号"
    assert (env["price"], env["paid"], env["outstanding"]) == (Decimal("149.8"), Decimal("134.82"), Decimal("14.98"))
    assert env["signed"] == "2021-03-19"


def test_everything_a_vendor_received(store):
    vendor = Minter().organisation("武汉市江夏区登高办公设备经营部")
    rows = run(store, "vendor-receipts", f"VALUES ?vendor {{ <{vendor}> }}")
    assert sorted(r["price"] for r in rows) == [Decimal("5.5"), Decimal("37.80")]
    assert all(r["departmentName"] == "武汉市江夏区大数据中心" for r in rows)


def test_project_funding_contracts_indicators(store):
    rows = run(store, "project-funding-outcomes")
    assert {r["projectName"] for r in rows} == {PARENT}
    assert rows[0]["projectAmount"] == Decimal("405")
    contracts = [r for r in rows if "supplierName" in r]
    indicators = [r for r in rows if "indicatorName" in r]
    assert len(contracts) == 5 and len(indicators) == 11
    assert all(r["met"] is True for r in indicators if "met" in r)


def test_missed_indicators(store):
    rows = run(store, "missed-indicators")
    names = {r["indicatorName"] for r in rows}
    assert {"物理机", "预算调整率", "年度目标完成时间"} <= names
    assert next(r for r in rows if r["indicatorName"] == "预算调整率")["reason"].startswith("因人员调动")


def test_evaluations_with_score_tables(store):
    rows = run(store, "evaluation-scores")
    totals = {(r["totalScore"], r["grade"]) for r in rows}
    assert totals == {(Decimal("96.3"), "优"), (Decimal("100"), "优")}
    assert len(rows) == 10 and all(r["evaluatorName"] == "武汉夏财信会计服务有限责任公司" for r in rows)


def test_procurement_by_method(store):
    rows = {(r.get("method"), r.get("methodDetails")): r for r in run(store, "procurement-by-method")}
    assert rows[("limited", "竞争性谈判")]["contracts"] == 2
    assert rows[("limited", "竞争性谈判")]["totalCNY"] == Decimal("3498000")
    assert rows[("direct", "政府采购电子商城")]["contracts"] == 1


def test_every_narrative_fact_has_a_provenance_excerpt(store):
    rows = store.select("""
        PREFIX fkg: <https://fiscalkg.org/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
          VALUES ?class { fkg:Project fkg:Contract fkg:Tender fkg:PerformanceEvaluation fkg:PerformanceIndicator
                          fkg:ScoreRow fkg:StatedFigure fkg:ProcurementSummary fkg:AssetHolding fkg:StatedItem }
          ?s a ?class .
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom/<http://www.w3.org/ns/oa#exact> ?e }
        } GROUP BY ?class""")
    assert rows == []
