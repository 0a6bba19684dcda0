"""Cross-document questions (queries/cross-*.rq) over a store holding the
corpus PDFs, the reference report and two fixtures written for these questions:

- tests/fixtures/cross/wuhan-jiangxia-bigdata-2021-budget.txt: the 部门预算 of the
  reference report's department and year, in 元 (the 决算 is in 万元), with other figures;
- tests/fixtures/cross/wuhan-jiangxia-archives-2022-final.txt: another department's
  决算 whose contracts share two suppliers with the reference report.

Expected answers were worked out by hand from the printed tables (the PDFs' text
and the fixtures), in 元.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLE, ingest_into_new_store, run_cli

CROSS = FIXTURES / "cross"
BUDGET_FIXTURE = CROSS / "wuhan-jiangxia-bigdata-2021-budget.txt"
ARCHIVES_FIXTURE = CROSS / "wuhan-jiangxia-archives-2022-final.txt"
FKG = "https://fiscalkg.org/ontology#"

BIGDATA = "武汉市江夏区大数据中心"
ARCHIVES = "武汉市江夏区档案馆"
JIANGSU = "江苏省人民检察院"
WANLI = "上海市普陀区人民政府万里街道办事处"
LILONG = "武汉力龙信息科技股份有限公司"
DENGGAO = "武汉市江夏区登高办公设备经营部"


def org(name: str) -> str:
    from ingest import Minter
    return Minter().organisation(name)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    files = sorted((FIXTURES / "corpus").glob("*.pdf")) + [SAMPLE, BUDGET_FIXTURE, ARCHIVES_FIXTURE]
    return ingest_into_new_store(tmp_path_factory.mktemp("cross") / "store", files, jobs=2)


@pytest.fixture(scope="module")
def store(store_dir):
    from service.store import Store
    return Store(store_dir, read_only=True)


def ask(store, name: str, **params) -> list[dict]:
    from service.queries import load_query_text
    return store.select(load_query_text(name, {k: str(v) for k, v in params.items()}))


# --- the queries themselves --------------------------------------------------------

CROSS_QUERIES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "queries").glob("cross-*.rq"))


@pytest.mark.parametrize("name", CROSS_QUERIES)
def test_cross_query_has_header_and_declares_its_parameters(name):
    from service.queries import find_query
    q = find_query(name)
    zh, _, en = q.title.partition(" / ")
    assert zh and en and q.description
    for line in q.text.splitlines():
        if line.startswith("# param:"):
            pname, ptype = line.split(":", 1)[1].split()[:2]
            assert ptype in {"string", "decimal", "integer", "iri"}, line
            assert f"?{pname}" in q.text.split("\nPREFIX", 1)[1], f"{name}: ?{pname} is not used"


# --- budget vs final accounts -------------------------------------------------------

def test_budget_vs_final_per_code(store):
    rows = ask(store, "cross-budget-vs-final", department=org(BIGDATA), year=2021)
    by_code = {r["code"]: r for r in rows}
    # 22 codes: the union of the budget's and the final accounts' general-budget rows
    assert set(by_code) == {
        "201", "20137", "2013702", "2013750", "2013799", "206", "20605", "2060502", "208", "20805", "2080505",
        "20899", "2089999", "210", "21004", "2100410", "21011", "2101102", "221", "22102", "2210201", "2210202"}
    # 事业运行: budget 8,300,000 元, final 845.16 万元
    r = by_code["2013750"]
    assert (r["budget"], r["final"], r["difference"], r["executionRate"]) == (D(8300000), D(8451600), D(151600), D("101.83"))
    r = by_code["2013799"]
    assert (r["budget"], r["final"], r["difference"]) == (D(7000000), D(6675000), D(-325000))
    r = by_code["2060502"]
    assert (r["budget"], r["final"], r["difference"]) == (D(30000000), D(32432500), D(2432500))
    r = by_code["201"]
    assert (r["budget"], r["final"], r["difference"], r["executionRate"]) == (D(15800000), D(15126600), D(-673400), D("95.74"))
    r = by_code["2080505"]
    assert (r["budget"], r["final"], r["difference"]) == (D(320000), D(319900), D(-100))
    # budgeted but not spent, and spent without a budget line
    assert by_code["2013702"]["budget"] == D(500000) and "final" not in by_code["2013702"]
    assert by_code["2100410"]["final"] == D(199700) and "budget" not in by_code["2100410"]
    assert by_code["2089999"]["final"] == D(26100) and "budget" not in by_code["2089999"]
    assert {r["departmentLabel"] for r in rows} == {BIGDATA}


def test_budget_vs_final_needs_both_documents(store):
    # the archives have a 决算 for 2022 but no 预算; Jiangsu has 预算 only
    assert ask(store, "cross-budget-vs-final", department=org(ARCHIVES), year=2022) == []
    assert ask(store, "cross-budget-vs-final", department=org(JIANGSU), year=2018) == []
    every = ask(store, "cross-budget-vs-final")
    assert {(r["department"], r["year"]) for r in every} == {(org(BIGDATA), 2021)}


# --- year over year ---------------------------------------------------------------

def test_year_over_year_jiangsu_budgets(store):
    rows = ask(store, "cross-year-over-year", department=org(JIANGSU))
    assert {(r["previousYear"], r["year"]) for r in rows} == {(2017, 2018)}
    by_code = {r["code"]: r for r in rows}
    r = by_code["2040401"]   # 行政运行 7,968.14 → 10,883.36 万元
    assert (r["previousAmount"], r["amount"], r["change"], r["changePercent"]) == (
        D(79681400), D(108833600), D(29152200), D("36.59"))
    r = by_code["2210202"]   # 提租补贴 1,534.94 → 2,586.61 万元
    assert (r["previousAmount"], r["amount"], r["change"]) == (D(15349400), D(25866100), D(10516700))
    # the same code under a new name in 2018
    r = by_code["2040405"]
    assert (r["previousLabel"], r["label"]) == ("公诉和审判监督", "公诉、审判、侦查、执行等检察监督支出")
    assert (r["previousAmount"], r["amount"]) == (D(1500000), D(18950000))
    # codes of one year only
    assert by_code["2040404"]["previousAmount"] == D(4800000) and "amount" not in by_code["2040404"]
    assert by_code["2040499"]["previousAmount"] == D(12990000) and "amount" not in by_code["2040499"]
    assert by_code["2080505"]["amount"] == D(10459300) and "previousAmount" not in by_code["2080505"]
    assert all(r["kind"] == FKG + "BudgetReport" for r in rows)


def test_year_over_year_shanghai_street_budgets(store):
    rows = ask(store, "cross-year-over-year", department=org(WANLI))
    assert {(r["previousYear"], r["year"]) for r in rows} == {(2024, 2025)}
    by_code = {r["code"]: r for r in rows}
    # printed in 元 as "208 07 05 公益性岗位补贴 4,212,300" and "... 582,800"
    assert (by_code["2080705"]["previousAmount"], by_code["2080705"]["amount"], by_code["2080705"]["change"]) == (
        D(4212300), D(582800), D(-3629500))
    assert (by_code["2049999"]["previousAmount"], by_code["2049999"]["amount"]) == (D(1333000), D(2578025))
    assert (by_code["2010507"]["previousAmount"], by_code["2010507"]["amount"]) == (D(257700), D(438300))
    assert by_code["2059999"]["change"] == 0
    assert len(rows) > 60


def test_year_over_year_pairs_only_consecutive_reports_of_one_kind(store):
    # the reference department has a 预算 and a 决算 of the same year: no year-over-year pair
    assert ask(store, "cross-year-over-year", department=org(BIGDATA)) == []
    every = ask(store, "cross-year-over-year")
    assert {r["department"] for r in every} == {org(JIANGSU), org(WANLI)}


# --- totals by department -------------------------------------------------------------

def test_totals_by_department(store):
    rows = ask(store, "cross-department-totals")
    assert len(rows) == 9                     # every report ingested
    got = {(r["departmentLabel"], r["year"], r["kind"].rsplit("#", 1)[1]): r for r in rows}
    assert got[(JIANGSU, 2017, "BudgetReport")]["generalBudgetTotal"] == D(179816800)   # 17,981.68 万元
    assert got[(JIANGSU, 2018, "BudgetReport")]["generalBudgetTotal"] == D(219409600)   # 21,940.96 万元
    assert got[(WANLI, 2024, "BudgetReport")]["generalBudgetTotal"] == D(156211123)
    assert got[(WANLI, 2025, "BudgetReport")]["generalBudgetTotal"] == D(189767551)
    budget = got[(BIGDATA, 2021, "BudgetReport")]
    assert (budget["generalBudgetTotal"], budget["generalBudgetClassSum"], budget["expenditureTotal"]) == (
        D(46615000), D(46615000), D(46815000))
    final = got[(BIGDATA, 2021, "FinalAccountsReport")]
    # 合计 4,859.44 万元; its 类 rows sum to 4,859.45 (rounding of the printed figures)
    assert (final["generalBudgetTotal"], final["generalBudgetClassSum"], final["expenditureTotal"]) == (
        D(48594400), D(48594500), D(48817300))
    archives = got[(ARCHIVES, 2022, "FinalAccountsReport")]
    assert (archives["generalBudgetTotal"], archives["expenditureTotal"]) == (D(4980000), D(5000000))


# --- vendors across departments ------------------------------------------------------------

def test_vendors_across_departments(store):
    rows = ask(store, "cross-vendors-across-departments")
    got = {r["vendorLabel"]: r for r in rows}
    assert set(got) == {LILONG, DENGGAO}       # the reference report's other suppliers serve one department
    assert got[DENGGAO]["vendor"] == org(DENGGAO)
    assert (got[DENGGAO]["departments"], got[DENGGAO]["contracts"], got[DENGGAO]["totalPrice"]) == (2, 3, D(519000))
    assert (got[LILONG]["departments"], got[LILONG]["contracts"], got[LILONG]["totalPrice"]) == (2, 2, D(220000))
    for r in rows:
        assert set(r["departmentNames"].split("、")) == {BIGDATA, ARCHIVES}
        assert set(r["years"].split(", ")) == {"2021", "2022"}


def test_one_vendors_contracts_in_each_department(store):
    rows = ask(store, "cross-vendor-contracts", vendor=org(LILONG))
    assert sorted((r["departmentLabel"], r["year"], r["price"]) for r in rows) == [
        (BIGDATA, 2021, D(100000)), (ARCHIVES, 2022, D(120000))]
    assert {r["contractLabel"] for r in rows} == {"江夏区网格化信息系统维护服务项目合同", "档案数字化管理系统维护服务合同"}
    assert all(r["method"] == "三方询价" for r in rows)


# --- 三公 over the years ------------------------------------------------------------------

def test_three_public_over_years(store):
    rows = ask(store, "cross-three-public-years")
    got = {(r["departmentLabel"], r["year"], r["phase"].rsplit("#", 1)[1], r["kind"].rsplit("#", 1)[1]): r
           for r in rows}
    js17 = got[(JIANGSU, 2017, "InitialBudget", "BudgetReport")]
    assert (js17["abroad"], js17["vehicles"], js17["reception"], js17["total"]) == (
        D(1100000), D(3178000), D(1565500), D(5843500))      # 110 + 317.8 + 156.55 万元
    js18 = got[(JIANGSU, 2018, "InitialBudget", "BudgetReport")]
    assert (js18["total"], js18["previousTotal"], js18["change"]) == (D(4843000), D(5843500), D(-1000500))
    wl25 = got[(WANLI, 2025, "InitialBudget", "BudgetReport")]
    assert (wl25["vehicles"], wl25["total"], wl25["previousTotal"], wl25["change"]) == (
        D(365600), D(379100), D(479100), D(-100000))
    archives = got[(ARCHIVES, 2022, "FinalAccounts", "FinalAccountsReport")]
    assert (archives["vehicles"], archives["reception"], archives["total"]) == (D(52000), D(8000), D(60000))
    assert got[(ARCHIVES, 2022, "InitialBudget", "FinalAccountsReport")]["total"] == D(80000)
    # the reference report: a 预算数 of 0.24 万元 and no spending (blank 决算数 cells)
    assert got[(BIGDATA, 2021, "InitialBudget", "FinalAccountsReport")]["total"] == D(2400)
    assert got[(BIGDATA, 2021, "FinalAccounts", "FinalAccountsReport")]["total"] == 0
    assert got[(BIGDATA, 2021, "InitialBudget", "BudgetReport")]["total"] == D(2400)
    # 三公 that grew: none in this corpus; both consecutive pairs fell
    assert [r for r in rows if r.get("change", 0) > 0] == []


def test_named_cross_query_through_the_cli(store_dir):
    out = run_cli("query", "cross-budget-vs-final", "--store", store_dir, "--format", "csv",
                  "--param", f"department={org(BIGDATA)}", "--param", "year=2021", check=True)
    lines = out.stdout.splitlines()
    header = lines[0].split(",")
    row = next(ln.split(",") for ln in lines[1:] if ",2013750," in ln)
    assert row[header.index("budget")] == "8300000" and row[header.index("final")] == "8451600"
