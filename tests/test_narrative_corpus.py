"""The narrative extractors on real PDFs of another province and layout
(Shanghai 2024 final accounts): their 政府采购, 机关运行经费, assets and
year-over-year statements are read with the same code as the reference report."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest import parse_report

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def finance_bureau():
    return parse_report(CORPUS / "sh-putuo-czj-2024-final.pdf").narrative


def test_procurement_summary_in_shanghai_wording(finance_bureau):
    # 政府采购金额（以合同签订为准）为…，其中：货物采购金额…、工程采购金额…、服务采购金额…
    s = finance_bureau.procurement[0]
    assert (s.total, s.goods, s.works, s.services) == (Decimal("251.25"), Decimal("4.79"), Decimal("0"), Decimal("246.47"))


def test_operating_cost_and_its_change(finance_bureau):
    op = next(i for i in finance_bureau.itemised if i.kind == "operating_cost")
    assert op.total == Decimal("184.65") and op.items == []
    change = next(y for y in finance_bureau.year_over_year if "机关运行经费" in y.subject)
    assert (change.direction, change.amount, change.percent) == ("increase", Decimal("2.55"), Decimal("1.40"))
    assert change.reason.startswith("优化办公环境")


def test_assets_and_restated_figures(finance_bureau):
    assert {a.kind: a.quantity for a in finance_bureau.assets} == {"vehicle": 0, "large_equipment": 2}
    assert sum(1 for f in finance_bureau.figures if f.restates) >= 10


def test_other_corpus_reports_extract_without_error():
    for pdf in sorted(CORPUS.glob("*.pdf")):
        n = parse_report(pdf).narrative
        assert n.figures, pdf.name  # every report restates some table figures
