"""The ontology files: every term the mapping writes is defined and documented,
the alignments linked-data users rely on hold, the shapes are well-formed SHACL
that speaks of defined terms, and the JSON-LD context follows the ontology."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ingest import vocab

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
MAPPING = ROOT / "ingest" / "mapping"
FKG = rdflib.Namespace(vocab.FKG)
QB = rdflib.Namespace(vocab.QB)
SH = rdflib.Namespace(vocab.SH)
PROV = rdflib.Namespace(vocab.PROV)
OBEU_DIM = rdflib.Namespace(vocab.OBEU_DIM)
OBEU_MEASURE = rdflib.Namespace(vocab.OBEU_MEASURE)

TTL_FILES = sorted(ONTOLOGY.glob("*.ttl"))
SHAPES_FILES = [p for p in TTL_FILES if "shapes" in p.name]
VOCAB_FILES = [p for p in TTL_FILES if "shapes" not in p.name]


def _graph(paths) -> rdflib.Graph:
    g = rdflib.Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return _graph(VOCAB_FILES)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return _graph(SHAPES_FILES)


def _defined(g: rdflib.Graph) -> set[str]:
    """fkg: local names that the ontology gives a type."""
    return {str(s)[len(vocab.FKG):] for s in g.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(vocab.FKG)}


def mapping_terms(paths=None) -> set[str]:
    """Every complete "fkg:Name" string constant in ingest/mapping/*.py (the
    `"fkg:" + key` forms are covered by the vocab values below)."""
    names = set()
    for path in paths or sorted(MAPPING.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if value.startswith("fkg:") and value[4:].isidentifier() and not value.endswith("_"):
                    names.add(value[4:])
    return names


def vocab_terms() -> set[str]:
    names = set(vocab.TABLE_FAMILIES.values()) | set(vocab.FUND_SOURCES.values())
    names |= set(vocab.EXPENDITURE_TYPES.values()) | set(vocab.PHASES.values())
    names |= {local for local, _factor in vocab.UNITS.values()}
    names |= {"count_" + k for k in vocab.COUNT_KINDS}
    return names


def _langs(g: rdflib.Graph, s: URIRef, p) -> set[str | None]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_every_file_parses_with_rdflib_and_oxigraph():
    assert TTL_FILES, "ontology/*.ttl missing"
    for path in TTL_FILES:
        assert len(_graph([path])) > 0, path
        # the service loads them with pyoxigraph (service.ontology.ensure_ontology)
        assert list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)), path


def test_mapping_scan_finds_the_terms_the_mapping_writes():
    # Guard the scanner itself: if it found nothing, the next test would pass vacuously.
    found = mapping_terms()
    assert {"Report", "TableCell", "amount", "SourceLocation", "inReport"} <= found


def test_every_term_of_ingest_vocab_is_defined(onto):
    missing = sorted(vocab_terms() - _defined(onto))
    assert not missing, f"fkg: terms of ingest/vocab.py not defined in ontology/*.ttl: {missing}"


@pytest.mark.parametrize("module", sorted(p.name for p in MAPPING.glob("*.py")))
def test_every_term_the_mapping_writes_is_defined(onto, module):
    missing = sorted(mapping_terms([MAPPING / module]) - _defined(onto))
    assert not missing, f"fkg: terms written by ingest/mapping/{module} but not defined in ontology/*.ttl: {missing}"


def test_every_fkg_term_has_zh_and_en_label_and_definition(onto):
    problems = []
    for local in sorted(_defined(onto)):
        s = FKG[local]
        labels = _langs(onto, s, RDFS.label)
        if not {"zh", "en"} <= labels:
            problems.append(f"fkg:{local} labels {sorted(map(str, labels))}")
        if not list(onto.objects(s, SKOS.definition)):
            problems.append(f"fkg:{local} has no skos:definition")
    assert not problems, "\n".join(problems)


def test_count_kinds_are_labelled_as_vocab_names_them(onto):
    for key, label in vocab.COUNT_KINDS.items():
        s = FKG["count_" + key]
        assert (s, RDF.type, FKG.CountKind) in onto
        assert Literal(label, lang="zh") in set(onto.objects(s, RDFS.label)), key


@pytest.mark.parametrize("values, cls", [
    (vocab.FUND_SOURCES.values(), FKG.FundSource),
    (vocab.EXPENDITURE_TYPES.values(), FKG.ExpenditureType),
    (vocab.PHASES.values(), FKG.BudgetPhase),
    (vocab.TABLE_FAMILIES.values(), QB.DataStructureDefinition),
    ([u for u, _ in vocab.UNITS.values()], FKG.CurrencyUnit),
])
def test_controlled_values_are_individuals_of_their_class(onto, values, cls):
    for local in values:
        assert (FKG[local], RDF.type, cls) in onto, f"fkg:{local} is not a {cls}"


def test_unit_conversion_factors_match_the_mapping(onto):
    for local, factor in vocab.UNITS.values():
        stated = onto.value(FKG[local], FKG.conversionFactor)
        assert stated is not None and stated.datatype == XSD.decimal and stated.toPython() == factor, local


def test_alignments_to_reused_vocabularies(onto):
    sub = RDFS.subClassOf
    for child, parent in [(FKG.Report, PROV.Entity), (FKG.Report, rdflib.URIRef(vocab.DCAT + "Dataset")),
                          (FKG.Department, rdflib.URIRef(vocab.ORG + "Organization")),
                          (FKG.Table, QB.DataSet), (FKG.TableCell, QB.Observation),
                          (FKG.SourceLocation, rdflib.URIRef(vocab.OA + "TextQuoteSelector")),
                          (FKG.ClassificationCode, SKOS.Concept), (FKG.FunctionalClassificationCode, FKG.ClassificationCode),
                          (FKG.EconomicClassificationCode, FKG.ClassificationCode),
                          (FKG.FinalAccountsReport, FKG.Report), (FKG.BudgetReport, FKG.Report)]:
        assert (child, sub, parent) in onto, f"{child} ⊑ {parent}"
    sp = RDFS.subPropertyOf
    assert (FKG.amount, sp, OBEU_MEASURE.amount) in onto
    assert (FKG.budgetPhase, sp, OBEU_DIM.budgetPhase) in onto
    assert (FKG.functionalClassification, sp, OBEU_DIM.functionalClassification) in onto
    assert (FKG.economicClassification, sp, OBEU_DIM.economicClassification) in onto
    assert (FKG.amount, RDFS.range, XSD.decimal) in onto
    assert (FKG.fiscalYear, RDFS.range, XSD.integer) in onto
    assert (FKG["count"], RDFS.range, XSD.integer) in onto
    assert (FKG.amount, RDF.type, QB.MeasureProperty) in onto
    assert (FKG.unit, RDF.type, QB.AttributeProperty) in onto
    for dim in ("row", "column", "classification", "fundSource", "expenditureType", "budgetPhase",
                "fiscalYear", "department"):
        assert (FKG[dim], RDF.type, QB.DimensionProperty) in onto, dim


def test_every_table_family_structure_lists_all_cell_components(onto):
    needed = {FKG[d] for d in ("row", "column", "classification", "fundSource", "expenditureType",
                               "budgetPhase", "fiscalYear", "department", "amount", "unit")}
    for local in vocab.TABLE_FAMILIES.values():
        dsd = FKG[local]
        props = set()
        for spec in onto.objects(dsd, QB.component):
            for p in (QB.dimension, QB.measure, QB.attribute):
                props.update(onto.objects(spec, p))
        assert needed <= props, f"fkg:{local} lacks {sorted(needed - props)}"


def test_ontology_header(onto):
    header = URIRef("https://fiscalkg.org/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    for p in (rdflib.URIRef(vocab.DCT + "title"), rdflib.URIRef(vocab.DCT + "description"),
              rdflib.URIRef(vocab.DCT + "license")):
        assert onto.value(header, p) is not None, p


# --- shapes ----------------------------------------------------------------------

def test_shapes_are_valid_shacl(shapes):
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError
    try:
        # meta_shacl validates the shapes graph against SHACL-SHACL first
        validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    except ReportableRuntimeError as exc:  # pragma: no cover - message is the point
        pytest.fail(f"shapes are not valid SHACL: {exc}")


def test_shapes_only_speak_of_defined_terms(onto, shapes):
    defined = _defined(onto)
    used = set()
    for p in (SH.targetClass, SH["class"], SH.path, SH["in"]):
        for o in shapes.objects(None, p):
            used.add(o)
    for lst in shapes.objects(None, SH["in"]):
        used.update(rdflib.collection.Collection(shapes, lst))
    unknown = sorted(str(t) for t in used
                     if isinstance(t, URIRef) and str(t).startswith(vocab.FKG) and str(t)[len(vocab.FKG):] not in defined)
    assert not unknown, f"shapes use undefined fkg: terms: {unknown}"


def test_core_classes_have_shapes(shapes):
    targets = set(shapes.objects(None, SH.targetClass))
    for cls in ("Report", "TableCell", "Table", "SourceLocation", "FunctionalClassificationCode",
                "EconomicClassificationCode", "GlossaryEntry", "Duty", "ProfileCount"):
        assert FKG[cls] in targets, cls


# --- JSON-LD context -----------------------------------------------------------------

@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))


def test_context_maps_the_prefixes(context):
    ctx = context["@context"]
    assert ctx["fkg"] == vocab.FKG
    for prefix, ns in vocab.PREFIXES.items():
        assert ctx[prefix] == ns, prefix


def test_context_covers_every_class_and_property(onto, context):
    ctx = context["@context"]
    missing = []
    for s in set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
            | set(onto.subjects(RDF.type, OWL.DatatypeProperty)):
        if str(s).startswith(vocab.FKG):
            local = str(s)[len(vocab.FKG):]
            term = ctx.get(local)
            iri = term["@id"] if isinstance(term, dict) else term
            if iri != "fkg:" + local:
                missing.append(local)
    assert not missing, f"context.jsonld lags the ontology (run scripts/build_context.py): {sorted(missing)}"


def test_context_types_values_as_the_graph_does(context):
    """A JSON-LD document written with the context gives the triples the mapping writes."""
    doc = {
        "@context": context["@context"],
        "@id": "https://data.example.org/id/report/r/table/03/cell/r0c0",
        "type": ["TableCell", "Observation"],
        "amount": "1234.56",
        "fiscalYear": 2021,
        "department": "https://data.example.org/id/org/x",
        "budgetPhase": "fkg:FinalAccounts",
        "label": "合计",
    }
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    cell = URIRef(doc["@id"])
    assert (cell, RDF.type, FKG.TableCell) in g
    assert (cell, FKG.amount, Literal("1234.56", datatype=XSD.decimal)) in g
    assert (cell, FKG.fiscalYear, Literal(2021, datatype=XSD.integer)) in g
    assert (cell, FKG.department, URIRef("https://data.example.org/id/org/x")) in g
    assert (cell, FKG.budgetPhase, FKG.FinalAccounts) in g
    assert (cell, RDFS.label, Literal("合计", lang="zh")) in g
