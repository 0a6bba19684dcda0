"""Latency of the named queries (queries/*.rq) three ways, side by side: directly
on the store (pyoxigraph in this process, results consumed), through our endpoint
(`fiscalkg serve`: waitress + Flask + query worker process + JSON) and through the
Oxigraph server (`oxigraph serve-read-only`) over the same store.

Targets (product issue 4), each with a PASS/FAIL column:
  +2ms   ours adds at most 2 ms to the direct median;
  1.5x   ours stays within 1.5x of the Oxigraph server median, on queries where the
         Oxigraph server takes over 5 ms (n/a below).
The machine is shared, so the whole measurement is repeated (--runs, default 3) and
each figure is the median over the runs; the load average is printed beside each run.

    python bench/bench_endpoint.py [--runs R] [--samples N] [--store DIR]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from endpoint_common import (ROOT, Client, build_reference_store, free_port, load_average, our_server,
                             percentile)

WARMUP = 5
ADDED_MS = 2.0
RATIO = 1.5
RATIO_FROM_MS = 5.0


def timed(fns, samples: int) -> list[list[float]]:
    """Milliseconds per call of each function, the functions interleaved call by call so
    that load changes on the machine hit all three ways alike."""
    for _ in range(WARMUP):
        for fn in fns:
            fn()
    out = [[] for _ in fns]
    for _ in range(samples):
        for fn, times in zip(fns, out):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return out


def oxigraph_server(store: Path):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the Oxigraph server did not start")


def verdicts(d50: float, o50: float, x50: float) -> tuple[str, str]:
    added = "PASS" if o50 - d50 <= ADDED_MS else "FAIL"
    ratio = "n/a" if x50 <= RATIO_FROM_MS else ("PASS" if o50 / x50 <= RATIO else "FAIL")
    return added, ratio


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=40, help="timed calls per query, way and run")
    parser.add_argument("--store", default=None)  # read by build_reference_store
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox
    from service.queries import list_queries
    queries = list_queries()
    # per query: list over runs of (direct p50, p95, ours p50, p95, oxigraph p50, p95)
    stats: dict[str, list[tuple[float, ...]]] = {nq.name: [] for nq in queries}
    sizes: dict[str, int] = {}
    errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        store_path = build_reference_store(Path(tmp))
        direct_store = ox.Store.read_only(str(store_path))

        def direct(text):
            result = direct_store.query(text, use_default_graph_as_union=True)
            return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)

        proc, ox_port = oxigraph_server(store_path)
        try:
            with our_server(store_path, workers=4, timeout=60, max_rows=1_000_000) as (host, port):
                ours, theirs = Client(host, port), Client("127.0.0.1", ox_port, path="/query")
                for nq in queries:
                    status, _ = ours.query(nq.text)
                    status_ox, _ = theirs.query(nq.text)
                    if status != 200 or status_ox != 200:
                        print(f"{nq.name}: HTTP {status} (ours) / {status_ox} (oxigraph)", file=sys.stderr)
                        errors += 1
                        del stats[nq.name]
                        continue
                    sizes[nq.name] = len(direct(nq.text))
                for run in range(args.runs):
                    print(f"run {run + 1}/{args.runs}: {load_average()}", flush=True)
                    for nq in queries:
                        if nq.name not in stats:
                            continue
                        d, o, x = timed([lambda: direct(nq.text), lambda: ours.query(nq.text),
                                         lambda: theirs.query(nq.text)], args.samples)
                        stats[nq.name].append(tuple(percentile(v, p) for v in (d, o, x) for p in (50, 95)))
                print(f"after the runs: {load_average()}")
                ours.close()
                theirs.close()
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"\nmedian over {args.runs} runs of {args.samples} interleaved calls per way (ms)")
    print(f"{'query':32} {'rows':>5} | {'direct p50/p95':>15} | {'ours p50/p95':>15} | {'oxigraph p50/p95':>16} "
          f"| {'ours-direct':>11} {'+2ms':>4} | {'ours/ox':>7} {'1.5x':>4}")
    fails = {"+2ms": 0, "1.5x": 0}
    for name, per_run in stats.items():
        d50, d95, o50, o95, x50, x95 = (statistics.median(r[i] for r in per_run) for i in range(6))
        added, ratio = verdicts(d50, o50, x50)
        fails["+2ms"] += added == "FAIL"
        fails["1.5x"] += ratio == "FAIL"
        print(f"{name:32} {sizes[name]:5d} | {d50:6.2f} /{d95:7.2f} | {o50:6.2f} /{o95:7.2f} | "
              f"{x50:6.2f} /{x95:8.2f} | {o50 - d50:+8.2f} ms {added:>4} | {o50 / x50:6.2f}x {ratio:>4}")
    n = len(stats)
    print(f"+2ms over direct: {'PASS' if not fails['+2ms'] else 'FAIL'} ({n - fails['+2ms']}/{n} queries); "
          f"within 1.5x of Oxigraph (queries over {RATIO_FROM_MS:g} ms): {'PASS' if not fails['1.5x'] else 'FAIL'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
