#!/usr/bin/env python3
"""Write ontology/context.jsonld from the ontology: one JSON-LD term per fkg:
class and property (object properties coerce to IRIs, datatype properties to
their range, language-tagged text to @zh), plus the prefixes and the reused
terms the graph uses most. Run it after adding terms to ontology/*.ttl;
tests/test_ontology.py fails while the context lags behind."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.vocab import FKG, PREFIXES  # noqa: E402

CONTEXT = ROOT / "ontology" / "context.jsonld"

EXTRA_PREFIXES = {
    "owl": str(OWL),
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
}

# Reused terms, short names as the graph uses them.
REUSED = {
    "id": "@id",
    "type": "@type",
    "label": {"@id": "rdfs:label", "@language": "zh"},
    "prefLabel": {"@id": "skos:prefLabel", "@language": "zh"},
    "definition": {"@id": "skos:definition", "@language": "zh"},
    "notation": "skos:notation",
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "dataSet": {"@id": "qb:dataSet", "@type": "@id"},
    "structure": {"@id": "qb:structure", "@type": "@id"},
    "Observation": "qb:Observation",
    "DataSet": "qb:DataSet",
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
    "exact": "oa:exact",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "Organization": "org:Organization",
    "publisher": {"@id": "dcterms:publisher", "@type": "@id"},
    "issued": {"@id": "dcterms:issued", "@type": "xsd:date"},
    "format": "dcterms:format",
}


def build_context(ontology_dir: Path = ROOT / "ontology") -> dict:
    g = rdflib.Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        if "shapes" not in path.name:
            g.parse(path, format="turtle")
    terms: dict[str, object] = {}
    for s in sorted(set(g.subjects()), key=str):
        if not isinstance(s, rdflib.URIRef) or not str(s).startswith(FKG):
            continue
        local = str(s)[len(FKG):]
        types = set(g.objects(s, RDF.type))
        curie = "fkg:" + local
        if OWL.ObjectProperty in types:
            terms[local] = {"@id": curie, "@type": "@id"}
        elif OWL.DatatypeProperty in types:
            rng = g.value(s, RDFS.range)
            if rng == RDF.langString:
                terms[local] = {"@id": curie, "@language": "zh"}
            elif rng is not None and rng != XSD.string and str(rng).startswith(str(XSD)):
                terms[local] = {"@id": curie, "@type": "xsd:" + str(rng)[len(str(XSD)):]}
            else:
                terms[local] = curie
        elif OWL.Class in types:
            terms[local] = curie
    context: dict[str, object] = {}
    context.update(sorted({**PREFIXES, **EXTRA_PREFIXES}.items()))
    context.update(REUSED)
    for local, term in terms.items():
        if local in context:
            raise SystemExit(f"fkg:{local} clashes with the context term {local!r}")
        context[local] = term
    return {"@context": context}


def main() -> None:
    text = json.dumps(build_context(), ensure_ascii=False, indent=2) + "\n"
    CONTEXT.write_text(text, encoding="utf-8")
    print(f"wrote {CONTEXT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
