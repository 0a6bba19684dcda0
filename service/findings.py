"""Reading the consistency findings back from the store and printing them.

The findings graph of each report holds fkg:ConsistencyFinding resources (see
service.checks); the evidence — the facts compared, their values and their
source excerpts — lives in the report's own graph, so both queries run over the
union of graphs. The queries are the named queries queries/findings-*.rq.
"""
from __future__ import annotations

import json
from decimal import Decimal

from .queries import named_query_text

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_HEADINGS = {"error": "错误 / errors", "warning": "警告 / warnings", "info": "提示 / info (within rounding)"}
_EXCERPT_CHARS = 160
_EVIDENCE_SHOWN = 6


def _query(name: str, report_iri: str | None) -> str:
    """A findings query, for one report when `report_iri` is given (ValueError when it is not an IRI)."""
    return named_query_text(name, {"report": report_iri} if report_iri else None)


def _plain(value):
    """Decimals as their text (JSON has no decimal), everything else as is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def list_findings(store, report_iri: str | None = None) -> list[dict]:
    """The findings of one report (or of all), errors first, each with its evidence."""
    evidence: dict[str, dict[str, dict]] = {}
    for row in store.select(_query("findings-evidence", report_iri)):
        facts = evidence.setdefault(row["finding"], {})
        fact = facts.get(row["fact"])
        if fact is None:
            label = row.get("label") or ""
            if row.get("rowLabel") is not None:
                label = f"表{row.get('tableKey', '')} {row['rowLabel'] or '（无名行）'} / {row.get('columnLabel', '')}"
            fact = facts[row["fact"]] = {
                "fact": row["fact"], "label": label.strip(), "value": _plain(row.get("value")),
                "unit": row.get("unit"), "locations": []}
        if row.get("excerpt") is not None:
            loc = {"page": row.get("page"), "line_start": row.get("lineStart"),
                   "line_end": row.get("lineEnd"), "excerpt": row["excerpt"]}
            if loc not in fact["locations"]:
                fact["locations"].append(loc)
    findings = []
    for row in store.select(_query("findings-list", report_iri)):
        findings.append({
            "finding": row["finding"], "report": row["report"], "report_label": row.get("reportLabel"),
            "rule": row.get("ruleId"), "rule_title": row.get("ruleTitle"), "rule_title_en": row.get("ruleTitleEn"),
            "severity": row["severity"], "message": row.get("message"), "message_en": row.get("messageEn"),
            "expected": _plain(row.get("expected")), "stated": _plain(row.get("stated")),
            "difference": _plain(row.get("difference")), "tolerance": _plain(row.get("tolerance")),
            "evidence": list(evidence.get(row["finding"], {}).values()),
        })
    findings.sort(key=lambda f: (f["report"], SEVERITY_ORDER.get(f["severity"], 9), f["rule"] or "", f["message"] or ""))
    return findings


def render_findings(findings: list[dict], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(findings, ensure_ascii=False, indent=2)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}")
    if not findings:
        return "没有发现不一致 / no findings"
    out: list[str] = []
    for report in dict.fromkeys(f["report"] for f in findings):
        mine = [f for f in findings if f["report"] == report]
        out.append(f"== {mine[0]['report_label'] or report}\n   {report}")
        for severity in SEVERITY_ORDER:
            group = [f for f in mine if f["severity"] == severity]
            if not group:
                continue
            out.append(f"\n{SEVERITY_HEADINGS[severity]} ({len(group)})")
            for f in group:
                out.append(f"  [{f['rule']}] {f['message']}")
                if severity == "info":
                    continue  # rounding notes: one line each
                values = [f"{name} {f[key]}" for name, key in
                          (("所述 stated", "stated"), ("应为 expected", "expected"), ("差额 difference", "difference"))
                          if f.get(key) is not None]
                if values:
                    out.append("      " + "   ".join(values))
                for fact in f["evidence"][:_EVIDENCE_SHOWN]:
                    value = f" = {fact['value']}{' ' + fact['unit'] if fact.get('unit') else ''}" if fact["value"] is not None else ""
                    out.append(f"      · {fact['label'] or fact['fact']}{value}")
                    for loc in fact["locations"][:2]:
                        where = (f"p.{loc['page']} " if loc.get("page") else "") + f"line {loc['line_start']}"
                        out.append(f"          {where}: {_clip(loc['excerpt'])}")
                if len(f["evidence"]) > _EVIDENCE_SHOWN:
                    out.append(f"      … {len(f['evidence']) - _EVIDENCE_SHOWN} more (--format json lists all)")
        counts = ", ".join(f"{sum(1 for f in mine if f['severity'] == s)} {s}" for s in SEVERITY_ORDER)
        out.append(f"\n({counts})\n")
    return "\n".join(out).rstrip() + "\n"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT_CHARS else text[:_EXCERPT_CHARS - 1] + "…"
