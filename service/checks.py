"""Consistency checks: rule files under queries/checks/ run over one report's
graph; their answers become Finding resources in the report's findings graph.
(Filled in by the consistency-checks issue.)"""
from __future__ import annotations


def evaluate_report(graph, base_iri: str) -> tuple[str, dict[str, int]]:
    """Return (findings as N-Triples, counts by severity) for one ReportGraph."""
    return "", {}
