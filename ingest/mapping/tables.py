"""Tables → RDF Data Cube: one qb:DataSet per table, one qb:Observation per
non-empty cell, with its dimensions (row, column, classification code, fund
source, expenditure type, budget phase, year, department), the amount as
measure, and provenance to the printed line. Codes go to the shared code-list
graph as SKOS concepts, one scheme per classification and year."""
from __future__ import annotations

from ..rdf import curie, dec, integer, iri, lit, zh
from ..records import FINAL, Column, Row, Table
from ..vocab import EXPENDITURE_TYPES, FUND_SOURCES, MEASURE_KINDS, PHASES, TABLE_FAMILIES, THREE_PUBLIC_ITEMS
from .common import MapContext, cell_iri, column_iri, row_iri, table_iri

SCHEME_LABELS = {"functional": "支出功能分类科目", "economic": "支出经济分类科目"}
# Functional codes nest by length 3 → 5 → 7; economic codes 3 → 5.
CODE_LEVELS = {"functional": {3: "fkg:CodeClass", 5: "fkg:CodeSection", 7: "fkg:CodeItem"},
               "economic": {3: "fkg:CodeClass", 5: "fkg:CodeSection"}}


def map_tables(ctx: MapContext) -> None:
    labels: dict[tuple[str, str], str] = {}
    for table in ctx.parsed.tables:
        _map_table(ctx, table, labels)
    for (scheme, code), label in sorted(labels.items()):
        _map_code(ctx, scheme, code, label)


def _map_table(ctx: MapContext, table: Table, labels: dict[tuple[str, str], str]) -> None:
    t = ctx.triples
    tab = table_iri(ctx, table.key)
    t.add(tab, "rdf:type", curie("fkg:Table"))
    t.add(tab, "rdf:type", curie("qb:DataSet"))
    t.add(tab, "qb:structure", curie("fkg:" + TABLE_FAMILIES.get(table.family, "OtherTable")))
    t.add(tab, "fkg:tableFamily", curie("fkg:" + TABLE_FAMILIES.get(table.family, "OtherTable")))
    t.add(tab, "fkg:inReport", iri(ctx.report_iri))
    t.add(tab, "fkg:tableKey", lit(table.key))
    ctx.label(tab, table.title)
    if table.number:
        t.add(tab, "skos:notation", lit(table.number))
    t.add(tab, "fkg:unit", curie("fkg:" + _unit_local(table.unit)))
    t.add(tab, "fkg:cellCount", integer(len(table.cells)))
    if table.empty_note:
        t.add(tab, "fkg:emptyNote", zh(table.empty_note))
        if table.empty_note_span:
            note = ctx.local("table", table.key, "empty-note")
            t.add(tab, "fkg:emptyNoteStatement", iri(note))
            t.add(note, "rdf:type", curie("fkg:Statement"))
            t.add(note, "fkg:text", zh(table.empty_note))
            ctx.source(note, table.empty_note_span)
    ctx.source(tab, table.span, table=table.key)

    for column in table.columns:
        _map_column(ctx, table, column)
    for row in table.rows:
        _map_row(ctx, table, row)
        if row.code and row.scheme:
            labels.setdefault((row.scheme, row.code), row.label)

    default_phase = PHASES["final"] if ctx.parsed.meta.kind == FINAL else PHASES["budget"]
    for cell in table.cells:
        obs = cell_iri(ctx, table.key, cell.row.index, cell.column.index)
        amount = cell.column.measure == "amount"
        t.add(obs, "rdf:type", curie("qb:Observation"))
        # A percentage or a difference is no amount: not a fkg:TableCell, never fkg:amount,
        # so that sums over amount cells cannot take it in.
        t.add(obs, "rdf:type", curie("fkg:TableCell" if amount else "fkg:ComparisonCell"))
        t.add(obs, "qb:dataSet", iri(tab))
        t.add(obs, "fkg:row", iri(row_iri(ctx, table.key, cell.row.index)))
        t.add(obs, "fkg:column", iri(column_iri(ctx, table.key, cell.column.index)))
        if cell.row.code and cell.row.scheme:
            t.add(obs, "fkg:classification", iri(ctx.minter.code(cell.row.scheme, ctx.year, cell.row.code)))
        fund = cell.row.fund_source or cell.column.fund_source   # a row naming its source is the narrower
        if fund:
            t.add(obs, "fkg:fundSource", curie("fkg:" + FUND_SOURCES[fund]))
        etype = cell.column.expenditure_type
        if etype:
            t.add(obs, "fkg:expenditureType", curie("fkg:" + EXPENDITURE_TYPES[etype]))
        if cell.column.item:
            t.add(obs, "fkg:threePublicItem", curie("fkg:" + THREE_PUBLIC_ITEMS[cell.column.item]))
        t.add(obs, "fkg:fiscalYear", integer(cell.column.year or ctx.year))
        t.add(obs, "fkg:department", iri(ctx.department_iri))
        t.add(obs, "fkg:rawValue", lit(cell.raw))
        if amount:
            phase = PHASES[cell.column.phase] if cell.column.phase else default_phase
            t.add(obs, "fkg:budgetPhase", curie("fkg:" + phase))
            ctx.amount(obs, cell.amount, table.unit)
        elif cell.column.measure == "ratio":
            t.add(obs, "fkg:measureKind", curie("fkg:" + MEASURE_KINDS["ratio"]))
            t.add(obs, "fkg:percentage", dec(cell.amount))
        else:
            t.add(obs, "fkg:measureKind", curie("fkg:" + MEASURE_KINDS["change"]))
            ctx.amount(obs, cell.amount, table.unit, prop="fkg:changeAmount")
        ctx.source(obs, cell.span, table=table.key, row=cell.row.index, column=cell.column.index)


def _unit_local(unit: str) -> str:
    from ..vocab import UNITS
    return UNITS.get(unit, UNITS["万元"])[0]


def _map_column(ctx: MapContext, table: Table, column: Column) -> None:
    t = ctx.triples
    c = column_iri(ctx, table.key, column.index)
    t.add(c, "rdf:type", curie("fkg:TableColumn"))
    t.add(c, "fkg:inTable", iri(table_iri(ctx, table.key)))
    t.add(c, "fkg:ordinal", integer(column.index))
    ctx.label(c, column.label)
    if column.number:
        t.add(c, "fkg:columnNumber", lit(column.number))
    if column.side:
        t.add(c, "fkg:side", zh(column.side))
    if column.fund_source:
        t.add(c, "fkg:fundSource", curie("fkg:" + FUND_SOURCES[column.fund_source]))
    if column.expenditure_type:
        t.add(c, "fkg:expenditureType", curie("fkg:" + EXPENDITURE_TYPES[column.expenditure_type]))
    if column.phase:
        t.add(c, "fkg:budgetPhase", curie("fkg:" + PHASES[column.phase]))
    if column.item:
        t.add(c, "fkg:threePublicItem", curie("fkg:" + THREE_PUBLIC_ITEMS[column.item]))
    t.add(c, "fkg:fiscalYear", integer(column.year or ctx.year))
    t.add(c, "fkg:measureKind", curie("fkg:" + MEASURE_KINDS[column.measure]))


def _map_row(ctx: MapContext, table: Table, row: Row) -> None:
    t = ctx.triples
    r = row_iri(ctx, table.key, row.index)
    t.add(r, "rdf:type", curie("fkg:TableRow"))
    t.add(r, "fkg:inTable", iri(table_iri(ctx, table.key)))
    t.add(r, "fkg:ordinal", integer(row.index))
    ctx.label(r, row.label)
    if row.code:
        t.add(r, "skos:notation", lit(row.code))
        if row.scheme:
            t.add(r, "fkg:classification", iri(ctx.minter.code(row.scheme, ctx.year, row.code)))
    if row.line_item:
        t.add(r, "fkg:lineItem", lit(row.line_item))
    if row.side:
        t.add(r, "fkg:side", zh(row.side))
    if row.fund_source:
        t.add(r, "fkg:fundSource", curie("fkg:" + FUND_SOURCES[row.fund_source]))
    if row.is_total:
        t.add(r, "fkg:isTotal", lit("true", datatype="http://www.w3.org/2001/XMLSchema#boolean"))
    ctx.source(r, row.span, table=table.key, row=row.index)


def _map_code(ctx: MapContext, scheme: str, code: str, label: str) -> None:
    """A code as stated in this report's year: SKOS concept in the shared code-list graph."""
    t = ctx.codelists
    year = ctx.year
    concept = ctx.minter.code(scheme, year, code)
    scheme_iri = ctx.minter.code_scheme(scheme, year)
    t.add(scheme_iri, "rdf:type", curie("skos:ConceptScheme"))
    t.add(scheme_iri, "rdfs:label", zh(f"{SCHEME_LABELS[scheme]}（{year}）"))
    t.add(scheme_iri, "fkg:fiscalYear", integer(year))
    t.add(concept, "rdf:type", curie("skos:Concept"))
    t.add(concept, "rdf:type", curie("fkg:FunctionalClassificationCode" if scheme == "functional"
                                     else "fkg:EconomicClassificationCode"))
    t.add(concept, "skos:notation", lit(code))
    t.add(concept, "skos:prefLabel", zh(label))
    t.add(concept, "rdfs:label", zh(label))
    t.add(concept, "skos:inScheme", iri(scheme_iri))
    level = CODE_LEVELS[scheme].get(len(code))
    if level:
        t.add(concept, "fkg:codeLevel", curie(level))
    if len(code) == 3:
        t.add(concept, "skos:topConceptOf", iri(scheme_iri))
        t.add(scheme_iri, "skos:hasTopConcept", iri(concept))
    else:
        parent = code[:-2]
        t.add(concept, "skos:broader", iri(ctx.minter.code(scheme, year, parent)))
    # The same code in other years shares one lineage resource.
    lineage = ctx.minter.code_lineage(scheme, code)
    t.add(concept, "fkg:codeLineage", iri(lineage))
    t.add(lineage, "rdf:type", curie("fkg:CodeLineage"))
    t.add(lineage, "skos:notation", lit(code))


def code_concept_for_path(ctx: MapContext, names: tuple[str, ...]) -> str | None:
    """The concept whose 类/款/项 names are `names` (as a glossary entry states them)."""
    want = [n.strip() for n in names]
    by_code: dict[str, str] = {}
    for table in ctx.parsed.tables:
        for row in table.rows:
            if row.code and row.scheme == "functional":
                by_code.setdefault(row.code, row.label.strip())
    for code, label in by_code.items():
        path = [by_code.get(code[:n]) for n in (3, 5, 7) if n <= len(code)]
        if len(path) == len(want) and all(p and (p == w or p in w or w in p) for p, w in zip(path, want)):
            return ctx.minter.code("functional", ctx.year, code)
    return None
