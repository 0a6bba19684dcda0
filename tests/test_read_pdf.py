"""The PDF reader gives the shape of the text exports: one Line per table row
with one cell per column ("" where blank), prose lines as one cell, page
numbers dropped; scanned and broken PDFs are refused with a clear error."""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest import read_pdf as read_pdf_module
from ingest.errors import IngestError
from ingest.read import read_document

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FINAL = CORPUS / "sh-putuo-czj-2024-final.pdf"          # ruled tables, codes in 类/款/项 columns
BUDGET_YUAN = CORPUS / "sh-putuo-wanli-2024-budget-dept.pdf"  # amounts in 元, spaced codes
BUDGET_JS = CORPUS / "js-jcy-2017-budget.pdf"           # several tables per page, page numbers


@pytest.fixture(scope="module")
def final():
    return read_document(FINAL)


@pytest.fixture(scope="module")
def budget_js():
    return read_document(BUDGET_JS)


def rows(document, page):
    return [line.cells for line in document.lines if line.page == page]


def test_document_metadata_and_numbering(final):
    assert final.media_type == "application/pdf"
    assert final.encoding is None
    assert final.page_count == 25
    assert [line.no for line in final.lines] == list(range(1, len(final.lines) + 1))
    pages = [line.page for line in final.lines]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 25


def test_two_sided_table_row_keeps_blank_cells(final):
    page6 = rows(final, 6)
    assert ("八、其他收入", "6.20", "八、社会保障和就业支出", "326.71") in page6
    assert ("二、政府性基金预算财政拨款收入", "", "二、外交支出", "") in page6
    assert ("", "", "九、卫生健康支出", "60.99") in page6
    line = next(l for l in final.lines if l.cells and l.cells[0] == "八、其他收入")
    assert line.text == "八、其他收入\t6.20\t八、社会保障和就业支出\t326.71"
    assert line.page == 6 and len(line.cell_x) == 4 and list(line.cell_x) == sorted(line.cell_x)


def test_code_subcolumns_merge_into_one_code_cell_across_pages(final):
    header = next(l for l in final.lines if l.page == 8 and l.cells[0].startswith("类"))
    assert header.cells[0] == "类 款 项"
    page8 = rows(final, 8)
    assert ("201 06 01", "行政运行", "1,511.90", "1,511.89", "", "", "", "", "0.01") in page8
    # The table continues on page 9 without its header: same columns, same code cell.
    assert ("210 11 01", "行政单位医疗", "60.99", "60.99", "", "", "", "", "") in rows(final, 9)


def test_wrapped_cell_text_joins_its_row(final, budget_js):
    page16 = rows(final, 16)
    assert ("301 08", "机关事业单位基本养老保险缴费", "160.75", "302 06", "电费", "") in page16
    assert not any(cells[:3] == ("", "费", "") for cells in page16)
    joined = "网络、电子检务、实验室、机要通道、档案数字化系统运行维护费"
    assert ("", joined, "信息网络及软件购置更新", "", "", "112.00") in rows(budget_js, 17)


def test_spanning_header_cells_appear_once(budget_js):
    page16 = rows(budget_js, 16)
    assert ("合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费") in page16
    assert ("1,452.35", "584.35", "110.00", "317.80", "50.00", "267.80", "156.55", "168.00", "700.00") in page16


def test_spaced_codes_and_yuan_amounts():
    doc = read_document(BUDGET_YUAN)
    assert ("201 38 02", "一般行政管理事务", "135,200", "135,200", "0", "0", "0") in rows(doc, 12)
    assert any("单位：元" in line.text for line in doc.lines if line.page == 11)


def test_page_numbers_are_dropped_and_prose_is_one_cell(budget_js):
    assert not any(line.text.strip().isdigit() for line in budget_js.lines)
    page3 = [l for l in budget_js.lines if l.page == 3]
    assert page3[0].cells == ("第四部分 名词解释",)
    prose = next(l for l in page3 if l.text.startswith("人民检察院是国家的法律监督机关"))
    assert prose.cells == (prose.text,)
    # The table ends the page; the page number "10" printed under it is gone.
    assert [l.cells[0] for l in budget_js.lines if l.page == 10][-1] == "收入合计"


def test_table_without_rules_is_rebuilt_from_word_positions(monkeypatch):
    # The same page read as if its tables were printed without ruling lines.
    monkeypatch.setattr(read_pdf_module, "_page_rules", lambda page, space: [])
    doc = read_document(FINAL)
    page6 = rows(doc, 6)
    assert ("八、其他收入", "6.20", "八、社会保障和就业支出", "326.71") in page6
    assert ("", "", "十四、资源勘探工业信息等支出", "") in page6
    assert ("本年收入合计", "2,946.25", "本年支出合计", "2,940.05") in page6
    # 类/款/项 in columns of their own, a figure close to its label, a header wrapped
    # over three lines: the same rows as the ruled reading gives.
    ruled = read_document(FINAL)
    for page in (8, 10, 15, 16):
        assert rows(doc, page) == rows(ruled, page)
    assert ("208 05 05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", "", "", "", "", "") in rows(doc, 8)


def test_rule_less_tables_parse_to_the_ruled_cells(monkeypatch):
    """The final accounts read with their rules ignored: the parsed cells compared
    one by one with those of the ruled reading."""
    from ingest.parse import parse_document

    def cells(document):
        return {(t.family, c.row.code or c.row.label, c.column.label, c.amount)
                for t in parse_document(document).tables for c in t.cells}

    ruled = cells(read_document(FINAL))
    monkeypatch.setattr(read_pdf_module, "_page_rules", lambda page, space: [])
    unruled = cells(read_document(FINAL))
    assert len(ruled & unruled) >= 0.9 * len(ruled)
    assert not unruled - ruled           # nothing read wrongly, at most left out


def _blank_pdf() -> bytes:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_blank_pdf())
    with pytest.raises(IngestError) as err:
        read_document(path)
    assert "no text layer" in str(err.value) and "OCR" in str(err.value)
    assert str(path) in str(err.value)


def test_corrupt_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(_blank_pdf()[:200])
    with pytest.raises(IngestError) as err:
        read_document(path)
    assert "PDF" in str(err.value)


def _page_as_form(source: Path, index: int, rotated: bool) -> bytes:
    """A one-page PDF drawing page `index` of `source` as a Form XObject; rotated:
    on a portrait media box, drawn sideways and shown upright by /Rotate 90."""
    src = pdfium.PdfDocument(source)
    width, height = src[index].get_size()
    dest = pdfium.PdfDocument.new()
    form = src.page_as_xobject(index, dest).as_pageobject()
    if rotated:
        page = dest.new_page(height, width)
        form.transform(pdfium.PdfMatrix().rotate(90, ccw=True).translate(height, 0))
        page.set_rotation(90)
    else:
        page = dest.new_page(width, height)
    page.insert_obj(form)
    page.gen_content()
    out = io.BytesIO()
    dest.save(out)
    return out.getvalue()


@pytest.mark.parametrize("rotated", [False, True])
def test_rules_inside_a_form_xobject_and_rotated_pages(final, tmp_path, rotated):
    # Page 12 (the two-sided 财政拨款收入支出决算总表) needs its rules: read as a form,
    # and sideways under /Rotate, it gives the same rows as the original page.
    path = tmp_path / "form.pdf"
    path.write_bytes(_page_as_form(FINAL, 11, rotated))
    doc = read_document(path)
    assert [line.cells for line in doc.lines] == rows(final, 12)
    assert ("一、一般公共预算财政拨款", "2,940.05", "一、一般公共服务支出", "2,106.66", "2,106.66", "", "") \
        in rows(final, 12)
