"""Table blocks → `Table` records: family from the title, columns from the
(multi-row) header, rows and cells from the grid.

Cells sit at the position the reader gave them (one cell per printed column,
"" for a blank), so a header label covers the positions up to its next
neighbour, and the columns of a two- or three-part table (收入|支出, 人员经费|
公用经费|公用经费续) are found by their repeated key columns (项目/科目编码/科目名称/行次).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import IngestError
from ..records import BUDGET, FINAL, Cell, Column, Line, Row, Table
from .numbers import NotANumber, looks_numeric, normalise_code, parse_amount, split_code_label
from .segment import NOTE, TOTAL_LABEL, Block, EMPTY_NOTE, is_marker_line, table_title
from .text import ORDINAL, arabic_years, cell_offsets, cells_text, fold, line_span, line_text, tidy

# Title keywords -> family, first match wins (specific before general).
FAMILY_RULES: list[tuple[str, str]] = [
    (r"三公", "three_public"),
    (r"机关运行经费", "operating_cost"),
    (r"政府采购", "procurement"),
    (r"政府性基金", "gov_fund"),
    (r"国有资本经营", "state_capital"),
    (r"项目支出", "project"),
    (r"基本支出", "basic_expenditure_economic"),
    (r"经济分类", "general_budget_economic"),
    (r"财政拨款收入支出|财政拨款收支", "fiscal_summary"),
    (r"(一般公共预算|财政拨款).*支出", "general_budget_expenditure"),
    (r"收入支出|收支", "income_expenditure_summary"),
    (r"收入", "income"),
    (r"支出", "expenditure"),
]
ECONOMIC_FAMILIES = {"basic_expenditure_economic", "general_budget_economic"}

CODE_HEADER = re.compile(r"编码|代码|^[类款项]+$")
NAME_HEADER = re.compile(r"^(项目|科目名称|.*科目名称|科目|名称|单位名称|项目名称|支出项目)$")
LINE_HEADER = re.compile(r"^行次$")
HEADER_WORDS = re.compile(r"项目|科目|编码|名称|行次|栏次|金额|预算数|决算数|合计|小计")

SIDE_KEYS = {"收入": "income", "支出": "expenditure", "人员经费": "personnel", "公用经费": "public"}

# Column wording -> vocab keys. Checked in order; the first hit wins.
FUND_RULES = [
    (r"年末", None),
    (r"使用非财政拨款结余", "non_fiscal_balance"),
    (r"年初.*结转|上年结转|年初.*结余", "carryover"),
    (r"一般公共预算", "general_budget"),
    (r"政府性基金", "gov_fund"),
    (r"国有资本经营", "state_capital"),
    (r"财政专户", "fiscal_special"),
    (r"财政拨款", "fiscal"),
    (r"上级补助", "superior_subsidy"),
    (r"附属单位上缴", "subsidiary"),
    (r"经营收入", "operating"),
    (r"事业收入", "business"),
    (r"其他收入", "other"),
    (r"收入合计|本年收入$|(^|/)合计$", "total"),
]
TYPE_RULES = [
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"人员经费", "personnel"),
    (r"公用经费", "public"),
    (r"上缴上级", "remit_superior"),
    (r"经营支出", "operating"),
    (r"对附属单位补助", "subsidiary_grant"),
    (r"预留|机动经费", "reserve"),
    (r"支出合计|本年支出|支出/(合计|小计|金额|决算数|预算数)", "total"),
]
_FUND_WORDS = re.compile(r"一般公共预算|国有资本经营预算|政府性基金预算|预算财政拨款")


def _side_key(label: str) -> str:
    """收入 / 本年收入 -> income, 支出 / 本年支出 -> expenditure, 人员经费, 公用经费."""
    if label in SIDE_KEYS:
        return SIDE_KEYS[label]
    folded = fold(label)
    for word in ("收入", "支出"):
        if word in folded and not folded.replace(word, "").strip("本年合计总"):
            return SIDE_KEYS[word]
    return label


def table_family(title: str) -> str:
    t = fold(title)
    for pattern, family in FAMILY_RULES:
        if re.search(pattern, t):
            return family
    return "other"


@dataclass
class _Group:
    lo: int
    hi: int                     # positions [lo, hi)
    side: str | None = None
    side_label: str | None = None


def parse_table(block: Block, key: str, kind: str, path: str, default_unit: str,
                warnings: list[str], year: int | None = None) -> Table:
    """`year` is the report's: columns of other years ("2023年预算数", "上年预算数") carry theirs."""
    family = table_family(block.title)
    table = Table(key=key, family=family, title=block.title,
                  number=block.number[0] if block.number else None,
                  unit=block.unit or default_unit, span=line_span(block.title_line))
    header, lanci, data = _split_header(block)
    header, header_unit = _strip_header_unit(header)
    if block.unit is None:
        table.unit = header_unit or default_unit
        if header_unit is None:
            warnings.append(f"table {key} {block.title}: no 金额单位 printed, read as {default_unit}")
    width = max((len(ln.cells) for ln in header + data + ([lanci] if lanci else [])), default=0)
    roles = _roles(header, width)
    for p in range(width):
        if roles[p] is None and _is_text_column(data, p):
            roles[p] = "name"       # descriptive columns (采购物品名称, 采购组织形式…) label the row
    groups = _groups(roles, width)
    side_row = _side_row(header, groups)
    if side_row is not None:
        labels = [tidy(c) for c in cells_text(side_row)]
        for n, g in enumerate(groups):
            g.side_label = labels[min(n, len(labels) - 1)]
            g.side = _side_key(g.side_label)
        header = [ln for ln in header if ln is not side_row]
    elif len(groups) > 1:
        for n, g in enumerate(groups):
            g.side = f"part{n + 1}"
    columns: dict[int, Column] = {}
    for g in groups:
        for p in range(g.lo, g.hi):
            if roles[p] is not None:
                continue
            label = _column_label(header, p, g)
            if g.side_label:
                label = f"{g.side_label}/{label}" if label else g.side_label
            col = Column(index=len(columns), label=label, side=g.side)
            if lanci is not None and p < len(lanci.cells) and lanci.cells[p].isdigit():
                col.number = lanci.cells[p]
            _tag(col, block.title, family, kind, year)
            columns[p] = col
    table.columns = list(columns.values())
    if family == "three_public":
        _tag_three_public_items(table.columns)
    code_header = "".join(fold(ln.cells[p]) for ln in header for p, r in enumerate(roles)
                          if r == "code" and p < len(ln.cells))
    lineage: dict[int, list[str]] = {}     # per part: the 类 and 款 last printed in split code columns
    for ln in data:
        _read_row(table, ln, roles, groups, columns, path, warnings, code_header, lineage)
    _name_unlabelled_total(table, roles)
    _tag_income_rows(table)
    if not any(c.amount for c in table.cells):
        # Prefer a sentence of its own ("我部门没有…") to a 注： line saying the same.
        notes = [ln for ln in block.tail if not is_marker_line(ln)]
        for ln in sorted(notes, key=lambda ln: bool(NOTE.match(line_text(ln)))):
            text = line_text(ln)
            if EMPTY_NOTE.search(text) and len(text) <= 80:
                table.empty_note, table.empty_note_span = text, line_span(ln)
                break
    return table


# --- header ----------------------------------------------------------------------

def _is_lanci(line: Line) -> bool:
    cells = cells_text(line)
    if any(fold(c) == "栏次" for c in cells):
        return True
    nums = cells
    return len(nums) >= 2 and all(c.isdigit() for c in nums) and [int(c) for c in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums))) and int(nums[0]) <= 1


def _is_data(line: Line) -> bool:
    cells = cells_text(line)
    if not cells or _is_lanci(line):
        return False
    first = tidy(cells[0])
    if normalise_code(first) or split_code_label(first)[0]:
        return True
    if any(("." in c or "," in c) and _amount(c) is not None for c in cells):
        return True
    rest = cells[1:]
    return bool(TOTAL_LABEL.search(first)) and all(_amount(c) is not None for c in rest) or (
        bool(rest) and all(_amount(c) is not None for c in cells) and not HEADER_WORDS.search(first))


def _amount(text: str):
    """The figure of a cell for telling data from header ("12.5%" counts), else None."""
    try:
        return parse_amount(_PERCENT.sub("", text))
    except NotANumber:
        return None


_PERCENT = re.compile(r"\s*[%％]\s*$")
# "（万元）" / "(单位：元)" printed in a header cell instead of a 金额单位 line.
_HEADER_UNIT = re.compile(r"\s*[（(]\s*(?:金额)?(?:单位\s*[:：]\s*)?(亿元|万元|元)\s*[)）]")


def _strip_header_unit(header: list[Line]) -> tuple[list[Line], str | None]:
    """Header rows without their "（万元）" suffixes, and the unit they name."""
    units = {m.group(1) for ln in header for c in ln.cells for m in _HEADER_UNIT.finditer(c)}
    if not units:
        return header, None
    out = [Line(ln.no, _HEADER_UNIT.sub("", ln.text), tuple(_HEADER_UNIT.sub("", c) for c in ln.cells),
                ln.page, ln.bbox, ln.cell_x) for ln in header]
    return out, (units.pop() if len(units) == 1 else None)


def _split_header(block: Block) -> tuple[list[Line], Line | None, list[Line]]:
    header: list[Line] = []
    lanci = None
    i = 0
    rows = [ln for ln in block.body if not is_marker_line(ln)]
    while i < len(rows) and not _is_data(rows[i]):
        if _is_lanci(rows[i]):
            lanci = rows[i]
        else:
            header.append(rows[i])
        i += 1
    seen = {tuple(fold(c) for c in ln.cells) for ln in header}
    if lanci is not None:
        seen.add(tuple(fold(c) for c in lanci.cells))
    data = []
    for ln in rows[i:]:
        # Continuation pages repeat the header rows (and sometimes the title).
        if tuple(fold(c) for c in ln.cells) in seen or _is_lanci(ln) or table_title(ln) == block.title:
            continue
        if not _is_data(ln) and all(HEADER_WORDS.search(c) for c in cells_text(ln)):
            continue
        data.append(ln)
    return header, lanci, data


def _is_text_column(data: list[Line], p: int) -> bool:
    values = [ln.cells[p] for ln in data if p < len(ln.cells) and ln.cells[p].strip()]
    text = [v for v in values if not looks_numeric(v) and _amount(v) is None]
    return bool(values) and len(text) * 2 > len(values)


def _roles(header: list[Line], width: int) -> list[str | None]:
    """Per position: "code", "name", "line" (行次) or None for an amount column.
    A key word (科目编码, 项目, 行次) in any header row decides; a position no row names
    takes the role of the merged header cell spanning it ("项目名称" over 2 columns)."""
    named: list[str | None | bool] = [False] * width      # False: not named by any row
    spanned: list[str | None] = [None] * width
    for ln in header:
        role = None
        for p in range(width):
            cell = fold(ln.cells[p]) if p < len(ln.cells) else ""
            if cell:
                role = _header_role(cell)
                if role is not None or named[p] is False:   # a key word is not undone below
                    named[p] = role
            elif role is not None:
                spanned[p] = role
    return [spanned[p] if named[p] is False else named[p] for p in range(width)]


def _header_role(cell: str) -> str | None:
    if CODE_HEADER.search(cell):
        return "code"
    if NAME_HEADER.match(cell):
        return "name"
    if LINE_HEADER.match(cell):
        return "line"
    return None


def _groups(roles: list[str | None], width: int) -> list[_Group]:
    groups = [_Group(0, width)]
    for p in range(1, width):
        if roles[p] is not None and roles[p - 1] is None:
            groups[-1].hi = p
            groups.append(_Group(p, width))
    return groups


def _side_row(header: list[Line], groups: list[_Group]) -> Line | None:
    """The top row naming the parts of a two/three-part table (收入 | 支出)."""
    if len(groups) < 2 or not header:
        return None
    top = header[0]
    labels = cells_text(top)
    if 2 <= len(labels) <= len(groups) and not any(fold(c) in ("项目", "科目编码") for c in labels):
        return top
    return None


def _column_label(header: list[Line], p: int, g: _Group) -> str:
    """Parent labels joined with "/": each header row contributes the label whose
    span (up to its next neighbour, within the parent's span) covers p."""
    lo, hi = g.lo, g.hi
    parts: list[str] = []
    for ln in header:
        cells = list(ln.cells) + [""] * max(0, hi - len(ln.cells))
        s = next((q for q in range(p, lo - 1, -1) if cells[q]), None)
        if s is None:
            continue
        nxt = next((q for q in range(s + 1, hi) if cells[q]), hi)
        if nxt <= p:
            continue
        parts.append(tidy(cells[s]))
        lo, hi = s, nxt
    return "/".join(parts)


# Families whose amount columns are spending: their total column (合计 / 小计 / 金额, or a
# bare 预算数 / 决算数) is the all-types expenditure, and in a 基本支出 table the basic one.
EXPENDITURE_FAMILIES = {"expenditure", "general_budget_expenditure", "gov_fund", "state_capital", "project",
                        "basic_expenditure_economic", "general_budget_economic"}
_TOTAL_LEAF = re.compile(r"^((本年)?(支出)?(合计|小计|总计)|金额|(本年|年初|全年)?(预算|决算|执行)数?|本年支出)$")
_PHASE_PART = re.compile(r"^((19|20)\d{2}年度?|[上本]年度?)?(年初|全年|调整后?)?(预算|决算|实际|执行)数?$")
_NOT_SPENDING = re.compile(r"收入|结转|结余")


def _title_fund(title: str) -> str | None:
    """The one fund a title names (一般公共预算… / 政府性基金… / 国有资本经营… / 财政拨款…)."""
    t = fold(title)
    return next((key for pattern, key in FUND_RULES[3:8] if re.search(pattern, t)), None)


# Columns that are not amounts: percentages and differences (checked on the leaf first:
# "比上年增减/增减%" is a ratio, "比上年增减/增减额" a change).
_RATIO = re.compile(r"[%％]|百分比|比率|比例|占比|幅度|[增降减]长?率|执行率|完成率|为.*的")
_CHANGE = re.compile(r"增减|增长|减少|变动|差额|比上年|较上年")
# A year a header names: "2023年预算数", "二〇二三年", "上年预算数", "本年决算数"; not
# "上年结转" (this year's income carried over) nor "本年收入".
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年|([上本当])年度?(?=(?:年初|全年|调整后?)?(?:预算|决算|执行|实际)|数|同期)")


def _measure(parts: list[str]) -> str:
    leaf, label = (parts[-1] if parts else ""), "/".join(parts)
    if _RATIO.search(leaf):
        return "ratio"
    if _CHANGE.search(label):
        return "change"
    return "ratio" if _RATIO.search(label) else "amount"


def _column_year(parts: list[str], year: int | None) -> int | None:
    """The year of the nearest header part that names one (the first named: "2024年比
    2023年增减" is about 2024); None when it is the report's year or none is named."""
    for part in reversed(parts):
        m = _YEAR.search(arabic_years(part))
        if not m:
            continue
        if m.group(1):
            found = int(m.group(1))
        elif year is None:
            return None
        else:
            found = year - 1 if m.group(2) == "上" else year
        return None if found == year else found
    return None


def _tag(col: Column, title: str, family: str, kind: str, year: int | None = None) -> None:
    label = fold(col.label)
    parts = [p for p in label.split("/") if p]
    leaf = parts[-1] if parts else ""
    for pattern, key in FUND_RULES:
        if re.search(pattern, label):
            col.fund_source = key
            break
    title_fund = _title_fund(title) if "年末" not in label else None
    # A table titled by one fund holds that fund in every column that names no other
    # (its 合计 included): "all sources" only where the title names none.
    if title_fund and col.fund_source in (None, "total"):
        col.fund_source = title_fund
    elif col.fund_source is None and "年末" not in label and family == "expenditure":
        col.fund_source = "total"
    # The column's own word decides before its parents' ("基本支出/人员经费" is personnel).
    for text in (leaf, label):
        col.expenditure_type = next((key for pattern, key in TYPE_RULES if re.search(pattern, text)), None)
        if col.expenditure_type:
            break
    if col.expenditure_type is None and col.side in ("personnel", "public", "expenditure"):
        col.expenditure_type = "total" if col.side == "expenditure" else col.side
    if (col.expenditure_type is None and family in EXPENDITURE_FAMILIES and col.side != "income"
            and _is_total_label(parts) and not _NOT_SPENDING.search(label)):
        col.expenditure_type = "basic" if family == "basic_expenditure_economic" else "total"
    col.measure = _measure(parts)
    col.year = _column_year(parts, year)
    bare = _FUND_WORDS.sub("", label)
    if col.measure != "amount":
        col.phase = None          # a percentage or a difference is of no one phase
    elif "调整" in bare:
        col.phase = "adjusted"
    elif "决算" in bare or "执行数" in bare or "实际" in bare:
        col.phase = FINAL
    elif "预算" in bare:
        col.phase = BUDGET
    else:
        col.phase = kind


def _is_total_label(parts: list[str]) -> bool:
    """合计 / 小计 / 金额 / 本年支出合计 as the column's own header, under parents that only
    name the fund or the spending ("一般公共预算支出/合计"); or a header of phase words alone."""
    own = [p for p in parts if not _PHASE_PART.match(p)]
    if not own:
        return True
    return bool(_TOTAL_LEAF.match(own[-1])) and all(
        _FUND_WORDS.search(p) or re.search(r"支出(预算)?$|^本年", p) for p in own[:-1])


_OTHER_COSTS = re.compile(r"会议费|培训费|机关运行经费")


def _tag_three_public_items(columns: list[Column]) -> None:
    """三公 columns by their header wording (national): 因公出国(境)费, 公务用车购置及运行(维护)费
    and its 购置费 / 运行(维护)费, 公务接待费, and the 三公 total — a 合计/小计 under a “三公”
    heading, or a bare 合计 when the table lists no other costs (会议费, 培训费, 机关运行经费)."""
    others = any(_OTHER_COSTS.search(fold(c.label)) for c in columns)
    for col in columns:
        words = [p for p in fold(col.label).split("/") if p and not _PHASE_PART.match(p)]
        if not words or _OTHER_COSTS.search(words[-1]):
            continue
        leaf, parent = words[-1], (words[-2] if len(words) > 1 else "")
        if "出国" in leaf:
            col.item = "abroad"
        elif "接待" in leaf:
            col.item = "reception"
        elif "购置及运行" in leaf or (leaf in ("小计", "合计") and "公务用车" in parent):
            col.item = "vehicles"
        elif re.search(r"购置费?$", leaf):
            col.item = "vehicle_purchase"
        elif re.search(r"运行(维护)?费?$", leaf):
            col.item = "vehicle_operation"
        elif leaf in ("小计", "合计") and ("三公" in parent or (not parent and not others)):
            col.item = "total"


# --- rows ------------------------------------------------------------------------

def _read_row(table: Table, line: Line, roles: list[str | None], groups: list[_Group],
              columns: dict[int, Column], path: str, warnings: list[str], code_header: str = "",
              lineage: dict[int, list[str]] | None = None) -> None:
    cells = list(line.cells)
    offsets = cell_offsets(line)
    first_amount = next((p for p, r in enumerate(roles) if r is None), 0)
    if (1 < first_amount < len(roles) and len(cells) > 1 and cells[0] and not normalise_code(cells[0])
            and roles[0] == "code" and roles[1] == "name" and _amount(cells[1]) is not None):
        # A label printed across the code and name columns (a merged "合计" cell):
        # its figures start at the first amount column, not in the name column.
        shift = first_amount - 1
        cells[1:1] = [""] * shift
        offsets[1:1] = [offsets[0]] * shift
    cells += [""] * max(0, len(roles) - len(cells))
    records = []
    for n, g in enumerate(groups):
        code_parts, names, line_item, amounts = [], [], None, []
        split = [cells[p].strip() for p in range(g.lo, min(g.hi, len(cells))) if roles[p] == "code"]
        if len(split) >= 2 and lineage is not None:
            joined = _join_split_code(split, lineage.setdefault(n, ["", ""]))
            if joined:
                code_parts.append(joined)
        for p in range(g.lo, min(g.hi, len(cells))):
            raw = cells[p].strip()
            role = roles[p] if p < len(roles) else None
            if not raw or (role == "code" and code_parts):
                continue
            if role == "code":
                code_parts.append(raw)
            elif role == "name":
                names.append(raw)
            elif role == "line":
                line_item = raw
            elif p in columns:
                amounts.append((p, raw))
        code, label = _code_and_label(code_parts, names)
        records.append([g, code, label, line_item, amounts])
    # A part that holds only amounts takes the label of the part before it on the same
    # side that holds only a label (a 合计 row whose figure is printed in the last part).
    for k in range(1, len(records)):
        g, code, label, _, amounts = records[k]
        prev = records[k - 1]
        if amounts and not label and not code and prev[2] and not prev[4] and prev[0].side == g.side:
            records[k][1], records[k][2] = prev[1], prev[2]
            prev[2] = None
    for g, code, label, line_item, amounts in records:
        if not label and not code and not amounts:
            continue
        if label and not (code or amounts or line_item) and not TOTAL_LABEL.search(label):
            prev = next((r for r in reversed(table.rows) if r.side == g.side), None)
            if prev is not None and prev.label and _continues(prev.label, label):
                prev.label += label          # the end of a label wrapped onto the next line or page
                continue
        row = Row(index=len(table.rows), label=label or "", code=code, line_item=line_item, side=g.side,
                  span=line_span(line))
        if code:
            row.scheme = code_scheme(code, table.family, code_header)
        row.is_total = bool(label and TOTAL_LABEL.search(fold(label)))
        table.rows.append(row)
        for p, raw in amounts:
            ratio = columns[p].measure == "ratio"
            if ratio and raw.strip() in ("-", "—", "－", "--", "——"):
                continue                     # a percentage that does not apply (nothing to compare with)
            try:
                value = parse_amount(_PERCENT.sub("", raw) if ratio else raw)
            except NotANumber:
                if looks_numeric(raw):
                    raise IngestError(path, f"unreadable amount {raw!r} in table {table.key} "
                                            f"{table.title}, column {columns[p].label or p + 1}",
                                      line=line.no, page=line.page) from None
                warnings.append(f"line {line.no}: text {raw!r} in amount column "
                                f"{columns[p].label!r} of table {table.key} ignored")
                continue
            if value is None:
                continue
            start, end = offsets[p] if p < len(offsets) else (None, None)
            table.cells.append(Cell(row, columns[p], value, raw, line_span(line, start, end)))


_CODE_PART = re.compile(r"\d{1,3}")


def _join_split_code(parts: list[str], lineage: list[str]) -> str | None:
    """A code printed in 类 | 款 | 项 columns ("201" | "01" | "01"), the PDF reader's
    "201 01 01" in a text export. A row that prints only its 款 or 项 ("" | "" | "01")
    continues the 类 and 款 printed above it, as the template's hierarchy reads."""
    if not any(parts) or not all(not v or _CODE_PART.fullmatch(v) for v in parts):
        return None
    levels = [v.zfill(3 if k == 0 else 2) if v else "" for k, v in enumerate(parts[:3])]
    depth = max(k for k, v in enumerate(levels) if v)
    for k in range(depth):
        if not levels[k]:
            levels[k] = lineage[k] if k < len(lineage) else ""
    if not all(levels[:depth + 1]):
        return None
    lineage[:] = (levels[:2] + ["", ""])[:2]
    return "".join(levels[:depth + 1])


def _code_and_label(code_parts: list[str], names: list[str]) -> tuple[str | None, str]:
    label = "/".join(tidy(n) for n in names)     # a label in two columns: "其他资金/小计"
    code = None
    if code_parts:
        joined = " ".join(code_parts)
        code = normalise_code(joined)
        if code is None:
            code, rest = split_code_label(joined)
            if code and not label:
                label = tidy(rest)
            elif code is None and not label:
                label = tidy(joined)
    elif label:
        code, rest = split_code_label(label)
        if code:
            label = tidy(rest)
    return code, label


# A label reads as complete when it ends as subject and item names do; a wrapped
# label's first piece usually does not ("十七、国土海洋气象等支" / "出").
_COMPLETE_LABEL = re.compile(r"(支出|收入|费|拨款|资金|结余|结转|合计|总计|小计|补助|分配|事务|运行|[)）])$")


def _continues(label: str, fragment: str) -> bool:
    """Whether a line holding only text (no code, no amounts) ends the label above."""
    if ORDINAL.match(fragment) or split_code_label(fragment)[0]:
        return False
    if len(fragment) <= 3:
        return True
    return not _COMPLETE_LABEL.search(fold(label)) and bool(_COMPLETE_LABEL.search(fold(label + fragment)))


def code_scheme(code: str, family: str, code_header: str = "") -> str:
    """功能分类 or 经济分类: the code column's header says so when it names one; else
    an economic table's codes 3xx (部门) and 5xx (政府经济分类) are economic."""
    if "经济分类" in code_header:
        return "economic"
    if "功能分类" in code_header:
        return "functional"
    return "economic" if family in ECONOMIC_FAMILIES and code[0] in "35" else "functional"


def _name_unlabelled_total(table: Table, roles: list[str | None]) -> None:
    """A table without a label column (三公: 合计 | 因公出国(境)费 | …) prints one row of
    figures: that row is the table's total."""
    if any(r in ("name", "code") for r in roles):
        return
    blank = [r for r in table.rows if not r.label and not r.code]
    if len(blank) == 1:
        blank[0].label, blank[0].is_total = "合计", True


_SUMMARY_FAMILIES = {"income_expenditure_summary", "fiscal_summary", "income"}


def _tag_income_rows(table: Table) -> None:
    """Rows of the income side of a 收支总表 name their source of funds
    ("一、一般公共预算财政拨款收入", "年初结转和结余", "本年收入合计")."""
    if table.family not in _SUMMARY_FAMILIES:
        return
    for row in table.rows:
        if row.code or not row.label or row.side not in ("income", "part1", None):
            continue
        if row.side is None and table.family != "income":
            continue
        label = fold(row.label)
        for pattern, key in FUND_RULES + [(r"总计", "total")]:
            if re.search(pattern, label):
                row.fund_source = key
                break
