"""Shared by bench_endpoint.py, bench_load.py and bench_ui.py: the reference report in a
temporary on-disk store, our server (`fiscalkg serve`) on a free loopback port,
a keep-alive HTTP client, percentiles and the machine's load average."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "000_db8f0e8ff5a3a27e.txt"


def build_reference_store(directory: Path) -> Path:
    """The reference report ingested into a store under `directory`, or the store given
    as `--store DIR` on the command line (to bench an existing store)."""
    if "--store" in sys.argv:
        return Path(sys.argv[sys.argv.index("--store") + 1])
    from ingest import DEFAULT_BASE
    from service.loading import ingest_paths
    from service.store import Store
    path = directory / "store"
    store = Store(path)
    results = ingest_paths(store, [str(SAMPLE)], DEFAULT_BASE, jobs=1)
    if not all(r.ok for r in results):
        raise SystemExit("cannot ingest the reference report: " + "; ".join(r.message for r in results))
    store.flush()
    del store
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def our_server(store: Path, **settings_values):
    """(host, port) of the real service as `fiscalkg serve` runs it, in a process of its own:
    with the clients in the server's process, their threads would compete for its GIL and
    the numbers would measure the clients. Settings go in as FISCALKG_* variables."""
    port = free_port()
    env = {**os.environ, **{f"FISCALKG_{k.upper()}": str(v) for k, v in settings_values.items()},
           "FISCALKG_STORE": str(store), "FISCALKG_HOST": "127.0.0.1", "FISCALKG_PORT": str(port)}
    log = tempfile.TemporaryFile("w+")  # not a pipe: a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            probe = Client("127.0.0.1", port)
            try:
                if probe.query("ASK {}")[0] == 200:
                    break
            except OSError:
                pass
            finally:
                probe.close()
            if proc.poll() is not None:
                log.seek(0)
                raise SystemExit("our server did not start: " + log.read())
            if time.monotonic() > deadline:
                raise SystemExit("our server did not answer within 60 s")
            time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def load_average() -> str:
    """The 1/5/15-minute load averages, printed beside results: other work on the machine
    moves the numbers."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


class Client:
    """One keep-alive connection sending SPARQL queries by POST form."""

    def __init__(self, host: str, port: int, path: str = "/sparql", union_param: str | None = None):
        self.conn = http.client.HTTPConnection(host, port, timeout=120)
        self.path = path
        self.extra = {union_param: "true"} if union_param else {}

    def query(self, text: str) -> tuple[int, bytes]:
        body = urlencode({"query": text, **self.extra})
        self.conn.request("POST", self.path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, text/turtle"})
        resp = self.conn.getresponse()
        return resp.status, resp.read()

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
