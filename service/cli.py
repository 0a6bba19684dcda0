"""The `fiscalkg` command. Every option that is also a setting takes its
default from the environment variable of `service.settings`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import settings


def _store_option(f):
    return click.option("--store", "store_dir", default=None, metavar="DIR",
                        help=f"Store directory [env {settings.BY_NAME['store'].env}; "
                             f"default {settings.BY_NAME['store'].default}].")(f)


def _base_option(f):
    return click.option("--base-iri", default=None, metavar="IRI",
                        help=f"Base of minted IRIs [env {settings.BY_NAME['base_iri'].env}].")(f)


def open_store(store_dir: str | None, read_only: bool = False):
    from .store import Store
    path = settings.get("store", store_dir)
    if read_only and not Path(str(path)).exists():
        raise click.ClickException(f"no store at {path}: run `fiscalkg ingest` first")
    try:
        return Store(path, read_only=read_only)
    except OSError as exc:
        raise click.ClickException(f"cannot open the store at {path}: {exc}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """fiscalkg: Chinese budget disclosures as a knowledge graph."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_store_option
@_base_option
@click.option("--jobs", "-j", type=int, default=None, help="Parallel parsers (default: cores).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(paths, store_dir, base_iri, jobs, quiet):
    """Parse report files (or directories of them) into the store."""
    from .loading import expand_paths, ingest_paths
    base = settings.get("base_iri", base_iri)
    files = expand_paths(paths)
    if not files:
        raise click.ClickException("no report files (.txt, .pdf) in " + ", ".join(paths))
    store = open_store(store_dir)
    bar = None
    if not quiet and len(files) > 1 and sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=len(files), unit="file", file=sys.stderr)
    results = ingest_paths(store, files, base, jobs, progress=(lambda _p: bar.update(1)) if bar else None)
    if bar:
        bar.close()
    failed = 0
    for r in results:
        if r.ok:
            findings = ", ".join(f"{n} {sev}" for sev, n in sorted((r.findings or {}).items())) or "no findings"
            click.echo(f"ok      {r.path}: {r.triples} triples, {findings} -> {r.report_iri}")
        else:
            failed += 1
            click.echo(f"FAILED  {r.message}", err=True)
    click.echo(f"{len(results) - failed} of {len(results)} files ingested into {store.path}")
    store.flush()
    if failed:
        sys.exit(1)


@main.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(["nq", "nt", "ttl", "trig", "jsonld"]), required=True)
@click.option("-o", "--output", type=click.Path(), default=None, help="File to write (default: stdout).")
@click.option("--graph", default=None, metavar="IRI", help="Only this named graph.")
def export(store_dir, fmt, output, graph):
    """Dump the store (N-Quads keep the named graphs; triple formats give the union)."""
    store = open_store(store_dir, read_only=True)
    data = store.dump(fmt, None, graph=graph)
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@_store_option
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query's parameter (?NAME) to a literal or <IRI>.")
def query(store_dir, query, fmt, params):
    """Run a SPARQL query: text, a .rq file, or the name of a query in queries/."""
    from .queries import load_query_text, render_results
    store = open_store(store_dir, read_only=True)
    try:
        text = load_query_text(query, dict(p.split("=", 1) for p in params))
        results = store.query(text)
    except (SyntaxError, ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc))
    sys.stdout.write(render_results(results, fmt))


@main.command()
@_store_option
@click.option("--report", default=None, metavar="IRI", help="Only this report.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def check(store_dir, report, fmt):
    """Print the consistency findings; exit 1 when errors exist."""
    from .findings import list_findings, render_findings
    store = open_store(store_dir, read_only=True)
    try:
        findings = list_findings(store, report)
    except ValueError as exc:  # --report is not an IRI
        raise click.ClickException(str(exc))
    click.echo(render_findings(findings, fmt))
    if any(f["severity"] == "error" for f in findings):
        sys.exit(1)


@main.command()
@_store_option
@click.option("--report", default=None, metavar="IRI", help="Only this report's graph.")
def validate(store_dir, report):
    """Validate the store against the SHACL shapes of ontology/."""
    from .validation import validate_store
    store = open_store(store_dir, read_only=True)
    conforms, text = validate_store(store, report)
    click.echo(text)
    sys.exit(0 if conforms else 1)


@main.command()
@_store_option
@click.option("--host", default=None, help=f"[env {settings.BY_NAME['host'].env}]")
@click.option("--port", type=int, default=None, help=f"[env {settings.BY_NAME['port'].env}]")
@click.option("--timeout", type=float, default=None, help="Query timeout in seconds.")
@click.option("--workers", type=int, default=None, help="Query worker processes.")
@_base_option
def serve(store_dir, host, port, timeout, workers, base_iri):
    """Serve the UI, the SPARQL endpoint and the linked-data pages."""
    from .server import serve as run_server
    config = settings.resolved(store=store_dir, host=host, port=port, timeout=timeout,
                               workers=workers, base_iri=base_iri)
    run_server(config)


@main.command("settings")
def show_settings():
    """Print the settings with their environment variables and values."""
    click.echo(json.dumps([{"name": s.name, "env": s.env, "default": s.default, "value": settings.get(s.name),
                            "help": s.help} for s in settings.SETTINGS], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
