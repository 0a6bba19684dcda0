"""Killable SPARQL query workers.

pyoxigraph cannot cancel a running query, so queries run in worker processes,
each with its own read-only handle on the store. A query that outlives the
timeout gets its worker killed and replaced, while the other workers keep
answering. Workers are spawned (not forked): the server process has threads
and an open store, neither of which survives a fork safely.

Read-only handles see the store as it was when opened; when the store
directory changes (an ingest ran), the workers reopen it before their next
query.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import queue
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import shared_memory

import pyoxigraph as ox

from .queries import declares_dataset, mask_literals
from .results import serialize_boolean, serialize_solutions, serialize_triples, term_tuple


@dataclass
class QueryJob:
    sparql: str
    fmt: str = "rows"               # SELECT/ASK: a results format key, or "rows" (plain term tuples)
    graph_fmt: str = "rows"         # CONSTRUCT/DESCRIBE: a graph format key, or "rows"
    max_rows: int = 10000
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    base_iri: str | None = None
    generation: int = 0


@dataclass
class QueryOutcome:
    kind: str                       # "boolean" | "solutions" | "graph"
    body: bytes | None = None       # serialised in job.fmt, unless fmt == "rows"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)   # solutions, or (s, p, o) for graphs
    boolean: bool | None = None
    count: int | None = 0           # rows; None when a natively serialised body was not counted
    truncated: bool = False


class QueryError(Exception):
    status = 500


class QuerySyntaxError(QueryError):
    status = 400


class QueryTimeout(QueryError):
    status = 503


class PoolBusy(QueryError):
    status = 503


def truncation_note(max_rows: int) -> str:
    return f"result truncated to the first {max_rows} rows (server setting max_rows)"


_FORM = re.compile(r"(?<![\w:?$])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:-])", re.I)
_NATIVE_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


@lru_cache(maxsize=256)
def _is_select(sparql: str) -> bool:
    """Cached: masking a long query costs a tenth of a millisecond or two, and the same
    texts (named queries, pages) come back."""
    m = _FORM.search(mask_literals(sparql))
    return bool(m) and m.group(1).upper() == "SELECT"


def _capped_select(sparql: str, max_rows: int) -> str | None:
    """The query with `LIMIT max_rows+1` appended when it is a SELECT, so the row cap is
    enforced by the engine and results can be serialised natively; None for other forms."""
    return f"{sparql}\nLIMIT {max_rows + 1}" if _is_select(sparql) else None


def _native_solutions(result: ox.QuerySolutions, job: QueryJob) -> QueryOutcome:
    """Serialise in Rust. JSON (the default format) is written directly when it cannot hold
    more than max_rows rows: every row is a JSON object, so a body with at most max_rows
    '{' has at most max_rows rows (braces inside strings only raise the count). Otherwise,
    and for the other formats, go through TSV (one line per row, so rows are counted and
    cut in bytes), re-read and written in the requested format."""
    variables = [v.value for v in result.variables]
    if job.fmt == "json":
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        if body.count(b"{") <= job.max_rows:
            return QueryOutcome("solutions", body=body, variables=variables, count=None)
        tsv = ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=ox.QueryResultsFormat.TSV)
    else:
        body = None
        tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    count = max(0, tsv.count(b"\n") - 1)  # TSV escapes newlines in values: one line per row
    truncated = count > job.max_rows
    if truncated:
        tsv = b"\n".join(tsv.split(b"\n", job.max_rows + 1)[:job.max_rows + 1]) + b"\n"  # header + rows
        count = job.max_rows
    if job.fmt == "tsv":
        body = tsv
    elif body is None or truncated:
        body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=_NATIVE_FORMATS[job.fmt])
    if truncated and job.fmt == "json":
        note = json.dumps(truncation_note(job.max_rows))
        body = body.rstrip()[:-1] + f',"truncated":true,"note":{note}}}'.encode()
    return QueryOutcome("solutions", body=body, variables=variables, count=count, truncated=truncated)


def run_query(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Evaluate one job on a pyoxigraph store (in a worker, or in-process for memory stores)."""
    kwargs: dict = {"base_iri": job.base_iri}
    if job.default_graph is None and job.named_graphs is None:
        kwargs["use_default_graph_as_union"] = not declares_dataset(job.sparql)
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or []]
    capped = _capped_select(job.sparql, job.max_rows) if job.fmt in _NATIVE_FORMATS else None
    if capped is not None:
        try:
            return _native_solutions(store.query(capped, **kwargs), job)
        except SyntaxError:
            pass  # the query has its own LIMIT or a trailing VALUES: take the general path
    result = store.query(job.sparql, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        body = None if job.fmt == "rows" else serialize_boolean(value, job.fmt)
        return QueryOutcome("boolean", body=body, boolean=value)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(term_tuple(sol[i]) for i in range(len(variables)))
                for sol in itertools.islice(result, job.max_rows + 1)]
        truncated = len(rows) > job.max_rows
        del rows[job.max_rows:]
        out = QueryOutcome("solutions", variables=variables, count=len(rows), truncated=truncated)
        if job.fmt == "rows":
            out.rows = rows
        else:
            out.body = serialize_solutions(variables, rows, job.fmt,
                                           truncation_note(job.max_rows) if truncated else "")
        return out
    triples = list(itertools.islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    del triples[job.max_rows:]
    out = QueryOutcome("graph", count=len(triples), truncated=truncated)
    if job.graph_fmt == "rows":
        out.rows = [(term_tuple(t.subject), term_tuple(t.predicate), term_tuple(t.object)) for t in triples]
    else:
        out.body = serialize_triples(triples, job.graph_fmt)
    return out


# Result bodies travel through a shared-memory buffer per worker rather than the pipe:
# a 250 KB body through a socket takes several wake-ups and four copies; through shared
# memory two copies. Bodies larger than the buffer fall back to the pipe.
RESULT_BUFFER_BYTES = 8 << 20
_BODY_IN_PIPE = -1


def _worker_main(conn, store_path: str, buffer_name: str) -> None:
    """Worker process: open the store, then answer jobs until the pipe closes."""
    try:
        store = ox.Store.read_only(store_path)
        results = shared_memory.SharedMemory(buffer_name)
    except Exception as exc:  # reported to the parent, which refuses to serve
        conn.send(("failed", f"cannot open the store at {store_path}: {exc}"))
        return
    generation = 0
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job.generation != generation:
                store = ox.Store.read_only(store_path)
                generation = job.generation
            out = run_query(store, job)
            body, out.body = out.body, None
            if body is None:
                conn.send(("ok", (out, None)))
            elif len(body) <= results.size:
                results.buf[:len(body)] = body  # the parent copies it out before sending a next job
                conn.send(("ok", (out, len(body))))
            else:
                conn.send(("ok", (out, _BODY_IN_PIPE)))
                conn.send_bytes(body)
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx, store_path: str):
        self.results = shared_memory.SharedMemory(create=True, size=RESULT_BUFFER_BYTES)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, store_path, self.results.name), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise QueryError("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError):
            status, message = "failed", f"a query worker exited on start (exit code {self.process.exitcode})"
        if status != "ready":
            self.kill()
            raise QueryError(message)

    def receive(self) -> tuple[str, object]:
        """The worker's answer to the job it was sent: (status, outcome or message)."""
        status, payload = self.conn.recv()
        if status != "ok":
            return status, payload
        out, body_size = payload
        if body_size == _BODY_IN_PIPE:
            out.body = self.conn.recv_bytes()
        elif body_size is not None:
            out.body = bytes(self.results.buf[:body_size])
        return status, out

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        if self.results is not None:  # kill() may come twice (failed start, then pool cleanup)
            results, self.results = self.results, None
            results.unlink()
            try:
                results.close()
            except BufferError:  # a thread is copying a body out at shutdown: unmapped at exit
                pass


# A query a worker answered quickly runs in the calling thread the next time it
# comes on the same store generation: the same query on the same read-only data
# costs the same, so it cannot run away, and skipping the process hop saves
# 1–3 ms. Anything new, slow or stopped still runs in a killable worker.
FAST_SECONDS = 0.25
FAST_CACHE_SIZE = 4096


def _job_key(job: QueryJob) -> tuple:
    return (job.sparql, job.fmt, job.graph_fmt, job.max_rows, job.base_iri,
            tuple(job.default_graph) if job.default_graph is not None else None,
            tuple(job.named_graphs) if job.named_graphs is not None else None)


class QueryPool:
    """`size` worker processes over the store at `store_path`. Thread-safe."""

    def __init__(self, store_path: str, size: int = 4, start_timeout: float = 60.0):
        self.store_path = str(store_path)
        self.size = max(1, int(size))
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()  # reuse the warmest worker first
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._generation = 0
        self._stamp = self._store_stamp()
        self._checked = time.monotonic()
        self._fast: OrderedDict[tuple, int] = OrderedDict()  # job key -> generation it was fast on
        self._local: tuple[int, ox.Store] | None = None      # (generation, read-only handle)
        self._inline = threading.Lock()

    def start(self) -> None:
        """Start the workers (idempotent); raises QueryError if the store cannot be opened."""
        with self._lock:
            if self._started:
                return
            workers = [_Worker(self._ctx, self.store_path) for _ in range(self.size)]
            try:
                for w in workers:
                    w.wait_ready(self.start_timeout)
            except QueryError:
                for w in workers:
                    w.kill()
                raise
            for w in workers:
                self._all.add(w)
                self._idle.put(w)
            self._started = True

    def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        """Run `job` on an idle worker; kill the worker if it takes longer than `timeout` seconds
        (waiting for a free worker counts against the timeout too)."""
        self.start()
        generation = self._current_generation()
        key = _job_key(job)
        # One at a time: the engine holds the GIL while it evaluates, so several in-thread
        # queries would queue on one core; under load the workers use every core.
        if self._fast.get(key) == generation and self._inline.acquire(blocking=False):
            try:
                return run_query(self._local_store(generation), job)
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc))
            except Exception as exc:
                raise QueryError(f"{type(exc).__name__}: {exc}")
            finally:
                self._inline.release()
        started = time.monotonic()
        deadline = started + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout:g} s; try again later")
        job.generation = generation
        try:
            sent = time.monotonic()
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                status, payload = worker.receive()
            else:
                self._replace(worker)
                raise QueryTimeout(f"query stopped after the timeout of {timeout:g} s")
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryError("the query worker died while answering (out of memory?)")
        self._idle.put(worker)
        if status == "ok":
            if time.monotonic() - sent < min(FAST_SECONDS, timeout / 4):
                self._remember_fast(key, generation)
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        raise QueryError(payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for w in list(self._all):
                w.kill()
            self._all.clear()

    def refresh(self) -> None:
        """Make the workers reopen the store before their next query (after a write)."""
        with self._lock:
            self._generation += 1

    # --- internals -------------------------------------------------------------

    def _remember_fast(self, key: tuple, generation: int) -> None:
        with self._lock:
            self._fast[key] = generation
            self._fast.move_to_end(key)
            while len(self._fast) > FAST_CACHE_SIZE:
                self._fast.popitem(last=False)

    def _local_store(self, generation: int) -> ox.Store:
        """The pool's own read-only handle, reopened when the store changed."""
        with self._lock:
            if self._local is None or self._local[0] != generation:
                self._local = (generation, ox.Store.read_only(self.store_path))
            return self._local[1]

    def _store_stamp(self) -> int:
        try:
            return os.stat(self.store_path).st_mtime_ns
        except OSError:
            return 0

    def _current_generation(self) -> int:
        now = time.monotonic()
        if now - self._checked > 1.0:  # a stat per second is plenty to notice an ingest
            self._checked = now
            stamp = self._store_stamp()
            if stamp != self._stamp:
                with self._lock:
                    self._stamp = stamp
                    self._generation += 1
        return self._generation

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` now; start its successor in the background so the caller answers at once."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()

        def spawn():
            if self._closed:
                return
            try:
                fresh = _Worker(self._ctx, self.store_path)
                fresh.wait_ready(self.start_timeout)
            except QueryError:
                return
            with self._lock:
                if self._closed:
                    fresh.kill()
                    return
                self._all.add(fresh)
            self._idle.put(fresh)

        threading.Thread(target=spawn, name="query-worker-respawn", daemon=True).start()
