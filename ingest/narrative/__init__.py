"""The narrative parts of a report (第三部分 情况说明, 第四部分 其他, 附件) as
records: projects and sub-projects, contracts and their procurement,
performance evaluations and indicators, restated figures, year-over-year and
budget-execution statements, the 项目支出表 and the 绩效目标表 / 绩效自评表
grids, and the 政府采购 / 国有资产 / 机关运行经费 / 三公
summaries. `extract_narrative` is the entry point; the mapping is
`ingest.mapping.narrative`.
"""
from __future__ import annotations

from ..records import ParsedReport
from . import performance, projects, statements, summaries, targets
from .passages import narrative_passages
from .records import Narrative

__all__ = ["Narrative", "extract_narrative"]


def extract_narrative(parsed: ParsedReport) -> Narrative:
    out = Narrative()
    # the project tables and target/self-assessment sheets first: the paragraph
    # extractors then leave the lines of those tables alone
    read = targets.extract(parsed, out)
    passages = [p for p in narrative_passages(parsed) if not any(line.no in read for line in p.lines)]
    blocks = performance.evaluation_blocks(passages)
    statements.extract(parsed, passages, out)
    summaries.extract(parsed, passages, out)
    projects.extract(parsed, passages, blocks, out)
    performance.extract(parsed.meta.department, blocks, out)
    return out
