"""The streaming .xlsx writer: what openpyxl (read-only and normal) reads back from its files, the package
parts, the limits, and a memory use that does not grow with the rows."""

import datetime
import decimal
import io
import math
import tempfile
import tracemalloc
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.spreadsheets import inert
from core.xlsx_stream import MAX_TEXT, XlsxStreamWriter, column_letter, validate_sheet_name


def _write(sheets: dict, **sheet_options) -> bytes:
    """A workbook of {name: rows} (the first row of each as its header)."""
    buffer = io.BytesIO()
    with XlsxStreamWriter(buffer) as workbook:
        for name, rows in sheets.items():
            workbook.add_sheet(name, header=rows[0], **sheet_options).extend(rows[1:])
    return buffer.getvalue()


def _read(content: bytes, *, read_only: bool = True) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=read_only)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    workbook.close()
    return sheets


def _trimmed(rows, width: int) -> list[tuple]:
    """Rows padded to ``width``, without the empty rows at the end (which readers may or may not show)."""
    rows = _padded(rows, width)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _padded(rows, width: int) -> list[tuple]:
    """Rows padded to ``width`` (a read-only reader leaves out trailing empty cells)."""
    return [(*row, *[None] * (width - len(row))) for row in rows]


@pytest.mark.parametrize("read_only", [True, False])
def test_values_come_back_with_their_types(read_only):
    row = [1, -7, 2.5, True, False, "文本", "plain text", 10**15, 1e-300, -1.5e300,
           decimal.Decimal("12.50"), datetime.datetime(2022, 5, 21, 23, 5, 59), datetime.date(2022, 5, 28)]
    sheets = _read(_write({"数据": [["整数", "b", "c"], row]}), read_only=read_only)
    assert list(sheets) == ["数据"]
    header, values = _padded(sheets["数据"], len(row))
    assert header[:3] == ("整数", "b", "c")
    # dates and times are real date cells: a reader gets them back as datetimes (a date at midnight)
    assert values[:-2] == (1, -7, 2.5, True, False, "文本", "plain text", 10**15, 1e-300, -1.5e300, 12.5)
    assert [_second(v) for v in values[-2:]] == [datetime.datetime(2022, 5, 21, 23, 5, 59),
                                                 datetime.datetime(2022, 5, 28)]
    assert [type(v) for v in values[:5]] == [int, int, float, bool, bool]


def test_large_and_odd_numbers():
    big = [2**53 + 1, 10**20, -(10**18), 1.7976931348623157e308, 5e-324, 0.1 + 0.2, -0.0, 123456789.123456789]
    (values,) = _read(_write({"n": [None, big]}))["n"]
    assert values == tuple(big)
    assert type(values[0]) is int and type(values[3]) is float


def test_nan_infinity_none_and_empty_text_leave_the_cell_empty():
    rows = [None, [None, "", float("nan"), float("inf"), -math.inf, decimal.Decimal("NaN"), "x"], [], [None, None]]
    read = _read(_write({"s": rows}))["s"]
    assert _padded(read, 7) == [(None,) * 6 + ("x",), (None,) * 7, (None,) * 7]
    sheet = zipfile.ZipFile(io.BytesIO(_write({"s": rows}))).read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<c ") == 1


def test_text_is_escaped_and_control_characters_are_removed():
    texts = ['<b>&amp; "quoted" \'single\'', "a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh", "line\nnext\ttab\r\nend",
             "  leading and trailing  ", " ", "科普 <活动> & “引号”", "]]>", "&#13;"]
    (values,) = _read(_write({"t": [None, texts]}))["t"]
    assert values == ('<b>&amp; "quoted" \'single\'', "abcdefgh", "line\nnext\ttab\r\nend",
                      "  leading and trailing  ", " ", "科普 <活动> & “引号”", "]]>", "&#13;")
    assert _read(_write({"t": [None, ["\x00\x01"]]}))["t"] == [()]


def test_a_lone_surrogate_is_removed_rather_than_failing():
    (values,) = _read(_write({"t": [None, ["a\ud800b"]]}))["t"]
    assert values == ("ab",)


def test_text_longer_than_excel_holds_is_cut():
    (values,) = _read(_write({"t": [None, ["长" * (MAX_TEXT + 10), "x" * (MAX_TEXT + 1) + " "]]}))["t"]
    assert values == ("长" * MAX_TEXT, "x" * MAX_TEXT)


def test_other_objects_are_written_as_their_text():
    class Thing:
        def __str__(self):
            return "东西 <1>"

    (values,) = _read(_write({"o": [None, [Thing(), datetime.time(9, 30), b"x"]]}))["o"]
    assert values == ("东西 <1>", "09:30:00", "b'x'")


def test_column_letters():
    assert [column_letter(i) for i in (1, 2, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
    for wrong in (0, 16385):
        with pytest.raises(ValueError):
            column_letter(wrong)


def test_all_16384_columns():
    row = list(range(16384))
    content = _write({"wide": [None, row]})
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="XFD1"><v>16383</v></c>' in sheet and '<c r="AA1"><v>26</v></c>' in sheet
    workbook = load_workbook(io.BytesIO(content))
    assert workbook["wide"]["XFD1"].value == 16383 and workbook["wide"].max_column == 16384
    with XlsxStreamWriter(io.BytesIO()) as writer, pytest.raises(ValueError):
        writer.add_sheet("too wide").append([1] * 16385)


def test_several_sheets_in_order_with_chinese_names():
    content = _write({"responses": [["id", "变量"], [1, "是"], [2, "否"]], "编码表": [["variable"], ["q1"]],
                      "R&D <2022>": [["x"]]})
    sheets = _read(content)
    assert list(sheets) == ["responses", "编码表", "R&D <2022>"]
    assert sheets["responses"] == [("id", "变量"), (1, "是"), (2, "否")]
    assert sheets["编码表"] == [("variable",), ("q1",)]
    assert _read(content, read_only=False)["R&D <2022>"] == [("x",)]


@pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "a\\b", "a[1]", "a:b", "a*", "a?", "'quoted'", "a\x01"])
def test_bad_sheet_names_are_refused(name):
    with pytest.raises(ValueError):
        validate_sheet_name(name)
    with XlsxStreamWriter(io.BytesIO()) as writer, pytest.raises(ValueError):
        writer.add_sheet(name)


def test_sheet_names_are_unique_whatever_the_case():
    assert validate_sheet_name("x" * 31) == "x" * 31
    with XlsxStreamWriter(io.BytesIO()) as writer:
        writer.add_sheet("Data")
        with pytest.raises(ValueError):
            writer.add_sheet("data")


def test_a_finished_sheet_takes_no_more_rows():
    with XlsxStreamWriter(io.BytesIO()) as writer:
        first = writer.add_sheet("one")
        writer.add_sheet("two")
        with pytest.raises(ValueError):
            first.append([1])


def test_a_workbook_without_sheets_still_opens(tmp_path):
    path = tmp_path / "empty.xlsx"
    with XlsxStreamWriter(path):
        pass
    assert load_workbook(path).sheetnames == ["Sheet1"]


def test_the_header_is_bold_and_frozen_and_widths_are_set():
    buffer = io.BytesIO()
    with XlsxStreamWriter(buffer) as writer:
        writer.add_sheet("s", header=["编号", "标题", 3], widths={0: 8, 1: 36.5, "D": 12}, freeze_header=True) \
            .append([1, "讲座", 3])
        writer.add_sheet("plain").append(["x"])
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["s"]
    assert [c.font.b for c in sheet[1]] == [True, True, True]
    assert [c.font.b for c in sheet[2]] == [False, False, False]
    assert sheet["C1"].value == 3
    assert sheet.freeze_panes == "A2"
    assert {k: sheet.column_dimensions[k].width for k in "ABD"} == {"A": 8, "B": 36.5, "D": 12}
    assert workbook["plain"].freeze_panes is None and workbook["plain"]["A1"].font.b is False


def test_bad_widths_are_refused():
    for widths in ({0: 0}, {0: 300}, {"a1": 5}, {16384: 5}):
        with XlsxStreamWriter(io.BytesIO()) as writer, pytest.raises(ValueError):
            writer.add_sheet("s", widths=widths)


def test_the_package_parts_are_well_formed_and_declared():
    archive = zipfile.ZipFile(io.BytesIO(_write({"a": [["x"]], "b": [["y"]]})))
    names = archive.namelist()
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(names)
    for name in names:
        ElementTree.fromstring(archive.read(name))
    types = archive.read("[Content_Types].xml").decode()
    for part in names:
        if part.endswith(".xml") and part != "[Content_Types].xml":
            assert f'PartName="/{part}"' in types
    assert archive.testzip() is None


def test_an_error_in_the_block_closes_the_file_and_goes_on():
    buffer = io.BytesIO()
    with pytest.raises(RuntimeError), XlsxStreamWriter(buffer) as writer:
        writer.add_sheet("s").append([1])
        raise RuntimeError("stop")
    assert not buffer.closed


_TEXT = st.text(st.one_of(st.characters(), st.sampled_from("\x00\x01\x0b\x1f\r\n\t &<>\"'")), max_size=30)
_CELL = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63),
                  st.floats(allow_nan=True, allow_infinity=True), _TEXT,
                  st.dates(min_value=datetime.date(1900, 3, 1)),
                  st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 30))
                  .map(lambda moment: moment.replace(microsecond=0)))  # the platform writes whole seconds


def _second(value):
    """A date cell holds the time as a fraction of a day: compare to the nearest second."""
    if isinstance(value, datetime.datetime):
        return (value + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)
    return value


def _expected(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime.datetime):
        return _second(value)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        cleaned = "".join(c for c in value if c in "\t\n\r" or (
            c >= " " and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff"))  # surrogates cannot be XML
        return inert(cleaned) or None  # a text that looks like a formula gets an apostrophe (core.spreadsheets)
    return value


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=12), min_size=1, max_size=8))
@example([["\ud800", "a\udfffb", "\x00"]])  # lone surrogates and NUL: dropped, as XML cannot hold them
def test_random_rows_round_trip_through_openpyxl(rows):
    content = _write({"random": [None, *rows]})
    width = max(len(row) for row in rows)
    expected = _trimmed([[_expected(v) for v in row] for row in rows], width)
    for read_only in (True, False):
        read = [tuple(_second(v) for v in row) for row in _trimmed(_read(content, read_only=read_only)["random"], width)]
        assert read == expected
        assert [[type(v) for v in row] for row in read] == [[type(v) for v in row] for row in expected]


def test_memory_stays_flat_while_writing_200k_rows():
    row = [12345, "2022-05-20", "社区科普讲座", 55.5, None, True, "a & b"]
    with tempfile.TemporaryFile() as handle:
        tracemalloc.start()
        try:
            with XlsxStreamWriter(handle) as writer:
                sheet = writer.add_sheet("big", header=["a", "b", "c", "d", "e", "f", "g"])
                for _i in range(200_000):
                    sheet.append(row)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 3 * 2**20, peak
        handle.seek(0)
        workbook = load_workbook(handle, read_only=True)
        assert list(workbook["big"].iter_rows(max_row=2, values_only=True)) == [
            ("a", "b", "c", "d", "e", "f", "g"), (12345, "2022-05-20", "社区科普讲座", 55.5, None, True, "a & b")]
        workbook.close()
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
            count, tail = 0, b""
            while block := sheet.read(1 << 20):
                count += block.count(b"</row>")
                tail = (tail + block)[-400:]
        assert count == 200_001
        assert tail.endswith(b'<c r="G200001" t="inlineStr"><is><t>a &amp; b</t></is></c></row>'
                             b"</sheetData></worksheet>")
