"""The spaCy pipeline for narrative text, built once per process on first use.

No pretrained Chinese pipeline is installable from the package index, so this
is `spacy.blank("zh")` with jieba segmentation, taught the vocabulary of the
standard layout (procurement methods, organisation suffixes, role cues) and:
- an EntityRuler for procurement methods (METHOD) and procurement-plan numbers
  (PLAN_NO, e.g. 某财采（2021）00081号);
- `fiscal_organisations`, a component that finds organisations (ORG) by their
  legal-form suffix (有限公司, 经营部, 分公司, …) and walks left to where the name
  starts (punctuation or a role cue such as 选定/供应商/受/聘请); the clean
  name is kept in `span._.name`;
- `fiscal_titles`, which marks 《…合同》/《…协议》 titles (CONTRACT).
"""
from __future__ import annotations

import re
import threading

from .passages import unspaced

# Chinese procurement method as printed -> OCDS procurementMethod.
PROCUREMENT_METHODS = {
    "公开招标": "open",
    "邀请招标": "selective",
    "竞争性谈判": "limited",
    "竞争性磋商": "limited",
    "询价": "limited",
    "三方询价": "limited",
    "询价采购": "limited",
    "单一来源": "direct",
    "单一来源采购": "direct",
    "电子商城": "direct",
    "网上商城": "direct",
    "电子卖场": "direct",
    "网上超市": "direct",
    "定点采购": "direct",
    "协议供货": "selective",
    "框架协议": "selective",
}

# Legal-form suffixes that end an organisation's name, longest first.
ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "经营部", "门市部", "事务所",
    "研究院", "研究所", "设计院", "合作社", "工作室", "商行", "集团", "中心",
)
# Suffixes that can also sit inside a longer name (某设计研究院有限公司): walking
# left from a later suffix runs across them.
INNER_SUFFIXES = ("研究院", "研究所", "设计院", "事务所", "集团", "中心", "工作室", "商行", "合作社")
# Suffixes that also end non-organisations (运营管理中心); a name with one of these
# must name a place of government (市/区/县…) to count.
WEAK_SUFFIXES = ("中心",)
_ADMIN_MARK = re.compile(r"[省市区县州镇乡]|街道")
# Tokens an organisation name never runs across when walking left from its suffix.
STOP_TOKENS = {
    "选定", "供应商", "受", "委托", "聘请", "第三方", "机构", "第三方机构", "公司", "第三方公司",
    "通过", "与", "和", "及", "向", "由", "经", "为", "对", "在", "是", "将", "从", "并", "等",
    "签订", "确定", "中标", "成交", "单位", "实施单位", "双方", "程序", "选择", "采购", "聘用",
    "邀请", "依", "根据", "按照", "发布公告", "简称", "以下", "其中", "包括", "主要", "内容",
}
# Single characters that jieba glues onto the first word of a name (受区… → 区…).
_LEADING_CUES = "受由经向与和及对为将在从依据按"

_lock = threading.Lock()
_nlp = None


def get_nlp():
    """The narrative pipeline, loaded lazily once per process."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = _build()
    return _nlp


def _build():
    import jieba
    import spacy
    from spacy.language import Language
    from spacy.tokens import Span

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    jieba.initialize()
    for word in list(PROCUREMENT_METHODS) + list(ORG_SUFFIXES) + ["第三方机构", "第三方公司", "采购代理机构"]:
        jieba.add_word(word, freq=100000)
    if not Span.has_extension("name"):
        Span.set_extension("name", default=None)

    if "fiscal_organisations" not in Language.factories:
        Language.component("fiscal_organisations", func=_organisations)
        Language.component("fiscal_titles", func=_titles)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "METHOD", "pattern": m} for m in PROCUREMENT_METHODS])
    ruler.add_patterns([{"label": "PLAN_NO", "pattern": [
        {"TEXT": {"REGEX": r"^[\u4e00-\u9fff]{1,6}$"}},
        {"TEXT": {"IN": ["（", "("]}}, {"TEXT": {"REGEX": r"^\d{4}$"}}, {"TEXT": {"IN": ["）", ")"]}},
        {"TEXT": {"REGEX": r"^\d+$"}}, {"TEXT": {"REGEX": "^号"}},
    ]}])
    nlp.add_pipe("fiscal_organisations")
    nlp.add_pipe("fiscal_titles")
    return nlp


def _suffix(text: str) -> str | None:
    for s in ORG_SUFFIXES:
        if text.endswith(s):
            return s
    return None


def org_name(text: str) -> str | None:
    """The organisation name a candidate stands for, or None if it is not one."""
    name = unspaced(text)
    while name and name[0] in _LEADING_CUES and len(name) > 5:
        name = name[1:]
    # a bracket opened and not closed belongs to the text before the name
    if name.count("（") + name.count("(") > name.count("）") + name.count(")"):
        name = re.split(r"[（(]", name)[-1]
    name = name.strip("“”\"'（）() ")
    suffix = _suffix(name)
    if not suffix or len(name) < len(suffix) + 2:
        return None
    if suffix in WEAK_SUFFIXES and not (_ADMIN_MARK.search(name[:-len(suffix)]) and len(name) >= 5):
        return None
    return name


def _organisations(doc):
    from spacy.tokens import Span
    from spacy.util import filter_spans
    found = []
    for i, tok in enumerate(doc):
        suffix = _suffix(tok.text)
        if not suffix:
            continue
        if i + 1 < len(doc) and _suffix(doc[i + 1].text) == "分公司":
            continue  # 某股份有限公司 + 武汉 + 分公司: the branch is the organisation
        j, passed_parent, depth = i, False, 0
        while j > 0:
            prev = doc[j - 1]
            t = prev.text
            depth += t.count("）") + t.count(")") - t.count("（") - t.count("(")
            if depth < 0:
                break  # an opening bracket this name is inside of
            if (t in STOP_TOKENS or prev.is_space or prev.like_num
                    or (prev.is_punct and t not in "（）()“”")):
                break
            if _suffix(t) and _suffix(t) not in INNER_SUFFIXES:
                if suffix == "分公司" and not passed_parent:
                    passed_parent = True
                else:
                    break
            j -= 1
        span = doc[j:i + 1]
        name = org_name(span.text)
        if name:
            ent = Span(doc, j, i + 1, label="ORG")
            ent._.name = name
            found.append(ent)
    doc.ents = filter_spans(list(doc.ents) + found)
    return doc


_TITLE = re.compile(r"《([^《》]{2,60}?(?:合同|协议|合同书))》")


def _titles(doc):
    from spacy.util import filter_spans
    found = []
    for m in _TITLE.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), label="CONTRACT", alignment_mode="expand")
        if span is not None:
            span._.name = m.group(1)
            found.append(span)
    doc.ents = filter_spans(list(doc.ents) + found)
    return doc
