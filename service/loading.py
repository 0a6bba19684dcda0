"""Loading reports into the store: parse every file first, then write each
report (its graph, its findings, its code-list entries) in one transaction.

A file that fails to parse is reported and skipped; nothing of it reaches the
store. Parsing runs in parallel across cores.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
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


def _build(args: tuple[str, str]) -> tuple[str, ReportGraph | None, tuple[str, dict[str, int]] | None, str]:
    """Parse, map and check one file: (path, graph, (findings N-Triples, counts), error).
    The checks run here, in the worker, because they read only this report's graph."""
    path, base_iri = args
    from .checks import evaluate_report  # the checks read the ontology and rule files
    try:
        graph = build_graph(path, base_iri)
        return path, graph, evaluate_report(graph, base_iri), ""
    except IngestError as exc:
        return path, None, None, str(exc)
    except Exception as exc:  # a parser bug must not stop the other files
        return path, None, None, f"{path}: internal error while parsing: {type(exc).__name__}: {exc}"


def build_all(paths: list[str], base_iri: str, jobs: int | None = None,
              progress: Callable[[str], None] | None = None):
    """Yield (path, ReportGraph | None, findings | None, error) for each file, in parallel
    when there are several, in the order the files finish (so writing overlaps parsing)."""
    jobs = jobs or min(len(paths), os.cpu_count() or 1)
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            result = _build((p, base_iri))
            if progress:
                progress(p)
            yield result
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_build, (p, base_iri)): p for p in paths}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # the worker died (e.g. a crash in native PDF code)
                result = (futures[future], None, None,
                          f"{futures[future]}: the parser process failed: {type(exc).__name__}: {exc}")
            if progress:
                progress(result[0])
            yield result


def store_report(store: Store, graph: ReportGraph, base_iri: str,
                 findings: tuple[str, dict[str, int]] | None = None) -> dict[str, int]:
    """Write one report and its findings atomically; return findings by severity.
    `findings` are the report's checked findings when already computed (see _build)."""
    if findings is None:
        from .checks import evaluate_report  # the checks read the ontology and rule files
        findings = evaluate_report(graph, base_iri)
    findings_nt, counts = findings
    store.replace_graphs({graph.graph_iri: graph.ntriples, graph.findings_graph_iri: findings_nt},
                         add={Minter(base_iri).codelist_graph: graph.codelist_ntriples})
    return counts


def ingest_paths(store: Store, paths: Iterable[str], base_iri: str, jobs: int | None = None,
                 progress: Callable[[str], None] | None = None) -> list[FileResult]:
    files = expand_paths(paths)
    results = []
    stored: dict[str, str] = {}  # report IRI -> the file that gave it in this run
    for path, graph, findings, error in build_all(files, base_iri, jobs, progress):
        if graph is None:
            results.append(FileResult(path, False, error))
            continue
        if graph.report_iri in stored:
            # Two files of one report (say its PDF and a text export): keep the first, say so.
            results.append(FileResult(path, False, f"{path}: the same report as {stored[graph.report_iri]} "
                                      f"(same department, year and kind); not ingested twice"))
            continue
        try:
            if not stored:  # the ontology only once something is written: a failed run changes nothing
                ensure_ontology(store, base_iri)
            counts = store_report(store, graph, base_iri, findings)
        except Exception as exc:
            results.append(FileResult(path, False, f"{path}: could not be stored: {exc}"))
            continue
        stored[graph.report_iri] = path
        results.append(FileResult(path, True, report_iri=graph.report_iri, triples=graph.triple_count,
                                  findings=counts, pages=graph.report.document.page_count))
    order = {p: i for i, p in enumerate(files)}
    return sorted(results, key=lambda r: order[r.path])   # the summary lists files as given
