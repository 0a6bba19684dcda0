"""A small N-Triples builder: mapping writes statements as text.

Writing N-Triples directly keeps ingest free of any store (the service loads the
text into pyoxigraph, or sends it to a remote SPARQL server as it is) and is
fast: no term objects are built for the tens of thousands of triples a report
gives. Terms are written through `iri`, `lit`, `zh`, `dec`, … so escaping
happens in one place.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .vocab import PREFIXES, XSD

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


def iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value):
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def curie(name: str) -> str:
    """'fkg:Report' → '<https://fiscalkg.org/ontology#Report>'."""
    prefix, local = name.split(":", 1)
    return f"<{PREFIXES[prefix]}{local}>"


def _quote(text: str) -> str:
    return '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text) + '"'


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f"{_quote(text)}@{lang}"
    if datatype and datatype != XSD + "string":
        return f"{_quote(text)}^^<{datatype}>"
    return _quote(text)


def zh(text: str) -> str:
    return lit(text, "zh")


def en(text: str) -> str:
    return lit(text, "en")


def dec(value: Decimal | int | str) -> str:
    """xsd:decimal in canonical-enough form (no exponent, keeps stated scale)."""
    d = Decimal(value)
    text = format(d, "f")
    if "." not in text:
        text += ".0"
    return lit(text, datatype=XSD + "decimal")


def integer(value: int) -> str:
    return lit(str(int(value)), datatype=XSD + "integer")


def boolean(value: bool) -> str:
    return lit("true" if value else "false", datatype=XSD + "boolean")


def xdate(value: date | str) -> str:
    return lit(value.isoformat() if isinstance(value, date) else value, datatype=XSD + "date")


class Triples:
    """An ordered, de-duplicated set of N-Triples statements."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, s: str, p: str, o: str | None) -> None:
        if o is None:
            return
        if not p.startswith("<"):
            p = curie(p)
        if not s.startswith("<"):
            s = iri(s)
        self._seen[f"{s} {p} {o} ."] = None

    def add_iri(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.add(s, p, curie(o) if ":" in o and not o.startswith("http") else iri(o))

    def extend(self, other: "Triples") -> None:
        self._seen.update(other._seen)

    def __len__(self) -> int:
        return len(self._seen)

    def __iter__(self):
        return iter(self._seen)

    def ntriples(self) -> str:
        """Sorted, so the same input gives byte-identical output."""
        return "\n".join(sorted(self._seen)) + ("\n" if self._seen else "")
