"""The report itself, its department, 第一部分 (duties, unit and staff counts),
its outline (sections) and 名词解释 (glossary definitions)."""
from __future__ import annotations

from ..rdf import curie, integer, iri, lit, xdate, zh
from ..records import FINAL
from ..vocab import COUNT_KINDS, EXPENDITURE_TYPES, FUND_SOURCES
from .common import MapContext

# Glossary terms that name a concept of our vocabulary: the report's definition
# is attached to that concept (fkg:defines), so a reader finds it from the data.
GLOSSARY_TERMS = {
    "财政拨款收入": "fkg:" + FUND_SOURCES["fiscal"],
    "一般公共预算财政拨款": "fkg:" + FUND_SOURCES["general_budget"],
    "政府性基金预算财政拨款": "fkg:" + FUND_SOURCES["gov_fund"],
    "国有资本经营预算财政拨款": "fkg:" + FUND_SOURCES["state_capital"],
    "上级补助收入": "fkg:" + FUND_SOURCES["superior_subsidy"],
    "事业收入": "fkg:" + FUND_SOURCES["business"],
    "经营收入": "fkg:" + FUND_SOURCES["operating"],
    "附属单位上缴收入": "fkg:" + FUND_SOURCES["subsidiary"],
    "其他收入": "fkg:" + FUND_SOURCES["other"],
    "年初结转和结余": "fkg:" + FUND_SOURCES["carryover"],
    "基本支出": "fkg:" + EXPENDITURE_TYPES["basic"],
    "项目支出": "fkg:" + EXPENDITURE_TYPES["project"],
    "人员经费": "fkg:" + EXPENDITURE_TYPES["personnel"],
    "公用经费": "fkg:" + EXPENDITURE_TYPES["public"],
    "上缴上级支出": "fkg:" + EXPENDITURE_TYPES["remit_superior"],
    "经营支出": "fkg:" + EXPENDITURE_TYPES["operating"],
    "对附属单位补助支出": "fkg:" + EXPENDITURE_TYPES["subsidiary_grant"],
    "机关运行经费": "fkg:OperatingCost",
    "机关运行经费支出": "fkg:OperatingCost",
    "“三公”经费": "fkg:ThreePublicExpenditure",
    "“三公”经费支出": "fkg:ThreePublicExpenditure",
    "三公经费": "fkg:ThreePublicExpenditure",
    "年末结转和结余": "fkg:YearEndCarryOver",
    "结余分配": "fkg:SurplusDistribution",
}


def map_report(ctx: MapContext) -> None:
    meta = ctx.parsed.meta
    doc = ctx.parsed.document
    t, r = ctx.triples, ctx.report_iri
    dept = ctx.department_iri

    t.add(r, "rdf:type", curie("fkg:Report"))
    t.add(r, "rdf:type", curie("fkg:FinalAccountsReport" if meta.kind == FINAL else "fkg:BudgetReport"))
    t.add(r, "rdfs:label", zh(meta.title or f"{meta.department} {meta.year} {'部门决算' if meta.kind == FINAL else '部门预算'}"))
    t.add(r, "fkg:fiscalYear", integer(meta.year))
    t.add(r, "fkg:reportLevel", curie("fkg:DepartmentLevel" if meta.level == "department" else "fkg:UnitLevel"))
    t.add(r, "fkg:department", iri(dept))
    t.add(r, "dcterms:publisher", iri(dept))
    if meta.published:
        t.add(r, "dcterms:issued", xdate(meta.published))
    if meta.contact:
        t.add(r, "fkg:contact", zh(meta.contact))
    t.add(r, "fkg:sourceFile", lit(doc.name))
    t.add(r, "fkg:sha256", lit(doc.sha256))
    t.add(r, "dcterms:format", lit(doc.media_type))
    t.add(r, "fkg:lineCount", integer(len(doc.lines)))
    if doc.page_count is not None:
        t.add(r, "fkg:pageCount", integer(doc.page_count))
    ctx.source(r, meta.span)

    t.add(dept, "rdf:type", curie("fkg:Department"))
    t.add(dept, "rdf:type", curie("org:Organization"))
    ctx.label(dept, meta.department)

    _map_sections(ctx)
    _map_duties(ctx)
    _map_counts(ctx)
    _map_glossary(ctx)


def _map_sections(ctx: MapContext) -> None:
    t = ctx.triples
    for i, section in enumerate(ctx.parsed.sections):
        s = ctx.local("section", i + 1)
        t.add(s, "rdf:type", curie("fkg:Section"))
        ctx.label(s, section.title)
        t.add(s, "fkg:inReport", iri(ctx.report_iri))
        t.add(s, "fkg:ordinal", integer(i + 1))
        t.add(s, "fkg:headingLevel", integer(section.level))
        if section.part is not None:
            t.add(s, "fkg:part", integer(section.part))
        ctx.source(s, section.span)


def _map_duties(ctx: MapContext) -> None:
    t = ctx.triples
    for duty in ctx.parsed.duties:
        d = ctx.local("duty", duty.number)
        t.add(d, "rdf:type", curie("fkg:Duty"))
        t.add(d, "fkg:dutyOf", iri(ctx.department_iri))
        t.add(d, "fkg:inReport", iri(ctx.report_iri))
        t.add(d, "fkg:ordinal", integer(duty.number))
        t.add(d, "fkg:text", zh(duty.text))
        ctx.source(d, duty.span)


def _map_counts(ctx: MapContext) -> None:
    t = ctx.triples
    for count in ctx.parsed.counts:
        c = ctx.local("count", count.key)
        t.add(c, "rdf:type", curie("fkg:ProfileCount"))
        t.add(c, "fkg:countOf", iri(ctx.department_iri))
        t.add(c, "fkg:inReport", iri(ctx.report_iri))
        t.add(c, "fkg:countKind", curie("fkg:count_" + count.key))
        t.add(c, "rdfs:label", zh(count.label or COUNT_KINDS.get(count.key, count.key)))
        t.add(c, "fkg:count", integer(count.value))
        t.add(c, "fkg:countUnit", zh(count.unit))
        ctx.source(c, count.span)


def _map_glossary(ctx: MapContext) -> None:
    t = ctx.triples
    from .tables import code_concept_for_path
    for i, entry in enumerate(ctx.parsed.glossary):
        g = ctx.local("glossary", i + 1)
        t.add(g, "rdf:type", curie("fkg:GlossaryEntry"))
        t.add(g, "fkg:inReport", iri(ctx.report_iri))
        t.add(g, "fkg:term", zh(entry.term))
        ctx.label(g, entry.term)
        t.add(g, "skos:definition", zh(entry.definition))
        target = GLOSSARY_TERMS.get(entry.term.strip())
        if target:
            t.add(g, "fkg:defines", curie(target))
        if entry.code_path:
            concept = code_concept_for_path(ctx, entry.code_path)
            if concept:
                t.add(g, "fkg:defines", iri(concept))
        ctx.source(g, entry.span)
