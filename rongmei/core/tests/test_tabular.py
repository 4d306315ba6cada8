"""rongmei.core.tabular: reading csv/xlsx by content, guessing the column
mapping, and checking rows with a clear Chinese error for each problem."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from rongmei.core import tabular
from rongmei.core.tabular import Column, TabularError, guess_mapping, read_table, validate

COLUMNS = [
    Column("date", "日期", parse=tabular.parse_date, aliases=["记账日期"]),
    Column("line", "预算科目", aliases=["科目名称"]),
    Column("amount", "金额", parse=tabular.parse_decimal, aliases=["发生额"]),
    Column("note", "摘要", required=False),
]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_in_each_encoding_reads_the_same():
    text = "日期,预算科目,金额（万元）,摘要\n2024-01-31,人员经费,12.5,工资\n"
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        table = read_table(text.encode(encoding))
        assert table.headers == ["日期", "预算科目", "金额（万元）", "摘要"]
        assert table.rows == [["2024-01-31", "人员经费", "12.5", "工资"]]


def test_xlsx_is_told_apart_by_content_not_name(tmp_path):
    path = tmp_path / "export.csv"  # a misleading name
    path.write_bytes(xlsx_bytes([["记账日期", "科目名称", "发生额"], [dt.datetime(2024, 2, 29), "公用经费", 3.25]]))
    table = read_table(path)
    assert table.headers == ["记账日期", "科目名称", "发生额"]
    mapping = guess_mapping(table.headers, COLUMNS)
    assert mapping == {"date": 0, "line": 1, "amount": 2, "note": None}
    result = validate(table, COLUMNS, mapping)
    assert result.ok
    assert result.rows == [
        {"_row": 2, "date": dt.date(2024, 2, 29), "line": "公用经费", "amount": Decimal("3.25"), "note": None}
    ]


def test_semicolon_and_tab_separated_files_are_sniffed():
    for sep in (";", "\t"):
        table = read_table(f"日期{sep}预算科目{sep}金额\n2024-03-01{sep}人员经费{sep}1\n".encode())
        assert table.headers == ["日期", "预算科目", "金额"]


def test_unreadable_files_give_a_chinese_sentence():
    with pytest.raises(TabularError, match="空"):
        read_table(b"")
    with pytest.raises(TabularError, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(TabularError, match="损坏"):
        read_table(b"PK\x03\x04 not really a zip")
    with pytest.raises(TabularError, match="编码"):
        read_table(b"\xff\xfe\xfa\xfb\x81\x30" * 10)


def test_wrong_columns_name_what_is_missing_and_what_the_file_has():
    table = read_table("名称,数量\n甲,1\n".encode())
    mapping = guess_mapping(table.headers, COLUMNS)
    result = validate(table, COLUMNS, mapping)
    assert not result.ok and not result.rows
    messages = [str(error) for error in result.errors]
    assert any("缺少必需的列“日期”" in m and "名称、数量" in m for m in messages)
    assert any("预算科目" in m for m in messages) and any("金额" in m for m in messages)


def test_one_header_cannot_feed_two_columns():
    table = read_table("日期,预算科目,金额\n2024-01-01,a,1\n".encode())
    result = validate(table, COLUMNS, {"date": 0, "line": 1, "amount": 1, "note": None})
    assert any("同时用作" in str(error) for error in result.errors)


def test_bad_dates_and_numbers_are_errors_of_their_row_and_column():
    table = read_table(
        "日期,预算科目,金额\n2024-02-30,人员经费,1\n2024/3/5,公用经费,十二\n上月,公用经费,1\n2024年4月1日,公用经费,12万\n".encode()
    )
    result = validate(table, COLUMNS, guess_mapping(table.headers, COLUMNS))
    found = {(e.row_number, e.column): e.message for e in result.errors}
    assert "该月没有这一天" in found[(2, "日期")]
    assert "不是数字" in found[(3, "金额")]
    assert "不是有效的日期" in found[(4, "日期")]
    assert "不要带“万”" in found[(5, "金额")]
    assert result.rows == []


def test_empty_rows_are_counted_and_required_cells_checked():
    table = read_table("日期,预算科目,金额,摘要\n2024-01-02,人员经费,1,\n,,,\n2024-01-03,,2,x\n,,,\n\n".encode())
    result = validate(table, COLUMNS, guess_mapping(table.headers, COLUMNS))
    assert result.empty_rows == 1  # the trailing ones are the sheet's formatting
    assert [row["_row"] for row in result.rows] == [2]
    assert [(e.row_number, e.column, e.message) for e in result.errors] == [(4, "预算科目", "不能为空。")]


def test_duplicates_within_the_file_name_the_first_row():
    table = read_table(
        "日期,预算科目,金额\n2024-01-02,人员经费,1\n2024-01-03,人员经费,1\n2024/1/2,人员经费,1.0\n".encode()
    )
    result = validate(table, COLUMNS, guess_mapping(table.headers, COLUMNS), unique=("date", "line", "amount"))
    assert [row["_row"] for row in result.rows] == [2, 3]
    assert [str(e) for e in result.errors] == ["第4行：与第2行重复（日期、预算科目、金额相同）。"]


def test_headers_below_a_title_row_keep_their_row_numbers():
    table = read_table(xlsx_bytes([[None, None], ["日期", "预算科目", "金额"], ["2024-05-06", "甲", "(3.5)"]]))
    assert table.header_row == 2
    result = validate(table, COLUMNS, guess_mapping(table.headers, COLUMNS))
    assert result.rows[0]["_row"] == 3 and result.rows[0]["amount"] == Decimal("-3.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-03", (2024, 3)), ("2024年3月", (2024, 3)), ("202403", (2024, 3)), ("3", (None, 3)), ("12月", (None, 12))],
)
def test_months(text, expected):
    assert tabular.parse_month(text) == expected


def test_bad_months_and_fractions():
    with pytest.raises(ValueError, match="月份"):
        tabular.parse_month("13")
    with pytest.raises(ValueError, match="整数"):
        tabular.parse_int("2.5")
    with pytest.raises(ValueError, match="负数"):
        tabular.parse_non_negative_int("-1")
