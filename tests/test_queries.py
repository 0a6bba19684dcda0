"""Named queries (queries/*.rq) and their parameters, and the CLI's result
rendering: what `fiscalkg query NAME --param x=y --format F` relies on."""
from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest

from service.queries import QUERIES_DIR, bind_params, find_query, list_queries, load_query_text, render_results

DATA = """
<http://ex.org/a> <http://ex.org/amount> 10.5 ; <http://ex.org/label> "甲,乙"@zh .
<http://ex.org/b> <http://ex.org/amount> 10.5 .
<http://ex.org/c> <http://ex.org/amount> 3 .
"""


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return s


def test_every_named_query_has_a_title_and_description_and_parses():
    queries = list_queries()
    assert queries, f"no named queries in {QUERIES_DIR}"
    for nq in queries + list_queries(QUERIES_DIR / "service") + list_queries(QUERIES_DIR / "ui"):
        assert nq.title and nq.description, nq.path
        zh, _, en = nq.title.partition(" / ")
        assert re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[A-Za-z]", en), f"{nq.path}: title is 'zh / en'"
        assert set(nq.param_types) == set(nq.params), f"{nq.path}: every '# param: NAME TYPE' has a type"
        text = bind_params(nq.text, {p: "1" for p in nq.params})
        ox.Store().query(text)  # raises SyntaxError on a malformed query


def test_param_binds_inside_the_where_group_so_aggregates_see_it(store):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://ex.org/amount> ?amount }"
    rows = list(store.query(load_query_text(q, {"amount": "10.5"})))
    assert rows[0]["n"].value == "2"  # not 3 × 1 as a trailing VALUES after grouping would give
    rows = list(store.query(load_query_text("SELECT ?s WHERE { ?s ?p ?v }", {"v": "<http://ex.org/x>"})))
    assert rows == []
    s = list(store.query(load_query_text("SELECT ?s WHERE { ?s <http://ex.org/label> ?l }", {"l": '"甲,乙"@zh'})))
    assert [r["s"].value for r in s] == ["http://ex.org/a"]


def test_param_values_are_escaped_and_names_checked():
    text = bind_params("ASK { ?s ?p ?v }", {"v": 'say "hi" }'})
    assert 'VALUES (?v) { ("say \\"hi\\" }") }' in text
    with pytest.raises(ValueError):
        bind_params("ASK { ?s ?p ?v }", {"v} . ?x": "1"})


def test_named_query_lookup(tmp_path):
    assert find_query("../etc/passwd") is None
    assert load_query_text("service/resource-exists", {"iri": "https://x.org/a"}).count("VALUES") == 1
    rq = tmp_path / "q.rq"
    rq.write_text("ASK {}", encoding="utf-8")
    assert load_query_text(str(rq)) == "ASK {}"
    with pytest.raises(FileNotFoundError):
        load_query_text(str(tmp_path / "missing.rq"))


def test_render_results_in_each_cli_format(store):
    q = "SELECT ?s ?l WHERE { ?s <http://ex.org/amount> 10.5 OPTIONAL { ?s <http://ex.org/label> ?l } } ORDER BY ?s"
    table = render_results(store.query(q), "table")
    lines = table.splitlines()
    assert lines[0].split("|")[0].strip() == "s" and lines[-1] == "(2 rows)"
    assert "甲,乙" in lines[2]
    data = json.loads(render_results(store.query(q), "json"))
    assert data["results"]["bindings"][0]["l"] == {"type": "literal", "value": "甲,乙", "xml:lang": "zh"}
    rows = list(csv.reader(io.StringIO(render_results(store.query(q), "csv"))))
    assert rows == [["s", "l"], ["http://ex.org/a", "甲,乙"], ["http://ex.org/b", ""]]
    tsv = render_results(store.query(q), "tsv").splitlines()
    assert tsv[1] == '<http://ex.org/a>\t"甲,乙"@zh'
    assert render_results(store.query("ASK { ?s ?p 3 }"), "table") == "true\n"


def test_declared_param_types_make_the_right_terms(tmp_path):
    from service.queries import parse_query_file
    rq = tmp_path / "typed.rq"
    rq.write_text("# title: t\n# description: d\n# param: code string\n# param: amount decimal\n"
                  "SELECT ?s WHERE { ?s <http://ex.org/code> ?code ; <http://ex.org/amount> ?amount }\n",
                  encoding="utf-8")
    nq = parse_query_file(rq)
    assert nq.param_types == {"code": "string", "amount": "decimal"}
    store = ox.Store()
    store.load(b'<http://ex.org/a> <http://ex.org/code> "201" ; <http://ex.org/amount> "3.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
               ox.RdfFormat.TURTLE)
    text = bind_params(nq.text, {"code": "201", "amount": "3"}, nq.param_types)
    assert [r["s"].value for r in store.query(text)] == ["http://ex.org/a"]  # digits stay a string; 3 -> 3.0
    with pytest.raises(ValueError):
        bind_params(nq.text, {"amount": "three"}, nq.param_types)


def test_readme_lists_every_named_query():
    readme = (QUERIES_DIR.parent / "README.md").read_text(encoding="utf-8")
    missing = [nq.name for nq in list_queries() if f"| `{nq.name}` |" not in readme]
    assert not missing, f"named queries missing from the README's table: {missing}"
