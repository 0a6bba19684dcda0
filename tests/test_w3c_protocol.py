"""The W3C SPARQL 1.1 Protocol tests (tests/w3c/sparql11/protocol) against the live
endpoint: a real waitress server over a real on-disk store. Each test's HTTP
requests are sent verbatim (method, headers, body; no Content-Type added where
the test has none); status class, result format and ASK answers are checked.
The endpoint is read-only, so the positive update tests are not applicable:
they are skipped, after checking that the update itself is refused with a 4xx.
"""
from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace

from live_server import build_store, http, live_server

PROTOCOL = Path(__file__).resolve().parent / "w3c" / "sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def _manifest() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(PROTOCOL / "manifest.ttl", format="turtle", publicID=(PROTOCOL / "manifest.ttl").as_uri())
    return g


MANIFEST = _manifest()
ENTRIES = list(rdflib.collection.Collection(
    MANIFEST, MANIFEST.value(rdflib.URIRef((PROTOCOL / "manifest.ttl").as_uri()), MF.entries)))


def _name(test) -> str:
    return str(test).rsplit("#", 1)[-1]


def _requests(test) -> list[dict]:
    g = MANIFEST
    action = g.value(test, MF.action)
    out = []
    for req in rdflib.collection.Collection(g, g.value(action, HT.requests)):
        headers = {}
        hlist = g.value(req, HT.headers)
        if hlist is not None:
            for h in rdflib.collection.Collection(g, hlist):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body_node = g.value(req, HT.body)
        body = None
        if body_node is not None:
            encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(g.value(body_node, CNT.chars)).encode(encoding)
        resp = g.value(req, HT.resp)
        out.append({
            "method": str(g.value(req, HT.methodName)),
            "path": str(g.value(req, HT.absolutePath)),
            "headers": headers, "body": body,
            "status": {str(s).rsplit("#", 1)[-1] for s in g.objects(resp, MF.expectedStatus)},
            "format": str(g.value(resp, MF.expectedFormat) or ""),
            "boolean": g.value(resp, MF.expectedBoolean),
        })
    return out


def _is_update_test(test) -> bool:
    return any(r["headers"].get("content-type", "").startswith("application/sparql-update")
               or (r["body"] or b"").startswith(b"update=") for r in _requests(test))


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """The protocol tests' graphs, each loaded under the IRI its label gives."""
    files = {}
    for test in ENTRIES:
        for gd in MANIFEST.objects(test, UT.graphData):
            files[str(MANIFEST.value(gd, RDFS.label))] = Path(str(MANIFEST.value(gd, UT.graph))[len("file://"):])
    store = build_store(tmp_path_factory.mktemp("w3c-protocol") / "store",
                        [(path, graph) for graph, path in sorted(files.items())])
    with live_server(store, workers=2, timeout=10) as url:
        yield url + "/sparql"


def _check_format(fmt: str, content_type: str, body: bytes, expected_boolean) -> None:
    ctype = content_type.split(";")[0].strip()
    if fmt in ("boolean", "tabular"):
        assert ctype in ("application/sparql-results+json", "application/sparql-results+xml",
                         "text/csv", "text/tab-separated-values"), ctype
        if fmt == "boolean":
            if ctype.endswith("json"):
                value = json.loads(body)["boolean"]
            else:
                node = ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
                value = node.text == "true"
            if expected_boolean is not None:
                assert value == expected_boolean.toPython()
    elif fmt == "RDF":
        formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                   "application/ld+json": "json-ld"}
        assert ctype in formats, ctype
        rdflib.Graph().parse(data=body, format=formats[ctype])


@pytest.mark.parametrize("test", ENTRIES, ids=_name)
def test_protocol(endpoint, test):
    positive_update = _is_update_test(test) and not _name(test).startswith("bad_")
    for i, req in enumerate(_requests(test)):
        url = endpoint + req["path"][len("/sparql/"):]
        status, headers, body = http(req["method"], url, req["body"], req["headers"])
        if positive_update and i == 0:
            assert 400 <= status < 500, f"a read-only endpoint must refuse the update, got {status}"
            pytest.skip("not applicable: the endpoint is read-only (the update was refused with "
                        f"{status}); positive update tests need a writable endpoint")
        classes = {f"StatusCode{status // 100}xx"}
        assert classes & req["status"], f"{req['method']} {req['path']}: status {status}: {body[:300]!r}"
        if status < 300 and req["format"]:
            _check_format(req["format"], headers.get("content-type", ""), body, req["boolean"])
