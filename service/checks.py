"""Consistency checks: rule files under queries/checks/ run over one report's
graph; their answers become Finding resources in the report's findings graph.

A rule is a SELECT query with a header (`# id:`, `# title:`, `# description:`,
`# severity:`, `# tolerance:`) that returns one row per violation. Variables
the rules agree on:

    ?report     the report                      (required)
    ?subject    the fact found wrong            ?fact1 ?fact2 … other facts compared
    ?facts      space-separated IRIs of summands (GROUP_CONCAT)
    ?expected ?stated                           numbers (or literals for grades, years)
    ?summands   how many rounded figures went into ?expected (tolerance scales with it)
    ?unit       fkg:WanYuan / fkg:Yuan — the unit of ?expected/?stated (scales the tolerance)
    ?tolerance  an absolute tolerance that overrides the header's (percentages, scores)
    ?message ?messageEn                         what a reader is told

Differences within tolerance (rounding of 万元 figures to two decimals) are
recorded as info, never as errors. The checks run on a small in-memory store
that holds only this report and the ontology (no rule reads the code lists), so
one report is evaluated before anything is written and lands with its findings in one
transaction (see service.loading.store_report).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ingest.rdf import Triples, curie, dec, en, iri, lit, zh
from ingest.vocab import FKG, UNITS

from .ontology import vocabulary_files
from .queries import QUERIES_DIR

RULES_DIR = QUERIES_DIR / "checks"

SEVERITIES = ("error", "warning", "info")
SEVERITY_TERMS = {"error": "fkg:Error", "warning": "fkg:Warning", "info": "fkg:Info"}
# Rule-id prefix -> finding subclass (the rule family).
FAMILIES = {
    "T": "TableSumFinding",           # within one table
    "X": "CrossTableFinding",         # between tables
    "N": "NarrativeTableFinding",     # narrative against the tables
    "I": "NarrativeInternalFinding",  # the narrative against itself
    "P": "PerformanceFinding",        # procurement, contracts, evaluations, indicators
    "C": "CompletenessFinding",       # completeness and form
}
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_UNIT_TOLERANCE_FACTOR = {FKG + UNITS["元"][0]: Decimal(100)}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    severity: str
    tolerance: Decimal       # per summand, in 万元 (0 when the rule is not numeric)
    tolerance_text: str
    path: Path
    text: str

    @property
    def iri(self) -> str:
        return f"{FKG}rule-{self.id}"

    @property
    def family(self) -> str:
        return FAMILIES.get(self.id.split("-", 1)[0], "ConsistencyFinding")


def parse_rule(path: Path) -> Rule:
    text = path.read_text(encoding="utf-8")
    head: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            key = m.group(1).lower()
            head[key] = (head[key] + " " + m.group(2).strip()).strip() if key in head else m.group(2).strip()
    rule_id = head.get("id") or path.stem
    severity = head.get("severity", "error").lower()
    if severity not in SEVERITIES:
        raise ValueError(f"{path}: severity must be one of {SEVERITIES}, not {severity!r}")
    tol_text = head.get("tolerance", "")
    m = _NUMBER.search(tol_text)
    return Rule(rule_id, head.get("title", rule_id), head.get("description", ""), severity,
                Decimal(m.group()) if m else Decimal(0), tol_text, path, text)


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    rules = tuple(parse_rule(p) for p in sorted(RULES_DIR.glob("*.rq")))
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate rule ids in {RULES_DIR}: {sorted(dupes)}")
    return rules


@lru_cache(maxsize=1)
def _ontology_ntriples() -> bytes:
    """The ontology files as N-Triples, parsed once per process (SHACL shapes
    left out: no rule reads them)."""
    out = []
    for path in vocabulary_files():
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            out.append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(out).encode("utf-8")


def _store_for(ntriples: str) -> ox.Store:
    store = ox.Store()
    # The code lists are not loaded: no rule reads them, and loading them is most of the cost.
    for data in (ntriples.encode("utf-8"), _ontology_ntriples()):
        if data.strip():
            store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    return store


def evaluate_report(graph, base_iri: str) -> tuple[str, dict[str, int]]:
    """Return (findings as N-Triples, counts by severity) for one ReportGraph. Findings are
    minted under the report's IRI, so `base_iri` is not needed (kept for the callers)."""
    return evaluate_ntriples(graph.ntriples)


def evaluate_ntriples(ntriples: str, rules: tuple[Rule, ...] | None = None) -> tuple[str, dict[str, int]]:
    """The findings of one report's graph (N-Triples text): (N-Triples, counts by severity)."""
    store = _store_for(ntriples)
    out = Triples()
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for rule in rules if rules is not None else load_rules():
        for row in run_rule(store, rule):
            finding = _finding(rule, row)
            if finding is None or finding.iri in seen:
                continue
            seen.add(finding.iri)
            finding.write(out)
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return out.ntriples(), counts


def run_rule(store: ox.Store, rule: Rule) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    try:
        solutions = store.query(rule.text)
    except (SyntaxError, OSError) as exc:
        raise ValueError(f"rule {rule.id} ({rule.path.name}): {exc}") from exc
    names = [v.value for v in solutions.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in solutions]


# --- rows to findings ------------------------------------------------------------

def _number(term) -> Decimal | None:
    if isinstance(term, ox.Literal):
        try:
            return Decimal(term.value)
        except InvalidOperation:
            return None
    return None


def _text(term) -> str | None:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else None


@dataclass
class Finding:
    iri: str
    rule: Rule
    severity: str
    report: str
    involves: list[str]
    expected: object
    stated: object
    difference: Decimal | None
    tolerance: Decimal | None
    message: str
    message_en: str

    def write(self, t: Triples) -> None:
        f = self.iri
        t.add(f, "rdf:type", curie("fkg:ConsistencyFinding"))
        t.add(f, "rdf:type", curie("fkg:" + self.rule.family))
        t.add(f, "fkg:rule", iri(self.rule.iri))
        t.add(f, "fkg:severity", curie(SEVERITY_TERMS[self.severity]))
        t.add(f, "fkg:aboutReport", iri(self.report))
        for fact in self.involves:
            t.add(f, "fkg:involves", iri(fact))
        for prop, value in (("fkg:expected", self.expected), ("fkg:stated", self.stated)):
            if isinstance(value, Decimal):
                t.add(f, prop, dec(value))
            elif value is not None:
                t.add(f, prop, lit(str(value)))
        if self.difference is not None:
            t.add(f, "fkg:difference", dec(self.difference))
        if self.tolerance is not None:
            t.add(f, "fkg:toleranceApplied", dec(self.tolerance))
        t.add(f, "rdfs:label", zh(self.message))
        t.add(f, "rdfs:label", en(self.message_en))


def _finding(rule: Rule, row: dict) -> Finding | None:
    report = _text(row.get("report"))
    if not report:
        return None
    involves: list[str] = []
    for name in ["subject"] + sorted(k for k in row if re.fullmatch(r"fact\d*", k)):
        if isinstance(row.get(name), ox.NamedNode) and row[name].value not in involves:
            involves.append(row[name].value)
    for fact in (_text(row.get("facts")) or "").split():
        if fact not in involves:
            involves.append(fact)
    expected, stated = _value(row.get("expected")), _value(row.get("stated"))
    difference = tolerance = None
    severity = rule.severity
    if isinstance(expected, Decimal) and isinstance(stated, Decimal):
        difference = stated - expected
        if difference == 0:
            return None
        tolerance = _tolerance(rule, row)
        if abs(difference) <= tolerance:
            severity = "info"
    # The hash keys on what was compared, so re-ingesting gives the same IRI.
    digest = hashlib.sha1("\x1f".join(sorted(involves) or [report, rule.id, str(expected), str(stated)])
                          .encode("utf-8")).hexdigest()[:16]
    message = _text(row.get("message")) or rule.title.split(" / ")[0]
    message_en = _text(row.get("messageEn")) or (rule.title.split(" / ")[-1])
    if severity == "info" and difference is not None and severity != rule.severity:
        message += f"（差额 {difference} 在舍入误差 ±{tolerance} 以内）"
        message_en += f" (difference {difference} within rounding tolerance ±{tolerance})"
    return Finding(f"{report}/finding/{rule.id}/{digest}", rule, severity, report, involves,
                   expected, stated, difference, tolerance, message, message_en)


def _value(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value in (
            _XSD + "decimal", _XSD + "integer", _XSD + "double", _XSD + "float", _XSD + "int"):
        return _number(term)
    return term.value


def _tolerance(rule: Rule, row: dict) -> Decimal:
    """The row's own tolerance, or the rule's per-summand tolerance times the
    summands. Figures are printed to 0.01 in 万元 (and 亿元) tables but often to
    whole 元 in 元 tables, so a 元 row gets 100 times the per-summand tolerance."""
    own = _number(row.get("tolerance"))
    if own is not None:
        return own
    summands = _number(row.get("summands"))
    n = max(int(summands), 1) if summands is not None else 1
    factor = _UNIT_TOLERANCE_FACTOR.get(_text(row.get("unit")) or "", Decimal(1))
    return rule.tolerance * n * factor
