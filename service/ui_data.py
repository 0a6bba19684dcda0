"""The data behind the UI pages: runs the declarative queries of queries/ui/*.rq
and shapes their answers into plain page models (dicts and lists of flat dicts),
which the templates render and the .json/.csv twins serialise.

Everything here depends only on the store's content, so page models are cached
per store generation (the store directory's modification stamp): a later
ingest invalidates them, and a page costs its queries once.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

from flask import current_app

from ingest.vocab import FKG, XSD

from .app import select_rows
from .queries import QUERIES_DIR, parse_query_file, where_group_start

UI_QUERIES = QUERIES_DIR / "ui"
SEVERITY_ORDER = {FKG + "Error": 0, FKG + "Warning": 1, FKG + "Info": 2}
CACHE_SIZE = 512


# --- running the queries --------------------------------------------------------

@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    """The text of queries/ui/<name>.rq (read once per process)."""
    return parse_query_file(UI_QUERIES / f"{name}.rq").text


def bind(text: str, params: dict[str, object]) -> str:
    """Bind variables with a VALUES block at the start of the outer WHERE, so the
    binding restricts the pattern itself (a trailing VALUES would only join the
    projected results). A list value binds the variable to each of its items."""
    blocks = []
    for name, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple, set)) else [value]
        terms = " ".join(_term(v) for v in values) or "UNDEF"
        blocks.append(f"VALUES ?{name} {{ {terms} }}")
    if not blocks:
        return text
    at = where_group_start(text)
    return text[:at] + "\n  " + "\n  ".join(blocks) + "\n" + text[at:]


def _term(value: object) -> str:
    """An IRI (http/https) as <IRI>, a number as itself, anything else as a string literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = str(value)
    if re.match(r"^https?://[^\s<>\"{}|^`\\]+$", text):
        return f"<{text}>"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def python_value(t):
    """A result term tuple as a plain value: IRIs and strings as str, decimals as
    Decimal, integers as int, booleans as bool."""
    if t is None:
        return None
    if t[0] != "literal":
        return t[1]
    dt = t[2]
    try:
        if dt == XSD + "decimal":
            return Decimal(t[1])
        if dt in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(t[1])
        if dt == XSD + "double":
            return Decimal(t[1])
    except Exception:
        return t[1]
    if dt == XSD + "boolean":
        return t[1] in ("true", "1")
    return t[1]


def run(name: str, **params) -> list[dict]:
    variables, rows = select_rows(bind(query_text(name), params))
    return [{v: python_value(t) for v, t in zip(variables, row)} for row in rows]


# --- the cache ---------------------------------------------------------------------

class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.stamp: object = None
        self.items: OrderedDict = OrderedDict()


def _generation() -> object:
    """What identifies the store's content: the store directory's stamp (an ingest
    writes new files into it); None for an in-memory store (nothing cached)."""
    store = current_app.config.get("STORE")
    if store in (None, ""):
        return None
    try:
        path = Path(str(store))
        return (path.stat().st_mtime_ns, max((p.stat().st_mtime_ns for p in path.iterdir()), default=0))
    except OSError:
        return None


def cached(key: tuple, build):
    """`build()` once per store generation and key."""
    cache: _Cache = current_app.extensions.setdefault("fiscalkg_ui_cache", _Cache())
    stamp = _generation()
    if stamp is None:
        return build()
    with cache.lock:
        if cache.stamp != stamp:
            cache.stamp, cache.items = stamp, OrderedDict()
        if key in cache.items:
            cache.items.move_to_end(key)
            return cache.items[key]
    value = build()
    with cache.lock:
        if cache.stamp == stamp:
            cache.items[key] = value
            while len(cache.items) > CACHE_SIZE:
                cache.items.popitem(last=False)
    return value


# --- shared pieces -----------------------------------------------------------------

def vocabulary() -> dict[str, dict[str, str]]:
    """term IRI -> {"zh": label, "en": label} for the ontology's terms."""
    def build():
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for r in run("vocabulary-labels"):
            label = r["label"]
            lang = "en" if (r.get("lang") or "").lower().startswith("en") else "zh"
            out[r["term"]].setdefault(lang, label)
        return dict(out)
    return cached(("vocabulary",), build)


def sources(subjects: list[str]) -> dict[str, list[dict]]:
    """subject IRI -> its source locations (excerpt, page, lines), for the figures shown."""
    subjects = sorted(set(s for s in subjects if s))
    out: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(subjects), 200):
        for r in run("sources", subject=subjects[i:i + 200]):
            entry = {k: r[k] for k in ("excerpt", "page", "lineStart", "lineEnd", "report")}
            if entry not in out[r["subject"]]:
                out[r["subject"]].append(entry)
    return dict(out)


def _first(rows: list[dict]) -> dict | None:
    return rows[0] if rows else None


def _sum(values) -> Decimal | None:
    vals = [v for v in values if isinstance(v, Decimal)]
    return sum(vals, Decimal(0)) if vals else None


# --- page models ---------------------------------------------------------------------

def home() -> dict:
    def build():
        counts = {r["what"]: r["count"] for r in run("overview")}
        reports = run("reports")
        totals = defaultdict(list)
        for r in run("report-totals"):
            totals[r["report"]].append(r)
        severities = defaultdict(dict)
        for r in run("findings-by-severity"):
            severities[r["report"]][r["severity"]] = r["count"]
        by_severity: dict[str, int] = defaultdict(int)
        for rep in reports:
            rep["totals"] = [{"table": t["tableKey"], "row": t["rowLabel"], "column": t["columnLabel"],
                              "amount": t["amount"], "unit": t["unit"]} for t in totals.get(rep["report"], [])]
            rep["findings"] = severities.get(rep["report"], {})
            for sev, n in rep["findings"].items():
                by_severity[sev] += n
        years = sorted({r["year"] for r in reports if r.get("year") is not None})
        departments = sorted({(r.get("departmentLabel") or "", r.get("department") or "") for r in reports})
        return {"counts": counts, "reports": reports, "years": years,
                "departments": [{"department": d, "label": label} for label, d in departments],
                "findings_by_severity": [{"severity": s, "count": by_severity[s]}
                                         for s in sorted(by_severity, key=lambda s: SEVERITY_ORDER.get(s, 9))]}
    return cached(("home",), build)


def search_index() -> list[dict]:
    def build():
        merged: dict[tuple, dict] = {}
        for r in run("search-index"):
            key = (r["entity"], r["type"])
            entry = merged.setdefault(key, {"entity": r["entity"], "type": r["type"], "label": r.get("label"),
                                            "code": r.get("code"), "year": r.get("year")})
            entry["label"] = entry["label"] or r.get("label")
            entry["code"] = entry["code"] or r.get("code")
        return list(merged.values())
    return cached(("search-index",), build)


SEARCH_LIMIT = 200
# Search results by kind of thing, most useful first.
SEARCH_TYPE_ORDER = [FKG + "Project", "http://www.w3.org/ns/org#Organization", "http://www.w3.org/2004/02/skos/core#Concept",
                     FKG + "Contract", FKG + "PerformanceIndicator", FKG + "Report", FKG + "Table"]


def search(q: str) -> dict:
    """Chinese substring over names, prefix over codes (case-insensitive for Latin text)."""
    q = (q or "").strip()
    if not q:
        return {"q": "", "results": [], "truncated": False}

    def build():
        needle = q.casefold()
        hits = []
        for e in search_index():
            label, code = e.get("label") or "", e.get("code") or ""
            by_code = bool(code) and code.casefold().startswith(needle)
            if by_code or needle in label.casefold():
                hits.append({**e, "match": "code" if by_code else "name"})
        rank = {t: i for i, t in enumerate(SEARCH_TYPE_ORDER)}
        hits.sort(key=lambda h: (h["match"] != "code", rank.get(h["type"], 99), len(h["label"] or ""),
                                 h["code"] or "", h["label"] or ""))
        return {"q": q, "results": hits[:SEARCH_LIMIT], "truncated": len(hits) > SEARCH_LIMIT}
    return cached(("search", q), build)


def projects() -> dict:
    return cached(("projects",), lambda: {"projects": run("projects")})


def vendors() -> dict:
    def build():
        rows = run("vendors")
        for r in rows:
            r["totalWanYuan"] = (r["totalCNY"] / 10000) if isinstance(r.get("totalCNY"), Decimal) else None
        return {"vendors": rows}
    return cached(("vendors",), build)


def subjects() -> dict:
    return cached(("subjects",), lambda: {"subjects": run("subjects")})


def reports() -> dict:
    return {"reports": home()["reports"]}


def report(iri: str) -> dict | None:
    def build():
        meta = [r for r in run("reports") if r["report"] == iri]
        if not meta:
            return None
        tables = run("report-tables", report=iri)
        rows, columns, cells = defaultdict(list), defaultdict(list), defaultdict(dict)
        for r in run("report-rows", report=iri):
            rows[r["tableKey"]].append(r)
        for c in run("report-columns", report=iri):
            columns[c["tableKey"]].append(c)
        for c in run("report-cells", report=iri):
            cells[c["tableKey"]][(c["rowIndex"], c["columnIndex"])] = c
        rendered = []
        for t in tables:
            key = t["tableKey"]
            cols = _dedupe(columns.get(key, []), "index")
            trs = _dedupe(rows.get(key, []), "index")
            grid = []
            for r in trs:
                values = []
                for c in cols:
                    cell = cells[key].get((r["index"], c["index"]))
                    values.append({"amount": cell["amount"], "raw": cell.get("raw"), "excerpt": cell.get("excerpt"),
                                   "page": cell.get("page"), "line": cell.get("line"), "cell": cell["cell"]}
                                  if cell else None)
                grid.append({"index": r["index"], "label": r.get("label"), "code": r.get("code"),
                             "concept": r.get("concept"), "isTotal": bool(r.get("isTotal")),
                             "side": r.get("side"), "lineItem": r.get("lineItem"), "values": values})
            rendered.append({**t, "columns": cols, "rows": grid, "tree": code_tree(grid)})
        project_rows = [p for p in run("projects") if p.get("report") == iri]
        return {"report": meta[0], "totals": [r for r in home_totals() if r["report"] == iri],
                "tables": rendered, "projects": project_rows, "findings": findings(report=iri)["findings"]}
    return cached(("report", iri), build)


def home_totals() -> list[dict]:
    return cached(("report-totals",), lambda: run("report-totals"))


def _dedupe(rows: list[dict], key: str) -> list[dict]:
    """One entry per key (a row with two labels comes back twice); the first wins."""
    seen, out = set(), []
    for r in rows:
        if r[key] not in seen:
            seen.add(r[key])
            out.append(r)
    return out


def code_tree(grid: list[dict]) -> list[dict]:
    """Rows nested by their classification code (类 → 款 → 项, economic 类 → 款): a row
    whose code extends the code of an earlier open row goes under it. Rows without a
    code stay at the top level, in order."""
    top: list[dict] = []
    stack: list[dict] = []
    for row in grid:
        node = {"row": row, "children": []}
        code = row.get("code")
        if not code:
            stack = []
            top.append(node)
            continue
        while stack and not (code.startswith(stack[-1]["row"]["code"]) and len(code) > len(stack[-1]["row"]["code"])):
            stack.pop()
        (stack[-1]["children"] if stack else top).append(node)
        stack.append(node)
    return top


def project(iri: str) -> dict | None:
    def build():
        core = _first(run("project", project=iri))
        if core is None:
            return None
        parts = run("project-parts", project=iri)
        subprojects = [p for p in parts if p["kind"] == "subproject"]
        allocations = [p for p in parts if p["kind"] == "allocation"]
        contracts = _dedupe(run("project-contracts", project=iri), "contract")
        evaluations: dict[str, dict] = {}
        for r in run("project-evaluations", project=iri):
            ev = evaluations.setdefault(r["evaluation"], {k: r[k] for k in (
                "evaluation", "label", "totalScore", "grade", "evaluator", "evaluatorLabel")} | {"scores": []})
            if r.get("scoreRow") and all(s["scoreRow"] != r["scoreRow"] for s in ev["scores"]):
                ev["scores"].append({k: r[k] for k in ("scoreRow", "ordinal", "dimension", "weight", "fullScore",
                                                       "score", "rowGrade")})
        indicators = _dedupe(run("project-indicators", project=iri), "indicator")
        funding = run("project-funding", project=iri)
        for c in contracts:
            c["balanced"] = _balanced(c)
        things = ([iri] + [p["item"] for p in parts] + [c["contract"] for c in contracts]
                  + [c["tender"] for c in contracts if c.get("tender")] + list(evaluations)
                  + [s["scoreRow"] for e in evaluations.values() for s in e["scores"]]
                  + [i["indicator"] for i in indicators])
        met = [i for i in indicators if i.get("met") is True]
        missed = [i for i in indicators if i.get("met") is False]
        return {"project": core, "funding": funding, "subprojects": subprojects, "allocations": allocations,
                "contracts": contracts, "evaluations": list(evaluations.values()), "indicators": indicators,
                "summary": {"contracts": len(contracts), "contract_total": _sum(c.get("price") for c in contracts),
                            "paid_total": _sum(c.get("paid") for c in contracts),
                            "outstanding_total": _sum(c.get("outstanding") for c in contracts),
                            "suppliers": len({c["supplier"] for c in contracts if c.get("supplier")}),
                            "indicators": len(indicators), "met": len(met), "missed": len(missed)},
                "sources": sources(things)}
    return cached(("project", iri), build)


def _balanced(c: dict) -> bool | None:
    """Whether paid + outstanding = price (None when a part is not stated)."""
    price, paid, out = c.get("price"), c.get("paid"), c.get("outstanding")
    if price is None or paid is None:
        return None
    return abs(price - paid - (out or Decimal(0))) <= Decimal("0.01")


def organisation(iri: str) -> dict | None:
    def build():
        rows = run("organisation", org=iri)
        if not rows:
            return None
        labels = sorted({r["label"] for r in rows if r.get("label")})
        types = sorted({r["type"] for r in rows if r.get("type")})
        contracts = _dedupe(run("organisation-contracts", org=iri), "contract")
        by_dept: dict[tuple, dict] = {}
        methods: dict[str, dict] = {}
        for c in contracts:
            k = (c.get("department"), c.get("departmentLabel"), c.get("year"))
            entry = by_dept.setdefault(k, {"department": k[0], "departmentLabel": k[1], "year": k[2],
                                           "contracts": 0, "totalCNY": Decimal(0)})
            entry["contracts"] += 1
            entry["totalCNY"] += c.get("cny") or Decimal(0)
            m = c.get("methodDetails") or c.get("method") or ""
            me = methods.setdefault(m, {"method": c.get("method"), "methodDetails": m, "contracts": 0,
                                        "totalCNY": Decimal(0)})
            me["contracts"] += 1
            me["totalCNY"] += c.get("cny") or Decimal(0)
        for entry in list(by_dept.values()) + list(methods.values()):
            entry["totalWanYuan"] = entry["totalCNY"] / 10000
        roles = run("organisation-roles", org=iri)
        return {"organisation": {"org": iri, "label": labels[0] if labels else iri, "labels": labels,
                                 "types": types, "identifier": next((r["identifier"] for r in rows
                                                                     if r.get("identifier")), None)},
                "contracts": contracts, "by_department_year": sorted(by_dept.values(), key=lambda e: (
                    e["departmentLabel"] or "", e["year"] or 0)),
                "methods": sorted(methods.values(), key=lambda e: -e["contracts"]),
                "roles": _dedupe_pairs(roles),
                "totals": {"contracts": len(contracts), "totalCNY": _sum(c.get("cny") for c in contracts),
                           "paid": _sum(c.get("paid") for c in contracts)},
                "sources": sources([c["contract"] for c in contracts])}
    return cached(("organisation", iri), build)


def _dedupe_pairs(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        k = (r["role"], r["thing"])
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def subject(iri: str) -> dict | None:
    def build():
        rows = run("subject", concept=iri)
        if not rows:
            return None
        first = rows[0]
        path = {}
        for r in rows:
            if r.get("broader"):
                path[r["broader"]] = {"concept": r["broader"], "code": r["broaderCode"], "label": r.get("broaderLabel")}
        others = {}
        for r in rows:
            if r.get("other"):
                others[r["other"]] = {"concept": r["other"], "year": r.get("otherYear")}
        amounts = run("subject-amounts", concept=iri)
        return {"subject": {k: first.get(k) for k in ("concept", "code", "label", "scheme", "schemeLabel", "level")},
                "path": sorted(path.values(), key=lambda p: len(p["code"] or "")),
                "children": _dedupe(run("subject-children", concept=iri), "child"),
                "amounts": _dedupe(amounts, "cell"),
                "other_years": sorted(others.values(), key=lambda o: o["year"] or 0)}
    return cached(("subject", iri), build)


def findings(report: str | None = None, severity: str | None = None, rule: str | None = None,
             finding: str | None = None) -> dict:
    def build():
        rows = _dedupe(run("findings", report=report), "finding")
        facts = defaultdict(list)
        for f in run("finding-facts", report=report):
            entry = {k: f.get(k) for k in ("fact", "type", "label", "amount", "tableKey", "rowLabel",
                                           "columnLabel", "excerpt", "page", "line")}
            if all(e["fact"] != entry["fact"] for e in facts[f["finding"]]):
                facts[f["finding"]].append(entry)
        for r in rows:
            r["facts"] = facts.get(r["finding"], [])
        rows.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 9), r.get("rule") or "", r["finding"]))
        return rows
    every = cached(("findings", report), build)
    chosen = [f for f in every
              if (severity is None or f["severity"] == severity or f["severity"].endswith("#" + severity))
              and (rule is None or (f.get("rule") or "").endswith(rule))
              and (finding is None or f["finding"] == finding)]
    return {"findings": chosen, "filters": {"report": report, "severity": severity, "rule": rule},
            "severities": sorted({f["severity"] for f in every}, key=lambda s: SEVERITY_ORDER.get(s, 9)),
            "rules": sorted({f["rule"] for f in every if f.get("rule")}),
            "reports": sorted({f["report"] for f in every})}


# --- charts ----------------------------------------------------------------------------

def _wan(cny) -> float:
    return float(round(cny / 10000, 2)) if isinstance(cny, Decimal) else 0.0


def fund_flows(report: str | None = None) -> dict:
    """The Sankey: fund source → functional class → project → contract → vendor, in 万元.
    A project that names its funding code hangs under that code's class; the others
    hang under one "project spending" node per report, fed by the classes under which
    the report's expenditure table shows project spending (nothing is apportioned)."""
    def build():
        nodes: dict[str, dict] = {}
        links: dict[tuple, float] = defaultdict(float)

        def node(nid: str, label: str, kind: str, iri: str | None = None) -> str:
            nodes.setdefault(nid, {"id": nid, "name": label, "kind": kind, "iri": iri})
            return nid

        def link(a: str, b: str, value: float) -> None:
            if value > 0 and a != b:
                links[(a, b)] += value

        def class_node(concept: str | None, code: str, label: str | None) -> str:
            return node("class:" + code, f"{code} {label or ''}".strip(), "class", concept)

        for r in run("flow-sources", report=report):
            link(node("fund:" + r["fund"], r["fund"], "fund", r["fund"]),
                 class_node(r["concept"], r["code"], r.get("label")), _wan(r["amountCNY"]))
        pooled_classes = defaultdict(list)
        for r in run("flow-project-classes", report=report):
            pooled_classes[r["report"]].append(r)
        seen = set()
        for r in run("flow-projects", report=report):
            p = node("project:" + r["project"], r.get("projectLabel") or r["project"], "project", r["project"])
            if r["project"] not in seen:
                seen.add(r["project"])
                amount = _wan(r.get("projectCNY"))
                if r.get("fundingCode"):
                    link(class_node(None, r["fundingCode"][:3], None), p, amount)
                else:
                    pool = node("pool:" + r["report"], r["report"], "pool", r["report"])
                    link(pool, p, amount)
            if r.get("contract"):
                c = node("contract:" + r["contract"], r.get("contractLabel") or r["contract"], "contract", r["contract"])
                link(p, c, _wan(r.get("contractCNY")))
                if r.get("supplier"):
                    link(c, node("vendor:" + r["supplier"], r.get("supplierLabel") or r["supplier"], "vendor",
                                  r["supplier"]), _wan(r.get("contractCNY")))
        for rep, classes in pooled_classes.items():
            if "pool:" + rep in nodes:
                for c in classes:
                    link(class_node(c["concept"], c["code"], c.get("label")), "pool:" + rep, _wan(c["amountCNY"]))
        used = {n for pair in links for n in pair}
        return {"nodes": [n for n in nodes.values() if n["id"] in used],
                "links": [{"source": a, "target": b, "value": round(v, 2)} for (a, b), v in links.items()]}
    return cached(("flows", report), build)


def budget_tree(report: str | None = None) -> dict:
    """The treemap: each report's expenditure by functional code, nested 类 → 款 → 项, in 万元."""
    def build():
        labels = {r["report"]: r.get("departmentLabel") or r.get("label") or r["report"] for r in home()["reports"]}
        years = {r["report"]: r.get("year") for r in home()["reports"]}
        by_report = defaultdict(dict)
        for r in run("treemap", report=report):
            by_report[r["report"]].setdefault(r["code"], r)
        roots = []
        for rep, codes in by_report.items():
            items = {}
            for code in sorted(codes, key=lambda c: (len(c), c)):
                r = codes[code]
                items[code] = {"name": f"{code} {r.get('label') or ''}".strip(), "code": code,
                               "iri": r["concept"], "value": _wan(r["amountCNY"]), "children": []}
            top = []
            for code, item in items.items():
                parent = next((items[code[:n]] for n in (len(code) - 2,) if n >= 3 and code[:n] in items), None)
                (parent["children"] if parent else top).append(item)
            for item in items.values():
                if not item["children"]:
                    del item["children"]
            roots.append({"name": f"{labels.get(rep, rep)} {years.get(rep) or ''}".strip(), "iri": rep,
                          "value": round(sum(i["value"] for i in top), 2), "children": top})
        return {"tree": roots}
    return cached(("tree", report), build)
