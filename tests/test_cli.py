"""The `fiscalkg` command end to end on a real on-disk store: ingest, export,
query, re-ingest, and bad input that must leave the store exactly as it was."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import SAMPLE, run_cli

FKG = rdflib.Namespace("https://fiscalkg.org/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = run_cli("ingest", SAMPLE, "--store", store, check=True)
    assert "1 of 1 files ingested" in result.stdout
    return store


@pytest.fixture(scope="module")
def exported(ingested, tmp_path_factory) -> rdflib.Dataset:
    out = tmp_path_factory.mktemp("export") / "all.nq"
    run_cli("export", "--store", ingested, "--format", "nq", "-o", out, check=True)
    ds = rdflib.Dataset(default_union=True)
    ds.parse(out, format="nquads")
    return ds


def test_export_holds_every_cell_with_code_column_and_provenance(exported):
    from ingest import parse_report
    parsed = parse_report(SAMPLE)
    expected = [c for t in parsed.tables if t.key in {f"0{i}" for i in range(1, 8)} for c in t.cells]
    assert len(expected) > 150  # the reference report's tables 01–07 are not small
    g = exported
    cells = set(g.subjects(rdflib.RDF.type, FKG.TableCell))
    assert len(cells) >= len(expected)
    # Every cell has an amount, a column with a label, and an excerpt containing its printed value.
    for cell in cells:
        amount = g.value(cell, FKG.amount)
        assert amount is not None and amount.datatype == rdflib.XSD.decimal
        column = g.value(cell, FKG.column)
        assert g.value(column, rdflib.RDFS.label) is not None
        loc = g.value(cell, PROV.wasDerivedFrom)
        excerpt = str(g.value(loc, OA.exact))
        raw = str(g.value(cell, FKG.rawValue))
        assert raw in excerpt, (cell, raw, excerpt)
    # Coded rows carry the code as skos:notation and link the code concept with its label.
    coded = {str(g.value(g.value(c, FKG.row), SKOS.notation)) for c in cells if g.value(g.value(c, FKG.row), SKOS.notation)}
    assert {c.row.code for c in expected if c.row.code} <= coded


def test_export_holds_code_hierarchy_staffing_and_glossary(exported):
    g = exported
    concepts = set(g.subjects(rdflib.RDF.type, SKOS.Concept))
    with_parent = [c for c in concepts if g.value(c, SKOS.broader) is not None]
    assert concepts and with_parent
    for c in concepts:
        labels = list(g.objects(c, SKOS.prefLabel))
        assert labels and all(l.language == "zh" for l in labels)
    counts = {str(g.value(c, FKG.countKind)).rsplit("#", 1)[1]: int(g.value(c, FKG["count"]))
              for c in g.subjects(rdflib.RDF.type, FKG.ProfileCount)}
    assert counts.get("count_staff_quota") is not None and counts.get("count_staff_actual") is not None
    definitions = [d for e in g.subjects(rdflib.RDF.type, FKG.GlossaryEntry)
                   for d in g.objects(e, SKOS.definition)]
    assert len(definitions) >= 10


def test_reingest_gives_identical_graph(ingested, tmp_path):
    first = tmp_path / "first.nq"
    second = tmp_path / "second.nq"
    run_cli("export", "--store", ingested, "--format", "nq", "-o", first, check=True)
    run_cli("ingest", SAMPLE, "--store", ingested, check=True)
    run_cli("export", "--store", ingested, "--format", "nq", "-o", second, check=True)
    assert sorted(first.read_text().splitlines()) == sorted(second.read_text().splitlines())


def test_base_iri_is_configurable(tmp_path):
    store = tmp_path / "store"
    run_cli("ingest", SAMPLE, "--store", store, "--base-iri", "http://example.org/kg/", check=True)
    out = run_cli("query", "--store", store, "--format", "json",
                  "SELECT ?r WHERE { ?r a <https://fiscalkg.org/ontology#Report> }", check=True)
    bindings = json.loads(out.stdout)["results"]["bindings"]
    assert [b["r"]["value"].startswith("http://example.org/kg/id/report/") for b in bindings] == [True]


def test_store_location_from_environment(tmp_path):
    store = tmp_path / "env-store"
    run_cli("ingest", SAMPLE, env={"FISCALKG_STORE": str(store)}, check=True)
    assert store.is_dir() and any(store.iterdir())


def test_named_query_with_parameter(ingested):
    out = run_cli("query", "--store", ingested, "--format", "csv", "code-amounts",
                  "--param", "code=2013750", check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("report,")
    assert len(lines) > 3  # the code is stated in several tables


def test_query_syntax_error_is_a_clear_message(ingested):
    out = run_cli("query", "--store", ingested, "SELECT ?x WHERE { ?x ")
    assert out.returncode != 0
    assert "Error" in out.stderr


BAD_INPUTS = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 20,
    "not-a-report.txt": "这是一封普通的信。\n今天天气很好，我们去公园散步。\n".encode("utf-8") * 20,
    "latin1.txt": "Relat\xf3rio or\xe7ament\xe1rio de despesas p\xfablicas\n".encode("latin-1") * 50,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_store_unchanged(name, store_copy, tmp_path):
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name])
    before = tmp_path / "before.nq"
    after = tmp_path / "after.nq"
    run_cli("export", "--store", store_copy, "--format", "nq", "-o", before, check=True)
    result = run_cli("ingest", bad, "--store", store_copy)
    assert result.returncode != 0
    assert name in result.stderr  # the message names the file
    run_cli("export", "--store", store_copy, "--format", "nq", "-o", after, check=True)
    assert before.read_bytes() == after.read_bytes()


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    store = tmp_path / "store"
    result = run_cli("ingest", bad, SAMPLE, "--store", store)
    assert result.returncode == 1
    assert "1 of 2 files ingested" in result.stdout
    out = run_cli("query", "--store", store, "--format", "csv",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://fiscalkg.org/ontology#Report> }", check=True)
    assert out.stdout.splitlines()[1] == "1"


def test_a_failed_first_ingest_leaves_no_store_content(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    store = tmp_path / "store"
    assert run_cli("ingest", bad, "--store", store).returncode == 1
    out = run_cli("query", "--store", store, "--format", "csv",
                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", check=True)
    assert out.stdout.splitlines()[1] == "0"


def test_the_same_report_twice_in_one_run_is_ingested_once(tmp_path):
    copy = tmp_path / "copy-of-sample.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    store = tmp_path / "store"
    result = run_cli("ingest", SAMPLE, copy, "--store", store)
    assert result.returncode == 1
    assert "the same report as" in result.stderr and "copy-of-sample.txt" in result.stderr
