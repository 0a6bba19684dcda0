"""The web UI: server-rendered pages that follow the money from budget line to
contractor to outcome. Chinese by default, English with ?lang=en (remembered in
a cookie). Every page has a .json twin (its page model) and a .csv download of
its tables (?table=NAME). JavaScript only draws the charts and runs the query
editor; pages read completely without it.

The data comes from service/ui_data.py (queries/ui/*.rq); entity IRIs of the
kinds shown here (reports, projects, organisations, budget subjects, findings)
render these pages from the linked-data view too (see `entity_page`).
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ingest.vocab import FKG

from . import ui_data
from .app import local_path
from .query_pool import QueryError
from .ui_i18n import DEFAULT_LANGUAGE, LANGUAGES, STRINGS, translate

bp = Blueprint("ui", __name__)

FORMATS = ("json", "csv")
LANG_COOKIE = "lang"


# --- language ---------------------------------------------------------------------

def current_lang() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


@bp.after_app_request
def remember_language(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
    return response


# --- links ---------------------------------------------------------------------------

def entity_href(iri: str | None) -> str | None:
    """The UI page of an IRI minted under the base (project, organisation, report,
    budget subject, finding); otherwise its linked-data path, or the IRI itself."""
    if not iri:
        return None
    base = current_app.config["BASE_IRI"]
    if iri.startswith(base + "id/"):
        rest = iri[len(base) + 3:]
        parts = rest.split("/")
        if parts[0] == "project" and len(parts) == 2:
            return "/project/" + parts[1]
        if parts[0] == "org" and len(parts) == 2:
            return "/org/" + parts[1]
        if parts[0] == "report" and len(parts) == 2:
            return "/report/" + parts[1]
        if parts[0] == "report" and len(parts) == 5 and parts[2] == "finding":
            return f"/findings/{parts[1]}/{parts[3]}/{parts[4]}"
        if parts[0] == "codelist" and len(parts) == 4 and parts[2].isdigit():
            return f"/subject/{parts[1]}/{parts[2]}/{parts[3]}"
    return local_path(iri)


def _iri(kind: str, *parts: str) -> str:
    return current_app.config["BASE_IRI"] + "id/" + "/".join([kind, *parts])


def _twin_url(fmt: str, **extra) -> str:
    """This page's URL with a .json/.csv suffix (the same query string, minus lang)."""
    path = request.path.rstrip("/") or "/index"
    path = re.sub(r"\.(json|csv)$", "", path)
    args = {k: v for k, v in request.args.items() if k not in ("lang", "table")}
    args.update({k: v for k, v in extra.items() if v is not None})
    return f"{path}.{fmt}" + ("?" + urlencode(args) if args else "")


def _switch_url() -> str:
    other = "en" if current_lang() == "zh" else "zh"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    args["lang"] = other
    return request.path + "?" + urlencode(args)


# --- formatting ------------------------------------------------------------------------

def number(value) -> str:
    """A stated figure as printed, with thousands separators (never rounded)."""
    if value is None or value == "":
        return ""
    if isinstance(value, (Decimal, int)):
        return format(value, ",")
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def helpers(lang: str) -> dict:
    vocab = ui_data.vocabulary()

    def _(key: str, **kw) -> str:
        text = translate(key, lang)
        return text.format(**kw) if kw else text

    def term_label(iri: str | None) -> str:
        """An ontology term in the page language (falls back to the other one, then the local name)."""
        if not iri:
            return ""
        labels = vocab.get(iri, {})
        label = labels.get(lang) or labels.get("zh") or labels.get("en")
        if label:
            return label
        if iri.startswith(FKG + "sev") or iri in (FKG + "Error", FKG + "Warning", FKG + "Info"):
            return translate("sev_" + iri.rsplit("#", 1)[1], lang)
        return re.split(r"[#/]", iri)[-1].removeprefix("rule-").removeprefix("method_")

    def severity_label(iri: str) -> str:
        name = iri.rsplit("#", 1)[-1]
        return translate("sev_" + name, lang) if "sev_" + name in STRINGS else term_label(iri)

    return {"_": _, "lang": lang, "href": entity_href, "term": term_label, "num": number,
            "severity_label": severity_label, "switch_url": _switch_url(), "twin": _twin_url,
            "other_lang_name": translate("language_switch", lang)}


def excerpts_for(sources: dict, subject: str | None, value=None) -> list[dict]:
    """The source excerpts of `subject`, those that state `value` first."""
    found = sources.get(subject or "", [])
    if value is None:
        return found
    text = str(value)
    stating = [s for s in found if text in (s.get("excerpt") or "").replace(",", "")]
    return stating + [s for s in found if s not in stating] if stating else found


# --- rendering ---------------------------------------------------------------------------

def render(template: str, model: dict, fmt: str = "html", status: int = 200, tables=None, **extra) -> Response:
    """The page as HTML, or its model as JSON, or one of its tables as CSV."""
    if fmt == "json":
        response = jsonify(model)
        response.status_code = status
        return response
    if fmt == "csv":
        available = tables(model) if tables else flat_tables(model)
        name = request.args.get("table") or next(iter(available), None)
        if name not in available:
            abort(404)
        return csv_response(available[name], name)
    lang = current_lang()
    html = render_template(template, m=model, sources_of=lambda s, v=None: excerpts_for(model.get("sources", {}), s, v),
                           **helpers(lang), **extra)
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = "en" if lang == "en" else "zh-CN"
    response.headers["Vary"] = "Cookie"
    return response


def flat_tables(model: dict) -> dict[str, list[dict]]:
    """The model's lists of records, with nested values left out, for CSV."""
    out = {}
    for key, value in model.items():
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            out[key] = [{k: v for k, v in row.items() if not isinstance(v, (list, dict))} for row in value]
    return out


def csv_response(rows: list[dict], name: str) -> Response:
    columns: list[str] = []
    for row in rows:
        for k in row:
            if k not in columns:
                columns.append(k)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
    body = "\ufeff" + buf.getvalue()  # BOM: spreadsheet programs then read the Chinese text as UTF-8
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}.csv"'})


def not_found(fmt: str = "html") -> Response:
    if fmt != "html":
        return Response("not found\n", status=404, content_type="text/plain; charset=utf-8")
    return render("ui/not_found.html", {}, status=404)


@bp.errorhandler(QueryError)
def query_failed(exc: QueryError) -> Response:
    """A page whose query failed (no store yet, a timeout): said plainly, with the query error's status."""
    return Response(f"{exc}\n", status=exc.status, content_type="text/plain; charset=utf-8")


def _fmt(fmt: str | None) -> str:
    if fmt is None:
        return "html"
    if fmt not in FORMATS:
        abort(404)
    return fmt


def pages(*rules: str):
    """Register a view under each rule and its .json/.csv twin."""
    def register(view):
        for rule in rules:
            twin = rule + ".<any(json,csv):fmt>" if rule != "/" else "/index.<any(json,csv):fmt>"
            bp.add_url_rule(rule, view.__name__, view)
            bp.add_url_rule(twin, view.__name__, view)
        return view
    return register


# --- pages -------------------------------------------------------------------------------

@pages("/")
def index(fmt=None):
    return render("ui/home.html", ui_data.home(), _fmt(fmt))


@pages("/search")
def search(fmt=None):
    return render("ui/search.html", ui_data.search(request.args.get("q", "")[:200]), _fmt(fmt))


@pages("/reports")
def reports(fmt=None):
    return render("ui/reports.html", ui_data.reports(), _fmt(fmt))


@pages("/report/<key>")
def report(key, fmt=None):
    fmt = _fmt(fmt)
    model = ui_data.report(_iri("report", key))
    return not_found(fmt) if model is None else render("ui/report.html", model, fmt, tables=report_tables)


def report_tables(model: dict) -> dict[str, list[dict]]:
    """CSV tables of a report page: each printed table as a grid, plus the flat lists."""
    out = flat_tables(model)
    for t in model["tables"]:
        rows = []
        for r in t["rows"]:
            row = {"code": r.get("code") or "", "label": r.get("label") or ""}
            for c, v in zip(t["columns"], r["values"]):
                row[c.get("label") or str(c["index"])] = v["amount"] if v else ""
            rows.append(row)
        out["table-" + t["tableKey"]] = rows
    return out


@pages("/projects")
def projects(fmt=None):
    return render("ui/projects.html", ui_data.projects(), _fmt(fmt))


@pages("/project/<key>")
def project(key, fmt=None):
    fmt = _fmt(fmt)
    model = ui_data.project(_iri("project", key))
    return not_found(fmt) if model is None else render("ui/project.html", model, fmt)


@pages("/vendors")
def vendors(fmt=None):
    return render("ui/vendors.html", ui_data.vendors(), _fmt(fmt))


@pages("/org/<key>")
def organisation(key, fmt=None):
    fmt = _fmt(fmt)
    model = ui_data.organisation(_iri("org", key))
    return not_found(fmt) if model is None else render("ui/organisation.html", model, fmt)


@pages("/subjects")
def subjects(fmt=None):
    return render("ui/subjects.html", ui_data.subjects(), _fmt(fmt))


@pages("/subject/<scheme>/<int:year>/<code>")
def subject(scheme, year, code, fmt=None):
    fmt = _fmt(fmt)
    model = ui_data.subject(_iri("codelist", scheme, str(year), code))
    return not_found(fmt) if model is None else render("ui/subject.html", model, fmt)


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _report_arg() -> str | None:
    """?report= as a report IRI: given as the IRI, or as its key (the last path segment)."""
    report = _arg("report")
    if report and not report.startswith(("http://", "https://")):
        report = _iri("report", report)
    return report


@pages("/findings")
def findings(fmt=None):
    report = _report_arg()
    model = ui_data.findings(report=report, severity=_arg("severity"), rule=_arg("rule"))
    return render("ui/findings.html", model, _fmt(fmt))


@pages("/findings/<key>/<rule>/<digest>")
def finding(key, rule, digest, fmt=None):
    fmt = _fmt(fmt)
    iri = _iri("report", key, "finding", rule, digest)
    model = ui_data.findings(report=_iri("report", key), finding=iri)
    if not model["findings"]:
        return not_found(fmt)
    return render("ui/findings.html", model, fmt, single=True)


@pages("/charts")
def charts(fmt=None):
    fmt = _fmt(fmt)
    report = _report_arg()
    model = {"report": report, "flows": ui_data.fund_flows(report), "treemap": ui_data.budget_tree(report),
             "reports": ui_data.home()["reports"]}
    chart = chart_view(model, helpers(current_lang())["term"], current_lang()) if fmt == "html" else None
    return render("ui/charts.html", model, fmt, tables=chart_tables, chart=chart)


def chart_view(model: dict, term, lang: str) -> dict:
    """The chart data as the page draws it: names in the page language, links to pages."""
    pools = sum(1 for n in model["flows"]["nodes"] if n["kind"] == "pool")
    reports = {r["report"]: r for r in model["reports"]}

    def name(n):
        if n["kind"] == "fund":
            return term(n["iri"])
        if n["kind"] == "pool":
            r = reports.get(n["iri"], {})
            suffix = f" · {r.get('departmentLabel') or ''} {r.get('year') or ''}" if pools > 1 else ""
            return translate("sankey_pool", lang) + suffix
        return n["name"]
    nodes = [{"id": n["id"], "name": name(n), "kind": n["kind"], "href": entity_href(n.get("iri"))
              if n["kind"] != "fund" else None} for n in model["flows"]["nodes"]]
    by_id = {n["id"]: n for n in nodes}
    table = [{"from": by_id[l["source"]]["name"], "from_href": by_id[l["source"]]["href"],
              "to": by_id[l["target"]]["name"], "to_href": by_id[l["target"]]["href"], "value": l["value"]}
             for l in model["flows"]["links"]]

    def tree(items):
        return [{"name": i["name"], "value": i["value"], "href": entity_href(i.get("iri")),
                 **({"children": tree(i["children"])} if i.get("children") else {})} for i in items]
    return {"sankey": {"nodes": nodes, "links": model["flows"]["links"]}, "table": table,
            "treemap": tree(model["treemap"]["tree"])}


def chart_tables(model: dict) -> dict[str, list[dict]]:
    names = {n["id"]: n["name"] for n in model["flows"]["nodes"]}
    flows = [{"from": names.get(l["source"]), "to": names.get(l["target"]), "value_wan_yuan": l["value"]}
             for l in model["flows"]["links"]]
    tree = []

    def walk(items, path):
        for i in items:
            tree.append({"path": " / ".join(path + [i["name"]]), "value_wan_yuan": i["value"]})
            walk(i.get("children", []), path + [i["name"]])
    walk(model["treemap"]["tree"], [])
    return {"flows": flows, "treemap": tree}


@pages("/query")
def query_page(fmt=None):
    from .queries import list_queries
    examples = [{"name": q.name, "title": q.title or q.name, "description": q.description, "query": q.text}
                for q in list_queries()]
    model = {"examples": examples, "selected": _arg("name"), "query": _arg("query"), "run": bool(_arg("run"))}
    return render("ui/query.html", model, _fmt(fmt))


# --- entity pages for the linked-data view ----------------------------------------------------

def entity_page(iri: str) -> Response | None:
    """The UI page of an entity IRI, for the linked-data HTML view; None when the IRI
    is not of a kind the UI shows (the generic view is used then)."""
    href = entity_href(iri)
    if not href or not href.startswith("/") or href.startswith(("/id/", "/graph/")):
        return None
    parts = href.strip("/").split("/")
    kind = parts[0]
    if kind == "project":
        model, template = ui_data.project(iri), "ui/project.html"
    elif kind == "org":
        model, template = ui_data.organisation(iri), "ui/organisation.html"
    elif kind == "report":
        model, template = ui_data.report(iri), "ui/report.html"
    elif kind == "subject":
        model, template = ui_data.subject(iri), "ui/subject.html"
    elif kind == "findings":
        model = ui_data.findings(report=_iri("report", parts[1]), finding=iri)
        return render("ui/findings.html", model, single=True) if model["findings"] else None
    else:
        return None
    return render(template, model) if model is not None else None
