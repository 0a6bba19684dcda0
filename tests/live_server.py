"""Test helpers: build an on-disk store from RDF files, and run the real service
under waitress on a free loopback port (what `fiscalkg serve` runs)."""
from __future__ import annotations

import http.client as httpclient
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from service import settings
from service.app import close_app
from service.server import make_server, stop

TEST_DATA = Path(__file__).resolve().parent / "data"


def build_store(path: Path, files: list[tuple[Path, str | None]]) -> Path:
    """A store at `path` holding each (file, graph IRI) — graph None for datasets (TriG, N-Quads)
    or for the default graph. Closed again, so servers can open it read-only."""
    store = ox.Store(str(path))
    for file, graph in files:
        fmt = ox.RdfFormat.from_extension(Path(file).suffix.lstrip("."))
        to_graph = ox.NamedNode(graph) if graph else None
        store.bulk_load(path=str(file), format=fmt, to_graph=to_graph, base_iri=Path(file).resolve().as_uri())
    store.flush()
    del store
    return path


@contextmanager
def live_server(store_dir: Path, **overrides):
    """Yield the base URL (no trailing slash) of the real service over `store_dir`."""
    config = settings.resolved(store=str(store_dir), host="127.0.0.1", port=0)
    config.update(overrides)
    app, server = make_server(config)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop(server, thread)
        close_app(app)


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 30) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of one real HTTP request. http.client,
    unlike urllib, adds no Content-Type of its own (the protocol tests send none on purpose)."""
    parts = urlsplit(url)
    conn = httpclient.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()
