"""Extraction accuracy against hand-checked facts.

tests/corpus_expected/<stem>.json holds facts read by eye off the page images
of each corpus PDF (tests/fixtures/corpus/) — every table's family, unit and
totals, and at least 30 cells per document — plus hand-listed cells of tables
01–07 of the reference text report (tests/fixtures/seed/). Each document is
parsed with `ingest.parse_report` and every expected fact is looked up in the
parsed records:

- a table is found when a parsed table of the same family exists (the title
  and page decide between several of one family);
- a cell is matched by table + row (classification code, else the normalised
  row label) + column (normalised header text; the expected "parent/child"
  text may also match a parsed label by its last component), and is right when
  the amounts are equal as decimals.

The summary (tables found, totals and cells right / checked, recall and
precision) is printed (`pytest -s`) and written to
tests/artifacts/corpus_accuracy.txt. Product targets: every expected table
found with its unit, and >= 99% of checked cells right on every PDF; every
listed cell of the reference report right.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
EXPECTED_DIR = TESTS / "corpus_expected"
CORPUS_DIR = TESTS / "fixtures" / "corpus"
SEED_DIR = TESTS / "fixtures" / "seed"
ARTIFACT = TESTS / "artifacts" / "corpus_accuracy.txt"
SEED_STEM = "000_db8f0e8ff5a3a27e"
TARGET = Decimal("0.99")

PDF_STEMS = sorted(p.stem for p in EXPECTED_DIR.glob("*.json") if p.stem != SEED_STEM)


def source_path(stem: str) -> Path:
    return SEED_DIR / f"{stem}.txt" if stem == SEED_STEM else CORPUS_DIR / f"{stem}.pdf"


# --- normalisation ---------------------------------------------------------------

_QUOTES = re.compile("[\"'“”‘’「」]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、)]|\(\d+\))")
_TITLE_NUMBER = re.compile(r"^公开\d+表[:]?")
_TITLE_YEAR = re.compile(r"^\d{4}年度?")


def norm(text: str | None) -> str:
    """Width-folded (NFKC: full-width brackets, digits, colons), no whitespace, no quotes."""
    text = unicodedata.normalize("NFKC", text or "")
    return _QUOTES.sub("", re.sub(r"\s+", "", text))


def label_parts(label: str | None) -> list[str]:
    """A label split on "/" into normalised parts, each without its enumeration
    ("一、", "（一）", "1.") which the parser may or may not keep."""
    parts = []
    for part in (label or "").split("/"):
        part = _ORDINAL.sub("", norm(part))
        if part:
            parts.append(part)
    return parts


def label_score(expected: str, parsed: str) -> int:
    """3: same label; 2: same last part and every expected parent present;
    1: same last part only; 0: different."""
    e, p = label_parts(expected), label_parts(parsed)
    if not e or not p:
        return 0
    if e == p:
        return 3
    if e[-1] != p[-1]:
        return 0
    return 2 if all(part in p[:-1] for part in e[:-1]) else 1


def norm_title(title: str | None) -> str:
    t = _TITLE_NUMBER.sub("", norm(title))
    t = _ORDINAL.sub("", t)
    return _TITLE_YEAR.sub("", t)


# --- scoring ---------------------------------------------------------------------

@dataclass
class Check:
    """One expected amount and what the parser gave for it."""
    what: str                    # "total" or "cell"
    table: dict                  # the expected table it belongs to
    fact: dict                   # row_code / row_label / column / amount / page
    got: Decimal | None = None   # None: no parsed cell matched
    matched: bool = False

    @property
    def right(self) -> bool:
        return self.matched and self.got == Decimal(self.fact["amount"])

    def describe(self) -> str:
        f = self.fact
        row = " ".join(x for x in (f.get("row_code"), f.get("row_label")) if x) or "(single row)"
        got = "no matching cell" if not self.matched else f"got {self.got}"
        page = f" p{f['page']}" if f.get("page") else ""
        return (f"[{self.table['family']}{page}] {self.what} row={row!r} column={f['column']!r}: "
                f"expected {f['amount']}, {got}")


@dataclass
class Score:
    stem: str
    error: str | None = None
    tables_expected: int = 0
    tables_found: int = 0
    missing_tables: list[str] = field(default_factory=list)
    unit_errors: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def count(self, what: str | None = None) -> tuple[int, int, int]:
        """(right, matched, checked) over totals, cells or both."""
        sel = [c for c in self.checks if what is None or c.what == what]
        return sum(c.right for c in sel), sum(c.matched for c in sel), len(sel)

    @property
    def recall(self) -> Decimal:
        right, _, checked = self.count()
        return Decimal(right) / checked if checked else Decimal(1)

    @property
    def precision(self) -> Decimal:
        right, matched, _ = self.count()
        return Decimal(right) / matched if matched else Decimal(0)

    def misses(self) -> list[str]:
        return [c.describe() for c in self.checks if not c.right]


def match_tables(expected: list[dict], parsed: list) -> tuple[list, list[str]]:
    """Pair each expected table with a parsed one of its family (title, then
    page, decide among several); returns the pairing and notes on misses."""
    used: set[int] = set()
    pairing, notes = [], []
    for exp in expected:
        candidates = [t for t in parsed if t.family == exp["family"] and id(t) not in used]
        if not candidates:
            pairing.append(None)
            same_title = [t for t in parsed if norm_title(t.title) == norm_title(exp["title"])]
            found_as = f" (parsed as family {same_title[0].family!r})" if same_title else ""
            notes.append(f"{exp['family']} {exp['title']!r} p{exp.get('page')}{found_as}")
            continue

        def rank(t, exp=exp):
            e, p = norm_title(exp["title"]), norm_title(t.title)
            title_match = bool(e and p and (e == p or e in p or p in e))
            page = t.span.page if t.span is not None else None
            distance = abs(page - exp["page"]) if page is not None and exp.get("page") else 999
            return (not title_match, distance)

        best = min(candidates, key=rank)
        used.add(id(best))
        pairing.append(best)
    return pairing, notes


def table_of_cell(cell: dict, expected_tables: list[dict]) -> int | None:
    """Index of the expected table a cell belongs to: same family, the last
    one starting on or before the cell's page."""
    same = [i for i, t in enumerate(expected_tables) if t["family"] == cell["family"]]
    if not same:
        return None
    page = cell.get("page")
    before = [i for i in same if page and expected_tables[i].get("page") and expected_tables[i]["page"] <= page]
    return max(before, key=lambda i: expected_tables[i]["page"]) if before else same[0]


def lookup(table, fact: dict) -> tuple[bool, Decimal | None]:
    """Find the parsed cell for an expected fact: row by code (else label),
    column by header text; the best-scoring match wins, document order breaks ties."""
    best, best_score = None, (0, 0)
    for cell in table.cells:
        if fact.get("row_code"):
            row_score = 3 if cell.row.code == fact["row_code"] else 0
        elif fact.get("row_label"):
            row_score = label_score(fact["row_label"], cell.row.label)
        else:
            row_score = 1           # single-row tables (三公, 支出预算总表) have no row label
        if not row_score:
            continue
        col_score = label_score(fact["column"], cell.column.label)
        if not col_score:
            continue
        if (row_score, col_score) > best_score:
            best, best_score = cell, (row_score, col_score)
    return (True, best.amount) if best is not None else (False, None)


def score_document(stem: str, expected: dict) -> Score:
    from ingest import parse_report
    score = Score(stem, tables_expected=len(expected["tables"]))
    try:
        report = parse_report(source_path(stem))
    except Exception as exc:  # noqa: BLE001 - reported as the document's result
        score.error = f"{type(exc).__name__}: {exc}"
        return score
    score.meta = {"kind": report.meta.kind, "department": report.meta.department, "year": report.meta.year}
    pairing, score.missing_tables = match_tables(expected["tables"], report.tables)
    score.tables_found = sum(t is not None for t in pairing)
    for exp, table in zip(expected["tables"], pairing):
        if table is not None and table.unit != exp["unit"]:
            score.unit_errors.append(f"{exp['family']} {exp['title']!r}: unit {table.unit!r}, expected {exp['unit']!r}")
    facts = [("total", i, {"row_label": t["row"], "column": t["column"], "amount": t["amount"], "page": t.get("page")})
             for i, t in enumerate(expected["tables"]) for t in t["totals"]]
    facts += [("cell", table_of_cell(c, expected["tables"]), c) for c in expected["cells"]]
    for what, index, fact in facts:
        if index is None:
            raise AssertionError(f"{stem}: expected cell of family {fact['family']!r} has no expected table")
        check = Check(what, expected["tables"][index], fact)
        if pairing[index] is not None:
            check.matched, check.got = lookup(pairing[index], fact)
        score.checks.append(check)
    return score


@cache
def expected_facts(stem: str) -> dict:
    return json.loads((EXPECTED_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def summary(scores: list[Score]) -> str:
    head = f"{'document':34} {'tables':>7} {'totals':>9} {'cells':>9} {'recall':>7} {'precision':>9}"
    lines = ["Extraction accuracy against hand-checked facts (tests/corpus_expected/)", head, "-" * len(head)]
    for s in scores:
        if s.error:
            lines.append(f"{s.stem:34} ERROR {s.error}")
            continue
        tr, _, tc = s.count("total")
        cr, _, cc = s.count("cell")
        lines.append(f"{s.stem:34} {s.tables_found:>3}/{s.tables_expected:<3} {tr:>4}/{tc:<4} {cr:>4}/{cc:<4} "
                     f"{float(s.recall):>7.1%} {float(s.precision):>9.1%}")
    for s in scores:
        problems = ([f"missing table: {m}" for m in s.missing_tables]
                    + [f"unit: {u}" for u in s.unit_errors] + s.misses())
        if problems:
            lines.append(f"\n{s.stem}:")
            lines.extend(f"  {p}" for p in problems)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    """Every document scored once; the summary is printed and written as an artifact."""
    result = {stem: score_document(stem, expected_facts(stem)) for stem in [*PDF_STEMS, SEED_STEM]}
    text = summary(list(result.values()))
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(text, encoding="utf-8")
    print("\n" + text)
    return result


# --- the expected facts themselves ---------------------------------------------------

@pytest.mark.parametrize("stem", PDF_STEMS)
def test_expected_facts_are_complete(stem):
    """Each PDF's facts name its source, cover every table with a known family
    and unit, and check at least 30 cells spread over the non-empty tables."""
    from ingest.vocab import TABLE_FAMILIES, UNITS
    facts = expected_facts(stem)
    assert source_path(stem).is_file()
    assert facts["document"]["kind"] in ("final", "budget")
    assert len(facts["cells"]) >= 30
    for table in facts["tables"]:
        assert table["family"] in TABLE_FAMILIES and table["unit"] in UNITS, table["title"]
    for cell in facts["cells"]:
        assert cell["family"] in TABLE_FAMILIES, cell
        Decimal(cell["amount"])  # a plain decimal, no separators
    covered = {table_of_cell(c, facts["tables"]) for c in facts["cells"]}
    with_totals = {i for i, t in enumerate(facts["tables"]) if t["totals"]}
    assert with_totals <= covered, "every non-empty table should have checked cells"


def test_matching_rules():
    """The matcher accepts the spellings a parser may legitimately produce and
    nothing looser: enumeration, width and whitespace differences; a header
    given without its parents; never a different last header part."""
    assert label_score("一、一般公共服务支出", "一般公共服务支出") == 3
    assert label_score("维修（护）费", "维修(护)费") == 3
    assert label_score("收入/决算数", "收入 / 决算数") == 3
    assert label_score("公务用车购置及运行费/小计", "“三公”经费/公务用车购置及运行费/小计") == 2
    assert label_score("公务用车购置及运行费/小计", "小计") == 1
    assert label_score("公务接待费/预算数", "公务接待费/决算数") == 0
    assert norm_title("公开 01 表：收支预算总表") == norm_title("一、收支预算总表") == "收支预算总表"


# --- the product targets ----------------------------------------------------------------

@pytest.mark.parametrize("stem", PDF_STEMS)
def test_corpus_pdf_report_identity(scores, stem):
    score, expected = scores[stem], expected_facts(stem)["document"]
    assert score.error is None, score.error
    assert (score.meta["kind"], score.meta["year"]) == (expected["kind"], expected["year"])
    assert norm(score.meta["department"]) == norm(expected["department"])


@pytest.mark.parametrize("stem", PDF_STEMS)
def test_corpus_pdf_tables_found(scores, stem):
    score = scores[stem]
    assert score.error is None, score.error
    assert not score.missing_tables, f"{stem}: tables not found:\n" + "\n".join(score.missing_tables)
    assert not score.unit_errors, f"{stem}: wrong units:\n" + "\n".join(score.unit_errors)


@pytest.mark.parametrize("stem", PDF_STEMS)
def test_corpus_pdf_cells_right(scores, stem):
    """>= 99% of the hand-checked totals and cells parsed right (expected vs got listed on failure)."""
    score = scores[stem]
    assert score.error is None, score.error
    right, _, checked = score.count()
    assert score.recall >= TARGET, (
        f"{stem}: {right}/{checked} cells right ({float(score.recall):.1%} < {float(TARGET):.0%}); wrong:\n"
        + "\n".join(score.misses()))


def test_reference_report_cells_all_right(scores):
    """Every hand-listed non-empty cell of tables 01-07 of the reference report is parsed right."""
    score = scores[SEED_STEM]
    assert score.error is None, score.error
    assert not score.missing_tables, "tables not found:\n" + "\n".join(score.missing_tables)
    assert not score.misses(), "reference report cells wrong:\n" + "\n".join(score.misses())
