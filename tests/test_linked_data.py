"""Linked data as a browser or an RDF client sees it: every minted IRI resolves
by its path (HTML, Turtle, JSON-LD, N-Triples, suffix twins), unknown IRIs are
404, pages show labels (@zh first), inbound links and provenance excerpts,
escape what the data says; the dataset is described in VoID/DCAT and dumped.
Fixture store: tests/data/linked_data.trig; plus the real reference report."""
from __future__ import annotations

from urllib.parse import quote

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace, URIRef

from live_server import TEST_DATA, build_store
from service.app import close_app, create_app

BASE = "https://data.fiscalkg.org/"
ROW = BASE + "id/report/r1/table/03/row/5"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FKG = Namespace("https://fiscalkg.org/ontology#")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("ld") / "store", [(TEST_DATA / "linked_data.trig", None)])
    app = create_app({"store": str(store), "workers": 2})
    yield app.test_client()
    close_app(app)


def test_browser_page_shows_labels_values_and_provenance(client):
    resp = client.get("/id/report/r1/table/03/row/5", headers=HTML)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "<h1>一般公共服务支出</h1>" in html
    assert "123.45" in html and "xsd:decimal" in html
    # object labels: the code's zh label, linked by its path on this service
    assert '<a href="/id/codelist/functional/2020/201">一般公共服务支出</a>' in html
    # property labels from the ontology graph, zh preferred over en
    assert ">金额</a>" in html and ">amount</a>" not in html
    # provenance: the excerpt, page and line span of the source location
    assert "201\t一般公共服务支出\t123.45" in html
    assert "第 7 页" in html and "第 120–121 行" in html
    assert 'href="/id/report/r1"' in html


def test_inbound_links_are_listed_with_labels(client):
    html = client.get("/id/report/r1/source/L120", headers=HTML).get_data(as_text=True)
    assert "指向此资源的链接" in html
    assert '<a href="/id/report/r1/table/03/row/5">一般公共服务支出</a>' in html
    assert ">prov:wasDerivedFrom</a>" in html


def test_entity_kinds_with_a_ui_page_still_resolve(client):
    """Organisations, codes, reports get the UI's richer page as their HTML view; RDF is ours."""
    for path in ("/id/org/o1", "/id/codelist/functional/2020/201", "/id/report/r1"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200 and page.mimetype == "text/html", path
        assert client.get(path + ".ttl").mimetype == "text/turtle"
    assert "某某区测试局" in client.get("/id/org/o1", headers=HTML).get_data(as_text=True)


def test_data_is_escaped_and_unsafe_links_are_not_made(client):
    html = client.get("/id/report/r1/note/evil", headers=HTML).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;有限公司" in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html


@pytest.mark.parametrize("accept,ctype,fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    (None, "text/turtle", "turtle"),
])
def test_rdf_by_content_negotiation(client, accept, ctype, fmt):
    resp = client.get("/id/report/r1/table/03/row/5", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200 and resp.mimetype == ctype
    g = rdflib.Graph().parse(data=resp.data, format=fmt)
    row = URIRef(ROW)
    assert g.value(row, FKG.amount) == rdflib.Literal("123.45", datatype=rdflib.XSD.decimal)
    loc = g.value(row, PROV.wasDerivedFrom)
    assert str(g.value(loc, OA.exact)) == "201\t一般公共服务支出\t123.45"  # the excerpt travels with the fact


@pytest.mark.parametrize("suffix,ctype,fmt", [("ttl", "text/turtle", "turtle"),
                                              ("jsonld", "application/ld+json", "json-ld"),
                                              ("nt", "application/n-triples", "nt")])
def test_suffix_twins(client, suffix, ctype, fmt):
    resp = client.get(f"/id/org/o1.{suffix}", headers=HTML)  # the suffix wins over Accept
    assert resp.status_code == 200 and resp.mimetype == ctype
    g = rdflib.Graph().parse(data=resp.data, format=fmt)
    assert g.value(URIRef(BASE + "id/org/o1"), RDFS.label) == rdflib.Literal("某某区测试局", lang="zh")


def test_unknown_iris_are_404(client):
    assert client.get("/id/org/does-not-exist").status_code == 404
    assert client.get("/id/org/does-not-exist.ttl").status_code == 404
    page = client.get("/id/org/does-not-exist", headers=HTML)
    assert page.status_code == 404 and "未找到" in page.get_data(as_text=True)
    assert client.get("/graph/report/none").status_code == 404
    # paths no IRI can have (a space, a quote, braces) are not in the dataset either
    for path in ("/id/org/a%20b", "/id/org/%22x%22", "/id/org/%7Bx%7D.ttl"):
        assert client.get(path).status_code == 404, path


def test_graph_iris_resolve_to_their_content(client):
    resp = client.get("/graph/codelists", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    g = rdflib.Graph().parse(data=resp.data, format="nt")
    assert len(g) == 4 and (URIRef(BASE + "id/codelist/functional/2020/201"), RDF.type, None) in g
    html = client.get("/graph/codelists", headers=HTML).get_data(as_text=True)
    assert "含 4 个三元组" in html


def test_writes_to_resources_are_refused(client):
    assert client.put("/id/org/o1", data=b"<a> <b> <c> .", content_type="text/turtle").status_code == 405
    assert client.delete("/graph/codelists").status_code == 405
    assert client.post("/graph/codelists", data=b"<a> <b> <c> .", content_type="text/turtle").status_code == 405


def test_dataset_description_in_void_and_dcat(client):
    for path in ("/id/dataset", "/.well-known/void", "/id/dataset.ttl"):
        resp = client.get(path, headers={"Accept": "text/turtle"})
        assert resp.status_code == 200 and resp.mimetype == "text/turtle", path
    g = rdflib.Graph().parse(data=client.get("/id/dataset.ttl").data, format="turtle")
    ds = URIRef(BASE + "id/dataset")
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    assert g.value(ds, VOID.triples).toPython() == 30  # 22 + 4 + 4 triples in the three graphs
    assert g.value(URIRef(BASE + "graph/report/r1"), VOID.triples).toPython() == 22
    assert set(g.objects(ds, DCT.source)) == {URIRef(BASE + "id/report/r1")}
    assert g.value(ds, DCT.license) is not None
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    dumps = set(map(str, g.objects(ds, VOID.dataDump)))
    assert {BASE + "dumps/all.nq", BASE + "dumps/all.ttl"} <= dumps
    html = client.get("/id/dataset", headers=HTML).get_data(as_text=True)
    assert "财政预决算知识图谱" in html


def test_dumps_hold_every_quad(client):
    nq = client.get("/dumps/all.nq")
    assert nq.status_code == 200 and nq.mimetype == "application/n-quads"
    ds = rdflib.Dataset()
    ds.parse(data=nq.data, format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == 30
    ttl = client.get("/dumps/all.ttl")
    assert len(rdflib.Graph().parse(data=ttl.data, format="turtle")) == 30
    assert client.get("/dumps/secret.db").status_code == 404


def test_every_iri_of_the_reference_report_resolves(sample_store_dir):
    """All subjects minted under the base in the real report's store resolve on the service."""
    app = create_app({"store": str(sample_store_dir), "workers": 2})
    client = app.test_client()
    q = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}")) }}'
    csv = client.get("/sparql?query=" + quote(q), headers={"Accept": "text/csv"}).get_data(as_text=True)
    iris = csv.split()[1:]
    assert len(iris) > 500
    for i, iri in enumerate(iris):
        path = "/" + iri[len(BASE):]
        resp = client.get(path, headers={"Accept": "text/turtle"})
        assert resp.status_code == 200 and resp.mimetype == "text/turtle", iri
        if i % 10 == 0:  # parsing every answer would double the test's time; a spread sample is parsed
            assert (URIRef(iri), None, None) in rdflib.Graph().parse(data=resp.data, format="turtle")
        page = client.get(path, headers=HTML)
        assert page.status_code == 200 and page.mimetype == "text/html", iri
    cell_q = ("PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX fkg: <https://fiscalkg.org/ontology#> "
              "SELECT ?c WHERE { ?c a fkg:TableCell ; prov:wasDerivedFrom ?l } LIMIT 1")
    cell = client.get("/sparql?query=" + quote(cell_q), headers={"Accept": "text/csv"}).get_data(as_text=True).split()[1]
    html = client.get("/" + cell[len(BASE):], headers=HTML).get_data(as_text=True)
    assert "出处" in html and '<blockquote class="excerpt">' in html
    close_app(app)
