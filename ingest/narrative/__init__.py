"""The narrative parts of a report (第三部分 情况说明, 第四部分 其他, 附件) as
records: projects and sub-projects, contracts and their procurement,
performance evaluations and indicators, restated figures, year-over-year and
budget-execution statements, and the 政府采购 / 国有资产 / 机关运行经费 / 三公
summaries. `extract_narrative` is the entry point; the mapping is
`ingest.mapping.narrative`.
"""
from __future__ import annotations

from ..records import ParsedReport
from . import performance, projects, statements, summaries
from .passages import narrative_passages
from .records import Narrative

__all__ = ["Narrative", "extract_narrative"]


def extract_narrative(parsed: ParsedReport) -> Narrative:
    out = Narrative()
    passages = narrative_passages(parsed)
    blocks = performance.evaluation_blocks(passages)
    statements.extract(parsed, passages, out)
    summaries.extract(parsed, passages, out)
    projects.extract(parsed, passages, blocks, out)
    performance.extract(parsed.meta.department, blocks, out)
    return out
