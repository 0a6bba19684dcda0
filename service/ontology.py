"""The ontology, shapes and vocabulary files of `ontology/`, loaded into their
own named graph so queries can read labels and definitions."""
from __future__ import annotations

from pathlib import Path

from ingest.iris import Minter

from .store import Store

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def ontology_turtle() -> str:
    """All ontology files as one Turtle document (each file declares its prefixes)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in ontology_files())


def ensure_ontology(store: Store, base_iri: str) -> None:
    """(Re)load the ontology graph; cheap, and keeps a store in step with the code."""
    graph = Minter(base_iri).ontology_graph
    parts = []
    import pyoxigraph as ox
    for path in ontology_files():
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            parts.append(f"{q.subject} {q.predicate} {q.object} .")
    store.replace_graphs({graph: "\n".join(parts)})
