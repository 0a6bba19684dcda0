"""Finding the table cell a narrative figure restates.

The 情况说明 talks about one table per section (收入决算 → 收入决算表, 一般公共预算
财政拨款支出 → 一般公共预算财政拨款支出决算表 …); within it a figure names a row
(a 类/款/项 by name, 合计/总计, 本年收入合计 …) and a column (基本支出/项目支出,
a fund source, or the total). Only the vocabulary of the standard layout is used.
"""
from __future__ import annotations

import re

from ..records import Table
from .names import name_key
from .records import CellRef

# Section topic -> table family, most specific first.
TOPIC_FAMILIES = [
    (re.compile(r"三公"), "three_public"),
    (re.compile(r"政府性基金"), "gov_fund"),
    (re.compile(r"国有资本经营"), "state_capital"),
    (re.compile(r"基本支出"), "basic_expenditure_economic"),
    (re.compile(r"一般公共预算.*支出"), "general_budget_expenditure"),
    (re.compile(r"财政拨款收[入支]"), "fiscal_summary"),
    (re.compile(r"收入支出|收支"), "income_expenditure_summary"),
    (re.compile(r"收入"), "income"),
    (re.compile(r"支出"), "expenditure"),
]

# Words of a figure's label that select a column, and the column attribute they match.
EXPENDITURE_WORDS = {
    "基本支出": "basic", "项目支出": "project", "人员经费": "personnel", "公用经费": "public",
    "上缴上级支出": "remit_superior", "经营支出": "operating", "对附属单位补助支出": "subsidiary_grant",
}
FUND_WORDS = {
    "一般公共预算财政拨款": "general_budget", "政府性基金预算财政拨款": "gov_fund",
    "国有资本经营预算财政拨款": "state_capital", "财政拨款收入": "fiscal", "上级补助收入": "superior_subsidy",
    "事业收入": "business", "经营收入": "operating", "附属单位上缴收入": "subsidiary", "其他收入": "other",
}
_PAREN = re.compile(r"[（(][^（）()]*[)）]")


def family_for_topic(topic: str) -> str | None:
    for pattern, family in TOPIC_FAMILIES:
        if pattern.search(topic):
            return family
    return None


_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)[、.．]")


def bare(label: str) -> str:
    """A row or figure label without numbering, (类)/(款)/(项) markers, notes in brackets and spaces."""
    return name_key(_PAREN.sub("", _NUMBERING.sub("", label)))


# Fund-budget names that contain 预算 without being a budget phase.
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")
_TOTAL_COLUMN = re.compile(r"合计|小计|决算数|金额|^决算")


# The words of an undifferentiated total: what is left of a label without them
# names a part (其他资金…合计), which is no grand total.
_GENERIC = re.compile("|".join(sorted(
    list(EXPENDITURE_WORDS) + list(FUND_WORDS) + [
        "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款", "收入", "支出", "收支", "预算",
        "决算", "本年", "当年", "年度", "合计", "总计", "小计", "总", "数", "、"], key=len, reverse=True)))


def label_phase(label: str) -> str | None:
    """budget when the figure is a 预算 figure (年初预算, 预算数 …), final when it is a
    决算 one, None when the label does not say; fund names (一般公共预算…) do not count."""
    words = _FUND_NAMES.sub("", label)
    if "决算" in words:
        return "final"
    if "预算" in words:
        return "budget"
    return None


def resolve(tables: list[Table], topic: str, label: str,
            code_path: tuple[str, ...] = ()) -> CellRef | None:
    """The cell a figure restates: the table of the topic's family, the row the
    label (or code path) names, the column it selects. A filled cell is preferred;
    when every candidate column is blank in that row, the blank cell is returned
    (`CellRef.blank`): a blank cell reads as 0, so a stated amount can be checked."""
    family = family_for_topic(topic)
    if family is None:
        return None
    for table in _tables_for(tables, family, topic):
        row = _row_by_path(table, code_path) if code_path else _row_by_label(table, label)
        if row is None:
            continue
        filled = {c.column.index for c in table.cells if c.row.index == row.index}
        columns = _columns(table, label, row)
        for column in columns:
            if column.index in filled:
                return CellRef(table.key, row.index, column.index)
        if columns:
            return CellRef(table.key, row.index, columns[0].index, blank=True)
    return None


def _tables_for(tables: list[Table], family: str, topic: str) -> list[Table]:
    """The tables of a family, those whose title names the topic's fund first
    (一般公共预算基本支出 → 一般公共预算基本支出表 before 财政拨款基本支出表)."""
    fund = _FUND_NAMES.search(topic)

    def other_fund(table: Table) -> bool:
        named = _FUND_NAMES.search(table.title)
        return (named is None or named.group() != fund.group()) if fund else named is not None

    return sorted((t for t in tables if t.family == family), key=other_fund)


def _row_by_path(table: Table, path: tuple[str, ...]):
    """Walk 类 → 款 → 项 by name, each level among the rows after the previous one."""
    rows, found = table.rows, None
    start = 0
    for depth, name in enumerate(path):
        want = bare(name)
        for i in range(start, len(rows)):
            r = rows[i]
            ok = bare(r.label) == want and (r.code is None or found is None or found.code is None
                                              or r.code.startswith(found.code))
            if ok and (r.code is None or len(r.code) == (3, 5, 7)[min(depth, 2)]):
                found, start = r, i + 1
                break
        else:
            return None
    return found


def _row_by_label(table: Table, label: str):
    """The row the label names (收入总计 → the income side's 总计; 人员经费 → 人员经费合计)."""
    want = bare(label)
    side = "income" if "收入" in want else "expenditure" if "支出" in want else None
    matches = []
    for r in table.rows:
        rl = bare(r.label)
        # (一般公共预算财政拨款本年支出合计 ends with 本年支出合计; 其他X is not X)
        if rl and (rl == want or (len(rl) >= 2 and want.endswith(rl) and not want[:-len(rl)].endswith("其他"))
                   or (rl.startswith(want) and rl[len(want):] in ("合计", "小计", "总计"))):
            matches.append(r)
    if side and any(r.side == side for r in matches):
        matches = [r for r in matches if r.side == side]
    if matches:
        return max(matches, key=lambda r: (bare(r.label) == want, len(bare(r.label))))
    if not (any(w in label for w in list(EXPENDITURE_WORDS) + list(FUND_WORDS)) or re.search("合计|总计", label)):
        return None
    if _GENERIC.sub("", re.sub(r"^.*?(?=本年|当年)", "", want)):
        return None  # a total of something the table has no row for (其他资金收入预算总计)
    # an undifferentiated total (一般公共预算财政拨款支出, 支出预算总计): the table's
    # grand total on the label's side, never a part's subtotal (人员经费合计)
    totals = [r for r in table.rows if r.is_total]
    if side and any(r.side == side for r in totals):
        totals = [r for r in totals if r.side == side]
    elif any(r.side in ("income", "expenditure") for r in totals):
        totals = [r for r in totals if r.side not in ("income", "expenditure")]
    for word in ("总计", "合计"):
        if word in label:
            named = [r for r in totals if word in r.label]
            if named:
                return named[0]
    plain = [r for r in totals if re.fullmatch(r"(?:收入|支出)?(?:合计|总计)", bare(r.label))]
    if "总计" in label:  # 总计 (with carry-overs): the last total of the side
        one_side = totals and all(r.side == totals[0].side for r in totals)
        return plain[-1] if plain else totals[-1] if one_side else None
    # the year's 合计 before a 总计 that adds carry-overs
    return next((r for r in plain if "合计" in r.label), plain[0] if plain else None)


def _columns(table: Table, label: str, row) -> list:
    """The columns the label selects, best first (a table may repeat a column group).
    A label that names a phase (年初预算 …) selects only columns of that phase."""
    cols = [c for c in table.columns if row.side is None or c.side is None or c.side == row.side]
    phase = label_phase(label)
    if phase == "budget":
        cols = [c for c in cols if c.phase in ("budget", "adjusted")]
    elif phase == "final" or any(c.phase == "final" for c in cols):
        cols = [c for c in cols if c.phase in ("final", None)]  # an unqualified figure is the 决算
    if not cols:
        return []
    row_words = bare(row.label)
    for word, key in EXPENDITURE_WORDS.items():
        if word in label and word not in row_words:
            # a figure naming a column the table does not have restates no cell of it
            return _best([c for c in cols if c.expenditure_type == key])
    for word, key in sorted(FUND_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in label and word not in row_words:
            funds = {c.fund_source for c in cols if c.fund_source not in (None, "total")}
            if funds == {key}:
                break  # the whole table is of this fund: the word selects no column
            return _best([c for c in cols if c.fund_source == key])
    totals = [c for c in cols if c.expenditure_type == "total" or c.fund_source == "total"
              or _TOTAL_COLUMN.search(c.label)]
    return _best(totals or cols)


def _best(cols: list) -> list:
    """Final-phase columns first, and among them the totals (小计) before the parts."""
    return sorted(cols, key=lambda c: (c.phase not in ("final", None),
                                       c.expenditure_type not in (None, "total")))
