"""Reading a spreadsheet someone exported from another system (a finance
system, a platform's back office, a hotline's records) and checking it
against the columns an import expects, without writing anything.

The steps every import shares:

1. :func:`read_table` reads an uploaded ``.xlsx`` or ``.csv`` (UTF-8, UTF-8
   with BOM or GB18030, as Chinese Excel writes it), told apart by content,
   not by the file name; the first non-empty row holds the headers.
2. :func:`guess_mapping` proposes which header feeds which :class:`Column`
   (by label or alias, ignoring spaces, case, full-width brackets and a
   unit in brackets); the person confirms or corrects it.
3. :func:`validate` parses every row with each column's ``parse`` and
   returns the parsed rows and every error, each with its spreadsheet row
   number, so a dry-run preview can show both. It writes nothing; the
   import's own code writes the rows afterwards, in one transaction.

Every error is a sentence in Chinese meant for the person who made the
spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
ROW_KEY = "_row"  # each parsed row's spreadsheet row number


class TabularError(Exception):
    """The file cannot be read as a table; ``message`` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A sheet's headers and its rows (cells as read: strings from CSV;
    strings, numbers or datetimes from xlsx). ``header_row`` is the
    spreadsheet row number of the headers, so ``rows[i]`` is row
    ``header_row + 1 + i``."""

    headers: list[str]
    rows: list[list[Any]]
    header_row: int = 1

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index


@dataclass
class Column:
    """One column an import expects. ``parse`` turns a non-empty cell into
    its value or raises ``ValueError`` whose message (Chinese) says what is
    wrong; ``aliases`` are other headers the column goes by."""

    key: str
    label: str
    required: bool = True
    parse: Callable[[Any], Any] = field(default=lambda value: str(value).strip())
    aliases: Sequence[str] = ()


@dataclass
class RowError:
    row_number: int  # the spreadsheet's row number (1 = the header row)
    column: str  # the column's label, or "" for the whole row
    message: str

    def __str__(self):
        where = f"第{self.row_number}行" + (f"“{self.column}”" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class ValidationResult:
    rows: list[dict] = field(default_factory=list)  # parsed rows without errors, each with ROW_KEY
    errors: list[RowError] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ reading


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    return data.encode("utf-8") if isinstance(data, str) else data


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_to_table(raw_rows: Iterable[Sequence[Any]]) -> Table:
    rows = [list(row) for row in raw_rows]
    header_index = next((i for i, row in enumerate(rows) if not all(_blank(cell) for cell in row)), None)
    if header_index is None:
        raise TabularError("文件中没有任何内容：第一行应为表头（列名），其下每行一条记录。")
    headers = [("" if cell is None else str(cell)).strip() for cell in rows[header_index]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise TabularError("没有找到表头：第一行非空行应为列名。")
    body = rows[header_index + 1 :]
    while body and all(_blank(cell) for cell in body[-1]):
        body.pop()  # trailing empty rows are the sheet's formatting, not data
    width = len(headers)
    body = [(row + [None] * width)[:width] for row in body]
    return Table(headers=headers, rows=body, header_row=header_index + 1)


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TabularError("无法读取该 xlsx 文件，文件可能已损坏，请在 Excel 中重新另存为 .xlsx 或 CSV。") from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TabularError("该 xlsx 文件中没有工作表。")
        return _rows_to_table(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError("无法识别文件的文字编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件。")


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise TabularError("文件不是文本表格（CSV），也不是 .xlsx：请上传 .xlsx 或 CSV 文件。")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    return _rows_to_table(csv.reader(io.StringIO(text, newline=""), dialect))


def read_table(file) -> Table:
    """The first sheet of an xlsx, or a CSV, as a :class:`Table`. ``file`` is
    a path, bytes or a file object (an uploaded file)."""
    data = _read_bytes(file)
    if len(data) > MAX_BYTES:
        raise TabularError(f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），请分批导入。")
    if not data.strip():
        raise TabularError("文件是空的。")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TabularError("不支持旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 或 CSV 后再上传。")
    return _read_csv(data)


# ------------------------------------------------------------------ mapping

_UNIT_SUFFIX = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]$")


def normalise_header(text: str) -> str:
    """Compare headers loosely: full-width → half-width, no spaces, case,
    and no trailing unit in brackets (“金额（万元）” → “金额”)."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"\s+", "", text)
    stripped = _UNIT_SUFFIX.sub("", text)
    return stripped or text


def guess_mapping(headers: Sequence[str], columns: Sequence[Column]) -> dict[str, int | None]:
    """For each column's key, the index of the header that most likely feeds
    it (exact label or alias first, then a header containing one), or None.
    A header feeds at most one column."""
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for exact in (True, False):
        for column in columns:
            if mapping.get(column.key) is not None:
                continue
            names = [normalise_header(n) for n in (column.label, column.key, *column.aliases)]
            found = None
            for index, header in enumerate(normalised):
                if index in used or not header:
                    continue
                if (header in names) if exact else any(name and name in header for name in names):
                    found = index
                    break
            if found is not None:
                used.add(found)
            mapping[column.key] = found
    return mapping


# ------------------------------------------------------------------ checking


def validate(
    table: Table,
    columns: Sequence[Column],
    mapping: dict[str, int | None],
    *,
    unique: Sequence[str] = (),
) -> ValidationResult:
    """Parse every row; collect every error. ``unique`` names the keys whose
    values together may appear only once in the file (a duplicate row is an
    error naming the first). Nothing is written."""
    result = ValidationResult()
    width = len(table.headers)
    for column in columns:
        index = mapping.get(column.key)
        if index is not None and not (0 <= index < width):
            result.errors.append(RowError(table.header_row, column.label, "所选的列不存在。"))
        elif index is None and column.required:
            result.errors.append(
                RowError(
                    table.header_row,
                    column.label,
                    f"缺少必需的列“{column.label}”：文件的列为 {('、'.join(table.headers))}，请在对应关系中选择。",
                )
            )
    chosen = [mapping.get(c.key) for c in columns if mapping.get(c.key) is not None]
    for index in {i for i in chosen if chosen.count(i) > 1}:
        names = "、".join(c.label for c in columns if mapping.get(c.key) == index)
        result.errors.append(
            RowError(table.header_row, "", f"同一列“{table.headers[index]}”被同时用作 {names}，每列只能对应一项。")
        )
    if result.errors:
        return result

    seen: dict[tuple, int] = {}
    for position, cells in enumerate(table.rows):
        number = table.row_number(position)
        if all(_blank(cell) for cell in cells):
            result.empty_rows += 1
            continue
        parsed: dict[str, Any] = {ROW_KEY: number}
        row_errors: list[RowError] = []
        for column in columns:
            index = mapping.get(column.key)
            cell = cells[index] if index is not None else None
            if _blank(cell):
                if column.required:
                    row_errors.append(RowError(number, column.label, "不能为空。"))
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(cell)
            except (ValueError, TypeError, ArithmeticError) as error:
                message = str(error) or "格式不正确。"
                row_errors.append(RowError(number, column.label, f"“{cell}”{message}"))
        if not row_errors and unique:
            key = tuple(parsed.get(k) for k in unique)
            if key in seen:
                labels = "、".join(c.label for c in columns if c.key in unique)
                row_errors.append(RowError(number, "", f"与第{seen[key]}行重复（{labels}相同）。"))
            else:
                seen[key] = number
        if row_errors:
            result.errors.extend(row_errors)
        else:
            result.rows.append(parsed)
    return result


# ------------------------------------------------------------------ parsers

_NUMBER_NOISE = re.compile(r"[,，\s¥￥元]")


def parse_decimal(value) -> Decimal:
    """A number as a Decimal: “1,234.50”, “¥1234.5”, “（12.3）” (negative, as
    accountants write it), full-width digits, and xlsx numbers."""
    if isinstance(value, bool):
        raise ValueError("不是数字。")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    negative = text.startswith("(") and text.endswith(")")
    text = _NUMBER_NOISE.sub("", text.strip("()"))
    if text.endswith("万"):
        raise ValueError("请只填数字，不要带“万”等单位。")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("不是数字。") from None
    if not number.is_finite():
        raise ValueError("不是数字。")
    return -number if negative else number


def parse_int(value) -> int:
    """A whole number (xlsx may give 12.0)."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError("应为整数。")
    return int(number)


def parse_non_negative_int(value) -> int:
    number = parse_int(value)
    if number < 0:
        raise ValueError("不能为负数。")
    return number


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value) -> dt.date:
    """A date: xlsx dates, “2024-03-05”, “2024/3/5”, “2024.3.5”, “2024年3月5日”, “20240305”."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError("不是有效的日期（该月没有这一天）。") from None
    raise ValueError("不是有效的日期，请写成 2024-03-05 的形式。")


_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(?:[-/.]\d{1,2}日?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^()(\d{1,2})月?$"),
]


def parse_month(value) -> tuple[int | None, int]:
    """A month as (year or None, month): “2024-03”, “2024年3月”, “202403”, “3”, “3月”, or a date."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value = parse_int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1)) if match.group(1) else None
            month = int(match.group(2))
            if 1 <= month <= 12:
                return year, month
            break
    raise ValueError("不是有效的月份，请写成 2024-03 或 3 的形式。")
