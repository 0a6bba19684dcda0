"""Project tables and performance-target sheets of the national template, read
from table-shaped lines (Line.cells) of text exports and PDFs alike:

- 项目支出表 / 项目支出预算表: one row per project, amounts by fund source;
- 项目支出绩效目标表 / 部门整体支出绩效目标表: 项目名称, 主管部门, 资金总额, 年度绩效目标
  and the indicator grid (一级 | 二级 | 三级指标 | 指标值, maybe 指标性质/度量单位/分值);
- 项目支出绩效自评表: the same grid with 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因,
  the 年初预算数 / 全年预算数 / 全年执行数 / 执行率 lines and the 总分.

Everything is keyed on the header vocabulary and the grid's shape; the tables
sit in 第二部分 or 附件 alike, so the document's lines are scanned directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..records import Line, ParsedReport, Span
from .passages import to_decimal
from .performance import judge
from .projects import Registry
from .records import BudgetExecution, Evaluation, Indicator, Narrative, ProjectFunding

_NUMBERING = r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|附表\s*\d*[:：]?|公开\d+表)?\s*"
TITLE_PROJECTS = re.compile(_NUMBERING + r"(?:\S{0,30}?)项目支出(?:预算)?(?:明细|情况)?表$")
TITLE_TARGETS = re.compile(r"绩效目标(?:申报|设置)?表$")
TITLE_SELF = re.compile(r"绩效自评(?:结果|情况)?表$")
ENDS = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|注[:：]|[一二三四五六七八九十]+[、.．])")

NAME_HEAD = re.compile(r"^项目(?:名称)?$")
UNIT_HEAD = re.compile(r"^(?:单位名称|预算单位|单位)$")
TYPE_HEAD = re.compile(r"项目(?:类型|类别|性质|属性)")
CODE_HEAD = re.compile(r"编码|代码|功能分类")
TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计|本年合计)$")
NUMBER = re.compile(r"^[+-]?\d[\d,，]*(?:\.\d+)?$")
BLANK = {"", "-", "—", "－", "/", "——"}

# Header wording -> fund-source key (ingest.vocab.FUND_SOURCES), most specific first.
FUND_WORDS = [
    (re.compile(r"一般公共预算"), "general_budget"), (re.compile(r"政府性基金"), "gov_fund"),
    (re.compile(r"国有资本经营"), "state_capital"), (re.compile(r"财政专户"), "fiscal_special"),
    (re.compile(r"上年结转|结转|结余"), "carryover"), (re.compile(r"财政拨款|财政资金"), "fiscal"),
    (re.compile(r"上级补助"), "superior_subsidy"), (re.compile(r"附属单位上缴"), "subsidiary"),
    (re.compile(r"经营收入"), "operating"), (re.compile(r"事业收入"), "business"),
    (re.compile(r"其他"), "other"), (re.compile(r"资金总额|总额|合计|总计|金额|预算数|小计"), "total"),
]

# Key cells of a sheet's upper part.
KEY_NAME = re.compile(r"^项目名称$")
KEY_SUPERVISOR = re.compile(r"^(?:主管部门|主管单位)(?:及代码)?$")
KEY_IMPLEMENTER = re.compile(r"^(?:实施单位|项目单位|预算单位)$")
KEY_TYPE = re.compile(r"^项目(?:类型|类别|属性)$")
KEY_FUNDS = re.compile(r"资金总额|资金合计|财政拨款|财政资金|其他资金|结转|一般公共预算")
KEY_GOAL = re.compile(r"^(?:年度)?(?:总体|绩效)?目标$|^年度绩效目标|^年度总体目标")
SHEET_START = re.compile(r"项目名称|部门名称|单位名称|主管部门|预算单位|一级指标|绩效指标|项目资金|资金总额")
KEY_TOTAL = re.compile(r"^(?:总分|合计|总计|综合得分)$")
KEY_GRADE = re.compile(r"^(?:自评|评价|绩效)?等级$")
EXEC_HEADS = [("initial", re.compile(r"年初预算")), ("budget", re.compile(r"全年预算|调整后?预算")),
              ("actual", re.compile(r"全年执行|执行数|实际支出")), ("full", re.compile(r"^分值$|^权重")),
              ("rate", re.compile(r"执行率")), ("score", re.compile(r"^得分$"))]
GRID_HEADS = [("l1", re.compile(r"一级指标")), ("l2", re.compile(r"二级指标")), ("name", re.compile(r"三级指标|指标名称")),
              ("actual", re.compile(r"实际完成|实际值|完成值")), ("target", re.compile(r"指标值|目标值")),
              ("nature", re.compile(r"指标性质|计算符号|符号")), ("unit", re.compile(r"度量单位|计量单位|单位")),
              ("full", re.compile(r"分值|权重")), ("score", re.compile(r"得分")),
              ("reason", re.compile(r"偏差|原因|改进措施"))]
COMPARATOR_WORDS = [("≥", "≥"), (">=", "≥"), ("≤", "≤"), ("<=", "≤"), ("大于等于", "≥"), ("小于等于", "≤"),
                    ("不低于", "≥"), ("不少于", "≥"), ("不高于", "≤"), ("不超过", "≤"), ("以上", "≥"), ("以下", "≤"),
                    (">", ">"), ("<", "<"), ("＝", "="), ("=", "="), ("等于", "=")]
TARGET_VALUE = re.compile(r"(?P<v>\d[\d,，]*(?:\.\d+)?)\s*(?P<u>[^\d\s,，;；。]{0,6})")


def cell_number(text: str | None) -> Decimal | None:
    t = (text or "").strip().rstrip("%％").strip()
    return to_decimal(t) if NUMBER.match(t) else None


def parse_target(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """(comparator, value, unit) of a grid cell such as ≥95%, ≤24小时, 7座, 5.2个百分点."""
    comparator = next((sym for word, sym in COMPARATOR_WORDS if word in text), None)
    m = TARGET_VALUE.search(text)
    if not m:
        return comparator, None, None
    unit = re.sub(r"^[(（]|[)）]$|以上$|以下$|左右$", "", m.group("u")) or None
    return comparator, to_decimal(m.group("v")), unit


def fund_of(label: str) -> str | None:
    return next((key for rx, key in FUND_WORDS if rx.search(label)), None)


def _span(lines: list[Line]) -> Span:
    return Span(lines[0].no, lines[-1].no, "\n".join(x.text.strip() for x in lines), page=lines[0].page)


def _aligned(header: Line, line: Line) -> list[str]:
    """The line's cells at the header's positions: by x position when the PDF reader
    gave them, else by index (text exports keep blank cells between tabs)."""
    width = len(header.cells)
    out = [""] * width
    if header.cell_x and line.cell_x and len(header.cell_x) == width:
        for cell, x in zip(line.cells, line.cell_x):
            i = max((n for n, hx in enumerate(header.cell_x) if hx <= x + 3), default=0)
            out[i] = (out[i] + cell) if out[i] else cell
        return out
    for i, cell in enumerate(line.cells[:width]):
        out[i] = cell
    return out


def _title_kind(line: Line) -> str | None:
    filled = [c for c in line.cells if c]
    if len(filled) != 1 or len(filled[0]) > 40:
        return None
    text = re.sub(r"\s+", "", filled[0])
    if TITLE_SELF.search(text):
        return "self"
    if TITLE_TARGETS.search(text):
        return "targets"
    if "绩效" not in text and TITLE_PROJECTS.search(text):
        return "projects"
    return None


# --- 项目支出表 -----------------------------------------------------------------

@dataclass
class _ProjectTable:
    title: Line
    unit: str = "万元"
    header: Line | None = None
    labels: list[str] = field(default_factory=list)
    last: object = None


def _unit(text: str) -> str | None:
    m = re.search(r"单位\s*[:：]\s*(亿元|万元|元)", text)
    return m.group(1) if m else None


def _project_table(lines: list[Line], start: int, reg: Registry, used: set[int]) -> int:
    """Read the 项目支出表 whose title is lines[start]; return the index after it."""
    t = _ProjectTable(lines[start])
    i = start + 1
    while i < len(lines):
        line = lines[i]
        filled = [c for c in line.cells if c]
        if not filled:
            i += 1
            continue
        if _title_kind(line) or ENDS.match(line.text) or (len(filled) == 1 and t.header is not None and
                                                           not _continues_name(t, line)):
            break
        t.unit = _unit(line.text) or t.unit
        if t.header is None:
            names = [c for c in line.cells if NAME_HEAD.match(c)]
            if len(names) == 1 and any(fund_of(c) for c in line.cells if not NAME_HEAD.match(c)):
                t.header, t.labels = line, list(line.cells)
            elif i - start > 4:
                break  # no project header under the title (a table of contents entry)
            i += 1
            continue
        if not any(cell_number(c) is not None for c in line.cells) and not _continues_name(t, line):
            # a second header row: child labels under their parent (财政拨款 / 一般公共预算)
            parent = ""
            for n, c in enumerate(_aligned(t.header, line)):
                parent = t.labels[n] or parent
                if c:
                    t.labels[n] = f"{parent}/{c}" if parent else c
            i += 1
            continue
        used.add(line.no)
        if _continues_name(t, line):
            project, _ = t.last
            project.name = project.name + filled[0]
        else:
            _project_row(t, line, reg)
        i += 1
    return i


def _continues_name(t: _ProjectTable, line: Line) -> bool:
    """A wrapped project name: one short text cell under the name column after a row."""
    filled = [c for c in line.cells if c]
    if t.last is None or t.header is None or len(filled) != 1 or cell_number(filled[0]) is not None:
        return False
    cells = _aligned(t.header, line)
    return any(NAME_HEAD.match(t.labels[n].split("/")[0]) and c for n, c in enumerate(cells))


def _project_row(t: _ProjectTable, line: Line, reg: Registry) -> None:
    cells = _aligned(t.header, line)
    name = kind = unit_name = None
    amounts: list[tuple[str, str, Decimal]] = []
    for n, (label, cell) in enumerate(zip(t.labels, cells)):
        head = label.split("/")[0]
        if NAME_HEAD.match(head):
            name = re.sub(r"\s+", "", cell)
        elif TYPE_HEAD.search(head):
            kind = cell or None
        elif UNIT_HEAD.match(head):
            unit_name = cell or None
        elif CODE_HEAD.search(head):
            continue
        elif cell.strip() not in BLANK:
            value = cell_number(cell)
            fund = fund_of(label.split("/")[-1]) or fund_of(label)
            if value is not None and fund:
                amounts.append((fund, label, value))
    if not name or TOTAL_LABEL.match(name) or not amounts:
        return
    span = _span([line])
    project = reg.get(name, span)
    project.phase = project.phase or "budget"
    project.nature = project.nature or kind
    project.implementer = project.implementer or unit_name
    for fund, label, value in amounts:
        project.funding.append(ProjectFunding("budget", fund, label, value, span, unit=t.unit))
    total = next((v for f, _, v in amounts if f == "total"), None)
    if project.amount is None and total is not None:
        project.amount, project.unit, project.amount_span = total, t.unit, span
    t.last = (project, line)


# --- 绩效目标表 / 绩效自评表 ------------------------------------------------------------

@dataclass
class _Sheet:
    kind: str                              # targets / self
    title: Line | None
    scope: str = "project"
    name: str | None = None
    name_line: Line | None = None
    supervisor: str | None = None
    implementer: str | None = None
    nature: str | None = None
    unit: str = "万元"
    funding: list[ProjectFunding] = field(default_factory=list)
    executions: list[BudgetExecution] = field(default_factory=list)
    exec_header: Line | None = None
    exec_cols: dict[str, int] = field(default_factory=dict)
    goal: str | None = None
    goal_lines: list[Line] = field(default_factory=list)
    achieved: str | None = None
    goal_pending: bool = False
    grid: Line | None = None
    grid_cols: dict[str, int] = field(default_factory=dict)
    level1: str | None = None
    level2: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    total: Decimal | None = None
    total_span: Span | None = None
    grade: str | None = None
    lines: list[Line] = field(default_factory=list)


def _sheets(lines: list[Line], start: int, kind: str, used: set[int]) -> tuple[list[_Sheet], int]:
    """Read the sheets under a 绩效目标表 / 绩效自评表 title (several projects may
    follow one title); return them and the index after the last."""
    title = lines[start]
    sheets: list[_Sheet] = []
    sheet = _Sheet(kind, title, scope="department" if "整体" in title.text else "project")
    i = start + 1
    while i < len(lines):
        line = lines[i]
        filled = [c for c in line.cells if c]
        if not filled:
            i += 1
            continue
        if _title_kind(line) or ENDS.match(line.text):
            break
        if len(filled) == 1 and len(line.cells) == 1:
            if sheet.goal_lines and sheet.grid is None and sheet.lines and sheet.lines[-1] is sheet.goal_lines[-1]:
                sheet.goal = (sheet.goal or "") + filled[0]   # a wrapped 年度绩效目标
                sheet.goal_lines.append(line)
                sheet.lines.append(line)
                used.add(line.no)
            elif not sheet.lines:
                sheet.unit = _unit(line.text) or sheet.unit   # （2024年度）, 单位：万元
            else:
                break
            i += 1
            continue
        if not sheet.lines and not SHEET_START.search(filled[0]):
            break  # not a sheet under the title (a table of contents entry)
        if KEY_NAME.match(filled[0]) and sheet.name is not None:
            sheets.append(sheet)
            sheet = _Sheet(kind, title, scope=sheet.scope)
        _sheet_line(sheet, line)
        sheet.lines.append(line)
        used.add(line.no)
        i += 1
    if sheet.lines:
        sheets.append(sheet)
    return sheets, i


def _value_after(cells: list[str], n: int) -> str | None:
    """The cell after a key cell; None when the next filled cell is itself a key."""
    value = next((c for c in cells[n + 1:] if c), None)
    keys = (KEY_NAME, KEY_SUPERVISOR, KEY_IMPLEMENTER, KEY_TYPE)
    return None if value is None or any(k.match(value) for k in keys) else value


def _sheet_line(s: _Sheet, line: Line) -> None:
    cells = list(line.cells)
    filled = [c for c in cells if c]
    first = re.sub(r"\s+", "", filled[0])
    if s.grid is not None:
        if KEY_TOTAL.match(first):
            _total(s, line)
        elif KEY_GRADE.match(first):
            s.grade = _grade(_value_after(cells, cells.index(filled[0])))
        else:
            _grid_row(s, line)
        return
    if s.goal_pending:
        texts = [c for c in cells if c and not KEY_GOAL.match(c)]
        s.goal, s.achieved = (texts + [None, None])[:2]
        s.goal_lines.append(line)
        s.goal_pending = False
        return
    heads = [(role, n) for n, c in enumerate(cells) for role, rx in GRID_HEADS if c and rx.search(c)]
    roles = {}
    for role, n in heads:
        roles.setdefault(role, n)
    if "name" in roles and ("target" in roles or "l2" in roles):
        s.grid, s.grid_cols = line, roles
        if "actual" in roles:
            s.kind = "self"
        return
    execs = {role: n for n, c in enumerate(cells) for role, rx in EXEC_HEADS if c and rx.search(c)}
    if "actual" in execs or ("initial" in execs and "budget" in execs):
        s.exec_header, s.exec_cols = line, execs
        return
    if s.exec_header is not None and any(KEY_FUNDS.search(c) for c in filled):
        _execution_row(s, line)
        return
    for n, cell in enumerate(cells):
        c = re.sub(r"\s+", "", cell)
        if not c:
            continue
        value = _value_after(cells, n)
        if KEY_NAME.match(c) and value:
            s.name, s.name_line = re.sub(r"\s+", "", value), line
        elif KEY_SUPERVISOR.match(c):
            s.supervisor = value
        elif KEY_IMPLEMENTER.match(c):
            s.implementer = value
        elif KEY_TYPE.match(c):
            s.nature = value
        elif KEY_GOAL.match(c):
            if value and re.fullmatch(r"预期目标|目标|实际完成情况|实际完成", value.strip()):
                s.goal_pending = True
            elif value:
                s.goal = value
            s.goal_lines = [line]
            return
        elif KEY_FUNDS.search(c) and cell_number(c) is None:
            amount = cell_number(value)
            fund = fund_of(re.sub(r"^其中[:：]", "", c))
            if amount is not None and fund:
                s.funding.append(ProjectFunding("budget", fund, c, amount, _span([line]), unit=s.unit))


def _execution_row(s: _Sheet, line: Line) -> None:
    """年度资金总额 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, or a fund source's part."""
    cells = _aligned(s.exec_header, line)
    label = next(c for c in cells if c and KEY_FUNDS.search(c))
    fund = fund_of(re.sub(r"^其中[:：]", "", label).replace("资金总额", "合计")) or "total"

    def num(role):
        n = s.exec_cols.get(role)
        return cell_number(cells[n]) if n is not None and n < len(cells) else None

    span = _span([line])
    for phase, role in (("budget", "initial"), ("adjusted", "budget"), ("final", "actual")):
        v = num(role)
        if v is not None:
            s.funding.append(ProjectFunding(phase, fund, label, v, span, unit=s.unit))
    if fund == "total":
        s.executions.append(BudgetExecution(subject=label, span=span, budget=num("budget"), actual=num("actual"),
                                            rate=num("rate"), unit=s.unit, full_score=num("full"),
                                            score=num("score"), initial_budget=num("initial")))


def _grid_row(s: _Sheet, line: Line) -> None:
    cells = _aligned(s.grid, line)
    col = s.grid_cols

    def get(role):
        n = col.get(role)
        return cells[n].strip() if n is not None and n < len(cells) and cells[n].strip() not in BLANK else None

    s.level1 = get("l1") or s.level1
    s.level2 = get("l2") or s.level2
    name = get("name")
    if not name:
        return
    target = get("target")
    if target and (get("nature") or get("unit")):
        nature, unit = get("nature") or "", get("unit") or ""
        symbol = nature if any(w in nature for w, _ in COMPARATOR_WORDS) else ""
        target = f"{symbol}{target}{'' if unit and unit in target else unit}"
    ind = Indicator(name=re.sub(r"\s+", "", name), span=_span([line]), level1=s.level1, level2=s.level2)
    if target:
        ind.target_text = target
        ind.comparator, ind.target_value, ind.target_unit = parse_target(target)
    actual = get("actual")
    if actual:
        ind.actual_text = actual
        _, ind.actual_value, ind.actual_unit = parse_target(actual)
    ind.full_score, ind.score = cell_number(get("full")), cell_number(get("score"))
    ind.deviation_reason = get("reason")
    ind.met = judge(ind) if actual else None
    s.indicators.append(ind)


def _total(s: _Sheet, line: Line) -> None:
    cells = _aligned(s.grid, line)
    n = s.grid_cols.get("score")
    value = cell_number(cells[n]) if n is not None else None
    if value is None:  # no aligned score column: the last number of the line
        value = next((cell_number(c) for c in reversed(line.cells) if cell_number(c) is not None), None)
    s.total, s.total_span = value, _span([line])


def _grade(text: str | None) -> str | None:
    if not text:
        return None
    t = re.sub(r"[\s“”\"]", "", text)
    return {"优秀": "优", "良好": "良", "合格": "中", "不合格": "差"}.get(t, t if t in ("优", "良", "中", "差") else None)


def _record(s: _Sheet, reg: Registry, out: Narrative) -> None:
    if s.scope == "project" and not s.name:
        return
    project = None
    where = _span([s.title] + ([s.name_line] if s.name_line else []))
    if s.scope == "project":
        project = reg.get(s.name, _span([s.name_line]))
        project.nature = project.nature or s.nature
        project.implementer = project.implementer or s.implementer
        project.funding.extend(s.funding)
        if s.kind == "targets":
            project.phase = project.phase or "budget"
            total = next((f for f in s.funding if f.fund_source == "total"), None)
            if total and project.amount is None:
                project.amount, project.unit, project.amount_span = total.amount, total.unit, total.span
        for ex in s.executions:
            ex.subject = project.name
            if project.budget is None and project.actual is None:
                project.budget, project.actual, project.execution_rate = ex.budget, ex.actual, ex.rate
                project.budget_span = ex.span
    label = "绩效自评表" if s.kind == "self" else "绩效目标表"
    title = f"{project.name if project else '部门整体支出'}{label}"
    ev = Evaluation(key=f"{s.kind}/{len(out.evaluations) + 1}", title=title, scope=s.scope, span=where,
                    project=project.key if project else None, kind="self_assessment" if s.kind == "self" else "targets",
                    total_score=s.total, grade=s.grade, score_span=s.total_span, goal=s.goal, achieved=s.achieved,
                    goal_span=_span(s.goal_lines) if s.goal_lines else None)
    ev.indicators, ev.executions = s.indicators, s.executions
    out.evaluations.append(ev)


def extract(parsed: ParsedReport, out: Narrative) -> set[int]:
    """Projects and target/self-assessment sheets of the document's tables; returns
    the numbers of the lines read, which the paragraph extractors then leave alone."""
    reg = Registry(parsed.meta.department, out)
    lines = parsed.document.lines
    used: set[int] = set()
    i = 0
    while i < len(lines):
        kind = _title_kind(lines[i])
        if kind:
            used.add(lines[i].no)
        if kind == "projects":
            i = _project_table(lines, i, reg, used)
        elif kind in ("targets", "self"):
            sheets, i = _sheets(lines, i, kind, used)
            for s in sheets:
                _record(s, reg, out)
        else:
            i += 1
    return used
