"""The store: pyoxigraph on disk, one named graph per report.

Writes replace whole graphs in one SPARQL Update request (or, when none of
them exists yet, one N-Quads load); oxigraph applies either as one
transaction, so a failed write leaves the store as it was.
Queries see the union of all graphs as their default graph.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .queries import declares_dataset

FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class Store:
    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = str(path) if path is not None else None
        if path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(self.path)
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(self.path)

    @property
    def raw(self) -> ox.Store:
        return self._store

    # --- writing -------------------------------------------------------------

    def replace_graphs(self, graphs: dict[str, str], drop: Iterable[str] = (),
                       add: dict[str, str] | None = None) -> None:
        """In one transaction: replace each graph of `graphs` by the N-Triples
        text given for it, drop the graphs in `drop`, and add the statements of
        `add` to shared graphs (code lists) without dropping them."""
        if not drop and not any(self._store.contains_named_graph(ox.NamedNode(g)) for g in graphs):
            # Nothing to replace (a first ingest): one N-Quads load is one transaction
            # too, and costs ~40% less than INSERT DATA, which writing many reports waits on.
            nquads = "".join(_as_nquads(graph, ntriples)
                             for graph, ntriples in list(graphs.items()) + list((add or {}).items()))
            if nquads:
                self._store.load(nquads, ox.RdfFormat.N_QUADS)
            return
        ops = [f"DROP SILENT GRAPH <{g}>" for g in list(drop) + list(graphs)]
        for graph, ntriples in list(graphs.items()) + list((add or {}).items()):
            if ntriples.strip():
                ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}")
        if ops:
            self._store.update(" ;\n".join(ops))

    # --- reading -------------------------------------------------------------

    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None, use_default_graph_as_union: bool = True):
        if default_graph is not None or named_graphs is not None:
            return self._store.query(
                sparql,
                default_graph=[ox.NamedNode(g) for g in default_graph] if default_graph is not None else None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs is not None else None,
            )
        if declares_dataset(sparql):  # the query's own FROM / FROM NAMED define its dataset
            use_default_graph_as_union = False
        return self._store.query(sparql, use_default_graph_as_union=use_default_graph_as_union)

    def select(self, sparql: str, **kwargs) -> list[dict[str, object]]:
        """SELECT results as dicts of Python values (str, Decimal, int…), for code and tests."""
        solutions = self.query(sparql, **kwargs)
        names = [v.value for v in solutions.variables]
        return [{n: to_python(sol[n]) for n in names if sol[n] is not None} for sol in solutions]

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, fmt: str, output=None, graph: str | None = None) -> bytes | None:
        """Serialise the store: datasets (N-Quads, TriG) keep their graphs; triple
        formats get one graph, or the union of all graphs."""
        rdf_format = FORMATS[fmt]
        if graph is not None:
            return self._store.dump(output, rdf_format, from_graph=ox.NamedNode(graph))
        if not rdf_format.supports_datasets:
            return self._dump_union(rdf_format, output)
        return self._store.dump(output, rdf_format)

    def _dump_union(self, rdf_format, output):
        """Triple formats get the union of all graphs (de-duplicated)."""
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
        buf = io.BytesIO()
        ox.serialize(sorted(triples, key=str), buf, rdf_format)
        data = buf.getvalue()
        if output is None:
            return data
        if hasattr(output, "write"):
            output.write(data)
        else:
            Path(output).write_bytes(data)
        return None

    def flush(self) -> None:
        self._store.flush()


def _as_nquads(graph: str, ntriples: str) -> str:
    """N-Triples text (one statement a line) as N-Quads in `graph`."""
    out = []
    for line in ntriples.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(f"{line[:-1].rstrip() if line.endswith('.') else line} <{graph}> .\n")
    return "".join(out)


def to_python(term):
    """A pyoxigraph term as a plain value: IRIs and strings as str, numbers as
    Decimal/int, booleans as bool, dates as str."""
    from decimal import Decimal
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith("#decimal"):
            return Decimal(term.value)
        if dt.endswith("#integer") or dt.endswith("#int") or dt.endswith("#long"):
            return int(term.value)
        if dt.endswith("#double") or dt.endswith("#float"):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value
