"""No input makes ingest crash: damaged or unusual reports either give a graph (with
warnings) or an IngestError that names the file; the checks run on any graph built.

Mutants are derived from every text input we hold (the reference report and the
parse/narrative/cross fixtures) and from the six corpus PDFs, with fixed seeds so a
failure reproduces. Each operator imitates a way real disclosures differ or break:
lost lines and blocks, reordered rows, cut-off files, garbage in number cells,
tabs lost in extraction, other units, other years, missing part headings and
half-/full-width punctuation swaps.
"""
from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest import IngestError, build_graph
from service.checks import evaluate_report

ROOT = Path(__file__).resolve().parent.parent
TEXT_INPUTS = sorted([ROOT / "samples" / "000_db8f0e8ff5a3a27e.txt"]
                     + list((ROOT / "tests" / "fixtures" / "parse").glob("*.txt"))
                     + list((ROOT / "tests" / "fixtures" / "narrative").glob("*.txt"))
                     + list((ROOT / "tests" / "fixtures" / "cross").glob("*.txt")))
PDF_INPUTS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.pdf"))
BASE = "https://data.fiscalkg.org/"

# --- text mutation operators: (lines, rng) -> lines ---------------------------------

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
GARBAGE = ["1,2,3", "—", "12.3.4", "（空）", "N/A", "", "-", "1e5", "１２.３", "--0.5", ".", "99999999999999999999.99"]
_HALF_TO_FULL = {":": "：", "(": "（", ")": "）", ",": "，", ";": "；", "%": "％", " ": "\u3000",
                 "-": "－", ".": "．", "0": "０", "1": "１", "2": "２", "9": "９"}
_FULL_TO_HALF = {"：": ":", "（": "(", "）": ")", "，": ",", "；": ";", "、": ",", "。": ".",
                 "“": '"', "”": '"', "％": "%", "\u3000": " ", "《": "<", "》": ">"}


def _pick(lines, rng, pred=lambda s: True):
    candidates = [i for i, s in enumerate(lines) if pred(s)]
    return rng.choice(candidates) if candidates else None


def delete_line(lines, rng):
    if lines:
        del lines[rng.randrange(len(lines))]
    return lines


def delete_block(lines, rng):
    if lines:
        start = rng.randrange(len(lines))
        del lines[start:start + rng.randint(2, 40)]
    return lines


def duplicate_line(lines, rng):
    if lines:
        i = rng.randrange(len(lines))
        lines.insert(i + rng.choice([0, 1, rng.randint(1, 30)]), lines[i])
    return lines


def swap_lines(lines, rng):
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def truncate(lines, rng):
    return lines[:rng.randrange(len(lines) + 1)]


def shuffle_row_cells(lines, rng):
    i = _pick(lines, rng, lambda s: "\t" in s)
    if i is not None:
        cells = lines[i].split("\t")
        rng.shuffle(cells)
        lines[i] = "\t".join(cells)
    return lines


def garbage_number(lines, rng):
    for _ in range(rng.randint(1, 5)):
        i = _pick(lines, rng, lambda s: bool(_NUMBER.search(s)))
        if i is None:
            break
        matches = list(_NUMBER.finditer(lines[i]))
        m = rng.choice(matches)
        lines[i] = lines[i][:m.start()] + rng.choice(GARBAGE) + lines[i][m.end():]
    return lines


def insert_spaces(lines, rng):
    for _ in range(rng.randint(1, 8)):
        i = _pick(lines, rng, lambda s: bool(s))
        if i is None:
            break
        s = lines[i]
        at = rng.randrange(len(s) + 1)
        lines[i] = s[:at] + rng.choice(["\u3000", "\t", "\u3000\u3000", "  ", "\t\t"]) + s[at:]
    return lines


def drop_table_tabs(lines, rng):
    """One table's cells then split on runs of spaces, as in text that lost its tabs."""
    i = _pick(lines, rng, lambda s: "\t" in s)
    if i is None:
        return lines
    start, end = i, i
    while start > 0 and "\t" in lines[start - 1]:
        start -= 1
    while end + 1 < len(lines) and "\t" in lines[end + 1]:
        end += 1
    gap = rng.choice(["  ", "   ", " ", "\u3000"])
    for k in range(start, end + 1):
        lines[k] = lines[k].replace("\t", gap)
    return lines


def change_unit(lines, rng):
    new = rng.choice(["元", "亿元", "千元", ""])
    return [s.replace("万元", new) for s in lines]


def remove_unit_lines(lines, rng):
    return [s for s in lines if "单位" not in s]


def rewrite_year(lines, rng):
    i = _pick(lines[:40], rng, lambda s: bool(re.search(r"(19|20)\d\d", s)))
    if i is not None:
        year = rng.choice(["1999", "2100", "0000", "二〇二一", "20211", "2O21", ""])
        lines[i] = re.sub(r"(19|20)\d\d", year, lines[i], count=1)
    return lines


def strip_part_headings(lines, rng):
    return [s for s in lines if not re.match(r"\s*第[一二三四五六七八九十\d]+部分", s)]


def swap_punctuation(lines, rng):
    table = _HALF_TO_FULL if rng.random() < 0.5 else _FULL_TO_HALF
    return ["".join(table.get(ch, ch) for ch in s) for s in lines]


def zero_numbers(lines, rng):
    """Zeros and signs where ratios and differences are computed (增长率 over a zero base)."""
    zero = rng.choice(["0", "0.00", "-0", "-", "-12.5"])
    for _ in range(rng.randint(1, 30)):
        i = _pick(lines, rng, lambda s: bool(_NUMBER.search(s)))
        if i is None:
            break
        lines[i] = _NUMBER.sub(zero, lines[i], count=rng.randint(1, 3))
    return lines


def insert_noise(lines, rng):
    """Stray characters of the report's own alphabet, a form feed or a bare carriage return."""
    alphabet = sorted(set("".join(lines))) or ["x"]
    for _ in range(rng.randint(1, 10)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        at = rng.randrange(len(lines[i]) + 1)
        bit = rng.choice(["\f", "\r", "\t", "%", "：", "。"] + [rng.choice(alphabet) for _ in range(4)])
        lines[i] = lines[i][:at] + bit + lines[i][at:]
    return lines


def duplicate_block(lines, rng):
    """A page printed twice, or a table repeated after a page break."""
    if lines:
        start = rng.randrange(len(lines))
        block = lines[start:start + rng.randint(2, 60)]
        at = rng.randrange(len(lines) + 1)
        lines[at:at] = block
    return lines


def move_cells(lines, rng):
    """Cells of other rows land in this row: codes in amount columns, names in code columns."""
    rows = [i for i, s in enumerate(lines) if "\t" in s]
    for _ in range(rng.randint(1, 10)):
        if not rows:
            break
        i, j = rng.choice(rows), rng.choice(rows)
        cells, donor = lines[i].split("\t"), lines[j].split("\t")
        cells[rng.randrange(len(cells))] = rng.choice(donor)
        if rng.random() < 0.3:
            cells.insert(rng.randrange(len(cells) + 1), rng.choice(donor))
        if rng.random() < 0.3 and len(cells) > 1:
            del cells[rng.randrange(len(cells))]
        lines[i] = "\t".join(cells)
    return lines


def splice_other_report(lines, rng):
    """A block of another report pasted in (two reports in one export)."""
    other = rng.choice(TEXT_INPUTS).read_text(encoding="utf-8").splitlines()
    start = rng.randrange(len(other))
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = other[start:start + rng.randint(5, 200)]
    return lines


def renumber(lines, rng):
    """Other plausible-looking numbers: month 13, day 45, huge amounts, many decimals."""
    for _ in range(rng.randint(1, 10)):
        i = _pick(lines, rng, lambda s: bool(_NUMBER.search(s)))
        if i is None:
            break
        new = rng.choice(["13", "0", "45", "99", "2", "123456789012345678901234567890.123",
                          "0.0000001", "1000", "100.5", "12,345,678.90"])
        lines[i] = _NUMBER.sub(new, lines[i], count=1)
    return lines


_DATE = re.compile(r"(\d{4}\s*年\s*)(\d{1,2})(\s*月\s*)(\d{1,2})")


def impossible_date(lines, rng):
    """A misprinted date on the cover, in a contract or a schedule: 13 月, 2 月 30 日, 0 日."""
    month, day = rng.choice([("13", "1"), ("2", "30"), ("4", "31"), ("0", "0"), ("12", "32")])
    for _ in range(rng.randint(1, 5)):
        i = _pick(lines, rng, lambda s: bool(_DATE.search(s)))
        if i is None:
            break
        lines[i] = _DATE.sub(lambda m: f"{m.group(1)}{month}{m.group(3)}{day}", lines[i], count=1)
    return lines


OPERATORS = [delete_line, delete_block, duplicate_line, swap_lines, truncate, shuffle_row_cells,
             garbage_number, insert_spaces, drop_table_tabs, change_unit, remove_unit_lines,
             rewrite_year, strip_part_headings, swap_punctuation, zero_numbers, insert_noise,
             duplicate_block, move_cells, splice_other_report, renumber,
             impossible_date]


def mutate(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """One to three operators on a copy of the text; returns the mutant and what was done."""
    lines = text.splitlines()
    applied = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        op = rng.choice(OPERATORS)
        lines = op(lines, rng)
        applied.append(op.__name__)
    return "\n".join(lines) + "\n", applied


# --- the property ------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPED = re.compile(r'"((?:[^"\\]|\\.)*)"\^\^<' + re.escape(XSD) + r'(\w+)>')
_LEXICAL = {
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "integer": re.compile(r"[+-]?\d+"),
    "gYear": re.compile(r"-?\d{4,}"),
    "date": re.compile(r"-?\d{4,}-\d\d-\d\d"),
    "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"),
    "boolean": re.compile(r"true|false"),
}


def assert_typed_literals_valid(ntriples: str, what: str) -> None:
    """SPARQL compares and sums only well-formed values: a garbage cell must not
    become an ill-typed amount or an impossible date."""
    for m in _TYPED.finditer(ntriples):
        value, datatype = m.group(1), m.group(2)
        pattern = _LEXICAL.get(datatype)
        if pattern is not None:
            assert pattern.fullmatch(value), f"{what}: ill-typed literal {m.group(0)}"
        if datatype == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                pytest.fail(f"{what}: impossible date {m.group(0)}")


def assert_ingests_or_refuses(path: Path, what: str) -> bool:
    """True when a graph was built (and checked), False when ingest refused the file."""
    try:
        graph = build_graph(path, BASE)
    except IngestError as exc:
        assert str(path) in str(exc), f"{what}: IngestError does not name the file: {exc}"
        return False
    assert_typed_literals_valid(graph.ntriples + graph.codelist_ntriples, what)
    evaluate_report(graph, BASE)
    return True


# Mutants per input: the reference report is big (slow to check) and the others small.
def _mutant_count(path: Path) -> int:
    return 30 if path.stat().st_size > 50_000 else 50


@pytest.mark.parametrize("source", TEXT_INPUTS, ids=lambda p: p.name)
def test_text_mutants_ingest_or_raise_ingest_error(source: Path, tmp_path: Path) -> None:
    text = source.read_text(encoding="utf-8")
    rng = random.Random(f"robustness:{source.name}")
    count = _mutant_count(source)
    built = 0
    for n in range(count):
        mutant, applied = mutate(text, rng)
        path = tmp_path / f"mutant-{n}.txt"
        path.write_text(mutant, encoding="utf-8")
        built += assert_ingests_or_refuses(path, f"{source.name} mutant {n} ({', '.join(applied)})")
    if assert_ingests_or_refuses(source, source.name):
        # Most damage is local: a report that ingests still gives a graph when a line,
        # a cell or a heading is off, rather than being refused whole.
        assert built >= count // 2, f"{source.name}: only {built} of {count} mutants gave a graph"


# --- PDFs --------------------------------------------------------------------------

def _without_page(data: bytes, index: int) -> bytes:
    pdf = pdfium.PdfDocument(data)
    try:
        pdf.del_page(index % len(pdf))
        return _save(pdf)
    finally:
        pdf.close()


def _concatenated(first: bytes, second: bytes) -> bytes:
    pdf = pdfium.PdfDocument(first)
    other = pdfium.PdfDocument(second)
    try:
        pdf.import_pages(other)
        return _save(pdf)
    finally:
        other.close()
        pdf.close()


def _save(pdf: pdfium.PdfDocument) -> bytes:
    import io
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("source", PDF_INPUTS, ids=lambda p: p.name)
def test_damaged_pdfs_ingest_or_raise_ingest_error(source: Path, tmp_path: Path) -> None:
    data = source.read_bytes()
    rng = random.Random(f"robustness:{source.name}")
    variants = {f"truncated-{f}": data[:int(len(data) * f)] for f in (0.02, 0.3, 0.7, 0.97)}
    variants["truncated-tail"] = data[:-64]
    for index in (0, 1, rng.randrange(2, 8)):
        variants[f"without-page-{index}"] = _without_page(data, index)
    partner = PDF_INPUTS[(PDF_INPUTS.index(source) + 1) % len(PDF_INPUTS)]
    variants["concatenated"] = _concatenated(data, partner.read_bytes())
    for name, mutant in variants.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(mutant)
        assert_ingests_or_refuses(path, f"{source.name} {name}")


def test_misprinted_cover_date_is_not_published_as_an_impossible_xsd_date(tmp_path: Path) -> None:
    text = (ROOT / "samples" / "000_db8f0e8ff5a3a27e.txt").read_text(encoding="utf-8")
    cover, rest = text.split("\n", 12)[:12], text.split("\n", 12)[12]
    assert any(_DATE.search(s) for s in cover), "the reference report's cover has a date"
    cover = [_DATE.sub(lambda m: f"{m.group(1)}13{m.group(3)}45", s) for s in cover]
    path = tmp_path / "misprinted-date.txt"
    path.write_text("\n".join(cover) + "\n" + rest, encoding="utf-8")
    graph = build_graph(path, BASE)
    assert "dcterms/issued" not in graph.ntriples
    assert_typed_literals_valid(graph.ntriples, "misprinted cover date")
