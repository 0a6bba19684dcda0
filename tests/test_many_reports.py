"""Many reports at once through the real `fiscalkg ingest`: a directory of good
reports (text and PDF) mixed with broken files, parsed in parallel. The good
ones land, every bad one is listed with its reason, the exit status says so,
and nothing of a bad file reaches the store."""
from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from conftest import FISCALKG, FIXTURES, ROOT, SAMPLE, run_cli

GOOD = {
    SAMPLE.name: SAMPLE,
    "wuhan-jiangxia-bigdata-2021-budget.txt": FIXTURES / "cross" / "wuhan-jiangxia-bigdata-2021-budget.txt",
    "js-jcy-2017-budget.pdf": FIXTURES / "corpus" / "js-jcy-2017-budget.pdf",
}
# name -> (content, what the failure message must say)
BAD = {
    "corrupt.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "corrupt or unreadable PDF"),
    "truncated.pdf": ((FIXTURES / "corpus" / "js-jcy-2018-budget.pdf").read_bytes()[:20000], "corrupt or unreadable PDF"),
    "empty.txt": (b"", "empty"),
}


def _count(store: Path, where: str) -> int:
    out = run_cli("query", "--store", store, "--format", "csv",
                  f"PREFIX fkg: <https://fiscalkg.org/ontology#> SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", check=True)
    return int(out.stdout.splitlines()[1])


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("mixed")
    for name, src in GOOD.items():
        shutil.copy(src, d / name)
    for name, (content, _) in BAD.items():
        (d / name).write_bytes(content)
    return d


@pytest.fixture(scope="module")
def mixed_run(mixed_dir, tmp_path_factory):
    store = tmp_path_factory.mktemp("many") / "store"
    result = run_cli("ingest", mixed_dir, "--store", store, "--jobs", "2")
    return store, result


def test_good_reports_are_in_and_bad_ones_listed_with_reasons(mixed_run, mixed_dir):
    store, result = mixed_run
    assert result.returncode == 1, result.stderr
    assert f"{len(GOOD)} of {len(GOOD) + len(BAD)} files ingested" in result.stdout
    ok_lines = [ln for ln in result.stdout.splitlines() if ln.startswith("ok")]
    assert len(ok_lines) == len(GOOD)
    for name in GOOD:
        line = next(ln for ln in ok_lines if f"{mixed_dir / name}:" in ln)
        # per file: triples, findings, and the report's IRI
        assert re.search(r": \d+ triples, .+ -> https://data\.fiscalkg\.org/id/report/[0-9a-f]{16}$", line), line
    failed = [ln for ln in result.stderr.splitlines() if ln.startswith("FAILED")]
    assert len(failed) == len(BAD), result.stderr
    for name, (_, reason) in BAD.items():
        line = next(ln for ln in failed if str(mixed_dir / name) in ln)
        assert reason in line, line


def test_summary_lists_files_in_the_order_given(mixed_run, mixed_dir):
    _, result = mixed_run
    lines = [ln for ln in (result.stdout + result.stderr).splitlines() if ln.startswith(("ok", "FAILED"))]
    ok_paths = [re.match(r"ok\s+(\S+):", ln).group(1) for ln in lines if ln.startswith("ok")]
    assert ok_paths == sorted(ok_paths)  # parallel parsing finishes in any order; the summary does not


def test_nothing_of_the_bad_files_is_in_the_store(mixed_run):
    store, _ = mixed_run
    out = run_cli("query", "--store", store, "--format", "csv",
                  "PREFIX fkg: <https://fiscalkg.org/ontology#> SELECT ?f WHERE { ?r a fkg:Report ; fkg:sourceFile ?f }",
                  check=True)
    assert sorted(out.stdout.splitlines()[1:]) == sorted(GOOD)
    # each good report is its own graph plus its findings graph; nothing else per report
    graphs = run_cli("query", "--store", store, "--format", "csv",
                     "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", check=True).stdout.splitlines()[1:]
    assert len([g for g in graphs if "/graph/report/" in g]) == len(GOOD)
    assert len([g for g in graphs if "/graph/findings/" in g]) <= len(GOOD)
    assert _count(store, "?s fkg:sourceFile ?f . FILTER(CONTAINS(STR(?f), 'corrupt') || CONTAINS(STR(?f), 'truncated') "
                         "|| CONTAINS(STR(?f), 'empty'))") == 0


def test_only_bad_files_change_nothing(mixed_run, mixed_dir, tmp_path):
    store, _ = mixed_run
    before, after = tmp_path / "before.nq", tmp_path / "after.nq"
    run_cli("export", "--store", store, "--format", "nq", "-o", before, check=True)
    result = run_cli("ingest", *[mixed_dir / n for n in BAD], "--store", store, "--jobs", "2")
    assert result.returncode == 1
    assert f"0 of {len(BAD)} files ingested" in result.stdout
    run_cli("export", "--store", store, "--format", "nq", "-o", after, check=True)
    assert before.read_bytes() == after.read_bytes()


def test_parallel_and_serial_ingest_give_the_same_store(mixed_run, mixed_dir, tmp_path):
    store, _ = mixed_run
    serial = tmp_path / "serial"
    run_cli("ingest", mixed_dir, "--store", serial, "--jobs", "1")
    a, b = tmp_path / "parallel.nq", tmp_path / "serial.nq"
    run_cli("export", "--store", store, "--format", "nq", "-o", a, check=True)
    run_cli("export", "--store", serial, "--format", "nq", "-o", b, check=True)
    assert sorted(a.read_bytes().splitlines()) == sorted(b.read_bytes().splitlines())


def test_progress_bar_on_a_terminal(tmp_path):
    """On a TTY the command shows a progress bar counting files; piped, it does not (see above)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal has a width
    store = tmp_path / "store"
    proc = subprocess.Popen([*FISCALKG, "ingest", SAMPLE, GOOD["wuhan-jiangxia-bigdata-2021-budget.txt"],
                             "--store", str(store), "--jobs", "2"],
                            cwd=ROOT, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + 240
    while time.monotonic() < deadline:   # read until every holder of the terminal has closed it
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            continue
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the command (and its workers) closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    returncode = proc.wait(timeout=30)
    os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert returncode == 0, text
    assert re.search(r"100%\|[^|]*\| 2/2 \[", text), text      # tqdm's bar: "100%|███| 2/2 [elapsed…]"
