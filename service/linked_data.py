"""Linked data: every IRI minted under the base (<base>id/... and <base>graph/...)
resolves on the service by its path. Browsers get an HTML page (properties,
inbound links, provenance excerpts, labels @zh preferred); RDF clients get
Turtle, JSON-LD, N-Triples or RDF/XML by content negotiation or by the .ttl /
.jsonld / .nt / .rdf suffix twins. Unknown IRIs are 404.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from ingest.vocab import PREFIXES, XSD

from .app import execute, get_store, local_path, select_rows
from .queries import named_query_text
from .query_pool import QueryError, QueryJob
from .results import GRAPH_FORMATS, term_tuple

bp = Blueprint("linked_data", __name__)

SUFFIXES = {"ttl": "ttl", "jsonld": "jsonld", "nt": "nt", "rdf": "rdfxml"}
LD_MEDIA = [
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "ttl"), ("application/json", "jsonld"),
    ("text/plain", "nt"), ("text/html", "html"), ("application/xhtml+xml", "html"),
]
MAX_INBOUND = 300


def _query(name: str, iri: str) -> str:
    return named_query_text("service/" + name, {"iri": iri})


def resource_exists(iri: str) -> bool:
    try:
        query = _query("resource-exists", iri)
    except ValueError:  # not an IRI (a path with spaces, quotes…): nothing in the dataset has it
        return False
    return bool(execute(QueryJob(query)).boolean)


@bp.route("/id/<path:rest>")
def resource(rest: str):
    return _resolve("id/", rest)


@bp.route("/graph/<path:rest>")
def graph(rest: str):
    return _resolve("graph/", rest)


def _resolve(prefix: str, rest: str) -> Response:
    base = current_app.config["BASE_IRI"]
    iri, fmt = base + prefix + rest, None
    try:
        stem, dot, ext = rest.rpartition(".")
        if dot and ext in SUFFIXES and not resource_exists(iri):
            iri, fmt = base + prefix + stem, SUFFIXES[ext]
        if not resource_exists(iri):
            return _not_found(iri)
        if fmt is None:
            from .sparql import negotiate
            fmt = negotiate(LD_MEDIA, "ttl")
        if fmt == "html":
            return resource_page(iri)
        if prefix == "graph/" and _graph_size(iri):
            body = get_store().dump(fmt, graph=iri)
            return Response(body, content_type=GRAPH_FORMATS[fmt][0], headers={"Vary": "Accept"})
        out = execute(QueryJob(_query("resource-describe", iri), graph_fmt=fmt))
    except QueryError as exc:
        return Response(f"{exc}\n", status=exc.status, content_type="text/plain; charset=utf-8")
    return Response(out.body, content_type=GRAPH_FORMATS[fmt][0], headers={"Vary": "Accept"})


def _not_found(iri: str) -> Response:
    if "text/html" in request.headers.get("Accept", ""):
        html = render_template("not_found.html", iri=iri)
        return Response(html, status=404, content_type="text/html; charset=utf-8")
    return Response(f"no resource <{iri}> in this dataset\n", status=404, content_type="text/plain; charset=utf-8")


def _graph_size(iri: str) -> int:
    _, rows = select_rows(_query("graph-size", iri))
    return int(rows[0][0][1]) if rows and rows[0][0] else 0


# --- the HTML page ------------------------------------------------------------------

def best_label(labels) -> str | None:
    """The label to show: @zh first, then untagged, then @en, then any."""
    def rank(t):
        lang = (t[3] or "").lower()
        return 0 if lang.startswith("zh") else 1 if not lang else 2 if lang.startswith("en") else 3
    literals = [t for t in labels if t is not None and t[0] == "literal"]
    return min(literals, key=rank)[1] if literals else None


def curie(value: str) -> str | None:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns):]}"
    return None


def term_view(t, labels=()) -> dict:
    """What the template needs to show a term: text, link target, note (datatype/lang/CURIE)."""
    if t[0] == "uri":
        href = local_path(t[1])
        label = best_label(labels)
        short = curie(t[1])
        return {"text": label or short or t[1], "href": href, "note": short or (t[1] if label else ""),
                "iri": t[1]}
    if t[0] == "bnode":
        return {"text": "_:" + t[1], "href": None, "note": "", "iri": None}
    note = f"@{t[3]}" if t[3] else (curie(t[2]) or t[2]) if t[2] != XSD + "string" else ""
    return {"text": t[1], "href": None, "note": note, "iri": None}


def _grouped(rows, key_cols, label_cols) -> list[dict]:
    """Rows (one per label combination) folded into one entry per key, labels collected."""
    entries: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[i] for i in key_cols)
        entry = entries.setdefault(key, {"terms": key, "labels": [[] for _ in label_cols], "extra": row})
        for slot, i in enumerate(label_cols):
            if row[i] is not None and row[i] not in entry["labels"][slot]:
                entry["labels"][slot].append(row[i])
    return list(entries.values())


def resource_page(iri: str) -> Response:
    from .ui import entity_page  # the UI's page for projects, organisations, reports, codes, findings
    page = entity_page(iri)
    if page is not None:
        return page
    base = current_app.config["BASE_IRI"]
    _, prop_rows = select_rows(_query("resource-properties", iri))
    props = []
    own_labels = []
    for e in _grouped(prop_rows, (0, 1, 4), (2, 3)):
        p, o, g = e["terms"]
        if p[1] == "http://www.w3.org/2000/01/rdf-schema#label":
            own_labels.append(o)
        props.append({"p": term_view(p, e["labels"][0]), "o": term_view(o, e["labels"][1]),
                      "g": term_view(g) if g else None})
    props.sort(key=lambda x: (x["p"]["iri"] != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", x["p"]["text"]))
    _, in_rows = select_rows(_query("resource-inbound", iri))
    inbound = [{"s": term_view(e["terms"][0], e["labels"][0]), "p": term_view(e["terms"][1], e["labels"][1])}
               for e in _grouped(in_rows, (0, 1), (2, 3))]
    inbound.sort(key=lambda x: (x["p"]["text"], x["s"]["text"]))
    _, prov_rows = select_rows(_query("resource-provenance", iri))
    provenance = [{"loc": term_view(r[0]), "report": term_view(r[1]) if r[1] else None,
                   "page": r[2][1] if r[2] else None, "line_start": r[3][1] if r[3] else None,
                   "line_end": r[4][1] if r[4] else None, "excerpt": r[5][1] if r[5] else ""}
                  for r in prov_rows]
    graph_triples = _graph_size(iri) if iri.startswith(base + "graph/") else 0
    local = "/" + iri[len(base):] if iri.startswith(base) else None
    html = render_template(
        "resource.html", iri=iri, title=best_label(own_labels) or curie(iri) or iri, local=local,
        props=props, inbound=inbound, inbound_capped=len(inbound) >= MAX_INBOUND, provenance=provenance,
        graph_triples=graph_triples, suffixes=["ttl", "jsonld", "nt"])
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def triples_page(iri: str, triples) -> Response:
    """A page for a resource described by computed triples (the dataset description)."""
    props = [{"p": term_view(term_tuple(t.predicate)), "o": term_view(term_tuple(t.object)), "g": None}
             for t in triples if t.subject.value == iri]
    labels = [term_tuple(t.object) for t in triples
              if t.subject.value == iri and t.predicate.value.endswith("/title")]
    html = render_template("resource.html", iri=iri, title=best_label(labels) or iri, local=local_path(iri),
                           props=props, inbound=[], inbound_capped=False, provenance=[], graph_triples=0,
                           suffixes=["ttl", "jsonld", "nt"])
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
