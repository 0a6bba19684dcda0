"""Named queries: the `.rq` files of queries/ (competency questions) and
queries/checks/ (consistency rules).

Each file starts with comment lines that describe it:

    # title: 中文标题 / English title
    # description: what it answers
    # param: code string          (one line per parameter: name and type)

Parameters are bound by appending a SPARQL `VALUES` clause, so a file is a
valid query on its own and the binding never rewrites the query text.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
PARAM_TYPES = ("string", "decimal", "integer", "iri")
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    meta: dict[str, str] = field(default_factory=dict)            # any other header fields


def parse_header(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    q = NamedQuery(name=path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        field_name, value = m.group(1).lower(), m.group(2).strip()
        if field_name == "title":
            q.title = value
        elif field_name == "description":
            q.description = value
        elif field_name == "param":
            name, _, kind = value.partition(" ")
            kind = kind.strip() or "string"
            if kind not in PARAM_TYPES:
                raise ValueError(f"{path}: parameter {name} has unknown type {kind!r}")
            q.params.append((name, kind))
        else:
            q.meta[field_name] = value
    return q


def named_queries(folder: Path = QUERIES_DIR) -> list[NamedQuery]:
    return [parse_header(p) for p in sorted(folder.glob("*.rq"))]


def get_named_query(name: str, folder: Path = QUERIES_DIR) -> NamedQuery:
    path = folder / f"{name}.rq"
    if not path.is_file():
        raise FileNotFoundError(f"no named query {name!r} in {folder}")
    return parse_header(path)


def term_for(value: str, kind: str) -> str:
    if kind == "iri":
        value = value.strip("<>")
        if re.search(r'[\s<>"{}|^`\\]', value):
            raise ValueError(f"not an IRI: {value!r}")
        return f"<{value}>"
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.replace(",", "")):
            raise ValueError(f"not a decimal number: {value!r}")
        return f"\"{value.replace(',', '')}\"^^<http://www.w3.org/2001/XMLSchema#decimal>"
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"not an integer: {value!r}")
        return f"\"{value}\"^^<http://www.w3.org/2001/XMLSchema#integer>"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid SPARQL string literal


def bind(query: NamedQuery, params: dict[str, str]) -> str:
    """The query text with the given parameters bound (unknown names are an error)."""
    declared = dict(query.params)
    unknown = set(params) - set(declared)
    if unknown:
        raise ValueError(f"query {query.name} has no parameter {', '.join(sorted(unknown))}")
    given = [(n, term_for(params[n], declared[n])) for n, _ in query.params if params.get(n) not in (None, "")]
    if not given:
        return query.text
    names = " ".join(f"?{n}" for n, _ in given)
    values = " ".join(v for _, v in given)
    return f"{query.text.rstrip()}\nVALUES ({names}) {{ ({values}) }}\n"


def load_query_text(query: str, params: dict[str, str] | None = None) -> str:
    """A query given as SPARQL text, a path to a .rq file, or a named query of queries/."""
    params = params or {}
    path = Path(query)
    if query.endswith(".rq") and path.is_file():
        return bind(parse_header(path), params)
    if re.fullmatch(r"[\w\-/]+", query) and (QUERIES_DIR / f"{query}.rq").is_file():
        return bind(get_named_query(query), params)
    if params:
        raise ValueError("--param only applies to named queries or .rq files")
    return query


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def render_results(results, fmt: str) -> str:
    """CLI rendering: an aligned table, SPARQL JSON, CSV or TSV; graphs as Turtle."""
    if isinstance(results, bool):
        return json.dumps({"boolean": results}) + "\n" if fmt == "json" else ("true\n" if results else "false\n")
    if isinstance(results, ox.QueryTriples):
        buf = io.BytesIO()
        ox.serialize(results, buf, ox.RdfFormat.TURTLE)
        return buf.getvalue().decode("utf-8")
    if fmt == "json":
        return results.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8") + "\n"
    if fmt == "tsv":
        return results.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    names = [v.value for v in results.variables]
    rows = [[_cell(sol[n]) for n in names] for sol in results]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    return format_table(names, rows)


def format_table(names: list[str], rows: list[list[str]]) -> str:
    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)

    widths = [max([width(n)] + [width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells):
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
