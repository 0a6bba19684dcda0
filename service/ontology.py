"""The ontology, shapes and vocabulary files of `ontology/`, loaded into their
own named graph so queries can read labels and definitions."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from ingest.iris import Minter

from .queries import named_query_text
from .store import Store

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
# Blank nodes of the Turtle files (SHACL lists, restrictions) become these
# IRIs, numbered in file order, so every load gives identical statements.
GENID = "https://fiscalkg.org/ontology/.well-known/genid/"
HASH_PREDICATE = "https://fiscalkg.org/ontology#sourceHash"


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*shapes*.ttl"))


def vocabulary_files() -> list[Path]:
    """The ontology files without the SHACL shapes."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if "shapes" not in p.name)


def ontology_ntriples() -> tuple[str, str]:
    """The ontology files as N-Triples with skolemised blank nodes, and their hash."""
    digest = hashlib.sha256()
    lines = []
    for path in ontology_files():
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        labels: dict[str, str] = {}

        def term(t, stem=path.stem, labels=labels):
            if isinstance(t, ox.BlankNode):
                return f"<{GENID}{stem}-{labels.setdefault(t.value, str(len(labels) + 1))}>"
            return str(t)

        for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=path.as_uri()):
            lines.append(f"{term(q.subject)} {q.predicate} {term(q.object)} .")
    return "\n".join(lines), digest.hexdigest()


def ensure_ontology(store: Store, base_iri: str) -> None:
    """Load the ontology graph when the files changed since the last load."""
    graph = Minter(base_iri).ontology_graph
    ntriples, digest = ontology_ntriples()
    stamp = f'<{graph}> <{HASH_PREDICATE}> "{digest}" .'
    if not store.query(named_query_text("service/ontology-loaded", {"graph": graph, "digest": digest})):
        store.replace_graphs({graph: ntriples + "\n" + stamp})
