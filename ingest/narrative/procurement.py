"""Contracts and their procurement, read from a sub-project's paragraphs:

    依<issuer><plan no.>计划书，<agent>受<buyer>委托发布公告。通过<method>，选定<supplier>为实施单位。
    <date>，签订合同价<price>，合同周期为<n>年，主要内容：<deliverables>。

Organisations, methods, plan numbers and contract titles come from the spaCy
pipeline (`nlp`); money, dates and periods from the phrasing around them.
"""
from __future__ import annotations

import re

from .names import name_key
from .nlp import PROCUREMENT_METHODS, get_nlp
from .passages import AMOUNT, DATE_RE, NUM, Passage, iso_date, to_decimal, unit_of
from .records import Contract

PRICE = re.compile(rf"合同(?:价|金额|总价)(?:款)?(?:为)?\s*{AMOUNT}")
PERIOD = re.compile(rf"(?:实施|合同|服务|履约)?(?:周期|期限|期)为?\s*(?P<a>{DATE_RE.pattern})\s*[-—–~至到]\s*(?P<b>{DATE_RE.pattern})")
DATE_RANGE = re.compile(rf"(?P<a>{DATE_RE.pattern})\s*[-—–~至到]\s*(?P<b>{DATE_RE.pattern})")
DURATION = re.compile(r"(?:实施|合同|服务)(?:周期|期限)为?\s*(?P<d>\d{1,3}\s*(?:年|个月|月|天))(?!\s*\d{1,2}\s*月)")
DELIVERABLES = re.compile(r"主要内容(?:为|是)?[:：]\s*(?P<d>[^。]+)")
SUPPLIER_CUE = re.compile(r"(?:选定|确定|中标(?:人|单位|供应商)?为?|成交(?:供应商)?为?|供应商|第三方公司)\s*$")
SUPPLIER_AFTER = re.compile(r"^\s*为(?:实施|中标|成交|供货)单位")
AGENT_CUE = re.compile(r"(?:采购代理机构|代理机构)(?:为)?\s*$")
PAID_SHARE = re.compile(rf"支付了?\s*(?P<pct>{NUM})\s*%")
PAID = re.compile(rf"(?:已|共)?支付(?:了)?(?:合同款|项目款)?\s*{AMOUNT}")
OUTSTANDING = re.compile(rf"(?:余下|剩余|尚未支付|未支付|尾款)(?:款项)?\s*{AMOUNT}")


def method_details(text: str, start: int, method: str) -> str:
    """The method as printed, with the qualifier in front of it (政府采购电子商城)."""
    before = text[max(0, start - 4):start]
    return ("政府采购" + method) if before.endswith("政府采购") else method


def extract_contract(project_key: str, key: str, passages: list[Passage]) -> Contract | None:
    """The contract of one sub-project, or None when its text states none."""
    nlp = get_nlp()
    c: Contract | None = None
    for p in passages:
        text = p.text
        doc = nlp(text)
        ents = list(doc.ents)
        for i, ent in enumerate(ents):
            s, e = ent.start_char, ent.end_char
            if c is None and ent.label_ in ("PLAN_NO", "METHOD", "ORG", "CONTRACT"):
                c = Contract(key=key, project=project_key, span=p.span(s, e))
            if ent.label_ == "PLAN_NO" and c.plan_number is None:
                c.plan_number = re.sub(r"\s+", "", ent.text)
                issuer = re.search(r"(?:依|根据|按)([\u4e00-\u9fff]{2,15}?)$", text[:s])
                c.plan_issuer = issuer.group(1) if issuer else None
                c.facts["plan_number"] = p.span(s, e)
            elif ent.label_ == "METHOD" and c.method_details is None:
                c.method_details = method_details(text, s, ent.text)
                c.method = PROCUREMENT_METHODS[ent.text]
                c.facts["method"] = p.span(s, e)
            elif ent.label_ == "CONTRACT" and c.title is None:
                c.title = ent._.name
                c.facts["title"] = p.span(s, e)
            elif ent.label_ == "ORG":
                _role(c, ent, text, p)
        _money_and_dates(c, p) if c is not None else None
    if c is None or not (c.price is not None or c.supplier):
        return None
    return c


def _role(c: Contract, ent, text: str, p: Passage) -> None:
    s, e = ent.start_char, ent.end_char
    name = ent._.name
    before, after = text[max(0, s - 12):s], text[e:e + 40]
    if re.match(r"^\s*受", after) and c.agent is None:
        c.agent = name
        c.facts["agent"] = p.span(s, e)
        return
    if re.search(r"受\s*$", before) or re.search(r"受[^，。]*$", text[max(0, s - 3):s]):
        if c.buyer is None and re.match(r"^[^，。]*委托", after):
            c.buyer = name
            c.facts["buyer"] = p.span(s, e)
        return
    if AGENT_CUE.search(before) and c.agent is None:
        c.agent = name
        c.facts["agent"] = p.span(s, e)
    elif (SUPPLIER_CUE.search(before) or SUPPLIER_AFTER.match(after)) and c.supplier is None:
        c.supplier = name
        c.facts["supplier"] = p.span(s, e)
    elif re.match(r"^\s*(?:通过|经)", after) and c.buyer is None:
        c.buyer = name  # <buyer>通过<method>选定<supplier>
        c.facts["buyer"] = p.span(s, e)


def _money_and_dates(c: Contract, p: Passage) -> None:
    text = p.text
    m = PRICE.search(text)
    if m and c.price is None:
        c.price, c.unit = to_decimal(m.group(1)), unit_of(m.group(2))
        c.facts["price"] = p.span(m.start(), m.end())
    sign = text.find("签订")
    if sign >= 0 and c.signed is None:
        a = max(text.rfind(ch, 0, sign) for ch in "。；;") + 1
        dates = list(DATE_RE.finditer(text, a, sign))
        if dates:
            c.signed = iso_date(dates[-1])
            c.facts["signed"] = p.span(dates[-1].start(), sign + 2)
    m = PERIOD.search(text)
    if m and c.period_start is None:
        set_period(c, m, p)
    m = DURATION.search(text)
    if m and c.duration is None:
        c.duration = re.sub(r"\s+", "", m.group("d"))
        c.facts["duration"] = p.span(m.start(), m.end())
    m = DELIVERABLES.search(text)
    if m and c.deliverables is None:
        c.deliverables = m.group("d").strip()
        c.facts["deliverables"] = p.span(m.start(), m.end(), sentence=False)


def set_period(c: Contract, m: re.Match, p: Passage) -> None:
    a, b = DATE_RE.match(m.group("a")), DATE_RE.match(m.group("b"))
    c.period_start, c.period_end = iso_date(a), iso_date(b)
    c.facts["period"] = p.span(m.start(), m.end())


def payments(contracts: list[Contract], names: dict[str, str], p: Passage) -> None:
    """其中X项目合同价…，支付了90%项目款，余下14.98万在…支付: the contract of the
    sub-project named in the sentence (names: sub-project key -> name)."""
    text = p.text
    if "支付" not in text:
        return
    for key, name in names.items():
        if name_key(name) not in name_key(text):
            continue
        c = next((c for c in contracts if c.project == key), None)
        if c is None:
            continue
        share, paid, rest = PAID_SHARE.search(text), PAID.search(text), OUTSTANDING.search(text)
        if share:
            c.paid_share = to_decimal(share.group("pct"))
        if paid and not share:
            c.paid = to_decimal(paid.group(1))
        if rest:
            c.outstanding = to_decimal(rest.group(1))
        if share or paid or rest:
            c.payment_span = p.span(0, len(text), sentence=False)


def later_periods(contracts: list[Contract], passages: list[Passage]) -> None:
    """A contract's service period stated elsewhere (根据《X合同》约定，S在 D1-D2 …),
    matched by the contract's title or, when unambiguous, its supplier."""
    by_supplier: dict[str, list[Contract]] = {}
    for c in contracts:
        if c.supplier:
            by_supplier.setdefault(name_key(c.supplier), []).append(c)
    for p in passages:
        m = DATE_RANGE.search(p.text)
        if not m:
            continue
        text = p.text
        for c in contracts:
            if c.period_start is not None:
                continue
            titled = c.title and f"《{c.title}》" in text
            supplied = c.supplier and c.supplier in text and len(by_supplier[name_key(c.supplier)]) == 1
            if titled or supplied:
                set_period(c, m, p)
