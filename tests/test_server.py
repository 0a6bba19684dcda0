"""The production server: waitress with several threads, query workers in
processes that are killed at the timeout while other clients keep being
answered, and `fiscalkg serve` from the command line."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from live_server import TEST_DATA, build_store, http, live_server

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT ?o WHERE { <http://example.org/s1> ?p ?o }"


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    """3000 triples: a four-way cross product over them cannot finish."""
    tmp = tmp_path_factory.mktemp("server")
    data = tmp / "data.nt"
    data.write_text("".join(f"<http://example.org/s{i}> <http://example.org/p{i % 7}> \"{i}\" .\n"
                            for i in range(3000)), encoding="utf-8")
    return build_store(tmp / "store", [(data, "http://example.org/graph")])


def _get(url: str, query: str, timeout: float = 30):
    return http("GET", f"{url}/sparql?query={quote(query)}", headers={"Accept": "application/sparql-results+json"},
                timeout=timeout)


def test_runaway_query_is_stopped_while_others_are_answered(big_store):
    with live_server(big_store, timeout=2, workers=2) as url:
        outcome = {}

        def runaway():
            t0 = time.monotonic()
            outcome["status"], _, outcome["body"] = _get(url, RUNAWAY)
            outcome["elapsed"] = time.monotonic() - t0

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)  # the runaway query is now occupying a worker
        t0 = time.monotonic()
        status, _, body = _get(url, SIMPLE)
        assert status == 200 and time.monotonic() - t0 < 2.0
        assert json.loads(body)["results"]["bindings"][0]["o"]["value"] == "1"
        thread.join(15)
        assert outcome["status"] == 503
        assert b"timeout of 2 s" in outcome["body"]
        assert 1.9 < outcome["elapsed"] < 6
        # the killed worker is replaced: the service keeps its full capacity
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            statuses = []
            threads = [threading.Thread(target=lambda: statuses.append(_get(url, SIMPLE)[0])) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if statuses == [200] * 6:
                break
        assert statuses == [200] * 6


def test_busy_workers_give_503_instead_of_hanging(big_store):
    with live_server(big_store, timeout=2, workers=1) as url:
        results = []
        threads = [threading.Thread(target=lambda: results.append(_get(url, RUNAWAY)[0])) for _ in range(2)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert sorted(results) == [503, 503]
        assert time.monotonic() - t0 < 8


def test_concurrent_clients_all_get_answers(tmp_path):
    store = build_store(tmp_path / "store", [(TEST_DATA / "linked_data.trig", None)])
    with live_server(store, workers=2) as url:
        statuses = []

        def client():
            for _ in range(10):
                statuses.append(_get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")[0])

        threads = [threading.Thread(target=client) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert statuses == [200] * 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fiscalkg_serve_command(tmp_path):
    store = build_store(tmp_path / "store", [(TEST_DATA / "linked_data.trig", None)])
    port = _free_port()
    env = {**os.environ, "FISCALKG_MAX_ROWS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--store", str(store), "--port", str(port),
                             "--timeout", "5", "--workers", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(url, "SELECT * WHERE { ?s ?p ?o }", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert status == 200
        assert len(json.loads(body)["results"]["bindings"]) == 2  # the env setting reached the server
        assert headers["server"] == "fiscalkg"  # waitress, not the development server
        status, headers, _ = http("GET", f"{url}/id/org/o1", headers={"Accept": "text/turtle"})
        assert status == 200 and headers["content-type"].startswith("text/turtle")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_serve_refuses_a_missing_store(tmp_path):
    result = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--store", str(tmp_path / "none"),
                             "--port", str(_free_port())], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "no store at" in result.stdout + result.stderr
