"""The table competency queries of queries/ answer correctly on the reference
report (expected values read off samples/000_db8f0e8ff5a3a27e.txt by hand)."""
from __future__ import annotations

from decimal import Decimal as D

from service.queries import load_query_text

FKG = "https://fiscalkg.org/ontology#"


def run(store, name, **params):
    return store.select(load_query_text(name, {k: str(v) for k, v in params.items()}))


def key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_a_codes_amounts_in_every_table(sample_store):
    rows = run(sample_store, "code-amounts", code="2013750")
    got = sorted((key(r["table"]), r["column"], r["amount"]) for r in rows)
    assert got == sorted([
        ("02", "本年收入合计", D("845.16")), ("02", "财政拨款收入", D("845.16")),
        ("03", "本年支出合计", D("845.16")), ("03", "基本支出", D("323.76")), ("03", "项目支出", D("521.39")),
        ("05", "本年支出/小计", D("845.16")), ("05", "本年支出/基本支出", D("323.76")),
        ("05", "本年支出/项目支出", D("521.39")),
    ])
    assert {r["phase"] for r in rows} == {FKG + "FinalAccounts"}
    assert {r["unit"] for r in rows} == {FKG + "WanYuan"}


def test_the_code_tree_with_totals(sample_store):
    rows = {r["code"]: r for r in run(sample_store, "code-tree")}
    assert rows["2013750"]["parentCode"] == "20137" and rows["20137"]["parentCode"] == "201"
    assert "parentCode" not in rows["201"]
    assert (rows["201"]["level"], rows["20137"]["level"], rows["2013750"]["level"]) == ("类", "款", "项")
    assert rows["2210202"]["total"] == D("6.19") and rows["221"]["total"] == D("35.92")
    assert len(rows) == 21  # every functional code of table 03


def test_basic_vs_project_by_code(sample_store):
    rows = {(r["tableKey"], r["code"]): r for r in run(sample_store, "basic-vs-project")}
    assert (rows[("05", "2013750")]["basic"], rows[("05", "2013750")]["project"]) == (D("323.76"), D("521.39"))
    assert "basic" not in rows[("03", "2013799")] and rows[("03", "2013799")]["project"] == D("687.74")
    assert rows[("03", "2100410")]["project"] == D("19.97")
    assert all(len(code) in (3, 5, 7) and code[0] == "2" for _, code in rows)  # functional codes only


def test_personnel_and_public_items(sample_store):
    rows = run(sample_store, "personnel-and-public-items")
    items = {(r.get("group"), r.get("code")): r["amount"] for r in rows}
    assert items[("人员经费", "30101")] == D("103.80")
    assert items[("人员经费", "30113")] == D("61.11")
    assert items[("公用经费", "30201")] == D("5.82")
    assert items[("公用经费", "30228")] == D("7.92")
    personnel = sum(a for (g, c), a in items.items() if g == "人员经费" and c and len(c) == 5)
    # 人员经费合计 is printed as 378.03; its printed items add up to 378.02 (rounding in 万元)
    assert personnel == D("378.02")


def test_where_a_figure_came_from(sample_store):
    rows = run(sample_store, "figure-provenance", amount="845.16")
    assert {r["lineStart"] for r in rows if r["type"] == FKG + "TableCell"} >= {153, 185, 262}
    assert all("845.16" in r["excerpt"] for r in rows)
    assert any(r["type"] != FKG + "TableCell" for r in rows)  # the narrative restates it too
