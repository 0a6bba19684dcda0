"""SPARQL results as bytes: the formats the endpoint negotiates.

SELECT results are serialised here rather than by pyoxigraph because the row
cap needs to cut a result short and still write a well-formed document (with a
truncation note in JSON). Graph results go through pyoxigraph's serialisers.
Terms travel between processes as plain tuples: ("uri", iri), ("bnode", id),
("literal", lexical, datatype, lang).
"""
from __future__ import annotations

import io
import json
from xml.sax.saxutils import escape as xml_escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# format key -> media type of the response
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_FORMATS = {
    "ttl": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}


def term_tuple(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language)
    return ("triple", str(term))  # RDF-star quoted triple: shown as N-Triples text


def tuple_term(t: tuple):
    """The pyoxigraph term of a term tuple (for graph serialisation)."""
    if t[0] == "uri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    if t[2] == RDF_LANG_STRING or t[3]:
        return ox.Literal(t[1], language=t[3])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def nt_term(t: tuple) -> str:
    """N-Triples/Turtle form of a term tuple (TSV cells, tables)."""
    if t[0] == "uri":
        return f"<{t[1]}>"
    if t[0] == "bnode":
        return f"_:{t[1]}"
    if t[0] == "triple":
        return t[1]
    return str(tuple_term(t))


# --- SELECT / ASK ------------------------------------------------------------

def _json_term(t: tuple) -> dict:
    if t[0] == "uri":
        return {"type": "uri", "value": t[1]}
    if t[0] == "bnode":
        return {"type": "bnode", "value": t[1]}
    if t[0] == "triple":
        return {"type": "triple", "value": t[1]}
    out = {"type": "literal", "value": t[1]}
    if t[3]:
        out["xml:lang"] = t[3]
    elif t[2] != XSD_STRING:
        out["datatype"] = t[2]
    return out


def _xml_term(t: tuple) -> str:
    if t[0] == "uri":
        return f"<uri>{xml_escape(t[1])}</uri>"
    if t[0] == "bnode":
        return f"<bnode>{xml_escape(t[1])}</bnode>"
    if t[0] == "triple":
        return f"<literal>{xml_escape(t[1])}</literal>"
    if t[3]:
        return f"<literal xml:lang={quoteattr(t[3])}>{xml_escape(t[1])}</literal>"
    if t[2] != XSD_STRING:
        return f"<literal datatype={quoteattr(t[2])}>{xml_escape(t[1])}</literal>"
    return f"<literal>{xml_escape(t[1])}</literal>"


def _csv_cell(t: tuple | None) -> str:
    if t is None:
        return ""
    value = t[1] if t[0] != "bnode" else "_:" + t[1]
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _tsv_cell(t: tuple | None) -> str:
    if t is None:
        return ""
    if t[0] == "literal" and not t[3] and t[2] in (
            "http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
            "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#boolean"):
        return t[1]
    return nt_term(t).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(variables: list[str], rows: list[tuple], fmt: str, truncated_note: str = "") -> bytes:
    """`rows` are tuples of term tuples (or None), in the order of `variables`."""
    if fmt == "json":
        doc = {"head": {"vars": variables},
               "results": {"bindings": [{v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                                        for row in rows]}}
        if truncated_note:
            doc["truncated"] = True
            doc["note"] = truncated_note
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        if truncated_note:
            out.insert(1, f"<!-- {xml_escape(truncated_note).replace('--', '- -')} -->")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)] + ["\t".join(_tsv_cell(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    text = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":%s}' % text).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{text}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"_askResult\n{text}\n".encode()
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_triples(triples, fmt: str) -> bytes:
    buf = io.BytesIO()
    ox.serialize(triples, buf, GRAPH_FORMATS[fmt][1])
    return buf.getvalue()
