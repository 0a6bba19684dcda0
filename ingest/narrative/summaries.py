"""Summaries of the 情况说明 and 附件: 政府采购 totals, 国有资产 holdings,
itemised totals (机关运行经费, 人员经费/公用经费, “三公”经费) and staffing."""
from __future__ import annotations

import re

from ..records import ParsedReport
from . import cells
from .passages import AMOUNT, NUM, Passage, to_decimal, unit_of
from .records import AssetHolding, Item, ItemisedTotal, Narrative, ProcurementSummary, StatedCount

_NOTE = r"(?:[（(][^（）()]*[)）])?"  # （以合同签订为准）
PROC_TOTAL = re.compile(rf"政府采购(?:支出总额|支出金额|金额|支出){_NOTE}为?\s*{AMOUNT}")
PROC_PARTS = {
    "goods": re.compile(rf"货物(?:采购)?(?:支出|金额)\s*{AMOUNT}"),
    "works": re.compile(rf"工程(?:采购)?(?:支出|金额)\s*{AMOUNT}"),
    "services": re.compile(rf"服务(?:采购)?(?:支出|金额)\s*{AMOUNT}"),
}
SME = re.compile(rf"授予中小企业合同金额\s*{AMOUNT}[^%]*?占[^%\d]*?(?P<pct>{NUM})\s*%")
SMALL_MICRO = re.compile(rf"授予小微企业合同金额\s*{AMOUNT}[^%]*?占[^%\d]*?(?P<pct>{NUM})\s*%")

ASSETS = [
    ("vehicle", "车辆", re.compile(rf"车辆\s*(?P<n>{NUM})\s*辆"), "辆"),
    ("general_equipment", "大型通用设备",
     re.compile(rf"单价\s*\d+\s*万元[（(]含[)）]以上(?:的)?通用设备{_NOTE}\s*(?P<n>{NUM})"), "台、套"),
    ("special_equipment", "大型专用设备",
     re.compile(rf"单价\s*\d+\s*万元[（(]含[)）]以上(?:的)?专用设备{_NOTE}\s*(?P<n>{NUM})"), "台、套"),
    ("large_equipment", "大型设备",
     re.compile(rf"单价\s*\d+\s*万元[（(]含[)）]以上(?:的)?设备{_NOTE}\s*(?P<n>{NUM})"), "台、套"),
    ("building", "房屋", re.compile(rf"(?:占有|共有)?房屋(?:建筑面积)?\s*(?P<n>{NUM})\s*平方米"), "平方米"),
]
BUILDING_USE = re.compile(rf"(?P<label>[\u4e00-\u9fff]{{1,8}}用房)\s*(?P<n>{NUM})\s*平方米")

# Itemised totals: the total's phrase, then the list after 其中/主要包括.
ITEMISED = [
    ("operating_cost", re.compile(rf"(?P<label>机关运行经费)(?:支出)?(?:为)?\s*{AMOUNT}[^：:]*?(?:其中|主要包括)[:：]")),
    ("personnel", re.compile(rf"(?P<label>人员经费)\s*{AMOUNT}[^：:]*?(?:其中|主要包括)[:：]")),
    ("public", re.compile(rf"(?P<label>公用经费)\s*{AMOUNT}[^：:]*?(?:其中|主要包括)[:：]")),
]
OPERATING_TOTAL = re.compile(rf"(?P<label>机关运行经费)(?:支出)?(?:为)?\s*{AMOUNT}")
ITEM = re.compile(rf"^(?P<label>[^\d]+?)\s*(?:(?P<amt>{NUM})\s*(?P<unit>亿元|万元|万|元)?)?\s*(?:万元)?$")
THREE_TOTAL = re.compile(rf"(?P<label>“?三公”?经费)[^。]*?(?:支出决算|决算)为?\s*{AMOUNT}")
THREE_ITEM = re.compile(rf"(?P<label>因公出国[(（]境[)）]费?|公务用车购置及运行维护费|公务接待费)[^\d。]*?{AMOUNT}")

COUNTS = [
    ("staff_quota", re.compile(rf"(?P<label>(?:总)?编制(?:人)?数)\s*(?P<n>\d+)\s*(?P<unit>人|名)")),
    ("staff_actual", re.compile(rf"(?P<label>在职实有人数)\s*(?P<n>\d+)\s*(?P<unit>人|名)")),
    ("internal_units", re.compile(r"内设\s*(?P<n>\d+)\s*(?P<unit>个)(?P<label>(?:内设)?机构)")),
]


def extract(parsed: ParsedReport, passages: list[Passage], out: Narrative) -> None:
    topic = ""
    three: ItemisedTotal | None = None
    seen_counts: set[str] = set()
    for p in passages:
        if p.is_table:
            continue
        if p.is_heading:
            if re.match(r"^\s*[一二三四五六七八九十]+[、.．]", p.text):
                topic, three = p.text.strip(), None
            continue
        text = p.text
        procurement(p, out)
        assets(p, out)
        itemised(parsed, p, topic, out)
        if p.region == "explanation":
            m = THREE_TOTAL.search(text)
            if m and "三公" in topic:
                three = ItemisedTotal("three_public", "“三公”经费", to_decimal(m.group(2)), p.span(m.start(), m.end()),
                                      unit=unit_of(m.group(3)),
                                      restates=cells.resolve(parsed.tables, topic, "合计"))
                out.itemised.append(three)
            elif three is not None:
                for im in THREE_ITEM.finditer(text):
                    label = im.group("label")
                    three.items.append(Item(label, to_decimal(im.group(2)), p.span(im.start(), im.end()),
                                            restates=cells.resolve(parsed.tables, topic, label)))
        if p.region == "attachment":
            for key, rx in COUNTS:
                m = rx.search(text)
                if m and key not in seen_counts:
                    seen_counts.add(key)
                    out.counts.append(StatedCount(key, m.group("label"), int(m.group("n")), m.group("unit"),
                                                  p.span(m.start(), m.end())))


def procurement(p: Passage, out: Narrative) -> None:
    m = PROC_TOTAL.search(p.text)
    if not m:
        return
    s = ProcurementSummary(to_decimal(m.group(1)), p.span(m.start(), len(p.text), sentence=False),
                           unit=unit_of(m.group(2)))
    for field_name, rx in PROC_PARTS.items():
        pm = rx.search(p.text, m.end())
        if pm:
            setattr(s, field_name, to_decimal(pm.group(1)))
    for rx, amount_field, share_field in ((SME, "sme", "sme_share"), (SMALL_MICRO, "small_micro", "small_micro_share")):
        sm = rx.search(p.text)
        if sm:
            setattr(s, amount_field, to_decimal(sm.group(1)))
            setattr(s, share_field, to_decimal(sm.group("pct")))
    out.procurement.append(s)


def assets(p: Passage, out: Narrative) -> None:
    text = p.text
    for kind, label, rx, unit in ASSETS:
        for m in rx.finditer(text):
            out.assets.append(AssetHolding(kind, label, to_decimal(m.group("n")), unit, p.span(m.start(), m.end())))
    if "房屋" in text:
        for m in BUILDING_USE.finditer(text):
            out.assets.append(AssetHolding("building_use", m.group("label"), to_decimal(m.group("n")), "平方米",
                                           p.span(m.start(), m.end())))


def _list_end(text: str, start: int) -> int:
    """Where a list that starts at `start` ends: the end of its sentence or clause
    (。/；), or where the next itemised total begins (人员经费…；公用经费…)."""
    ends = [i for i in (text.find(c, start) for c in "。；;") if i >= 0]
    ends += [m.start() for _, rx in ITEMISED if (m := rx.search(text, start))]
    return min(ends, default=len(text))


def itemised(parsed: ParsedReport, p: Passage, topic: str, out: Narrative) -> None:
    text = p.text
    for kind, rx in ITEMISED:
        m = rx.search(text)
        if not m:
            total_only = OPERATING_TOTAL.search(text) if kind == "operating_cost" else None
            if total_only and not any(i.kind == kind for i in out.itemised):  # a total with no list
                out.itemised.append(ItemisedTotal(kind, total_only.group("label"), to_decimal(total_only.group(2)),
                                                  p.span(total_only.start(), total_only.end()),
                                                  unit=unit_of(total_only.group(3))))
            continue
        end = _list_end(text, m.end())
        label = m.group("label")
        total = ItemisedTotal(kind, label, to_decimal(m.group(2)), p.span(m.start(), end, sentence=False),
                              unit=unit_of(m.group(3)),
                              restates=cells.resolve(parsed.tables, topic, label) if kind != "operating_cost" else None)
        pos = m.end()
        for piece in re.split(r"[、；;，,]", text[m.end():end]):
            start = text.find(piece, pos)
            pos = start + len(piece)
            im = ITEM.match(piece.strip())
            if not im or not im.group("label").strip():
                continue
            item_label = re.sub(r"\s+", "", im.group("label"))
            restates = cells.resolve(parsed.tables, topic, item_label) if kind != "operating_cost" else None
            total.items.append(Item(item_label, to_decimal(im.group("amt")), p.span(start, start + len(piece), sentence=False),
                                    restates=restates))
        out.itemised.append(total)
