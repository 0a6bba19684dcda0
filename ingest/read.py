"""File → `Document`: lines with their cells and positions.

Text exports (UTF-8 or GB18030/GBK, detected) keep tabs as cell separators;
PDFs go through `ingest.read_pdf`, which rebuilds the same shape from word
positions. Bad files raise `IngestError` naming the file and what is wrong.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import IngestError
from .records import Document, Line

# Two or more spaces separate cells in text exports that lost their tabs.
_CELL_GAP = re.compile(r"\t| {2,}|\u3000{1,}")
_PDF_MAGIC = b"%PDF-"


def read_document(path: str | Path) -> Document:
    p = Path(path)
    if not p.exists():
        raise IngestError(str(path), "no such file")
    if p.is_dir():
        raise IngestError(str(path), "is a directory, not a report file")
    data = p.read_bytes()
    if not data.strip():
        raise IngestError(str(path), "the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_PDF_MAGIC) or p.suffix.lower() == ".pdf":
        if not data.startswith(_PDF_MAGIC):
            raise IngestError(str(path), "named .pdf but is not a PDF file (no %PDF- header)")
        from .read_pdf import read_pdf  # imported lazily: text ingest needs no PDF stack
        return read_pdf(str(path), data, digest)
    text, encoding = decode_text(str(path), data)
    return Document(
        path=str(path), name=p.name, sha256=digest, media_type="text/plain",
        encoding=encoding, lines=split_lines(text),
    )


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else GB18030 (a superset of GBK
    and GB2312); refuse binary data and text that decodes to mojibake."""
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary data (NUL bytes): not a text or PDF report")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            last_error = exc
            continue
        if _looks_like_text(text):
            return text, "utf-8" if encoding == "utf-8-sig" else encoding
        raise IngestError(path, f"decodes as {encoding} but is not readable text "
                                "(control or unassigned characters): wrong encoding or binary file")
    line = data[: last_error.start].count(b"\n") + 1
    raise IngestError(path, f"not valid UTF-8 or GB18030 text (undecodable byte at offset {last_error.start})",
                      line=line)


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    han = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    # A budget report is mostly Chinese; a Latin-1 file decoded as GB18030 gives rare
    # characters and private-use code points, which the bad count catches.
    return bad / len(sample) < 0.01 and han > 0


def split_lines(text: str, page: int | None = None, start: int = 1) -> list[Line]:
    lines = []
    for offset, raw in enumerate(text.splitlines()):
        raw = raw.rstrip()
        cells = tuple(c.strip() for c in _CELL_GAP.split(raw)) if raw.strip() else ()
        lines.append(Line(no=start + offset, text=raw, cells=cells, page=page))
    return lines
