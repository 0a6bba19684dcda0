"""Loading reports into the store: parse every file first, then write each
report (its graph, its findings, its code-list entries) in one transaction.

A file that fails to parse is reported and skipped; nothing of it reaches the
store. Parsing runs in parallel across cores.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ingest import IngestError, Minter, build_graph
from ingest.pipeline import ReportGraph

from .ontology import ensure_ontology
from .store import Store

REPORT_SUFFIXES = {".txt", ".pdf"}


@dataclass
class FileResult:
    path: str
    ok: bool
    message: str = ""
    report_iri: str | None = None
    triples: int = 0
    findings: dict[str, int] | None = None
    pages: int | None = None


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; directories contribute their report files, sorted."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*"))
                       if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES)
        else:
            out.append(str(path))
    return out


def _build(args: tuple[str, str]) -> tuple[str, ReportGraph | None, str]:
    path, base_iri = args
    try:
        return path, build_graph(path, base_iri), ""
    except IngestError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a parser bug must not stop the other files
        return path, None, f"{path}: internal error while parsing: {type(exc).__name__}: {exc}"


def build_all(paths: list[str], base_iri: str, jobs: int | None = None,
              progress: Callable[[str], None] | None = None):
    """Yield (path, ReportGraph | None, error) for each file, in parallel when there are several."""
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            result = _build((p, base_iri))
            if progress:
                progress(p)
            yield result
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(_build, [(p, base_iri) for p in paths]):
            if progress:
                progress(result[0])
            yield result


def store_report(store: Store, graph: ReportGraph, base_iri: str) -> dict[str, int]:
    """Write one report and its findings atomically; return findings by severity."""
    from .checks import evaluate_report  # the checks read the ontology and rule files
    findings_nt, counts = evaluate_report(graph, base_iri)
    store.replace_graphs({graph.graph_iri: graph.ntriples, graph.findings_graph_iri: findings_nt},
                         add={Minter(base_iri).codelist_graph: graph.codelist_ntriples})
    return counts


def ingest_paths(store: Store, paths: Iterable[str], base_iri: str, jobs: int | None = None,
                 progress: Callable[[str], None] | None = None) -> list[FileResult]:
    files = expand_paths(paths)
    ensure_ontology(store, base_iri)
    results = []
    for path, graph, error in build_all(files, base_iri, jobs, progress):
        if graph is None:
            results.append(FileResult(path, False, error))
            continue
        try:
            counts = store_report(store, graph, base_iri)
        except Exception as exc:
            results.append(FileResult(path, False, f"{path}: could not be stored: {exc}"))
            continue
        results.append(FileResult(path, True, report_iri=graph.report_iri, triples=graph.triple_count,
                                  findings=counts, pages=graph.report.document.page_count))
    return results
