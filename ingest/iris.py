"""Deterministic IRIs under one configurable base.

The same input gives the same IRIs; the same organisation, code or project in
two reports gets the same IRI (normalised name, or 统一社会信用代码 when given).
Every minted IRI is `<base>id/...` or `<base>graph/...`, so the service can
resolve it by its path.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

DEFAULT_BASE = "https://data.fiscalkg.org/"

_SPACE = re.compile(r"\s+")
# Brackets and quotes that publishers print in full or half width interchangeably.
_FOLD = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "“": '"', "”": '"', "‘": "'", "’": "'"})


def normalise_name(name: str) -> str:
    """The form of a name that identity keys on: NFKC, one bracket style, no spaces."""
    text = unicodedata.normalize("NFKC", name).translate(_FOLD)
    return _SPACE.sub("", text).strip()


def key(*parts: object) -> str:
    """A short stable hash of the parts, for IRIs whose natural key is a Chinese name."""
    raw = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def check_base(base: str) -> str:
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+/$", base):
        raise ValueError(f"base IRI must be an http(s) IRI ending in '/': {base!r}")
    return base


class Minter:
    """Mints the IRIs of one base. Report-local things hang under the report IRI."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = check_base(base)

    # shared, cross-document identities
    def organisation(self, name: str, uscc: str | None = None) -> str:
        if uscc:
            return f"{self.base}id/org/uscc-{uscc.upper()}"
        return f"{self.base}id/org/{key(normalise_name(name))}"

    def code_scheme(self, scheme: str, year: int) -> str:
        return f"{self.base}id/codelist/{scheme}/{year}"

    def code(self, scheme: str, year: int, code: str) -> str:
        return f"{self.base}id/codelist/{scheme}/{year}/{code}"

    def code_lineage(self, scheme: str, code: str) -> str:
        """The same code across years (linked from each year's concept)."""
        return f"{self.base}id/code/{scheme}/{code}"

    def project(self, department: str, name: str) -> str:
        return f"{self.base}id/project/{key(normalise_name(department), normalise_name(name))}"

    # one report and what hangs under it
    def report_key(self, department: str, year: int, kind: str, level: str = "department") -> str:
        return key(normalise_name(department), year, kind, level)

    def report(self, report_key: str) -> str:
        return f"{self.base}id/report/{report_key}"

    def report_graph(self, report_key: str) -> str:
        return f"{self.base}graph/report/{report_key}"

    def findings_graph(self, report_key: str) -> str:
        return f"{self.base}graph/findings/{report_key}"

    @property
    def ontology_graph(self) -> str:
        return f"{self.base}graph/ontology"

    @property
    def codelist_graph(self) -> str:
        return f"{self.base}graph/codelists"

    @property
    def dataset(self) -> str:
        return f"{self.base}id/dataset"

    @staticmethod
    def under(parent: str, *path: object) -> str:
        return parent + "/" + "/".join(str(p) for p in path)
