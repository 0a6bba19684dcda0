"""Latency of the named queries (queries/*.rq) three ways, side by side: directly
on the store (pyoxigraph, results consumed), through our endpoint (waitress +
worker process + JSON), and through the Oxigraph server (`oxigraph
serve-read-only`) over the same store. Prints p50/p95 in ms per query.
Targets: ours adds <= 2 ms to the direct median, and stays within 1.5x of the
Oxigraph server on queries over 5 ms."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from endpoint_common import ROOT, Client, build_reference_store, our_server, percentile

RUNS = 50
WARMUP = 5


def timed(fns, runs=RUNS) -> list[list[float]]:
    """Milliseconds per call of each function, the functions interleaved run by run so that
    load changes on the machine hit all three ways alike."""
    for _ in range(WARMUP):
        for fn in fns:
            fn()
    out = [[] for _ in fns]
    for _ in range(runs):
        for fn, times in zip(fns, out):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox
    from service.queries import list_queries
    queries = list_queries()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = build_reference_store(Path(tmp))
        direct_store = ox.Store.read_only(str(store_path))

        def direct(text):
            result = direct_store.query(text, use_default_graph_as_union=True)
            return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)

        rows = []
        proc, ox_port = oxigraph_server(store_path)
        try:
            with our_server(store_path, workers=4, timeout=60, max_rows=1_000_000) as (host, port):
                ours, theirs = Client(host, port), Client("127.0.0.1", ox_port, path="/query")
                for nq in queries:
                    n = len(direct(nq.text))
                    status, _ = ours.query(nq.text)
                    status_ox, _ = theirs.query(nq.text)
                    if status != 200 or status_ox != 200:
                        print(f"{nq.name}: HTTP {status} (ours) / {status_ox} (oxigraph)", file=sys.stderr)
                        continue
                    d, o, x = timed([lambda: direct(nq.text), lambda: ours.query(nq.text),
                                     lambda: theirs.query(nq.text)])
                    rows.append((nq.name, n, d, o, x))
                ours.close()
                theirs.close()
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"{'query':34} {'rows':>6} | {'direct p50/p95':>15} | {'ours p50/p95':>15} | {'oxigraph p50/p95':>17} "
          f"| ours-direct  ours/oxigraph")
    ok = True
    for name, n, d, o, x in rows:
        d50, o50, x50 = (percentile(v, 50) for v in (d, o, x))
        added, ratio = o50 - d50, o50 / x50
        flag = ""
        if added > 2.0:
            flag += " >2ms"
        if x50 > 5 and ratio > 1.5:
            flag += " >1.5x"
        ok &= not flag
        print(f"{name:34} {n:6d} | {d50:6.2f} /{percentile(d, 95):7.2f} | {o50:6.2f} /{percentile(o, 95):7.2f} | "
              f"{x50:7.2f} /{percentile(x, 95):7.2f} | {added:+8.2f} ms  {ratio:9.2f}x{flag}")
    print("targets met" if ok else "TARGETS MISSED (flagged rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
