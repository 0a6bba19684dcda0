"""Bad input: every refusal names the file, the line when there is one, and what is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.parse import parse_document
from ingest.read import read_document

SEED = Path(__file__).resolve().parent.parent / "samples" / "000_db8f0e8ff5a3a27e.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines(keepends=True)


def parse(path: Path):
    return parse_document(read_document(path))


def write(tmp_path: Path, lines: list[str], name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\n\n")
    with pytest.raises(IngestError, match="empty") as err:
        parse(path)
    assert err.value.path == str(path)


def test_binary_file(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError, match="binary"):
        parse(path)


def test_text_that_is_not_a_report(tmp_path):
    path = write(tmp_path, ["会议纪要\n", "\n", "今天讨论了年度工作安排，大家发言踊跃。\n"])
    with pytest.raises(IngestError, match="not a budget report") as err:
        parse(path)
    assert err.value.line == 1


def test_report_title_without_any_table(tmp_path):
    path = write(tmp_path, SEED_LINES[:100])        # cover, 目录 and 第一部分 only
    with pytest.raises(IngestError, match="not a budget report: no budget table"):
        parse(path)


def test_truncated_inside_the_tables_is_refused(tmp_path):
    path = write(tmp_path, SEED_LINES[:195])        # cut in the middle of 公开03表
    with pytest.raises(IngestError, match="truncated report: the 目录 announces 9 tables") as err:
        parse(path)
    assert err.value.line == 195


def test_table_header_without_body_at_the_end_is_refused(tmp_path):
    path = write(tmp_path, SEED_LINES[:149])        # 公开02表 header, then nothing
    with pytest.raises(IngestError, match="truncated report: table 02 收入决算表 has a header but no rows"):
        parse(path)


def test_missing_table_in_a_complete_report_is_a_warning(tmp_path):
    lines = SEED_LINES[:338] + SEED_LINES[349:]     # 公开08表 dropped, the rest intact
    report = parse(write(tmp_path, lines))
    assert [t.key for t in report.tables] == ["01", "02", "03", "04", "05", "06", "07", "09"]
    assert report.warnings == ["the 目录 announces 9 tables but 8 were found"]


def test_garbled_amount_names_file_line_and_text(tmp_path):
    lines = list(SEED_LINES)
    assert lines[237].startswith("本年收入合计\t27\t4,859.44")
    lines[237] = lines[237].replace("4,859.44", "4,8S9.44", 1)
    path = write(tmp_path, lines)
    with pytest.raises(IngestError) as err:
        parse(path)
    assert err.value.line == 238
    assert "'4,8S9.44'" in str(err.value) and "table 04" in str(err.value) and str(path) in str(err.value)


def test_utf16_file_is_refused(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("".join(SEED_LINES).encode("utf-16"))
    with pytest.raises(IngestError, match="binary|encoding|not valid"):
        parse(path)


def test_latin1_garbage_is_refused(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("".join(SEED_LINES).encode("utf-8").decode("latin-1").encode("latin-1", "replace")
                     .replace(b"\xe5", b"\xe5\xff"))
    with pytest.raises(IngestError):
        parse(path)


def test_gb18030_export_reads_like_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("".join(SEED_LINES).encode("gb18030"))
    report = parse(path)
    assert len(report.tables) == 9 and report.meta.year == 2021
