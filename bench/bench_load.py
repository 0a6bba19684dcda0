"""Load test, bounded and loopback only: our server over the reference report,
50 concurrent clients x 20 queries each (the named queries of queries/*.rq in
turn, each client on its own keep-alive connection). Fails on any error;
prints p50/p95 latency and throughput."""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

from endpoint_common import ROOT, Client, build_reference_store, our_server, percentile

CLIENTS = 50
QUERIES_PER_CLIENT = 20


def main() -> int:
    import logging
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queueing is the point here
    sys.path.insert(0, str(ROOT))
    from service.queries import list_queries
    texts = [q.text for q in list_queries()] or ["SELECT * WHERE { ?s ?p ?o } LIMIT 10"]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory() as tmp:
        store = build_reference_store(Path(tmp))
        with our_server(store, workers=4, timeout=30) as (host, port):
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
            wall = time.perf_counter() - t0
    total = CLIENTS * QUERIES_PER_CLIENT
    print(f"{CLIENTS} clients x {QUERIES_PER_CLIENT} queries = {total} requests in {wall:.1f} s "
          f"({total / wall:.0f} req/s), {len(errors)} errors")
    print(f"latency p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, "
          f"max {max(latencies):.1f} ms")
    for e in errors[:10]:
        print("  " + e)
    return 1 if errors or len(latencies) != total else 0


if __name__ == "__main__":
    sys.exit(main())
