"""What every mapper shares: the minter, the report's IRIs and provenance.

Every extracted fact gets `prov:wasDerivedFrom` a source-location node
(fkg:SourceLocation, also an oa:TextQuoteSelector) carrying the report, page,
line span, table/row/column where relevant, and the verbatim excerpt
(`oa:exact`). Locations are keyed by what they locate, so they are deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..iris import Minter, key
from ..rdf import Triples, curie, dec, integer, iri, lit, zh
from ..records import ParsedReport, Span
from ..vocab import UNITS


@dataclass
class MapContext:
    parsed: ParsedReport
    minter: Minter
    report_key: str
    triples: Triples          # the report's graph
    codelists: Triples        # the shared code-list graph

    @property
    def report_iri(self) -> str:
        return self.minter.report(self.report_key)

    @property
    def department_iri(self) -> str:
        return self.minter.organisation(self.parsed.meta.department)

    @property
    def year(self) -> int:
        return self.parsed.meta.year

    def local(self, *path: object) -> str:
        """An IRI under the report: <report>/<path...>."""
        return Minter.under(self.report_iri, *path)

    def source(self, subject: str, span: Span | None, *, table: str | None = None,
               row: int | None = None, column: int | None = None) -> str | None:
        """Attach provenance to `subject`; return the location node's IRI."""
        if span is None:
            return None
        loc = self.local("loc", key(subject, span.line_start, span.line_end, span.char_start))
        t = self.triples
        t.add(subject, "prov:wasDerivedFrom", iri(loc))
        t.add(loc, "rdf:type", curie("fkg:SourceLocation"))
        t.add(loc, "rdf:type", curie("oa:TextQuoteSelector"))
        t.add(loc, "fkg:inReport", iri(self.report_iri))
        t.add(loc, "fkg:lineStart", integer(span.line_start))
        t.add(loc, "fkg:lineEnd", integer(span.line_end))
        if span.page is not None:
            t.add(loc, "fkg:page", integer(span.page))
        if span.char_start is not None:
            t.add(loc, "fkg:charStart", integer(span.char_start))
            t.add(loc, "fkg:charEnd", integer(span.char_end))
        t.add(loc, "oa:exact", lit(span.excerpt))
        if table is not None:
            t.add(loc, "fkg:table", iri(self.local("table", table)))
        if row is not None:
            t.add(loc, "fkg:rowIndex", integer(row))
        if column is not None:
            t.add(loc, "fkg:columnIndex", integer(column))
        return loc

    def amount(self, subject: str, value: Decimal, unit: str = "万元",
               prop: str = "fkg:amount") -> None:
        """An amount as stated, with its unit, plus the same amount in 元 (fkg:amountCNY)
        so reports in different units compare directly."""
        unit_local, factor = UNITS[unit]
        self.triples.add(subject, prop, dec(value))
        self.triples.add(subject, "fkg:unit", curie(f"fkg:{unit_local}"))
        if prop == "fkg:amount":
            self.triples.add(subject, "fkg:amountCNY", dec(Decimal(value) * factor))

    def label(self, subject: str, text: str) -> None:
        self.triples.add(subject, "rdfs:label", zh(text))


def cell_iri(ctx: MapContext, table_key: str, row_index: int, column_index: int) -> str:
    """The qb:Observation of one table cell (row and column by their 0-based index)."""
    return ctx.local("table", table_key, "cell", f"r{row_index}c{column_index}")


def table_iri(ctx: MapContext, table_key: str) -> str:
    return ctx.local("table", table_key)


def row_iri(ctx: MapContext, table_key: str, row_index: int) -> str:
    return ctx.local("table", table_key, "row", row_index)


def column_iri(ctx: MapContext, table_key: str, column_index: int) -> str:
    return ctx.local("table", table_key, "column", column_index)
