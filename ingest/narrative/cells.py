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


def resolve(tables: list[Table], topic: str, label: str,
            code_path: tuple[str, ...] = ()) -> CellRef | None:
    family = family_for_topic(topic)
    if family is None:
        return None
    for table in tables:
        if table.family != family:
            continue
        row = _row_by_path(table, code_path) if code_path else _row_by_label(table, label)
        if row is None:
            continue
        filled = {c.column.index for c in table.cells if c.row.index == row.index}
        for column in _columns(table, label, row):
            if column.index in filled:
                return CellRef(table.key, row.index, column.index)
    return None


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
        if rl and (rl == want or (len(rl) >= 2 and want.endswith(rl))
                   or (rl.startswith(want) and rl[len(want):] in ("合计", "小计", "总计"))):
            matches.append(r)
    if side and any(r.side == side for r in matches):
        matches = [r for r in matches if r.side == side]
    if matches:
        return max(matches, key=lambda r: (bare(r.label) == want, len(bare(r.label))))
    if any(w in label for w in list(EXPENDITURE_WORDS) + list(FUND_WORDS)) or re.search("合计|总计", label):
        totals = [r for r in table.rows if r.is_total]
        for word in ("合计", "总计"):
            if word in label:
                for r in totals:
                    if word in r.label:
                        return r
        return totals[0] if totals else None
    return None


def _columns(table: Table, label: str, row) -> list:
    """The columns the label selects, best first (a table may repeat a column group)."""
    cols = [c for c in table.columns if row.side is None or c.side is None or c.side == row.side]
    if not cols:
        return []
    # a figure naming a column the table does not have restates no cell of it
    for word, key in EXPENDITURE_WORDS.items():
        if word in label and bare(row.label) != bare(label):
            return _prefer_final([c for c in cols if c.expenditure_type == key])
    for word, key in sorted(FUND_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in label and word not in bare(row.label):
            return _prefer_final([c for c in cols if c.fund_source == key])
    totals = [c for c in cols if c.expenditure_type == "total" or c.fund_source == "total"
              or re.search("合计|决算数|金额|^决算", c.label)]
    return _prefer_final(totals or cols)


def _prefer_final(cols: list) -> list:
    return sorted(cols, key=lambda c: c.phase != "final")
