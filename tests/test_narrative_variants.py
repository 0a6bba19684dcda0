"""The narrative extractors on a rewritten report (another province, year,
department, project, vendors, methods, numbers and order): nothing is keyed
on the reference report's names or figures."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest import map_report, read_document
from ingest.narrative import extract_narrative
from ingest.records import FINAL, ParsedReport, ReportMeta

VARIANT = Path(__file__).parent / "fixtures" / "narrative" / "variant_county_water.txt"


@pytest.fixture(scope="module")
def parsed():
    p = ParsedReport(read_document(VARIANT), ReportMeta(FINAL, "湖南省青山县水利局", 2023))
    p.narrative = extract_narrative(p)
    return p


def test_subprojects_and_contracts(parsed):
    n = parsed.narrative
    project = next(p for p in n.projects if p.parent is None)
    assert project.name == "小型水库除险加固项目" and project.phase == "adjusted"
    assert [p.name for p in n.projects if p.parent] == ["东坝水库大坝加固工程", "库区监测设备采购", "安全鉴定服务"]
    c = {x.supplier: x for x in n.contracts}
    works = c["湖南路桥建设集团有限责任公司"]
    assert (works.method, works.method_details, works.plan_number) == ("open", "公开招标", "青财采（2023）00417号")
    assert works.agent == "湖南远景招标代理有限公司"
    assert (works.signed, works.period_start, works.period_end) == ("2023-04-08", "2023-04-10", "2023-12-31")
    assert (works.price, works.paid_share, works.outstanding) == (Decimal("500"), Decimal("84"), Decimal("80"))
    assert c["长沙明澈仪器销售经营部"].method == "limited"
    single = c["湖南水利水电勘测设计研究院有限公司"]
    assert (single.method, single.duration, single.title) == ("direct", "6个月", "大坝安全鉴定服务合同")


def test_evaluation_and_indicators(parsed):
    ev = parsed.narrative.evaluations[0]
    assert (ev.total_score, ev.grade, ev.evaluator) == (Decimal("85.5"), "良", "湖南衡信会计师事务所有限公司")
    assert [r.score for r in ev.rows] == [Decimal("8"), Decimal("42.5"), Decimal("27"), Decimal("8"), Decimal("85.5")]
    met = {i.name: i.met for i in ev.indicators}
    assert met == {"监测站建设数量": True, "大坝加固完成率": False, "项目成本控制": True, "下游受益人口": False}
    people = next(i for i in ev.indicators if i.name == "下游受益人口")
    assert (people.level1, people.target_unit, people.deviation_reason) == ("效益指标", "万人", "工程尚未完工")


def test_summaries(parsed):
    n = parsed.narrative
    assert n.procurement[0].works == Decimal("700") and n.procurement[0].small_micro_share == Decimal("23.26")
    assert {a.label: a.quantity for a in n.assets}["业务用房"] == 600
    op = n.itemised[0]
    assert op.total == Decimal("40.5") and [i.label for i in op.items] == ["办公费", "水费", "差旅费"]
    assert n.year_over_year[0].direction == "increase" and n.year_over_year[0].reason == "防洪工程建设资金增加"


def test_same_vendor_name_is_one_iri_across_reports(parsed):
    text = map_report(parsed).ntriples
    from ingest.iris import Minter
    assert f"<{Minter().organisation('湖南路桥建设集团有限责任公司')}>" in text
    # the department's short name (县水利局) is the department itself, not a new organisation
    assert f"<{Minter().organisation('县水利局')}>" not in text
