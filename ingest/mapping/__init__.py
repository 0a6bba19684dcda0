"""Records → RDF. One module per part of the report; each adds to the
report's `Triples` through a shared `MapContext`."""
from __future__ import annotations

from ..iris import Minter
from ..rdf import Triples
from ..records import ParsedReport
from .common import MapContext


def map_parsed_report(parsed: ParsedReport, minter: Minter, report_key: str) -> tuple[Triples, Triples]:
    from . import core, tables
    ctx = MapContext(parsed, minter, report_key, Triples(), Triples())
    core.map_report(ctx)
    tables.map_tables(ctx)
    if parsed.narrative is not None:
        from . import narrative
        narrative.map_narrative(ctx, parsed.narrative)
    return ctx.triples, ctx.codelists
