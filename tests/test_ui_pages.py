"""The web UI through the Flask test client, over a real on-disk store holding the
reference report (built by the real ingest pipeline)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from service.app import close_app, create_app
from service.store import Store

FLAGSHIP = "全区政务网络运营及基础业务设备设施维护经费项目"
BASE = "https://data.fiscalkg.org/"


@pytest.fixture(scope="module")
def app(sample_store_dir):
    app = create_app({"store": str(sample_store_dir)})
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


def _project_path(client, name: str) -> str:
    hits = client.get("/search.json", query_string={"q": name}).get_json()["results"]
    project = next(h for h in hits if h["type"].endswith("#Project") and h["label"] == name)
    return "/" + project["entity"][len(BASE):].replace("id/", "", 1)


def test_home_shows_what_is_loaded_in_chinese_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "武汉市江夏区大数据中心" in html and "2021" in html
    assert 'action="/search"' in html
    for link in ("/projects", "/vendors", "/subjects", "/findings", "/query", "/charts"):
        assert f'href="{link}"' in html
    model = client.get("/index.json").get_json()
    assert model["counts"]["reports"] == 1
    assert model["counts"]["projects"] >= 5 and model["counts"]["contracts"] >= 5
    assert model["years"] == [2021]
    totals = model["reports"][0]["totals"]
    assert {"table": "01", "row": "本年收入合计", "column": "收入/金额", "amount": "4883.37",
            "unit": "https://fiscalkg.org/ontology#WanYuan"} in totals
    assert sum(s["count"] for s in model["findings_by_severity"]) == model["counts"]["findings"]


def test_language_switch_by_parameter_and_cookie(client):
    english = client.get("/?lang=en")
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html and "Follow the money" in html and "Projects" in html
    assert "lang=en" in english.headers["Set-Cookie"]
    # the cookie keeps the language on the next page, without the parameter
    assert "Sub-projects" in client.get(_project_path(client, FLAGSHIP)).get_data(as_text=True)
    assert "子项目" in client.get(_project_path(client, FLAGSHIP) + "?lang=zh").get_data(as_text=True)


def test_every_ui_string_has_both_languages():
    from service.ui_i18n import STRINGS
    templates = Path(__file__).resolve().parent.parent / "service" / "templates" / "ui"
    used = set()
    for path in templates.glob("*.html"):
        used |= set(re.findall(r'_\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    assert used, "templates use no strings?"
    missing = sorted(k for k in used if k not in STRINGS and not k.startswith(("role_", "count_", "sev_")))
    assert not missing, missing
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip(), key
        assert re.search(r"[\u4e00-\u9fff]", zh) or zh in ("JSON", "English"), key


def test_search_by_chinese_substring_and_code_prefix(client):
    by_name = client.get("/search.json", query_string={"q": "政务网络"}).get_json()["results"]
    assert any(h["label"] == FLAGSHIP for h in by_name)
    by_code = client.get("/search.json", query_string={"q": "2013"}).get_json()["results"]
    codes = {h["code"] for h in by_code if h.get("code")}
    assert {"20137", "2013750"} <= codes and all(c.startswith("2013") for c in codes)
    html = client.get("/search", query_string={"q": "2013"}).get_data(as_text=True)
    assert 'href="/subject/functional/2021/2013750"' in html
    assert "没有匹配" in client.get("/search", query_string={"q": "不存在的名称xyz"}).get_data(as_text=True)


def test_project_page_shows_the_whole_chain(client):
    path = _project_path(client, FLAGSHIP)
    model = client.get(path + ".json").get_json()
    assert model["project"]["label"] == FLAGSHIP
    assert model["project"]["amount"] == "405"
    assert len(model["subprojects"]) == 5
    contracts = model["contracts"]
    assert len(contracts) >= 5
    assert all(c["supplierLabel"] for c in contracts)
    assert any(c.get("agentLabel") for c in contracts) and any(c.get("planNumber") for c in contracts)
    assert any(c.get("methodDetails") for c in contracts)
    assert {c["forProject"] for c in contracts} <= {s["item"] for s in model["subprojects"]} | {model["project"]["project"]}
    assert len(model["indicators"]) >= 10
    assert any(i.get("targetText") and i.get("actualText") for i in model["indicators"])
    assert model["evaluations"] and model["evaluations"][0]["totalScore"] is not None
    html = client.get(path).get_data(as_text=True)
    for c in contracts:
        assert c["supplierLabel"] in html
        assert f'href="/org/{c["supplier"].rsplit("/", 1)[1]}"' in html
    for s in model["subprojects"]:
        assert s["label"] in html
    # a figure opens its source excerpt, with page/line, without JavaScript
    price = next(c for c in contracts if c.get("price") and c.get("paid"))
    assert re.search(r'<details class="src"><summary title="[^"]*' + re.escape(price["price"]), html)
    assert '<blockquote class="excerpt">' in html


def test_vendor_page_lists_contracts_totals_and_methods(client):
    project = client.get(_project_path(client, FLAGSHIP) + ".json").get_json()
    contract = project["contracts"][0]
    vendor = client.get(f"/org/{contract['supplier'].rsplit('/', 1)[1]}.json").get_json()
    assert vendor["organisation"]["label"] == contract["supplierLabel"]
    assert contract["contract"] in {c["contract"] for c in vendor["contracts"]}
    (dept,) = vendor["by_department_year"]
    assert dept["departmentLabel"] == "武汉市江夏区大数据中心" and dept["year"] == 2021
    assert dept["contracts"] == len(vendor["contracts"])
    assert vendor["methods"]
    listing = client.get("/vendors.json").get_json()["vendors"]
    assert contract["supplier"] in {v["org"] for v in listing}


def test_csv_downloads(client):
    path = _project_path(client, FLAGSHIP)
    response = client.get(path + ".csv", query_string={"table": "contracts"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) >= 5 and {"supplierLabel", "price", "paid", "outstanding"} <= set(rows[0])
    report = client.get("/reports.json").get_json()["reports"][0]["report"]
    table = client.get(f"/report/{report.rsplit('/', 1)[1]}.csv", query_string={"table": "table-03"})
    lines = list(csv.reader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][:2] == ["code", "label"] and any(r[0] == "2013750" for r in lines[1:])
    assert client.get(path + ".csv", query_string={"table": "nope"}).status_code == 404


def test_report_page_renders_tables_with_collapsible_code_tree(client):
    report = client.get("/reports.json").get_json()["reports"][0]["report"]
    html = client.get(f"/report/{report.rsplit('/', 1)[1]}").get_data(as_text=True)
    assert html.count('<details class="node" open>') >= 10
    # 类 201 holds 款 20137 which holds 项 2013750
    block = html[html.index('id="table-03"'):]
    i201, i20137, i2013750 = (block.index(f">{c}</a>") for c in ("201", "20137", "2013750"))
    assert i201 < i20137 < i2013750
    assert "收入支出决算总表" in html and "4,883.37" in html
    model = client.get(f"/report/{report.rsplit('/', 1)[1]}.json").get_json()
    assert len(model["tables"]) >= 9 and model["findings"] == client.get(
        "/findings.json", query_string={"report": report}).get_json()["findings"]


def test_budget_subject_page(client):
    model = client.get("/subject/functional/2021/2013750.json").get_json()
    assert model["subject"]["code"] == "2013750"
    assert [p["code"] for p in model["path"]] == ["201", "20137"]
    assert {a["tableKey"] for a in model["amounts"]} >= {"02", "03"}
    assert any(a["amount"] == "845.16" for a in model["amounts"])
    children = client.get("/subject/functional/2021/20137.json").get_json()["children"]
    assert "2013750" in {c["code"] for c in children}
    assert client.get("/subject/functional/2021/9999999").status_code == 404


def test_findings_page_filters_and_shows_both_sides(client):
    every = client.get("/findings.json").get_json()
    assert every["findings"], "the reference report has findings"
    for sev in every["severities"]:
        name = sev.rsplit("#", 1)[1]
        chosen = client.get("/findings.json", query_string={"severity": name}).get_json()["findings"]
        assert chosen and all(f["severity"] == sev for f in chosen)
    rule = every["rules"][0].rsplit("#", 1)[1].removeprefix("rule-")
    by_rule = client.get("/findings.json", query_string={"rule": rule}).get_json()["findings"]
    assert by_rule and all(f["rule"].endswith(rule) for f in by_rule)
    with_facts = [f for f in every["findings"] if len(f["facts"]) >= 2]
    assert with_facts and any(x.get("excerpt") for x in with_facts[0]["facts"])
    html = client.get("/findings").get_data(as_text=True)
    assert html.count('<article class="finding') == len(every["findings"])
    one = with_facts[0]["finding"]
    single = client.get("/" + one[len(BASE):].replace("id/report/", "findings/", 1).replace("/finding/", "/", 1))
    assert single.status_code == 200 and single.get_data(as_text=True).count('<article class="finding') == 1


def test_entity_iris_show_the_ui_page(client):
    path = _project_path(client, FLAGSHIP)
    iri_path = "/id/project/" + path.rsplit("/", 1)[1]
    html = client.get(iri_path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="contracts"' in html and FLAGSHIP in html
    turtle = client.get(iri_path, headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    code = client.get("/id/codelist/functional/2021/2013750", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "amounts_in_tables" not in code and "各表中的金额" in code
    # kinds the UI does not show keep the generic linked-data view
    report = client.get("/reports.json").get_json()["reports"][0]["report"]
    generic = client.get("/id/report/" + report.rsplit("/", 1)[1] + "/table/03", headers={"Accept": "text/html"})
    assert generic.status_code == 200 and "指向此资源的链接" in generic.get_data(as_text=True)


def test_charts_page_data(client):
    model = client.get("/charts.json").get_json()
    kinds = {n["kind"] for n in model["flows"]["nodes"]}
    assert {"fund", "class", "project", "contract", "vendor"} <= kinds
    ids = {n["id"] for n in model["flows"]["nodes"]}
    assert all(l["source"] in ids and l["target"] in ids and l["value"] > 0 for l in model["flows"]["links"])
    (root,) = model["treemap"]["tree"]
    assert {c["code"] for c in root["children"]} >= {"201", "206"}
    html = client.get("/charts").get_data(as_text=True)
    assert '/static/vendor/echarts.min.js' in html and 'id="sankey-data"' in html
    assert "资金流（表格）" in html  # readable without JavaScript


def test_query_page_offers_named_queries(client):
    html = client.get("/query?name=code-amounts").get_data(as_text=True)
    assert "/static/vendor/yasgui.min.js" in html and 'href="/query?name=code-amounts&amp;run=1"' in html
    assert "<noscript>" in html and 'action="/sparql"' in html
    examples = client.get("/query.json").get_json()["examples"]
    assert "code-amounts" in {e["name"] for e in examples}


def test_unknown_entities_are_404(client):
    assert client.get("/project/0000000000000000").status_code == 404
    assert client.get("/project/0000000000000000.json").status_code == 404
    assert client.get("/org/0000000000000000").status_code == 404
    assert client.get("/report/0000000000000000").status_code == 404


def _tiny_store(path: Path, label: str) -> Path:
    """A store with one report, one project (with a funding code and a table cell for it)
    and one contract, written through the real Store."""
    r = f"{BASE}id/report/test"
    p = f"{BASE}id/project/test"
    c = f"{BASE}id/report/test/contract/c1"
    v = f"{BASE}id/org/vendor1"
    code = f"{BASE}id/codelist/functional/2021/2013750"
    cell = f"{BASE}id/report/test/table/03/cell/r1c2"
    table = f"{BASE}id/report/test/table/03"
    fkg = "https://fiscalkg.org/ontology#"
    nt = f"""
<{r}> a <{fkg}Report> , <{fkg}FinalAccountsReport> ; <{fkg}fiscalYear> 2021 ; <http://www.w3.org/2000/01/rdf-schema#label> "测试报告"@zh .
<{p}> a <{fkg}Project> ; <{fkg}inReport> <{r}> ; <{fkg}fiscalYear> 2021 ; <{fkg}fundingCode> <{code}> ;
   <http://www.w3.org/2000/01/rdf-schema#label> {_nt_literal(label)}@zh ; <{fkg}amount> 12.5 .
<{c}> a <{fkg}Contract> ; <{fkg}inReport> <{r}> ; <{fkg}forProject> <{p}> ; <{fkg}supplier> <{v}> ; <{fkg}amount> 12.5 ;
   <{fkg}amountCNY> 125000.0 ; <http://www.w3.org/2000/01/rdf-schema#label> "合同"@zh .
<{v}> a <http://www.w3.org/ns/org#Organization> ; <http://www.w3.org/2000/01/rdf-schema#label> {_nt_literal(label)}@zh .
<{code}> a <http://www.w3.org/2004/02/skos/core#Concept> ; <http://www.w3.org/2004/02/skos/core#notation> "2013750" ;
   <http://www.w3.org/2004/02/skos/core#prefLabel> "事业运行"@zh .
<{table}> a <{fkg}Table> ; <{fkg}inReport> <{r}> ; <{fkg}tableKey> "03" .
<{cell}> <http://purl.org/linked-data/cube#dataSet> <{table}> ; <{fkg}classification> <{code}> ;
   <{fkg}expenditureType> <{fkg}ProjectExpenditure> ; <{fkg}amount> 40.25 .
"""
    store = Store(path)
    import pyoxigraph as ox
    quads = ox.parse(nt.encode("utf-8"), ox.RdfFormat.TURTLE)
    store.replace_graphs({f"{BASE}graph/report/test": "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)})
    store.flush()
    del store
    return path


def _nt_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_labels_are_escaped_and_funding_codes_shown(tmp_path):
    evil = '<script>alert("x")</script>项目'
    app = create_app({"store": str(_tiny_store(tmp_path / "store", evil))})
    try:
        client = app.test_client()
        html = client.get("/project/test").get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;项目" in html
        # the funding subject with the table's project-expenditure amount for it
        assert 'href="/subject/functional/2021/2013750"' in html and "40.25" in html
        charts = client.get("/charts").get_data(as_text=True)
        assert "<script>alert" not in charts
        hits = client.get("/search", query_string={"q": "<script>"}).get_data(as_text=True)
        assert "&lt;script&gt;" in hits and "<script>alert" not in hits
    finally:
        close_app(app)


def test_pages_follow_a_later_ingest(tmp_path):
    path = _tiny_store(tmp_path / "store", "第一个项目")
    app = create_app({"store": str(path)})
    try:
        client = app.test_client()
        assert client.get("/index.json").get_json()["counts"]["projects"] == 1
        close_app(app)  # the workers let go of the store; a writer opens it
        store = Store(path)
        store.replace_graphs({f"{BASE}graph/report/other":
                              f"<{BASE}id/project/other> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://fiscalkg.org/ontology#Project> ."})
        store.flush()
        del store
        assert client.get("/index.json").get_json()["counts"]["projects"] == 2
    finally:
        close_app(app)
