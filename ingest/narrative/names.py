"""Names as the narrative prints them: the same project or organisation is
written with and without quotes, place prefixes or the department's name."""
from __future__ import annotations

import re

from ..iris import normalise_name

_QUOTES = re.compile(r"[“”\"'‘’「」《》]")
_YEAR = re.compile(r"^\s*\d{4}\s*年度?")
_ADMIN_PREFIX = re.compile(r"^[省市区县州镇乡]")


def name_key(name: str) -> str:
    """What two spellings of one name share: NFKC, no spaces, no quotes."""
    return _QUOTES.sub("", normalise_name(name))


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name: equal, or one contains the other and the
    shorter is most of the longer (某区X项目 / X项目, 采购“X” / “X”)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return short in long_ and len(short) >= 4 and len(short) >= 0.5 * len(long_)


def strip_owner(name: str, department: str) -> str:
    """A project's name without the leading year and department name."""
    name = _YEAR.sub("", name.strip()).strip()
    dept = name_key(department)
    key = name_key(name)
    for cut in range(len(dept)):  # the department by its full or a shortened name
        tail = dept[cut:]
        if len(tail) >= 3 and key.startswith(tail):
            return key[len(tail):] or key
    return key


def is_department(name: str, department: str) -> bool:
    """The department under a short name (区X中心 for 某市某区X中心) or its own."""
    n, d = name_key(name), name_key(department)
    if not n or not d:
        return False
    if n == d or d.endswith(n) and len(n) >= 3:
        return True
    bare = _ADMIN_PREFIX.sub("", n)
    return len(bare) >= 3 and d.endswith(bare) and d != bare
