"""SHACL validation of the store: the report graphs (or one of them) plus the
code lists, against every ontology/*shapes*.ttl, with the ontology files mixed
in so that sh:class follows rdfs:subClassOf.

No inference is run: the mapping states the types the shapes need, and RDFS
inference on a report of ~10^5 triples would multiply the validation time for
no gain. Warning-level results are reported but do not break conformance.
"""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from ingest.vocab import PREFIXES

from .ontology import shapes_files, vocabulary_files
from .queries import named_query_text
from .store import Store

MAX_EXAMPLES = 3  # focus nodes shown per distinct problem


def _parse_files(paths: list[Path]) -> rdflib.Graph:
    g = rdflib.Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


def _is_ontology_graph(graph_iri: str) -> bool:
    # The ontology comes from the files, not from the store's (maybe stale) copy.
    return graph_iri.endswith("/graph/ontology")


def data_graphs(store: Store, report_iri: str | None) -> list[str]:
    """The named graphs to validate: all but the ontology graph, or one
    report's graph plus the shared code-list graph(s)."""
    graphs = [g for g in store.graphs() if not _is_ontology_graph(g)]
    if report_iri is None:
        return graphs
    try:
        query = named_query_text("service/report-graphs", {"report": report_iri})
    except ValueError:
        raise LookupError(f"not an IRI: {report_iri!r}")
    rows = store.select(query)
    if not rows:
        raise LookupError(f"no report {report_iri} in the store")
    wanted = {r["g"] for r in rows}
    # The report's consistency findings live in its sibling findings graph.
    wanted |= {g.replace("/graph/report/", "/graph/findings/") for g in wanted}
    return [g for g in graphs if g in wanted or g.endswith("/graph/codelists")]


def load_data(store: Store, graphs: list[str]) -> rdflib.Graph:
    """The given named graphs of the store, merged into one rdflib graph."""
    data = rdflib.Graph()
    for g in graphs:
        nt = store.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
        if nt:
            data.parse(data=nt.decode("utf-8"), format="nt")
    return data


def validate_graph(data: rdflib.Graph) -> tuple[bool, list[dict]]:
    """Run pySHACL over `data`; return (conforms, grouped results)."""
    from pyshacl import validate
    shapes = _parse_files(shapes_files())
    conforms, results, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=_parse_files(vocabulary_files()),
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    return bool(conforms), summarise(results, shapes)


def summarise(results: rdflib.Graph, shapes: rdflib.Graph, limit: int = MAX_EXAMPLES) -> list[dict]:
    """Results grouped by (severity, shape, path, message), largest group first."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for r in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(r, SH.resultSeverity)
        path = results.value(r, SH.resultPath)
        shape = results.value(r, SH.sourceShape)
        # An anonymous property shape is named by the node shape holding it.
        if isinstance(shape, rdflib.BNode):
            parent = shapes.value(None, SH.property, shape)
            shape = parent if parent is not None else shape
        message = results.value(r, SH.resultMessage)
        key = (_short(severity).removeprefix("sh:"), _short(shape), _short(path), str(message or ""))
        node = str(results.value(r, SH.focusNode))
        value = results.value(r, SH.value)
        if value is not None and str(value) != node:
            node += f"  (value {value.n3() if isinstance(value, rdflib.Literal) else _short(value)})"
        groups[key].append(node)
    out = [{"severity": k[0], "shape": k[1], "path": k[2], "message": k[3],
            "count": len(nodes), "examples": sorted(nodes)[:limit]} for k, nodes in groups.items()]
    return sorted(out, key=lambda g: (g["severity"] != "Violation", -g["count"], g["shape"], g["path"]))


# Longest namespace first, so "obeu-dimension:" wins over shorter matches.
_PREFIXES = sorted({**PREFIXES, "fkgsh": "https://fiscalkg.org/shapes#"}.items(), key=lambda kv: -len(kv[1]))


def _short(term) -> str:
    """A term as a CURIE where a known prefix fits, for readable output."""
    if term is None:
        return ""
    if isinstance(term, rdflib.BNode):
        return "_:shape"
    text = str(term)
    for prefix, ns in _PREFIXES:
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def render(conforms: bool, groups: list[dict], triples: int, graphs: int, seconds: float) -> str:
    violations = sum(g["count"] for g in groups if g["severity"] == "Violation")
    others = sum(g["count"] for g in groups if g["severity"] != "Violation")
    lines = [f"{'Conforms' if conforms else 'Does NOT conform'}: {triples} triples in {graphs} graph(s), "
             f"{violations} violation(s), {others} warning(s)/info(s), {seconds:.1f} s"]
    for g in groups:
        where = f"{g['shape']} {g['path']}".strip()
        lines.append(f"  {g['severity']:<9} {g['count']:>6} × {where}: {g['message']}")
        for node in g["examples"]:
            lines.append(f"            e.g. {node}")
    return "\n".join(lines)


def validate_store(store: Store, report_iri: str | None = None) -> tuple[bool, str]:
    """Validate the store (or one report and the code lists); return (conforms, readable report)."""
    started = time.perf_counter()
    try:
        graphs = data_graphs(store, report_iri)
    except LookupError as exc:
        return False, str(exc)
    if not graphs:
        return False, "the store holds no report graphs: run `fiscalkg ingest` first"
    data = load_data(store, graphs)
    conforms, groups = validate_graph(data)
    return conforms, render(conforms, groups, len(data), len(graphs), time.perf_counter() - started)
