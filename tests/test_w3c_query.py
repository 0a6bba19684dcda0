"""The W3C SPARQL 1.1 query tests (tests/w3c/sparql11/manifest-sparql11-query.ttl)
sent over HTTP to the live endpoint (real waitress server, real on-disk store).

Every data file of the suite is loaded once into its own named graph (named by
its file URI); each test then states its dataset through the protocol
(default-graph-uri = its qt:data files, named-graph-uri = its qt:graphData
files), which gives each test exactly its own data, as a fresh store would,
without restarting the server 230 times. Queries with FROM keep their own
dataset. Each query is sent with `BASE <its file URI>` so relative IRIs resolve
as in the suite. Results are compared as multisets with blank nodes matched up
to renaming; graphs by isomorphism. Syntax tests: positive ones must not be
rejected, negative ones must get a 400.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
import rdflib
from rdflib import RDF, BNode, Literal, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.query import Result

from live_server import build_store, http, live_server

SUITE = Path(__file__).resolve().parent / "w3c" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
EMPTY_GRAPH = "urn:x-fiscalkg-test:empty"

# Genuine limitations of the engine (pyoxigraph 0.5), each checked directly on pyoxigraph.Store
# without the endpoint in between.
KNOWN_FAILURES: dict[str, str] = {
    "functions/bnode01": "pyoxigraph: BNODE(str) returns the same blank node in different solutions "
                         "(the spec wants a fresh one per solution)",
    "negation/graph-minus": "pyoxigraph: MINUS inside GRAPH ?g treats ?g as shared by both sides, so "
                            "the sides are wrongly compatible and the solution is removed",
    "aggregates/agg-groupconcat-04": "pyoxigraph: GROUP_CONCAT of literals sharing a language tag keeps "
                                     "the tag (SPARQL 1.2 behaviour), so the SPARQL 1.1 FILTER compares false",
    "aggregates/agg-groupconcat-06": "pyoxigraph: GROUP_CONCAT keeps a shared language tag (as above)",
    "aggregates/agg-empty-group-count-graph": "pyoxigraph: an aggregate sub-SELECT inside GRAPH ?g gives one "
                                              "row without ?g instead of one row per named graph",
    "bindings/graph": "pyoxigraph: VALUES inside GRAPH ?g binding ?g itself is not joined with each graph "
                      "name (rows lack ?g or miss graphs)",
    **{f"property-path/{name}": "pyoxigraph: a zero-length path with a constant end absent from the "
                                "data yields no solution (recent errata test)"
       for name in ("zero_or_more_set_start", "zero_or_more_set_end",
                    "zero_or_one_set_start", "zero_or_one_set_end")},
}


def _path(uri) -> Path:
    return Path(str(uri)[len("file://"):])


def _collect_tests() -> list[dict]:
    tests = []
    top = rdflib.Graph().parse(SUITE / "manifest-sparql11-query.ttl", publicID=(SUITE / "manifest-sparql11-query.ttl").as_uri())
    for include in Collection(top, next(top.objects(None, MF.include))):
        path = _path(include)
        g = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
        section = path.parent.name
        for test in Collection(g, g.value(rdflib.URIRef(path.as_uri()), MF.entries)):
            kind = str(g.value(test, rdflib.RDF.type)).rsplit("#", 1)[-1]
            action = g.value(test, MF.action)
            entry = {"id": f"{section}/{str(test).rsplit('#', 1)[-1]}", "kind": kind}
            if kind == "QueryEvaluationTest":
                entry.update(query=_path(g.value(action, QT.query)),
                             data=[_path(d) for d in g.objects(action, QT.data)],
                             graph_data=[_path(d) for d in g.objects(action, QT.graphData)],
                             result=_path(g.value(test, MF.result)))
            elif kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
                entry.update(query=_path(action))
            else:
                continue
            tests.append(entry)
    return tests


TESTS = _collect_tests()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    files = sorted({p for t in TESTS for p in t.get("data", []) + t.get("graph_data", [])})
    store = build_store(tmp_path_factory.mktemp("w3c-query") / "store", [(p, p.as_uri()) for p in files])
    with live_server(store, workers=2, timeout=20, max_rows=100000) as url:
        yield url + "/sparql"


def _send(endpoint: str, test: dict, accept: str):
    text = test["query"].read_text(encoding="utf-8")
    query = f"BASE <{test['query'].as_uri()}>\n{text}"
    params = []
    if test["kind"] == "QueryEvaluationTest" and not re.search(r"\bFROM\b", text, re.I):
        params += [("default-graph-uri", p.as_uri()) for p in test["data"]] or [("default-graph-uri", EMPTY_GRAPH)]
        params += [("named-graph-uri", p.as_uri()) for p in test["graph_data"]]
    url = endpoint + ("?" + urlencode(params) if params else "")
    return http("POST", url, query.encode("utf-8"), {"Content-Type": "application/sparql-query", "Accept": accept})


NUMERIC = {rdflib.XSD.integer, rdflib.XSD.decimal, rdflib.XSD.double, rdflib.XSD.float}


def _value(term):
    """Numbers compare by value ("1.0"^^xsd:decimal is "1"^^xsd:decimal); other terms as they are."""
    if isinstance(term, Literal) and term.datatype in NUMERIC and term.value is not None:
        return (term.datatype, term.value)
    return term


def _rows(result: Result) -> list[dict]:
    return [{str(v): _value(row[i]) for i, v in enumerate(result.vars) if row[i] is not None} for row in result]


def _same_multiset(actual: list[dict], expected: list[dict]) -> bool:
    """Multiset equality of solutions, blank nodes equal up to a consistent renaming."""
    if len(actual) != len(expected):
        return False
    has_bnode = any(isinstance(v, BNode) for row in actual + expected for v in row.values())
    freeze = lambda row: frozenset(row.items())  # noqa: E731
    if not has_bnode:
        return Counter(map(freeze, actual)) == Counter(map(freeze, expected))

    def extend(mapping, a_row, e_row):
        if a_row.keys() != e_row.keys():
            return None
        m = dict(mapping)
        used = set(m.values())
        for k, a in a_row.items():
            e = e_row[k]
            if isinstance(a, BNode) and isinstance(e, BNode):
                if a in m:
                    if m[a] != e:
                        return None
                elif e in used:
                    return None
                else:
                    m[a] = e
                    used.add(e)
            elif a != e:
                return None
        return m

    def search(i, mapping, free):
        if i == len(actual):
            return True
        for j in list(free):
            m = extend(mapping, actual[i], expected[j])
            if m is not None and search(i + 1, m, free - {j}):
                return True
        return False

    return search(0, {}, frozenset(range(len(expected))))


def _expected(test: dict):
    path = test["result"]
    if path.suffix in (".srx", ".srj"):
        with open(path, "rb") as f:
            return Result.parse(f, format="xml" if path.suffix == ".srx" else "json")
    graph = rdflib.Graph().parse(path, format="turtle" if path.suffix == ".ttl" else "xml", publicID=path.as_uri())
    result_set = graph.value(None, RDF.type, RS.ResultSet)
    return graph if result_set is None else _result_from_rdf(graph, result_set)


def _result_from_rdf(graph: rdflib.Graph, rs) -> Result:
    """A result set written in the DAWG result-set vocabulary (rs:) as an rdflib Result."""
    boolean = graph.value(rs, RS.boolean)
    if boolean is not None:
        result = Result("ASK")
        result.askAnswer = boolean.toPython()
        return result
    result = Result("SELECT")
    result.vars = [rdflib.Variable(str(v)) for v in graph.objects(rs, RS.resultVariable)]
    result.bindings = [{rdflib.Variable(str(graph.value(b, RS.variable))): graph.value(b, RS.value)
                        for b in graph.objects(sol, RS.binding)} for sol in graph.objects(rs, RS.solution)]
    return result


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS])
def test_w3c_query(endpoint, test):
    if test["id"] in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[test["id"]])
    if test["kind"] != "QueryEvaluationTest":
        status, _, body = _send(endpoint, test, "application/sparql-results+json, application/n-triples")
        if test["kind"] == "PositiveSyntaxTest11":
            assert status != 400, body[:400]  # parsed; evaluation may still fail (custom functions)
        else:
            assert status == 400, f"a malformed query was accepted: {status}"
        return
    status, headers, body = _send(endpoint, test, "application/sparql-results+json, application/n-triples")
    assert status == 200, body[:400]
    expected = _expected(test)
    ctype = headers["content-type"].split(";")[0]
    if isinstance(expected, rdflib.Graph):
        assert ctype == "application/n-triples"
        actual = rdflib.Graph().parse(data=body, format="nt")
        assert isomorphic(actual, expected), body.decode()[:1500]
        return
    assert ctype == "application/sparql-results+json"
    actual = Result.parse(io.BytesIO(body), format="json")
    if expected.type == "ASK":
        assert actual.askAnswer == expected.askAnswer
        return
    assert {str(v) for v in actual.vars} >= {str(v) for v in expected.vars}
    a_rows, e_rows = _rows(actual), _rows(expected)
    assert _same_multiset(a_rows, e_rows), f"got {a_rows[:20]}\nexpected {e_rows[:20]}"
