"""Plain records of what the narrative parts (情况说明, 其他, 附件) state.

Every record carries the `Span` it was read from; `ingest.mapping.narrative`
turns them into RDF. Amounts are Decimals in the unit stated next to them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..records import Span


@dataclass(frozen=True)
class CellRef:
    """A table cell a narrative figure restates (indices as in ingest.records);
    `blank` when the report left that cell empty (it reads as 0)."""
    table: str
    row: int
    column: int
    blank: bool = False


@dataclass
class StatedFigure:
    """A figure the narrative states, e.g. 本年收入合计 4,883.37 万元; linked to the
    table cell it restates when one is found, so a check can compare the two."""
    label: str
    amount: Decimal | None
    unit: str
    topic: str                    # the section it belongs to (its heading)
    span: Span
    restates: CellRef | None = None
    code: str | None = None       # classification code when the figure is a subject's


@dataclass
class StatedPercentage:
    """占本年收入 99.51%: a share with the figures it relates."""
    value: Decimal
    part_label: str
    whole_label: str
    span: Span
    part_amount: Decimal | None = None
    whole_amount: Decimal | None = None
    unit: str = "万元"


@dataclass
class YearOverYear:
    subject: str                  # 收入 / 支出 / 财政拨款收入 / “三公”经费 ...
    direction: str                # increase / decrease / unchanged
    direction_text: str           # 增加 / 减少 / 持平 / 降低 ... as printed
    span: Span
    amount: Decimal | None = None
    percent: Decimal | None = None
    unit: str = "万元"
    reason: str | None = None


@dataclass
class BudgetExecution:
    subject: str                  # 类/款/项 path, project name or the department
    span: Span
    budget: Decimal | None = None
    actual: Decimal | None = None
    rate: Decimal | None = None   # percent as stated
    unit: str = "万元"
    code_path: tuple[str, ...] = ()  # names of 类/款/项 when the subject is a code
    restates: CellRef | None = None  # the table cell of the actual, when found
    initial_budget: Decimal | None = None  # 年初预算数, when a 绩效自评表 states it beside 全年预算数
    full_score: Decimal | None = None  # 分值 / 得分 of the execution line of a 绩效自评表
    score: Decimal | None = None


@dataclass
class Item:
    label: str
    amount: Decimal | None        # None when the report leaves it blank
    span: Span
    restates: CellRef | None = None


@dataclass
class ItemisedTotal:
    """A total with its listed items: 机关运行经费, 人员经费, 公用经费, “三公”经费."""
    kind: str                     # operating_cost / personnel / public / three_public
    label: str
    total: Decimal | None
    span: Span
    unit: str = "万元"
    items: list[Item] = field(default_factory=list)
    restates: CellRef | None = None


@dataclass
class ProcurementSummary:
    total: Decimal | None
    span: Span
    unit: str = "万元"
    goods: Decimal | None = None
    works: Decimal | None = None
    services: Decimal | None = None
    sme: Decimal | None = None
    sme_share: Decimal | None = None
    small_micro: Decimal | None = None
    small_micro_share: Decimal | None = None


@dataclass
class AssetHolding:
    kind: str                     # building / building_use / vehicle / general_equipment / special_equipment
    label: str
    quantity: Decimal
    unit: str                     # 平方米 / 辆 / 台、套
    span: Span


@dataclass
class StatedCount:
    """A count stated in the narrative (总编制数 21 人, 内设 5 个机构)."""
    key: str                      # key from ingest.vocab.COUNT_KINDS, or internal_units
    label: str
    value: int
    unit: str
    span: Span


@dataclass
class FundAllocation:
    """One line of a project's 资金使用分配 (sub-project or cost item)."""
    label: str
    amount: Decimal
    span: Span
    unit: str = "万元"
    subproject: str | None = None  # key of the sub-project it funds, when matched


@dataclass
class ProjectFunding:
    """One amount a project table or sheet states for a project: its phase (budget =
    年初预算, adjusted = 全年预算, final = 全年执行), fund source (a key of
    ingest.vocab.FUND_SOURCES, total for 合计/资金总额) and the header it sits under."""
    phase: str
    fund_source: str
    label: str
    amount: Decimal
    span: Span
    unit: str = "万元"


@dataclass
class Project:
    key: str                      # normalised name, stable within the report
    name: str
    span: Span
    parent: str | None = None     # key of the parent project for sub-projects
    amount: Decimal | None = None  # amount stated for the project (支出 / 使用资金)
    unit: str = "万元"
    amount_span: Span | None = None
    budget: Decimal | None = None
    actual: Decimal | None = None
    execution_rate: Decimal | None = None
    budget_span: Span | None = None
    phase: str | None = None      # key of ingest.vocab.PHASES when stated (年初预算项目)
    nature: str | None = None     # 新增 / 常年性 / 一次性 ... as printed
    funder: str | None = None     # 资金来源于 …
    funding_codes: list[str] = field(default_factory=list)
    status: str | None = None     # completed / ongoing
    status_text: str | None = None
    status_span: Span | None = None
    extra_spans: list[Span] = field(default_factory=list)
    allocations: list[FundAllocation] = field(default_factory=list)
    funding: list[ProjectFunding] = field(default_factory=list)
    implementer: str | None = None  # 实施单位 / 单位名称 as printed


@dataclass
class Contract:
    key: str
    project: str                  # key of the (sub-)project
    span: Span
    title: str | None = None      # 《…合同》
    buyer: str | None = None      # organisation names as printed
    supplier: str | None = None
    agent: str | None = None
    method_details: str | None = None  # Chinese method as printed (竞争性谈判, 三方询价 …)
    method: str | None = None     # OCDS procurementMethod: open / selective / limited / direct
    plan_number: str | None = None  # 采购计划书编号
    plan_issuer: str | None = None
    price: Decimal | None = None
    unit: str = "万元"
    signed: str | None = None     # ISO date, or YYYY-MM when only the month is stated
    period_start: str | None = None
    period_end: str | None = None
    duration: str | None = None   # 1年 …
    deliverables: str | None = None
    paid: Decimal | None = None
    paid_share: Decimal | None = None  # percent of the price paid
    outstanding: Decimal | None = None
    payment_span: Span | None = None
    facts: dict[str, Span] = field(default_factory=dict)  # fact name -> where it is stated


@dataclass
class ScoreRow:
    dimension: str
    span: Span
    weight: Decimal | None = None  # percent
    full: Decimal | None = None
    score: Decimal | None = None
    grade: str | None = None


@dataclass
class Indicator:
    name: str
    span: Span
    code: str | None = None       # the report's letter (A, B …)
    level1: str | None = None     # 产出指标 / 效益指标 / 满意度指标
    level2: str | None = None     # 数量指标 / 质量指标 / 时效指标 / 成本指标 …
    target_text: str | None = None
    comparator: str | None = None  # ≤ ≥ < > =
    target_value: Decimal | None = None
    target_unit: str | None = None
    actual_text: str | None = None
    actual_value: Decimal | None = None
    actual_unit: str | None = None
    full_score: Decimal | None = None
    score: Decimal | None = None
    deviation_reason: str | None = None
    met: bool | None = None
    extra_spans: list[Span] = field(default_factory=list)


@dataclass
class Evaluation:
    key: str
    title: str
    scope: str                    # department / project
    span: Span
    project: str | None = None    # key of the project evaluated
    total_score: Decimal | None = None
    grade: str | None = None      # 优 / 良 / 中 / 差
    score_span: Span | None = None
    evaluator: str | None = None
    evaluator_span: Span | None = None
    rows: list[ScoreRow] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    executions: list[BudgetExecution] = field(default_factory=list)
    kind: str = "report"          # report (绩效评价报告) / self_assessment (绩效自评表) / targets (绩效目标表)
    goal: str | None = None       # 年度绩效目标 / 年度总体目标 (预期目标)
    achieved: str | None = None   # 实际完成情况 of the 年度总体目标
    goal_span: Span | None = None


@dataclass
class Narrative:
    projects: list[Project] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    figures: list[StatedFigure] = field(default_factory=list)
    percentages: list[StatedPercentage] = field(default_factory=list)
    year_over_year: list[YearOverYear] = field(default_factory=list)
    executions: list[BudgetExecution] = field(default_factory=list)
    itemised: list[ItemisedTotal] = field(default_factory=list)
    procurement: list[ProcurementSummary] = field(default_factory=list)
    assets: list[AssetHolding] = field(default_factory=list)
    counts: list[StatedCount] = field(default_factory=list)
