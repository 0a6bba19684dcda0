"""The Flask application: `create_app(config)` applies the defaults of
service/settings.py, then `config`, then registers the blueprints of BLUEPRINTS.

Config keys are the setting names (store, timeout, max_rows, ...), upper- or
lower-case. `store` may be None for an empty in-memory store (queries then run
in-process, without the timeout). Otherwise queries run in the killable worker
processes of service/query_pool.py, and the app keeps one read-only handle of
its own for dumps.
"""
from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path

from flask import Flask, current_app, request

from . import settings
from .query_pool import QueryError, QueryJob, QueryOutcome, QueryPool, QuerySyntaxError, run_query
from .store import Store

# "module:attribute" of each blueprint; other features append theirs here.
BLUEPRINTS = [
    "service.sparql:bp",
    "service.linked_data:bp",
    "service.dataset:bp",
    "service.ui:bp",
]

TRUNCATED_HEADER = "X-Fiscalkg-Truncated"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    for s in settings.SETTINGS:
        app.config[s.name.upper()] = settings.get(s.name)
    for k, v in (config or {}).items():
        app.config[k.upper()] = v
    settings_check(app.config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_REQUEST_BYTES"])
    app.json.ensure_ascii = False
    app.extensions["fiscalkg"] = _State(app.config)

    for ref in BLUEPRINTS:
        module, attr = ref.split(":")
        app.register_blueprint(getattr(importlib.import_module(module), attr))

    @app.after_request
    def cors(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = TRUNCATED_HEADER
        return response

    app.add_template_filter(local_path)

    @app.get("/-/settings.json")
    def settings_json():
        """The settings in force (the admin token only as set / not set)."""
        return [{"name": s.name, "env": s.env, "default": s.default, "help": s.help,
                 "value": bool(app.config["ADMIN_TOKEN"]) if s.name == "admin_token" else app.config[s.name.upper()]}
                for s in settings.SETTINGS]

    @app.context_processor
    def page_context():
        return {"query_page": query_page_url(), "base_iri": app.config["BASE_IRI"]}

    return app


def settings_check(config) -> None:
    base = str(config["BASE_IRI"])
    from ingest.iris import check_base
    check_base(base)
    if float(config["TIMEOUT"]) <= 0:
        raise ValueError("timeout must be positive")


class _State:
    """Per-app resources, created on first use and shared by the server threads."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.Lock()
        self.store: Store | None = None
        self.store_stamp: int | None = None
        self.checked = 0.0
        self.pool: QueryPool | None = None
        self.memory = config.get("STORE") in (None, "")

    def store_path(self) -> str:
        return str(self.config["STORE"])


def _state() -> _State:
    return current_app.extensions["fiscalkg"]


def _stamp(path: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


def get_store() -> Store:
    """The app's own store handle: opened once (read-only; writable when an admin token is
    configured), reopened when the store directory changed since (a later ingest)."""
    st = _state()
    with st.lock:
        if st.memory:
            if st.store is None:
                st.store = Store(None)
            return st.store
        path = st.store_path()
        writable = bool(st.config.get("ADMIN_TOKEN"))
        now = time.monotonic()
        if st.store is not None and (writable or now - st.checked < 1.0):
            return st.store
        st.checked = now
        stamp = _stamp(path)
        if st.store is None or stamp != st.store_stamp:
            if not writable and not Path(path).exists():
                raise QueryError(f"no store at {path}: run `fiscalkg ingest` first")
            st.store = Store(path, read_only=not writable)
            st.store_stamp = stamp
        return st.store


def get_pool() -> QueryPool | None:
    st = _state()
    if st.memory:
        return None
    with st.lock:
        if st.pool is None:
            if not Path(st.store_path()).exists():
                raise QueryError(f"no store at {st.store_path()}: run `fiscalkg ingest` first")
            st.pool = QueryPool(st.store_path(), int(st.config["WORKERS"]))
    st.pool.start()
    return st.pool


def execute(job: QueryJob) -> QueryOutcome:
    """Run a query job under the configured timeout and row cap."""
    config = current_app.config
    job.max_rows = min(job.max_rows, int(config["MAX_ROWS"])) if job.max_rows else int(config["MAX_ROWS"])
    pool = get_pool()
    if pool is not None:
        return pool.run(job, float(config["TIMEOUT"]))
    try:
        return run_query(get_store().raw, job)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc))


def select_rows(sparql: str, **kwargs) -> tuple[list[str], list[tuple]]:
    """(variables, rows of term tuples) of a SELECT, for pages built from query results."""
    out = execute(QueryJob(sparql, fmt="rows", **kwargs))
    return out.variables, out.rows


def close_app(app: Flask) -> None:
    """Stop the query workers (servers and tests call this on shutdown)."""
    st: _State = app.extensions["fiscalkg"]
    if st.pool is not None:
        st.pool.close()
        st.pool = None


def local_path(iri: str) -> str | None:
    """Where an IRI is shown on this service: its path when minted under the base, the IRI
    itself when it is http(s), else nothing (no javascript: or data: links from data)."""
    base = current_app.config["BASE_IRI"]
    if iri.startswith(base):
        return "/" + iri[len(base):]
    return iri if iri.startswith(("http://", "https://")) else None


def query_page_url() -> str | None:
    """The YASGUI page (/query) when the UI feature registered it, else None."""
    try:
        adapter = current_app.url_map.bind("")
        adapter.match("/query", method="GET")
        return (request.script_root if request else "") + "/query"
    except Exception:
        return None
