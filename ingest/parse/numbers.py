"""Amounts and classification codes as printed in the tables.

Amounts come with thousands separators or without, blank / 0 / 0.00 / - / — for
zero, sometimes negative, sometimes full-width. A cell that looks like a number
but is not one ("4,8S9.44") is an error the caller reports with file and line.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Printed "nothing here": no Cell at all.
_EMPTY = {"", "（空）", "(空)", "空", "/", "／", "…", "……"}
# Printed zero written as a dash: an explicit zero.
_DASHES = {"-", "—", "–", "－", "--", "——", "─"}

# "35." and ".5" are figures too (a dot left over or a dropped leading zero).
_AMOUNT = re.compile(r"^[-+]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)$")
_PAREN_NEGATIVE = re.compile(r"^\((.+)\)$")
_CODE = re.compile(r"^\d{3}(\s*\d{2}){0,2}$")
_SPACED_CODE = re.compile(r"^\d{3}(\s+\d{1,2}){1,2}$")


class NotANumber(ValueError):
    """The text is meant as a number but cannot be read as one."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_amount(text: str) -> Decimal | None:
    """The amount a cell states: None for a blank cell, Decimal otherwise.
    Raises NotANumber for text that is number-like but garbled."""
    t = _fold(text)
    if t in _EMPTY:
        return None
    if t in _DASHES:
        return Decimal(0)
    t = t.replace(" ", "").replace("，", ",")
    negative = False
    m = _PAREN_NEGATIVE.match(t)
    if m:
        negative, t = True, m.group(1)
    if t.endswith("%"):
        raise NotANumber(text)
    if not _AMOUNT.match(t):
        raise NotANumber(text)
    try:
        value = Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already vets the text
        raise NotANumber(text) from exc
    return -value if negative else value


def looks_numeric(text: str) -> bool:
    """Whether a cell is meant as a figure: mostly digits and separators, so that a
    misprint in it is an error rather than a label."""
    t = _fold(text).replace(" ", "")
    if not t or t in _DASHES:
        return bool(t)
    digits = sum(ch.isdigit() for ch in t)
    numeric = sum(ch.isdigit() or ch in ",.-()" for ch in t)
    return digits >= 1 and numeric / len(t) >= 0.6 and not any("\u4e00" <= ch <= "\u9fff" for ch in t)


def is_amount(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except NotANumber:
        return False


def normalise_code(text: str) -> str | None:
    """A classification code from a cell: "2013750", or spaced "201 38 02"
    -> "2013802"; None when the cell is not a 3/5/7-digit code."""
    t = _fold(text)
    if _SPACED_CODE.match(t):
        # 类 款 项 printed in separate columns; a lost leading zero ("301 2") is restored.
        head, *rest = t.split()
        return head + "".join(part.zfill(2) for part in rest)
    if not _CODE.match(t):
        return None
    return re.sub(r"\s+", "", t)


def split_code_label(text: str) -> tuple[str | None, str]:
    """A cell holding code and name together ("2010101 行政运行", "201 38 02 一般行政管理事务")."""
    t = _fold(text)
    m = re.match(r"^(\d{3}(?:\s*\d{2}){0,2})\s*([^\d\s].*)$", t)
    if m and normalise_code(m.group(1)):
        return normalise_code(m.group(1)), m.group(2).strip()
    return None, text.strip()
