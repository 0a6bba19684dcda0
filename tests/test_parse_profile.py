"""Report identity, sections, 第一部分 duties and counts, 名词解释 glossary."""
from __future__ import annotations


import pytest

from ingest.parse import parse_document
from ingest.parse.numbers import NotANumber, normalise_code, parse_amount, split_code_label
from ingest.read import read_document

from conftest import FIXTURES, SAMPLE as SEED

VARIANT = FIXTURES / "parse" / "variant_final.txt"
CORPUS = FIXTURES / "corpus"


def test_report_identity(seed):
    m = seed.meta
    assert (m.kind, m.department, m.year, m.level) == ("final", "武汉市江夏区大数据中心", 2021, "department")
    assert m.published == "2022-09-06" and m.contact == "027-81810066"
    assert m.span.line_start == 3 and m.title == m.span.excerpt


@pytest.mark.parametrize("name, kind, department, year", [
    ("js-jcy-2017-budget.pdf", "budget", "江苏省人民检察院", 2017),
    ("sh-putuo-ghzyj-2024-final.pdf", "final", "上海市普陀区规划和自然资源局", 2024),   # name wrapped on the cover
    ("sh-putuo-wanli-2025-budget-dept.pdf", "budget", "上海市普陀区人民政府万里街道办事处", 2025),
])
def test_pdf_identity(name, kind, department, year):
    m = parse_document(read_document(CORPUS / name)).meta
    assert (m.kind, m.department, m.year) == (kind, department, year)


def test_parts_and_headings_outside_the_toc(seed):
    parts = [(s.part, s.span.line_start) for s in seed.sections if s.level == 0]
    assert parts == [(1, 67), (2, 101), (3, 361), (4, 507), (5, 536), (6, 586)]
    by_line = {s.span.line_start: s for s in seed.sections}
    assert (by_line[69].title, by_line[69].level, by_line[69].part) == ("一、部门主要职责", 1, 1)
    assert (by_line[404].level, by_line[404].part) == (2, 3)
    assert by_line[483].title == "1. 绩效管理工作开展情况" and by_line[483].level == 3
    assert all(s.span.line_start > 66 for s in seed.sections)          # the 目录 is not a heading
    assert 415 not in by_line and 538 not in by_line                  # list items and glossary entries


def test_duties(seed):
    assert [d.number for d in seed.duties] == list(range(1, 11))
    assert seed.duties[0].text.startswith("贯彻执行国家、省、市电子政务")
    seventh = seed.duties[6]
    assert (seventh.span.line_start, seventh.span.line_end) == (83, 85)     # wrapped over two lines
    assert seventh.text.endswith("承担全区党政机关网上办公的技术支撑；")
    assert seed.duties[-1].text == "完成上级交办的其他任务。"


def test_counts(seed):
    counts = {c.key: (c.value, c.unit, c.span.line_start) for c in seed.counts}
    assert counts == {
        "units_total": (0, "个", 95), "units_admin": (0, "个", 95),
        "units_civil_servant_managed": (0, "个", 95), "units_full_funded": (1, "个", 95),
        "units_partial_funded": (0, "个", 95), "units_self_funded": (0, "个", 95),
        "staff_quota": (21, "人", 97), "staff_quota_admin": (0, "人", 97),
        "staff_quota_institution": (21, "人", 97), "staff_quota_civil_servant_managed": (0, "人", 97),
        "staff_actual": (19, "人", 97), "staff_actual_admin": (0, "人", 97),
        "staff_actual_institution": (19, "人", 97), "staff_actual_civil_servant_managed": (0, "人", 97),
        "retired_total": (0, "人", 99), "retired_lixiu": (0, "人", 99), "retired_tuixiu": (0, "人", 99),
    }
    actual = next(c for c in seed.counts if c.key == "staff_actual")
    assert actual.span.excerpt[actual.span.char_start:actual.span.char_end] == "在职实有人数 19 人"


def test_variant_profile():
    report = parse_document(read_document(VARIANT))
    assert [d.text for d in report.duties][1] == "负责非物质文化遗产的保护和传承，指导基层文化站业务工作；"
    counts = {c.key: c.value for c in report.counts}
    assert counts["units_total"] == 2 and counts["staff_quota"] == 35 and counts["staff_actual_admin"] == 4
    assert counts["retired_tuixiu"] == 11
    assert report.glossary[1].code_path == ("文化旅游体育与传媒支出", "文化和旅游", "群众文化")


def test_glossary(seed):
    terms = [g.term for g in seed.glossary]
    assert len(terms) == 22
    assert terms[:3] == ["财政拨款收入", "事业收入", "经营收入"]
    assert "“三公”经费支出" in terms
    basic = next(g for g in seed.glossary if g.term == "基本支出")
    assert basic.definition == "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"
    assert (basic.span.line_start, basic.span.line_end) == (554, 556)
    wrapped = next(g for g in seed.glossary if g.code_path and g.code_path[0] == "科学技术支出")
    assert wrapped.code_path == ("科学技术支出", "科技条件与服务", "技术创新服务体系")
    assert wrapped.definition.startswith("反映国家为公益性行业")
    assert sum(1 for g in seed.glossary if g.code_path) == 9


@pytest.mark.parametrize("text, value", [
    ("4,859.44", "4859.44"), ("845.16", "845.16"), ("0", "0"), ("0.00", "0.00"), ("-", "0"), ("—", "0"),
    ("-12.50", "-12.50"), ("1,234,567", "1234567"), ("（1.5）", "-1.5"), ("１２.３", "12.3"),
])
def test_amounts(text, value):
    assert str(parse_amount(text)) == value


@pytest.mark.parametrize("text", ["", "  ", "（空）"])
def test_blank_amounts(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["4,8S9.44", "12.3.4", "1,23,4"])
def test_garbled_amounts(text):
    with pytest.raises(NotANumber):
        parse_amount(text)


def test_codes():
    assert normalise_code("201 38 02") == "2013802"
    assert normalise_code("2013750") == "2013750"
    assert normalise_code("301 2") == "30102"          # a lost leading zero of a 款
    assert normalise_code("2021") is None and normalise_code("合计") is None
    assert split_code_label("2010101 行政运行") == ("2010101", "行政运行")
    assert split_code_label("2021年") == (None, "2021年")
