"""Shared by bench_endpoint.py and bench_load.py: the reference report in a
temporary on-disk store, our server on a free loopback port, a keep-alive HTTP
client and percentiles."""
from __future__ import annotations

import http.client
import statistics
import sys
import threading
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


@contextmanager
def our_server(store: Path, **overrides):
    """(host, port) of the real service (waitress + query workers) on 127.0.0.1."""
    from service import settings
    from service.app import close_app
    from service.server import make_server, stop
    config = settings.resolved(store=str(store), host="127.0.0.1", port=0)
    config.update(overrides)
    app, server = make_server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.effective_port
    finally:
        stop(server, thread)
        close_app(app)


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
