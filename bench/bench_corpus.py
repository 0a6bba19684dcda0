"""PDF ingest end to end (read + parse + map + checks + write to an on-disk
store) over the corpus PDFs, with 1 and 2 parallel jobs: pages/s and reports/s.

    .venv/bin/python bench/bench_corpus.py [PDF or folder ...] [--jobs 1 2] [--rounds N]

Target: >= 40 pages/s with 2 jobs on 2 cores. The parent process parses one
report first, so the workers (forked) start with imports and the NLP pipeline
loaded, as a long-running `fiscalkg ingest` of many files would.

Also printed: CPU seconds of the parent (which writes the store) and of the
workers (read, parse, map, checks), so a run on a busy machine can be read:
wall time is at least max(parent CPU, total CPU / cores).
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import DEFAULT_BASE, build_graph  # noqa: E402
from service.loading import expand_paths, ingest_paths  # noqa: E402
from service.store import Store  # noqa: E402

TARGET_PAGES_PER_S = 40


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(paths: list[str], jobs: int) -> dict:
    """Ingest `paths` into a fresh on-disk store and time it."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        start, cpu, child_cpu = time.perf_counter(), time.process_time(), _children_cpu()
        results = ingest_paths(store, paths, DEFAULT_BASE, jobs=jobs)
        store.flush()
        elapsed = time.perf_counter() - start
        cpu, child_cpu = time.process_time() - cpu, _children_cpu() - child_cpu
    ok = [r for r in results if r.ok]
    return {"ok": len(ok), "pages": sum(r.pages or 0 for r in ok), "seconds": elapsed, "parent_cpu": cpu,
            "worker_cpu": child_cpu, "failures": [r.message for r in results if not r.ok]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    paths = [p for p in expand_paths(args.paths or [str(ROOT / "tests" / "fixtures" / "corpus")])
             if p.lower().endswith(".pdf")]
    if not paths:
        sys.exit("no PDFs found")
    build_graph(paths[0])  # warm-up: imports, spaCy pipeline, PDFium
    print(f"{len(paths)} PDFs, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before")
    for jobs in args.jobs:
        best = min((run(paths, jobs) for _ in range(args.rounds)), key=lambda r: r["seconds"])
        pages, seconds = best["pages"], best["seconds"]
        verdict = "" if jobs != 2 else (
            "  (meets target)" if pages / seconds >= TARGET_PAGES_PER_S
            else f"  (BELOW target {TARGET_PAGES_PER_S} pages/s)")
        print(f"jobs={jobs}: {best['ok']} reports, {pages} pages in {seconds:.2f} s: "
              f"{pages / seconds:.1f} pages/s, {best['ok'] / seconds:.2f} reports/s{verdict}; "
              f"CPU: parent {best['parent_cpu']:.2f} s, workers {best['worker_cpu']:.2f} s")
        for message in best["failures"]:
            print(f"  FAILED {message}")


if __name__ == "__main__":
    main()
