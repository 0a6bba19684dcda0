"""/sparql as a client sees it: the three ways to send a query, the dataset
parameters, content negotiation, errors a person can act on, CORS, the row and
request-size caps, the service description and the read-only rule. Real Flask
app over a real on-disk store (tests/data/linked_data.trig), real query workers."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
import rdflib
from flask import Blueprint

from live_server import TEST_DATA, build_store
from service.app import TRUNCATED_HEADER, close_app, create_app

REPORT_GRAPH = "https://data.fiscalkg.org/graph/report/r1"
CODELISTS = "https://data.fiscalkg.org/graph/codelists"
COUNT_REPORTS = "PREFIX fkg: <https://fiscalkg.org/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?r a fkg:Report }"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("sparql") / "store", [(TEST_DATA / "linked_data.trig", None)])


@pytest.fixture(scope="module")
def client(store_dir):
    app = create_app({"store": str(store_dir), "workers": 2, "timeout": 10})
    yield app.test_client()
    close_app(app)


def _json(resp) -> dict:
    assert resp.status_code == 200, resp.data
    return json.loads(resp.data)


def _count(resp) -> int:
    return int(_json(resp)["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_direct_give_the_same_answer(client):
    get = client.get("/sparql?query=" + quote(COUNT_REPORTS))
    form = client.post("/sparql", data={"query": COUNT_REPORTS})
    direct = client.post("/sparql", data=COUNT_REPORTS.encode(), content_type="application/sparql-query")
    assert _count(get) == _count(form) == _count(direct) == 1
    assert get.content_type == "application/sparql-results+json"


def test_default_graph_is_the_union_and_dataset_parameters_narrow_it(client):
    ask = "ASK { ?row <https://fiscalkg.org/ontology#classification> ?c . ?c <http://www.w3.org/2004/02/skos/core#notation> ?n }"
    assert _json(client.get("/sparql?query=" + quote(ask)))["boolean"] is True  # union: row + code list
    only_report = client.get(f"/sparql?query={quote(ask)}&default-graph-uri={quote(REPORT_GRAPH)}")
    assert _json(only_report)["boolean"] is False
    both = client.get(f"/sparql?query={quote(ask)}&default-graph-uri={quote(REPORT_GRAPH)}"
                      f"&default-graph-uri={quote(CODELISTS)}")
    assert _json(both)["boolean"] is True
    unknown = client.get(f"/sparql?query={quote(COUNT_REPORTS)}&default-graph-uri=http%3A%2F%2Fnowhere.example%2F")
    assert _count(unknown) == 0  # an unknown graph is empty, not an error
    named = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    resp = client.get(f"/sparql?query={quote(named)}&named-graph-uri={quote(CODELISTS)}")
    assert [b["g"]["value"] for b in _json(resp)["results"]["bindings"]] == [CODELISTS]


def test_from_clause_of_the_query_is_honoured(client):
    q = f"PREFIX fkg: <https://fiscalkg.org/ontology#> SELECT (COUNT(*) AS ?n) FROM <{CODELISTS}> WHERE {{ ?r a fkg:Report }}"
    assert _count(client.get("/sparql?query=" + quote(q))) == 0


@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_in_each_negotiated_format(client, accept, ctype):
    q = "SELECT ?label WHERE { <https://data.fiscalkg.org/id/org/o1> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    resp = client.get("/sparql?query=" + quote(q), headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.mimetype == ctype
    if ctype.endswith("json") or ctype.endswith("xml"):
        fmt = "json" if ctype.endswith("json") else "xml"
        result = rdflib.query.Result.parse(io.BytesIO(resp.data), format=fmt)
        assert [str(r[0]) for r in result] == ["某某区测试局"]
        assert list(result)[0][0].language == "zh"
    elif ctype == "text/csv":
        assert list(csv.reader(io.StringIO(resp.data.decode()))) == [["label"], ["某某区测试局"]]
    else:
        assert resp.data.decode().splitlines() == ["?label", '"某某区测试局"@zh']


def test_ask_defaults_to_json_and_can_be_xml(client):
    assert _json(client.post("/sparql", data={"query": "ASK {}"}))["boolean"] is True
    resp = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+xml"})
    assert resp.mimetype == "application/sparql-results+xml" and b"<boolean>true</boolean>" in resp.data


@pytest.mark.parametrize("accept,ctype,rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
])
def test_construct_and_describe_in_each_rdf_format(client, accept, ctype, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    org = rdflib.URIRef("https://data.fiscalkg.org/id/org/o1")
    for q in ("CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://data.fiscalkg.org/id/org/o1> AS ?s) ?s ?p ?o }",
              "DESCRIBE <https://data.fiscalkg.org/id/org/o1>"):
        resp = client.get("/sparql?query=" + quote(q), headers=headers)
        assert resp.status_code == 200 and resp.mimetype == ctype
        g = rdflib.Graph().parse(data=resp.data, format=rdflib_format)
        assert g.value(org, rdflib.RDFS.label) == rdflib.Literal("某某区测试局", lang="zh")


def test_malformed_query_is_a_400_with_line_and_column(client):
    resp = client.get("/sparql?query=" + quote("SELECT * WHERE {\n  ?s ?p \n}"))
    assert resp.status_code == 400
    assert resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    assert text.startswith("malformed query: error at line 3, column ")


def test_non_utf8_bodies_are_refused(client):
    latin = "SELECT * WHERE { ?s ?p \"é\" }".encode("latin-1")
    assert client.post("/sparql", data=latin, content_type="application/sparql-query").status_code == 400
    utf16 = client.post("/sparql", data="ASK {}".encode("utf-16"),
                        content_type="application/sparql-query; charset=UTF-16")
    assert utf16.status_code == 400 and "UTF-8" in utf16.get_data(as_text=True)


def test_protocol_misuse_gets_4xx(client):
    assert client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
    assert client.post("/sparql", data=b"ASK {}", content_type="text/plain").status_code == 415
    assert client.put("/sparql?query=ASK%7B%7D").status_code == 405


def test_cors_headers_and_preflight(client):
    resp = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = client.open("/sparql", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]


def test_updates_are_refused_on_a_read_only_endpoint(client):
    update = "INSERT DATA { <http://x.example/a> <http://x.example/b> 1 }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.post("/sparql", data=update.encode(), content_type="application/sparql-update").status_code == 403
    assert client.get("/sparql?update=" + quote(update)).status_code == 400
    assert _json(client.get("/sparql?query=" + quote("ASK { <http://x.example/a> ?p ?o }")))["boolean"] is False


def test_service_description_by_content_negotiation(client):
    resp = client.get("/sparql")
    assert resp.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=resp.data, format="turtle")
    service = g.value(None, rdflib.RDF.type, SD.Service)
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert (service, SD.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert len(rdflib.Graph().parse(data=jsonld.data, format="json-ld")) == len(g)


def test_browser_gets_the_query_page_and_html_results(client):
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<form method="post" action="/sparql">' in html and 'name="query"' in html
    q = "SELECT ?label WHERE { <https://data.fiscalkg.org/id/report/r1/note/evil> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    results = client.post("/sparql", data={"query": q, "format": "html"}).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in results and "<script>alert(" not in results
    bad = client.post("/sparql", data={"query": "SELECT", "format": "html"})
    assert bad.status_code == 400 and "malformed query" in bad.get_data(as_text=True)


def test_query_page_links_to_the_yasgui_page_once_registered(store_dir):
    ui = Blueprint("ui_probe", __name__)
    ui.add_url_rule("/query", "query", lambda: "yasgui")
    app = create_app({"store": str(store_dir), "workers": 1})
    app.register_blueprint(ui)
    html = app.test_client().get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/query"' in html
    close_app(app)


def test_row_cap_truncates_with_a_visible_notice(store_dir):
    app = create_app({"store": str(store_dir), "workers": 1, "max_rows": 3})
    client = app.test_client()
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    resp = client.get("/sparql?query=" + quote(q))
    body = _json(resp)
    assert len(body["results"]["bindings"]) == 3
    assert body["truncated"] is True and "3" in body["note"]
    assert resp.headers[TRUNCATED_HEADER] == "max_rows=3"
    assert TRUNCATED_HEADER in resp.headers["Access-Control-Expose-Headers"]
    as_csv = client.get("/sparql?query=" + quote(q), headers={"Accept": "text/csv"})
    assert len(as_csv.data.decode().strip().splitlines()) == 4 and as_csv.headers[TRUNCATED_HEADER]
    graph = client.get("/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }"), headers={"Accept": "application/n-triples"})
    assert len(graph.data.decode().strip().splitlines()) == 3 and graph.headers[TRUNCATED_HEADER]
    small = client.get("/sparql?query=" + quote(COUNT_REPORTS))
    assert TRUNCATED_HEADER not in small.headers and "truncated" not in _json(small)
    close_app(app)


def test_request_size_cap(store_dir):
    app = create_app({"store": str(store_dir), "workers": 1, "max_request_bytes": 2000})
    client = app.test_client()
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 3000
    assert client.post("/sparql", data=big.encode(), content_type="application/sparql-query").status_code == 413
    assert client.get("/sparql?query=" + quote(big)).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql?query=" + quote(COUNT_REPORTS)).status_code == 200
    close_app(app)


def test_admin_token_enables_authenticated_updates_only(tmp_path):
    store = build_store(tmp_path / "store", [(TEST_DATA / "linked_data.trig", None)])
    app = create_app({"store": str(store), "workers": 1, "admin_token": "s3cret"})
    client = app.test_client()
    update = "INSERT DATA { GRAPH <urn:g> { <http://x.example/a> <http://x.example/b> 1 } }"
    ask = "/sparql?query=" + quote("ASK { <http://x.example/a> ?p ?o }")
    assert client.post("/sparql", data={"update": update}).status_code == 401
    wrong = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert _json(client.get(ask))["boolean"] is False
    ok = client.post("/sparql", data=update.encode(), content_type="application/sparql-update",
                     headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert _json(client.get(ask))["boolean"] is True  # the query workers see the write
    close_app(app)
