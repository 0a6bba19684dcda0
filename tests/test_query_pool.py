"""The query workers as the endpoint uses them: JSON written natively by the engine
keeps the row cap exact even when values are full of JSON syntax, result bodies of
any size arrive whole (shared memory, or the pipe when larger), and the shared
buffers go away with their workers. Real worker processes over a real on-disk store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from live_server import build_store
from service import query_pool
from service.query_pool import QueryJob, QueryPool, QueryTimeout

# Values that look like the JSON the engine writes: braces, row separators, quotes,
# backslashes, newlines and tabs inside strings.
TRICKY = ['{"a":{"type":"uri","value":"x"}},{"b":{', '}]}}', '\\"{', 'line\nbreak\t{tab}', '{}{}{}{}{}{}',
          '},{"s":{"type":"literal"']
ROWS = "SELECT ?s ?v WHERE { ?s <http://example.org/v> ?v } ORDER BY ?s"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pool")
    data = tmp / "data.nt"
    data.write_text("".join(f'<http://example.org/s{i}> <http://example.org/v> {json.dumps(v)} .\n'
                            for i, v in enumerate(TRICKY)), encoding="utf-8")
    return build_store(tmp / "store", [(data, "http://example.org/graph")])


@pytest.fixture(scope="module")
def pool(store):
    p = QueryPool(str(store), size=1)
    yield p
    p.close()


def _values(body: bytes) -> list[str]:
    return [b["v"]["value"] for b in json.loads(body)["results"]["bindings"]]


@pytest.mark.parametrize("max_rows", [len(TRICKY), len(TRICKY) + 1, 1000])
def test_json_with_braces_in_values_is_whole_when_under_the_cap(pool, max_rows):
    out = pool.run(QueryJob(ROWS, fmt="json", max_rows=max_rows), timeout=30)
    assert not out.truncated
    doc = json.loads(out.body)
    assert _values(out.body) == TRICKY and "truncated" not in doc


@pytest.mark.parametrize("max_rows", [1, len(TRICKY) - 1])
def test_json_over_the_cap_is_cut_to_exactly_max_rows_with_a_note(pool, max_rows):
    out = pool.run(QueryJob(ROWS, fmt="json", max_rows=max_rows), timeout=30)
    doc = json.loads(out.body)
    assert out.truncated and doc["truncated"] is True and str(max_rows) in doc["note"]
    assert _values(out.body) == TRICKY[:max_rows]


def test_bodies_larger_than_the_shared_buffer_come_through_the_pipe(store, pool, monkeypatch):
    query = "SELECT * WHERE { ?s ?p ?o }"
    expected = pool.run(QueryJob(query, fmt="xml"), timeout=30).body
    monkeypatch.setattr(query_pool, "RESULT_BUFFER_BYTES", 256)  # smaller than the result
    small = QueryPool(str(store), size=1)
    try:
        assert len(expected) > 256
        assert small.run(QueryJob(query, fmt="xml"), timeout=30).body == expected
        assert _values(small.run(QueryJob(ROWS, fmt="json"), timeout=30).body) == TRICKY
    finally:
        small.close()


def _segments(p: QueryPool) -> list[Path]:
    return [Path("/dev/shm") / w.results.name.lstrip("/") for w in p._all]


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="shared memory is not a /dev/shm file here")
def test_shared_buffers_go_away_with_killed_workers_and_on_close(store):
    p = QueryPool(str(store), size=1)
    try:
        p.start()
        (first,) = _segments(p)
        assert first.exists()
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
        with pytest.raises(QueryTimeout):
            p.run(QueryJob(runaway), timeout=0.5)
        assert not first.exists()  # the killed worker's buffer is unlinked at once
        assert p.run(QueryJob(ROWS, fmt="json"), timeout=30).body  # its successor answers
        (second,) = _segments(p)
        assert second.exists()
    finally:
        p.close()
    assert not second.exists()


def test_a_query_answered_quickly_runs_in_the_calling_thread_next_time(store):
    p = QueryPool(str(store), size=1)
    try:
        first = p.run(QueryJob(ROWS, fmt="json"), timeout=30).body
        for worker in list(p._all):  # no worker left to answer: only the in-thread path can
            worker.kill()
        assert p.run(QueryJob(ROWS, fmt="json"), timeout=30).body == first
        with pytest.raises(Exception):  # a query not seen before still needs a worker
            p.run(QueryJob(ROWS + " LIMIT 2", fmt="json"), timeout=2)
    finally:
        p.close()


def test_a_stopped_query_is_stopped_again_not_run_in_the_calling_thread(store):
    p = QueryPool(str(store), size=1)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
    try:
        for attempt in range(2):
            with pytest.raises(QueryTimeout):
                p.run(QueryJob(runaway), timeout=0.5)
            # waits for the killed worker's successor
            assert p.run(QueryJob(f"ASK {{ FILTER({attempt} = {attempt}) }}"), timeout=30).boolean
    finally:
        p.close()
