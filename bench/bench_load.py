"""Load test, bounded and loopback only: `fiscalkg serve` over the reference report
(in its own process, as deployed), 50 concurrent clients x 20 queries each (the named
queries of queries/*.rq in turn, each client on its own keep-alive connection).
Fails on any error; prints p50/p95 latency, throughput and the machine's load average.

    python bench/bench_load.py [--workers N] [--runs R] [--store DIR]

--workers: query worker processes (default: the server's own default); --runs: repeat
the whole test R times and report the median of each figure (the machine is shared).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from endpoint_common import ROOT, Client, build_reference_store, load_average, our_server, percentile

CLIENTS = 50
QUERIES_PER_CLIENT = 20


def one_run(host: str, port: int, texts: list[str]) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        c = Client(host, port)
        try:
            for j in range(QUERIES_PER_CLIENT):
                text = texts[(i + j) % len(texts)]
                t0 = time.perf_counter()
                try:
                    status, _ = c.query(text)
                except OSError as exc:
                    status, c = f"{type(exc).__name__}: {exc}", Client(host, port)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(f"client {i} query {j}: {status}")
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return latencies, errors, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", default=None)  # read by build_reference_store
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from service.queries import list_queries
    texts = [q.text for q in list_queries()] or ["SELECT * WHERE { ?s ?p ?o } LIMIT 10"]
    total = CLIENTS * QUERIES_PER_CLIENT
    settings = {"timeout": 30} | ({"workers": args.workers} if args.workers else {})
    results = []
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        store = build_reference_store(Path(tmp))
        with our_server(store, **settings) as (host, port):
            one_run(host, port, texts[:5])  # warm the workers' caches, as a running server has them
            for run in range(args.runs):
                load = load_average()
                latencies, errors, wall = one_run(host, port, texts)
                p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
                print(f"run {run + 1}: {total} requests in {wall:.1f} s ({total / wall:.0f} req/s), "
                      f"{len(errors)} errors; p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(latencies):.1f} ms  "
                      f"[{load}]", flush=True)
                for e in errors[:10]:
                    print("  " + e)
                failed |= bool(errors) or len(latencies) != total
                results.append((total / wall, p50, p95))
    med = [statistics.median(r[i] for r in results) for i in range(3)]
    print(f"{CLIENTS} clients x {QUERIES_PER_CLIENT} queries, median of {len(results)} runs: "
          f"{med[0]:.0f} req/s, p50 {med[1]:.1f} ms, p95 {med[2]:.1f} ms  "
          f"| no errors: {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
