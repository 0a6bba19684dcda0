"""The rule files of queries/checks/, their ontology individuals, and how rule
answers become findings (severity by tolerance, deterministic IRIs), on small
hand-written graphs shaped like the mapping's output."""
from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox
import pytest

from service.checks import RULES_DIR, evaluate_ntriples, load_rules

FKG = "https://fiscalkg.org/ontology#"
R = "https://data.example.org/id/report/r1"
PREFIXES = f"""
@prefix fkg: <{FKG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@base <{R}/> .
"""


def nt(turtle: str) -> str:
    """Turtle (with `r:path` for IRIs under the report) as N-Triples."""
    turtle = re.sub(r"\br:([\w/]+)", r"<\1>", turtle)
    quads = ox.parse((PREFIXES + turtle).encode("utf-8"), ox.RdfFormat.TURTLE)
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads) + "\n"


def findings(turtle: str) -> dict[str, dict]:
    """Findings by IRI: rule id, severity, values."""
    text, _ = evaluate_ntriples(nt(turtle))
    store = ox.Store()
    if text:
        store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    out = {}
    for sol in store.query(f"""PREFIX fkg: <{FKG}>
        SELECT ?f ?rule ?sev ?diff WHERE {{ ?f fkg:rule ?rule ; fkg:severity ?sev . OPTIONAL {{ ?f fkg:difference ?diff }} }}"""):
        out[sol["f"].value] = {"rule": sol["rule"].value.split("#rule-")[1],
                               "severity": sol["sev"].value.split("#")[1].lower(),
                               "difference": Decimal(sol["diff"].value) if sol["diff"] else None}
    return out


def code_table(unit: str, parent: str, children: list[str]) -> str:
    """A table with one column: a 类 row and its 款 rows (amounts as given)."""
    rows = [f"""r:table/03 a fkg:Table ; fkg:inReport <{R}> ; fkg:tableKey "03" ;
              fkg:tableFamily fkg:ExpenditureTable ; fkg:unit fkg:{unit} ; rdfs:label "支出决算表"@zh .
            <{R}> a fkg:Report ; fkg:fiscalYear 2021 .
            r:table/03/column/0 a fkg:TableColumn ; fkg:inTable r:table/03 ; fkg:ordinal 0 ; rdfs:label "本年支出合计"@zh .
            r:table/03/row/0 a fkg:TableRow ; fkg:inTable r:table/03 ; skos:notation "201" ; rdfs:label "一般公共服务支出"@zh .
            r:table/03/cell/r0c0 a fkg:TableCell ; qb:dataSet r:table/03 ; fkg:row r:table/03/row/0 ; fkg:column r:table/03/column/0 ;
              fkg:amount {parent} ."""]
    for i, amount in enumerate(children, 1):
        rows.append(f"""r:table/03/row/{i} a fkg:TableRow ; fkg:inTable r:table/03 ; skos:notation "201{i:02d}" ; rdfs:label "款{i}"@zh .
            r:table/03/cell/r{i}c0 a fkg:TableCell ; qb:dataSet r:table/03 ; fkg:row r:table/03/row/{i} ; fkg:column r:table/03/column/0 ;
              fkg:amount {amount} .""")
    return "\n".join(rows)


# --- the rule files ------------------------------------------------------------------

def test_every_rule_file_has_a_complete_header_and_is_a_select_over_reports():
    rules = load_rules()
    assert len(rules) >= 25
    for rule in rules:
        assert rule.path.stem == rule.id, rule.path
        zh, _, en = rule.title.partition(" / ")
        assert re.search(r"[\u4e00-\u9fff]", zh) and en and re.search(r"[A-Za-z]", en), rule.title
        assert len(rule.description) > 40, rule.id
        assert rule.tolerance_text, rule.id
        assert re.search(r"SELECT\b[^{]*\?report\b", rule.text), f"{rule.id} must project ?report"
        assert re.search(r"\?message\b", rule.text) and re.search(r"\?messageEn\b", rule.text), rule.id
        ox.Store().query(rule.text)  # parses


def test_rule_families_cover_the_product_issue():
    prefixes = {r.id.split("-")[0] for r in load_rules()}
    assert prefixes == {"T", "X", "N", "I", "P", "C"}


def test_the_ontology_has_one_individual_per_rule_file_and_they_agree():
    g = ox.Store()
    g.load(path=str(RULES_DIR.parent.parent / "ontology" / "checks.ttl"), format=ox.RdfFormat.TURTLE)
    declared = {}
    for sol in g.query(f"""PREFIX fkg: <{FKG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?r ?id ?sev ?cls ?zh ?en ?file WHERE {{
              ?r a fkg:ConsistencyRule ; skos:notation ?id ; fkg:defaultSeverity ?sev ; fkg:findingClass ?cls ;
                 rdfs:label ?zh , ?en ; fkg:ruleQuery ?file ; skos:definition ?d1 , ?d2 .
              FILTER(LANG(?zh) = "zh" && LANG(?en) = "en" && LANG(?d1) = "zh" && LANG(?d2) = "en") }}"""):
        declared[sol["id"].value] = sol
    rules = {r.id: r for r in load_rules()}
    assert set(declared) == set(rules)
    for rid, sol in declared.items():
        rule = rules[rid]
        assert sol["r"].value == rule.iri
        assert sol["sev"].value == FKG + rule.severity.capitalize()
        assert sol["cls"].value == FKG + rule.family
        assert f'{sol["zh"].value} / {sol["en"].value}' == rule.title
        assert sol["file"].value == f"queries/checks/{rule.path.name}"


# --- rows to findings ------------------------------------------------------------------

def test_a_difference_within_rounding_is_info_and_beyond_it_an_error():
    within = findings(code_table("WanYuan", "10.01", ["5.00", "5.00"]))
    assert [(f["rule"], f["severity"], f["difference"]) for f in within.values()] == \
        [("T-SUM-CODE", "info", Decimal("0.01"))]
    beyond = findings(code_table("WanYuan", "10.05", ["5.00", "5.00"]))
    assert [(f["rule"], f["severity"]) for f in beyond.values()] == [("T-SUM-CODE", "error")]
    assert findings(code_table("WanYuan", "10.00", ["5.00", "5.00"])) == {}


def test_tolerance_scales_for_tables_in_yuan():
    # 0.5 元 over two summands is rounding in a 元 table, an error in a 万元 table
    assert [f["severity"] for f in findings(code_table("Yuan", "1000.5", ["500", "500"])).values()] == ["info"]
    assert [f["severity"] for f in findings(code_table("WanYuan", "1000.5", ["500", "500"])).values()] == ["error"]


def test_finding_iris_are_deterministic_and_name_the_rule():
    graph = nt(code_table("WanYuan", "11.00", ["5.00", "5.00"]))
    first, counts = evaluate_ntriples(graph)
    second, _ = evaluate_ntriples(graph)
    assert first == second and counts == {"error": 1}
    iris = set(re.findall(r"<([^>]+/finding/[^>]+)>", first))
    assert len(iris) == 1 and re.fullmatch(rf"{R}/finding/T-SUM-CODE/[0-9a-f]{{16}}", iris.pop())


def test_a_finding_carries_rule_severity_values_involved_facts_and_messages():
    text, _ = evaluate_ntriples(nt(code_table("WanYuan", "11.00", ["5.00", "5.00"])))
    store = ox.Store()
    store.load(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    sol = next(iter(store.query(f"""PREFIX fkg: <{FKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?f ?exp ?st ?diff ?zh ?en (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
          ?f a fkg:ConsistencyFinding , fkg:TableSumFinding ; fkg:rule fkg:rule-T-SUM-CODE ; fkg:severity fkg:Error ;
             fkg:aboutReport <{R}> ; fkg:expected ?exp ; fkg:stated ?st ; fkg:difference ?diff ;
             fkg:involves ?fact ; rdfs:label ?zh , ?en .
          FILTER(LANG(?zh) = "zh" && LANG(?en) = "en") }} GROUP BY ?f ?exp ?st ?diff ?zh ?en""")))
    assert (Decimal(sol["exp"].value), Decimal(sol["st"].value), Decimal(sol["diff"].value)) == \
        (Decimal(10), Decimal(11), Decimal(1))
    assert sol["diff"].datatype.value.endswith("#decimal")
    assert int(sol["n"].value) == 3  # the 类 cell and both 款 cells
    assert "201" in sol["zh"].value


def test_a_blank_child_cell_counts_as_zero_and_a_missing_parent_cell_too():
    graph = code_table("WanYuan", "5.00", ["5.00"]) + """
        r:table/03/row/9 a fkg:TableRow ; fkg:inTable r:table/03 ; skos:notation "20109" ; rdfs:label "空款"@zh ."""
    assert findings(graph) == {}


def test_a_table_holding_amounts_without_a_unit_is_reported():
    graph = code_table("WanYuan", "10.00", ["10.00"]).replace("fkg:unit fkg:WanYuan ;", "")
    assert {(f["rule"], f["severity"]) for f in findings(graph).values()} == {("C-UNIT", "error")}


def test_general_budget_spending_above_all_spending_for_a_code_is_an_error():
    graph = f"""
      <{R}> a fkg:Report ; fkg:fiscalYear 2021 .
      r:table/03 a fkg:Table ; fkg:inReport <{R}> ; fkg:tableKey "03" ; fkg:tableFamily fkg:ExpenditureTable ; fkg:unit fkg:WanYuan .
      r:table/05 a fkg:Table ; fkg:inReport <{R}> ; fkg:tableKey "05" ; fkg:tableFamily fkg:GeneralBudgetExpenditure ; fkg:unit fkg:WanYuan .
      r:table/03/column/1 a fkg:TableColumn ; fkg:inTable r:table/03 ; fkg:ordinal 1 ; rdfs:label "基本支出"@zh .
      r:table/05/column/1 a fkg:TableColumn ; fkg:inTable r:table/05 ; fkg:ordinal 1 ; rdfs:label "本年支出/基本支出"@zh .
      r:table/03/row/0 a fkg:TableRow ; fkg:inTable r:table/03 ; skos:notation "2010101" ; rdfs:label "行政运行"@zh .
      r:table/05/row/0 a fkg:TableRow ; fkg:inTable r:table/05 ; skos:notation "2010101" ; rdfs:label "行政运行"@zh .
      r:table/03/cell/r0c1 fkg:row r:table/03/row/0 ; fkg:column r:table/03/column/1 ; fkg:amount 8.00 ; fkg:amountCNY 80000 .
      r:table/05/cell/r0c1 fkg:row r:table/05/row/0 ; fkg:column r:table/05/column/1 ; fkg:amount 9.00 ; fkg:amountCNY 90000 .
    """
    rules = {(f["rule"], f["severity"]) for f in findings(graph).values()}
    assert ("X-CODE-05-03", "error") in rules
    lower = graph.replace("fkg:amount 9.00 ; fkg:amountCNY 90000", "fkg:amount 7.00 ; fkg:amountCNY 70000")
    assert "X-CODE-05-03" not in {f["rule"] for f in findings(lower).values()}


@pytest.mark.parametrize("grade,expected", [("优", set()), ("良", {("P-GRADE", "error")})])
def test_an_evaluation_grade_must_match_its_score_band(grade, expected):
    graph = f"""
      <{R}> a fkg:Report ; fkg:fiscalYear 2021 .
      r:evaluation/1 a fkg:PerformanceEvaluation ; fkg:inReport <{R}> ; rdfs:label "整体绩效评价"@zh ;
        fkg:totalScore 92.5 ; fkg:grade "{grade}"@zh .
    """
    assert {(f["rule"], f["severity"]) for f in findings(graph).values()} == expected


@pytest.mark.parametrize("total, errors", [("606.50", 0), ("607.50", 1)])
def test_a_column_group_printed_without_its_own_subtotal_counts_by_its_leaves(tmp_path, total, errors):
    """合计 | 财政拨款/一般公共预算 | 财政拨款/政府性基金预算 | 其他资金: the two 财政拨款 leaves are parts."""
    from pathlib import Path

    from ingest import build_graph
    from service.checks import evaluate_report
    source = Path(__file__).parent / "fixtures" / "narrative" / "planning_env_2024_budget.txt"
    text = source.read_text(encoding="utf-8").replace("合计\t\t\t606.50\t", f"合计\t\t\t{total}\t", 1)
    assert f"\t{total}\t" in text
    copy = tmp_path / source.name
    copy.write_text(text, encoding="utf-8")
    graph = build_graph(copy)
    _, counts = evaluate_report(graph, "https://data.fiscalkg.org/")
    assert counts.get("error", 0) == errors
