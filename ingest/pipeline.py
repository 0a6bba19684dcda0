"""The way through ingest: file → Document → ParsedReport → triples.

`parse_report` and `build_graph` are the public entry points (see
`ingest/__init__.py`); the service stores what `build_graph` returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError
from .iris import DEFAULT_BASE, Minter
from .read import read_document
from .records import ParsedReport


@dataclass
class ReportGraph:
    """What one report contributes to the store."""
    report: ParsedReport
    report_iri: str
    graph_iri: str           # the report's own named graph
    findings_graph_iri: str  # where consistency findings for it go
    ntriples: str            # the report graph's statements
    codelist_ntriples: str   # statements for the shared code-list graph
    triple_count: int


def parse_report(path: str | Path) -> ParsedReport:
    from .parse import parse_document  # noqa: the parser package is heavier than reading
    document = read_document(path)
    parsed = parse_document(document)
    from .narrative import extract_narrative  # noqa: loads spaCy on first use
    parsed.narrative = extract_narrative(parsed)
    return parsed


def build_graph(path: str | Path, base_iri: str = DEFAULT_BASE) -> ReportGraph:
    parsed = parse_report(path)
    return map_report(parsed, base_iri)


def map_report(parsed: ParsedReport, base_iri: str = DEFAULT_BASE) -> ReportGraph:
    from .mapping import map_parsed_report
    minter = Minter(base_iri)
    report_key = minter.report_key(parsed.meta.department, parsed.meta.year, parsed.meta.kind, parsed.meta.level)
    report_triples, codelist_triples = map_parsed_report(parsed, minter, report_key)
    if len(report_triples) == 0:
        raise IngestError(parsed.document.path, "nothing could be extracted from this report")
    return ReportGraph(
        report=parsed,
        report_iri=minter.report(report_key),
        graph_iri=minter.report_graph(report_key),
        findings_graph_iri=minter.findings_graph(report_key),
        ntriples=report_triples.ntriples(),
        codelist_ntriples=codelist_triples.ntriples(),
        triple_count=len(report_triples) + len(codelist_triples),
    )
