"""Pages per second for reading PDFs into Documents (ingest.read_pdf).

    .venv/bin/python bench/bench_pdf_read.py [PDF or folder ...] [--rounds N] [--pdfplumber]

Defaults to the corpus fixtures. --pdfplumber also times the alternative the
reader was measured against: pdfplumber words + table finding (lines strategy).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.read import read_document  # noqa: E402


def pdf_paths(args: list[str]) -> list[Path]:
    targets = [Path(a) for a in args] or [ROOT / "tests" / "fixtures" / "corpus"]
    paths: list[Path] = []
    for t in targets:
        paths += sorted(t.glob("*.pdf")) if t.is_dir() else [t]
    return paths


def bench_reader(paths: list[Path], rounds: int) -> tuple[int, float]:
    pages, start = 0, time.perf_counter()
    for _ in range(rounds):
        for p in paths:
            pages += read_document(p).page_count or 0
    return pages, time.perf_counter() - start


def bench_pdfplumber(paths: list[Path], rounds: int) -> tuple[int, float]:
    import pdfplumber
    pages, start = 0, time.perf_counter()
    for _ in range(rounds):
        for p in paths:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_words()
                    page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
                    pages += 1
    return pages, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdfplumber", action="store_true")
    args = parser.parse_args()
    paths = pdf_paths(args.paths)
    if not paths:
        sys.exit("no PDFs found")
    read_document(paths[0])  # warm up imports
    for name, run in [("read_pdf (pypdfium2)", bench_reader)] + (
            [("pdfplumber words+tables", bench_pdfplumber)] if args.pdfplumber else []):
        pages, seconds = run(paths, args.rounds)
        print(f"{name:26s} {pages:5d} pages in {seconds:6.2f} s = {pages / seconds:7.1f} pages/s "
              f"({len(paths)} files x {args.rounds} rounds, one process)")


if __name__ == "__main__":
    main()
