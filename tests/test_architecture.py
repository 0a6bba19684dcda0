"""The boundaries the design fixes: `ingest` never imports Flask, the server or
the store; `service` never parses documents itself; the public API is what
`ingest.__all__` says."""
from __future__ import annotations

import ast
from pathlib import Path

import ingest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    """Module name → the absolute names it imports (relative imports resolved)."""
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = parts[: len(parts) - node.level]
                    names.add(".".join(base + ([node.module] if node.module else [])))
                else:
                    names.add(node.module)
        out[".".join(parts)] = names
    return out


def test_ingest_imports_neither_flask_nor_the_service_nor_the_store():
    for module, names in imported_modules("ingest").items():
        bad = {n for n in names if n.split(".")[0] in {"flask", "werkzeug", "waitress", "service", "pyoxigraph"}}
        assert not bad, f"{module} imports {bad}"


def test_service_does_not_parse_documents():
    parsing = ("ingest.parse", "ingest.read", "ingest.read_pdf", "ingest.pdf_", "ingest.narrative",
               "pdfplumber", "pypdfium2", "spacy", "jieba")
    for module, names in imported_modules("service").items():
        bad = {n for n in names if n.startswith(parsing)}
        assert not bad, f"{module} imports {bad}"


def test_public_api_is_exactly_all():
    public = {n for n in dir(ingest) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(ingest, n)).__name__ == "module"}
    assert public - modules == set(ingest.__all__)
