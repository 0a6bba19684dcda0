"""/sparql: the SPARQL 1.1 Protocol for queries (GET, POST form, POST direct),
with the dataset given by default-graph-uri / named-graph-uri, content
negotiation, CORS, and a Service Description when no query is given.

The endpoint is read-only: updates get 403, unless an admin token is
configured and the request carries it as a Bearer token.
"""
from __future__ import annotations

import hmac
import re
from functools import lru_cache
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from .app import TRUNCATED_HEADER, execute, get_pool, get_store
from .query_pool import QueryError, QueryJob, truncation_note
from .results import GRAPH_FORMATS, SOLUTION_FORMATS

bp = Blueprint("sparql", __name__)

# Media types we answer, in order of preference when the client accepts any.
SOLUTION_MEDIA = [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("application/json", "json"),
    ("application/xml", "xml"), ("text/xml", "xml"), ("text/html", "html"),
]
GRAPH_MEDIA = [
    ("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdfxml"),
    ("application/ld+json", "jsonld"), ("application/x-turtle", "ttl"), ("text/plain", "nt"),
    ("application/json", "jsonld"), ("application/xml", "rdfxml"), ("text/html", "html"),
]
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html",
                  "ttl": "ttl", "turtle": "ttl", "nt": "nt", "ntriples": "nt", "rdfxml": "rdfxml",
                  "jsonld": "jsonld"}


_ERROR_AT = re.compile(r"error at (\d+):(\d+)")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(table: list[tuple[str, str]], default: str, override: str | None = None) -> str:
    """The format key the client prefers among `table`; `default` without an Accept header."""
    if override:
        return override
    header = request.headers.get("Accept")
    if not header:
        return default
    return _best_format(header, tuple(table), default)


@lru_cache(maxsize=512)
def _best_format(header: str, table: tuple[tuple[str, str], ...], default: str) -> str:
    """Accept-header matching is a fifth of a small query's time; clients repeat their header."""
    best = parse_accept_header(header, MIMEAccept).best_match([m for m, _ in table])
    return dict(table)[best] if best else default


def _format_override(values) -> tuple[str | None, str | None]:
    """`format=` / `output=` parameters (for links and browsers): (solution fmt, graph fmt)."""
    raw = (values.get("format") or values.get("output") or "").lower()
    fmt = FORMAT_ALIASES.get(raw)
    if fmt is None:
        return None, None
    if fmt in SOLUTION_FORMATS or fmt == "html":
        return fmt, ("html" if fmt == "html" else None)
    return None, fmt


def _decode_utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not valid UTF-8 (byte {exc.start}); send it as UTF-8")


def _read_request() -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, parameters) from the request, validating the protocol rules."""
    limit = int(current_app.config["MAX_REQUEST_BYTES"])
    if len(request.query_string) > limit or (request.content_length or 0) > limit:
        raise ProtocolError(413, f"request larger than {limit} bytes (server setting max_request_bytes)")
    params = {k: request.args.getlist(k) for k in request.args}
    if request.method == "GET":
        if "update" in params:
            raise ProtocolError(400, "updates must be sent with POST, not GET")
        query = _single(params, "query")
        return query, None, params
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    charset = options.get("charset", "utf-8").lower()
    if mimetype == "application/x-www-form-urlencoded":
        body = _decode_utf8(request.get_data(cache=True), "request body")
        form = parse_qs(body, keep_blank_values=True)
        for k, v in form.items():
            params.setdefault(k, []).extend(v)
        if "query" in form and "update" in form:
            raise ProtocolError(400, "send either query= or update=, not both")
        return _single(params, "query"), _single(params, "update"), params
    if mimetype in ("application/sparql-query", "application/sparql-update"):
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(400, f"{mimetype} bodies must be UTF-8, not {charset}")
        if "query" in params or "update" in params:
            raise ProtocolError(400, "with a direct POST the operation is the body, not a URL parameter")
        text = _decode_utf8(request.get_data(cache=True), "request body")
        return (text, None, params) if mimetype == "application/sparql-query" else (None, text, params)
    if not mimetype:
        raise ProtocolError(415, "POST needs a Content-Type: application/sparql-query, "
                                 "application/sparql-update or application/x-www-form-urlencoded")
    raise ProtocolError(415, f"unsupported Content-Type {mimetype}: use application/sparql-query, "
                             "application/sparql-update or application/x-www-form-urlencoded")


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"more than one {name} parameter: send exactly one")
    return values[0] if values else None


def _dataset(params) -> tuple[list[str] | None, list[str] | None]:
    """The protocol dataset: when either list is given, the other one is empty (not 'all')."""
    default, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    if default is None and named is None:
        return None, None
    return list(default or []), list(named or [])


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":  # CORS pre-flight
        return Response(status=204, headers={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
            "Access-Control-Max-Age": "86400"})
    try:
        query, update, params = _read_request()
        if update is not None:
            return _update(update, params)
        solution_override, graph_override = _format_override({k: v[0] for k, v in params.items()})
        if query is None:
            return _service_description(graph_override)
        return _query(query, params, solution_override, graph_override)
    except ProtocolError as exc:
        return _error(exc.status, exc.message)


def _query(query: str, params, solution_override, graph_override) -> Response:
    solution_fmt = negotiate(SOLUTION_MEDIA, "json", solution_override)
    graph_fmt = negotiate(GRAPH_MEDIA, "ttl", graph_override)
    html = solution_fmt == "html" or graph_fmt == "html"
    default_graph, named_graphs = _dataset(params)
    job = QueryJob(query, fmt="rows" if solution_fmt == "html" else solution_fmt,
                   graph_fmt="rows" if graph_fmt == "html" else graph_fmt,
                   default_graph=default_graph, named_graphs=named_graphs,
                   base_iri=request.base_url)  # relative IRIs in a query resolve against the endpoint
    try:
        out = execute(job)
    except QueryError as exc:
        kind = "malformed query" if exc.status == 400 else "query failed"
        message = f"{kind}: " + _ERROR_AT.sub(r"error at line \1, column \2", str(exc))
        if html:
            return _page(query, error=message, status=exc.status)
        return _error(exc.status, message)
    headers = {"Vary": "Accept"}
    if out.truncated:
        headers[TRUNCATED_HEADER] = f"max_rows={job.max_rows}"
    if out.body is None:  # HTML for a browser
        resp = _page(query, outcome=out, truncated=truncation_note(job.max_rows) if out.truncated else "")
        resp.headers.update(headers)
        return resp
    if out.kind == "graph":
        mimetype = GRAPH_FORMATS[job.graph_fmt][0]
    else:
        mimetype = SOLUTION_FORMATS[job.fmt]
    return Response(out.body, headers=headers, content_type=mimetype)


def _page(query: str = "", outcome=None, error: str = "", truncated: str = "", status: int = 200) -> Response:
    html = render_template("sparql.html", query=query, outcome=outcome, error=error, truncated=truncated)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _service_description(graph_override: str | None) -> Response:
    from .dataset import service_description
    fmt = negotiate(GRAPH_MEDIA, "ttl", graph_override)
    if fmt == "html":
        return _page()
    body = service_description(request.base_url, current_app.config["BASE_IRI"], fmt)
    return Response(body, content_type=GRAPH_FORMATS[fmt][0], headers={"Vary": "Accept"})


def _update(update: str, params) -> Response:
    token = str(current_app.config.get("ADMIN_TOKEN") or "")
    if not token:
        return _error(403, "this endpoint is read-only: SPARQL Update is not accepted")
    auth = request.headers.get("Authorization", "")
    if not (auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].encode(), token.encode())):
        resp = _error(401, "SPARQL Update needs the admin token as 'Authorization: Bearer <token>'")
        resp.headers["WWW-Authenticate"] = 'Bearer realm="fiscalkg"'
        return resp
    if any(k in params for k in ("using-graph-uri", "using-named-graph-uri")):
        return _error(400, "using-graph-uri / using-named-graph-uri are not supported; use USING in the update")
    try:
        get_store().raw.update(update)
    except SyntaxError as exc:
        return _error(400, f"malformed update: {exc}")
    get_store().flush()
    pool = get_pool()
    if pool is not None:
        pool.refresh()
    return Response("update applied\n", status=200, content_type="text/plain; charset=utf-8")


def _error(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")
