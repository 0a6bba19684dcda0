"""fiscalkg ingest: budget-disclosure files (text or PDF) → RDF with provenance.

Public API for notebooks and the service:

    from ingest import build_graph
    rg = build_graph("report.txt", base_iri="https://example.org/")
    rg.ntriples            # the report's graph as N-Triples

`ingest` knows nothing of Flask or the store.
"""
from .errors import IngestError
from .iris import DEFAULT_BASE, Minter
from .pipeline import ReportGraph, build_graph, map_report, parse_report
from .read import read_document

__all__ = [
    "DEFAULT_BASE", "IngestError", "Minter", "ReportGraph",
    "build_graph", "map_report", "parse_report", "read_document",
]
