"""Named SPARQL queries (queries/*.rq) and result rendering for the CLI.

A named query is a .rq file whose leading comment lines form its header:

    # title: 项目的合同 / Contracts of a project
    # description: Which companies were paid out of a project, and how much.
    # param: project iri — the project IRI (optional)

A parameter's type (string, decimal, integer, iri, date, boolean) says how a
value given as text becomes a SPARQL term; the rest of the line describes it.

Parameters are bound by a VALUES block placed at the start of the WHERE group,
so the query text itself stays valid and runnable without them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .results import SOLUTION_FORMATS, nt_term, serialize_boolean, serialize_solutions, serialize_triples, term_tuple

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-/]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[str] = field(default_factory=list)
    param_types: dict[str, str] = field(default_factory=dict)   # name -> one of PARAM_TYPES


def parse_query_file(path: Path, name: str | None = None) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    nq = NamedQuery(name or path.stem, path, text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "title":
            nq.title = value
        elif key == "description":
            nq.description = (nq.description + " " + value).strip()
        elif key == "param":
            words = value.split()
            name = words[0].lstrip("?$")
            nq.params.append(name)
            if len(words) > 1 and words[1].lower() in PARAM_TYPES:
                nq.param_types[name] = words[1].lower()
    return nq


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """The named queries directly in `directory` (sub-folders hold rules and service queries)."""
    return [parse_query_file(p) for p in sorted(directory.glob("*.rq"))]


def find_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery | None:
    if not _NAME.match(name) or ".." in name:
        return None
    path = directory / (name if name.endswith(".rq") else name + ".rq")
    return parse_query_file(path, name.removesuffix(".rq")) if path.is_file() else None


def named_query_text(name: str, params: dict[str, str] | None = None) -> str:
    """The named query `name` (e.g. "service/graph-size") with `params` bound as its
    header declares them; for the service's own queries, which must exist."""
    nq = find_query(name)
    if nq is None:
        raise LookupError(f"no query {name}.rq in {QUERIES_DIR}")
    return bind_params(nq.text, params, nq.param_types)


PARAM_TYPES = {"string", "decimal", "integer", "iri", "date", "boolean"}


def typed_term(value: str, kind: str | None) -> str:
    """A parameter value as the SPARQL term of its declared type (`# param: amount decimal`).
    Decimals take the form the mapping writes (845 -> "845.0"), since VALUES matches terms,
    not numeric values."""
    from ingest import rdf
    value = value.strip()
    if kind == "string":
        return rdf.lit(value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value)
    if kind == "decimal":
        from decimal import Decimal, InvalidOperation
        try:
            return rdf.dec(Decimal(value))
        except InvalidOperation:
            raise ValueError(f"not a decimal: {value!r}")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"not an integer: {value!r}")
        return rdf.integer(int(value))
    if kind == "iri":
        return rdf.iri(value.strip("<>"))
    if kind == "date":
        return rdf.xdate(value)
    if kind == "boolean":
        return rdf.boolean(value.lower() in ("true", "1", "yes"))
    return term_from_text(value)


def term_from_text(value: str) -> str:
    """A parameter value as a SPARQL term: <IRI>, a literal as written ("x"@zh, 12.5), or a plain string."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value
    if re.match(r"^https?://\S+$", value):
        return f"<{value}>"
    if re.match(r'^(".*"(@[A-Za-z\-]+|\^\^\S+)?|[+-]?\d+(\.\d+)?|true|false)$', value, re.S):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# IRIs, strings and comments: where keywords and braces are not.
_LEXICAL = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_WHERE_OPEN = re.compile(r"(?<![?$\w:])WHERE\s*\{", re.I)


def mask_literals(text: str, keep_iris: bool = False) -> str:
    """`text` with strings, comments (and IRIs unless `keep_iris`) blanked out, same length,
    so positions found in the mask are positions in the text."""
    def blank(m):
        tok = m.group()
        return tok if keep_iris and tok.startswith("<") else re.sub(r"[^\n]", " ", tok)
    return _LEXICAL.sub(blank, text)


_FROM = re.compile(r"(?<![?$\w])FROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.I)


@lru_cache(maxsize=256)
def declares_dataset(sparql: str) -> bool:
    """Whether the query has FROM / FROM NAMED (outside strings and comments). pyoxigraph's
    union-default-graph flag would override them, so such queries run on the dataset they
    declare. Cached: the same texts (named queries, pages) come back."""
    return bool(_FROM.search(mask_literals(sparql, keep_iris=True)))


def bind_params(text: str, params: dict[str, str] | None, types: dict[str, str] | None = None) -> str:
    """Bind ?NAME to a value by a VALUES block at the start of the query's WHERE group: joined
    before any grouping, so aggregates and filters see the bound value."""
    if not params:
        return text
    names = [n.lstrip("?$") for n in params]
    for n in names:
        if not _VAR.match(n):
            raise ValueError(f"not a variable name: {n!r}")
    values = (f" VALUES ({' '.join('?' + n for n in names)}) "
              f"{{ ({' '.join(typed_term(v, (types or {}).get(n)) for n, v in zip(names, params.values()))}) }} ")
    at = where_group_start(text)
    return text[:at] + values + text[at:]


def where_group_start(text: str) -> int:
    """The position just inside the query's WHERE group (its first `{` when WHERE is left
    out), found outside strings, IRIs and comments: where parameter VALUES go."""
    masked = mask_literals(text)
    m = _WHERE_OPEN.search(masked)
    at = m.end() if m else masked.find("{") + 1
    if at <= 0:
        raise ValueError("cannot bind parameters: the query has no WHERE group")
    return at


def load_query_text(query: str, params: dict[str, str] | None = None) -> str:
    """`query` is SPARQL text, the path of a .rq file, or the name of a query in queries/."""
    stripped = query.strip()
    named = find_query(stripped) if "\n" not in stripped else None
    types = None
    if named is not None:
        text, types = named.text, named.param_types
    elif stripped.endswith(".rq") and "\n" not in stripped:
        path = Path(stripped)
        if not path.is_file():
            raise FileNotFoundError(f"no query file {stripped} (and no named query of that name in {QUERIES_DIR})")
        text = path.read_text(encoding="utf-8")
    else:
        text = query
    return bind_params(text, params, types)


# --- CLI rendering ---------------------------------------------------------------

def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(t: tuple | None) -> str:
    if t is None:
        return ""
    if t[0] == "literal":
        return t[1]
    return nt_term(t) if t[0] != "uri" else t[1]


def _table(variables: list[str], rows: list[tuple]) -> str:
    cells = [[_cell(t) for t in row] for row in rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(variables)]

    def line(values):
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def render_results(results, fmt: str = "table") -> str:
    """pyoxigraph query results as text: table (aligned columns), json, csv or tsv;
    CONSTRUCT/DESCRIBE results as Turtle whatever the format."""
    if isinstance(results, ox.QueryBoolean):
        value = bool(results)
        return ("true\n" if value else "false\n") if fmt == "table" else serialize_boolean(value, fmt).decode()
    if isinstance(results, ox.QuerySolutions):
        variables = [v.value for v in results.variables]
        rows = [tuple(term_tuple(sol[i]) for i in range(len(variables))) for sol in results]
        if fmt == "table":
            return _table(variables, rows)
        if fmt not in SOLUTION_FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return serialize_solutions(variables, rows, fmt).decode("utf-8")
    return serialize_triples(list(results), "ttl").decode("utf-8")
