"""The published dataset: its VoID + DCAT description (at <base>id/dataset and
/.well-known/void), the SPARQL Service Description of /sparql, and full dumps.

Descriptions are written as N-Triples with ingest.rdf (escaping in one place)
and serialised by pyoxigraph into the negotiated format.
"""
from __future__ import annotations

import io

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, redirect, request

from ingest.iris import Minter
from ingest.rdf import Triples, en, integer, iri, lit, zh
from ingest.vocab import FKG

from .app import get_store, select_rows
from .linked_data import SUFFIXES, triples_page
from .queries import named_query_text
from .results import GRAPH_FORMATS

bp = Blueprint("dataset", __name__)

# The licence the dataset is published under (the source disclosures are public records).
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DUMPS = {  # file name -> (store format key, media type)
    "all.nq": ("nq", "application/n-quads"),
    "all.ttl": ("ttl", "text/turtle; charset=utf-8"),
    "all.nt": ("nt", "application/n-triples"),
    "all.trig": ("trig", "application/trig"),
}


def _serialize(ntriples: str, fmt: str) -> bytes:
    buf = io.BytesIO()
    ox.serialize(ox.parse(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES), buf, GRAPH_FORMATS[fmt][1])
    return buf.getvalue()


def service_description(endpoint_url: str, base_iri: str, fmt: str) -> bytes:
    """SPARQL 1.1 Service Description of the endpoint at `endpoint_url`."""
    t = Triples()
    svc = endpoint_url
    t.add_iri(svc, "rdf:type", "sd:Service")
    t.add_iri(svc, "sd:endpoint", endpoint_url)
    t.add_iri(svc, "sd:supportedLanguage", "sd:SPARQL11Query")
    t.add_iri(svc, "sd:feature", "sd:UnionDefaultGraph")
    for uri in ("http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
                "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
                "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
                "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/JSON-LD"):
        t.add(svc, "sd:resultFormat", iri(uri))
    dataset = Minter(base_iri).dataset
    desc = endpoint_url + "#default-dataset"
    t.add_iri(svc, "sd:defaultDataset", desc)
    t.add_iri(desc, "rdf:type", "sd:Dataset")
    t.add_iri(desc, "dcterms:source", dataset)
    t.add(desc, "dcterms:description", en("The default graph is the union of all named graphs "
                                          "(one per report, plus ontology, code lists and findings)."))
    return _serialize(t.ntriples(), fmt)


def dataset_description(base_iri: str) -> str:
    """VoID + DCAT description of the whole store, as N-Triples."""
    m = Minter(base_iri)
    ds = m.dataset
    t = Triples()
    t.add_iri(ds, "rdf:type", "void:Dataset")
    t.add_iri(ds, "rdf:type", "dcat:Dataset")
    t.add(ds, "dcterms:title", zh("财政预决算知识图谱"))
    t.add(ds, "dcterms:title", en("fiscalkg: Chinese public budget disclosures as a knowledge graph"))
    t.add(ds, "dcterms:description", en("部门决算 and 部门预算 reports as RDF (Data Cube tables, SKOS code lists, "
                                        "organisations, procurement, performance), with provenance to the "
                                        "source excerpts and consistency findings."))
    t.add_iri(ds, "dcterms:license", LICENSE)
    t.add(ds, "dcterms:language", iri("http://id.loc.gov/vocabulary/iso639-1/zh"))
    t.add(ds, "void:uriSpace", lit(base_iri + "id/"))
    t.add_iri(ds, "void:vocabulary", FKG.rstrip("#"))
    endpoint = base_iri + "sparql"
    t.add_iri(ds, "void:sparqlEndpoint", endpoint)
    t.add_iri(ds, "dcat:distribution", ds + "/distribution/sparql")
    t.add_iri(ds + "/distribution/sparql", "rdf:type", "dcat:Distribution")
    t.add_iri(ds + "/distribution/sparql", "dcat:accessURL", endpoint)
    t.add_iri(ds + "/distribution/sparql", "dcat:accessService", endpoint)
    t.add_iri(endpoint, "rdf:type", "dcat:DataService")
    t.add_iri(endpoint, "dcat:endpointURL", endpoint)
    t.add_iri(endpoint, "dcat:servesDataset", ds)
    for name, (_fmt, media) in DUMPS.items():
        url = f"{base_iri}dumps/{name}"
        dist = f"{ds}/distribution/{name.replace('.', '-')}"
        t.add_iri(ds, "void:dataDump", url)
        t.add_iri(ds, "dcat:distribution", dist)
        t.add_iri(dist, "rdf:type", "dcat:Distribution")
        t.add_iri(dist, "dcat:downloadURL", url)
        t.add(dist, "dcat:mediaType", iri("https://www.iana.org/assignments/media-types/" + media.split(";")[0]))
        t.add_iri(dist, "dcterms:license", LICENSE)

    _, graphs = select_rows(named_query_text("service/graph-sizes"))
    total = 0
    for g, n in graphs:
        count = int(n[1])
        total += count
        t.add_iri(ds, "void:subset", g[1])
        t.add_iri(g[1], "rdf:type", "void:Dataset")
        t.add(g[1], "void:triples", integer(count))
        t.add(g[1], "void:inDataset", iri(ds))
    t.add(ds, "void:triples", integer(total))
    _, reports = select_rows(named_query_text("service/dataset-reports"))
    for r, label in reports:
        t.add_iri(ds, "dcterms:source", r[1])
        if label is not None:
            t.add(r[1], "rdfs:label", lit(label[1], label[3] or None, label[2]))
    return t.ntriples()


def _dataset_response(fmt: str | None):
    from .sparql import GRAPH_MEDIA, negotiate
    fmt = fmt or negotiate(GRAPH_MEDIA, "ttl")
    base = current_app.config["BASE_IRI"]
    nt = dataset_description(base)
    if fmt == "html":
        return triples_page(Minter(base).dataset, list(ox.parse(nt.encode("utf-8"), ox.RdfFormat.N_TRIPLES)))
    return Response(_serialize(nt, fmt), content_type=GRAPH_FORMATS[fmt][0], headers={"Vary": "Accept"})


@bp.route("/id/dataset")
def dataset():
    return _dataset_response(None)


@bp.route("/id/dataset.<ext>")
def dataset_twin(ext: str):
    if ext not in SUFFIXES:
        abort(404)
    return _dataset_response(SUFFIXES[ext])


@bp.route("/.well-known/void")
def well_known_void():
    if "text/html" in request.headers.get("Accept", ""):
        return redirect("/id/dataset", code=303)
    return _dataset_response(None)


@bp.route("/dumps/<name>")
def dump(name: str):
    if name not in DUMPS:
        abort(404)
    fmt, media = DUMPS[name]
    data = get_store().dump(fmt)
    return Response(data, content_type=media,
                    headers={"Content-Disposition": f'attachment; filename="fiscalkg-{name}"'})
