"""Plain records between parsing and RDF mapping.

The readers turn a file into a `Document` (lines with their cells and source
positions); the parsers turn a `Document` into a `ParsedReport` of these
records; `ingest.mapping` turns records into triples. Nothing here knows RDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


# --- reading -----------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One line of the source as read: text exports keep their tabs as cell
    separators; the PDF reader rebuilds the same shape from word positions."""
    no: int                      # 1-based line number over the whole document
    text: str                    # the line as it reads, cells joined by a tab
    cells: tuple[str, ...]       # the line split into table cells (stripped)
    page: int | None = None      # 1-based page of a PDF, None for text
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom on the page
    cell_x: tuple[float, ...] | None = None  # x0 of each cell on the page (PDF only)


@dataclass
class Document:
    path: str                    # as given by the user, for messages
    name: str                    # file name, for provenance
    sha256: str                  # of the file's bytes
    media_type: str              # text/plain or application/pdf
    encoding: str | None         # detected text encoding, None for PDF
    lines: list[Line]
    page_count: int | None = None


@dataclass(frozen=True)
class Span:
    """Where a fact is stated: a line range (and page) plus the verbatim excerpt."""
    line_start: int
    line_end: int
    excerpt: str
    page: int | None = None
    char_start: int | None = None  # offsets within line_start's text, when narrower than the line
    char_end: int | None = None


# --- report identity -----------------------------------------------------------

FINAL = "final"     # 部门决算
BUDGET = "budget"   # 部门预算


@dataclass
class ReportMeta:
    kind: str                    # FINAL or BUDGET
    department: str              # as the report names it
    year: int                    # the fiscal year reported on
    level: str = "department"    # "department" (部门) or "unit" (单位)
    title: str = ""
    published: str | None = None  # ISO date when the report states one
    contact: str | None = None
    span: Span | None = None


# --- tables --------------------------------------------------------------------

@dataclass
class Column:
    index: int                   # 0-based position among the table's amount columns
    label: str                   # header text, parent headers joined with "/"
    number: str | None = None    # 栏次 when given
    side: str | None = None      # "income" / "expenditure" for two-sided tables, group name for 06
    fund_source: str | None = None       # key from ingest.vocab.FUND_SOURCES
    expenditure_type: str | None = None  # key from ingest.vocab.EXPENDITURE_TYPES
    phase: str | None = None             # key from ingest.vocab.PHASES
    item: str | None = None              # key from ingest.vocab.THREE_PUBLIC_ITEMS (三公 tables)
    year: int | None = None              # fiscal year of its figures when not the report's ("2023年预算数")
    measure: str = "amount"              # key from ingest.vocab.MEASURE_KINDS: amount, ratio (%), change (增减)


@dataclass
class Row:
    index: int                   # 0-based order within the table
    label: str                   # 科目名称 / 项目
    code: str | None = None      # classification code, digits only ("2013750")
    scheme: str | None = None    # "functional" or "economic" when code is set
    line_item: str | None = None  # 行次 when given
    side: str | None = None      # matches Column.side for two-sided tables
    is_total: bool = False       # 合计 / 总计 / 小计 rows
    span: Span | None = None
    fund_source: str | None = None  # key from ingest.vocab.FUND_SOURCES for a row naming an income source (收支总表)


@dataclass
class Cell:
    row: Row
    column: Column
    amount: Decimal              # in the table's unit
    raw: str                     # the cell text as printed
    span: Span


@dataclass
class Table:
    key: str                     # stable within the report: "01".."09", or the family when unnumbered
    family: str                  # key from ingest.vocab.TABLE_FAMILIES
    title: str
    number: str | None = None    # "公开01表" as printed
    unit: str = "万元"           # 金额单位: "万元" or "元"
    span: Span | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    empty_note: str | None = None  # "我部门没有…" sentence of an empty table
    empty_note_span: Span | None = None


# --- 第一部分 概况 and 名词解释 ----------------------------------------------------

@dataclass
class Duty:
    number: int
    text: str
    span: Span


@dataclass
class Count:
    """A counted fact of the profile: unit counts by type, 编制, 在职, 离退休."""
    key: str                     # key from ingest.vocab.COUNT_KINDS
    label: str                   # the report's wording
    value: int
    unit: str                    # "个" or "人"
    span: Span


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    span: Span
    code_path: tuple[str, ...] = ()  # names of 类/款/项 when the entry explains a subject


@dataclass
class Section:
    part: int | None             # 第N部分
    title: str
    level: int                   # 0 part, 1 一、, 2 （一）, 3 1.
    span: Span


@dataclass
class ParsedReport:
    document: Document
    meta: ReportMeta
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    narrative: object | None = None  # ingest.narrative.Narrative, filled by the narrative extractor
    warnings: list[str] = field(default_factory=list)
