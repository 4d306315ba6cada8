"""Lexicon files: reading imports (txt, xlsx), checking them against the
lexicon, and writing exports (txt, xlsx).

Text files (``.txt``, UTF-8 or GB18030, as Windows Notepad saves Chinese):
one entry per line, either ``term`` or ``term<TAB>suggestion``; the kind,
severity and source of every line are chosen in the import form. Blank lines
and lines starting with ``#`` are skipped. For an order of leaders, the
names on one line are separated by ``、``.

Spreadsheets (``.xlsx``, first sheet): the first row names the columns, in
any order — ``kind`` and ``term`` are required; ``suggestion``,
``severity``, ``note``, ``source`` and ``active`` are optional (Chinese
headers 类型, 词条, 建议, 级别, 说明, 来源, 启用 are understood too). Kinds
are the codes (``forbidden``…) or 禁用词, 敏感词, 规范表述, 领导排序, 例外;
severities ``info``/``warning``/``blocking`` or 提示, 警告, 阻断.

An entry is identified by kind and term: a line whose entry exists updates
the columns the file has and leaves the others as they are.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rongmei.proofreading.models import Kind, LexiconEntry, Severity, entry_problem, normalise_term

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
COLUMNS = ["kind", "term", "suggestion", "severity", "note", "source", "active"]
_FIELD_OF_COLUMN = {"active": "is_active"}
_MAX_LENGTHS = {"suggestion": 500, "source": 100, "note": 2000}

COLUMN_ALIASES = {"类型": "kind", "词条": "term", "建议": "suggestion", "级别": "severity", "说明": "note",
                  "备注": "note", "来源": "source", "启用": "active"}  # fmt: skip
KIND_ALIASES = {"禁用词": Kind.FORBIDDEN, "敏感词": Kind.SENSITIVE, "慎用词": Kind.SENSITIVE,
                "规范表述": Kind.STANDARD_EXPRESSION, "领导排序": Kind.LEADER_ORDER, "例外": Kind.ALLOWED}  # fmt: skip
SEVERITY_ALIASES = {"提示": Severity.INFO, "警告": Severity.WARNING, "阻断": Severity.BLOCKING}
_TRUE = {"1", "true", "yes", "y", "是", "启用"}
_FALSE = {"0", "false", "no", "n", "否", "停用"}


class FileRefused(Exception):
    """The whole file cannot be imported: ``message`` says why in plain
    words, ``code`` names the reason for programs and tests."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# What happens to a row on import.
ADD, UPDATE, UNCHANGED, REJECTED = "add", "update", "unchanged", "rejected"
STATUS_LABELS = {ADD: _("Add"), UPDATE: _("Update"), UNCHANGED: _("Unchanged"), REJECTED: _("Rejected")}


@dataclass
class Row:
    """One line of an import file: its line (or row) number, the entry's kind
    and term, and the other fields the file gives for it."""

    line: int
    kind: str
    term: str
    values: dict = field(default_factory=dict)
    status: str = ""
    reason: str = ""
    reason_code: str = ""

    def reject(self, problem: ValidationError):
        self.status, self.reason, self.reason_code = REJECTED, str(problem.message), problem.code

    def to_payload(self) -> list:
        return [self.line, self.kind, self.term, self.values]

    @classmethod
    def from_payload(cls, payload: list) -> Row:
        line, kind, term, values = payload
        return cls(line, kind, term, values)

    @property
    def suggestion(self) -> str:
        return self.values.get("suggestion", "")


@dataclass
class Preview:
    rows: list[Row]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def with_status(self, *statuses: str) -> list[Row]:
        return [row for row in self.rows if row.status in statuses]

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in (ADD, UPDATE, UNCHANGED, REJECTED)}

    @property
    def changes(self) -> list[Row]:
        return self.with_status(ADD, UPDATE)


def read_upload(upload, *, kind: str, severity: str, source: str) -> list[Row]:
    """The rows of an uploaded file (``.txt`` or ``.xlsx``); for text files
    ``kind``, ``severity`` and ``source`` apply to every line."""
    name = (upload.name or "").lower()
    if upload.size > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}, "too_large"
        )
    if not upload.size:
        raise FileRefused(_("The file is empty."), "empty")
    data = upload.read()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".txt"):
        return read_txt(data, kind=kind, severity=severity, source=source)
    raise FileRefused(_("Only .txt and .xlsx files can be imported."), "unsupported_type")


def read_txt(data: bytes, *, kind: str, severity: str, source: str = "") -> list[Row]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("The file is not text in UTF-8 or GB18030 encoding."), "not_text")
    if "\x00" in text:
        raise FileRefused(_("The file is not a text file."), "not_text")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRefused(_("The file has more than %(max)d entries.") % {"max": MAX_ROWS}, "too_many_rows")
        parts = line.split("\t")
        values = {"severity": severity}
        if source:
            values["source"] = source
        row = Row(number, kind, parts[0])
        if len(parts) > 2:
            row.reject(
                ValidationError(
                    _("The line has more than two columns: write the term, then a tab and the suggestion if any."),
                    code="too_many_columns",
                )
            )
        elif len(parts) == 2:
            values["suggestion"] = parts[1].strip()
        row.values = values
        rows.append(row)
    if not rows:
        raise FileRefused(_("The file is empty."), "empty")
    return rows


def read_xlsx(data: bytes) -> list[Row]:
    import openpyxl  # here, not at the top: it costs every process 0.4 s to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise FileRefused(_("This is not an .xlsx file, or it is damaged."), "not_xlsx") from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        lines = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
        header = next(lines, None)
        if not header or not any(cell not in (None, "") for cell in header):
            raise FileRefused(_("The file is empty."), "empty")
        columns = _columns(header)
        rows = []
        for number, cells in enumerate(lines, start=2):
            if not any(cell not in (None, "") for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(_("The file has more than %(max)d entries.") % {"max": MAX_ROWS}, "too_many_rows")
            rows.append(_xlsx_row(number, columns, cells))
    finally:
        workbook.close()
    if not rows:
        raise FileRefused(_("The file has column names but no entries."), "no_entries")
    return rows


def _columns(header) -> dict[int, str]:
    columns, unknown = {}, []
    for index, cell in enumerate(header):
        name = str(cell).strip().lower() if cell is not None else ""
        if not name:
            continue
        name = COLUMN_ALIASES.get(name, name)
        if name in COLUMNS:
            columns[index] = name
        else:
            unknown.append(str(cell))
    missing = [name for name in ("kind", "term") if name not in columns.values()]
    if unknown:
        raise FileRefused(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
            "unknown_columns",
        )
    if missing:
        raise FileRefused(
            _("The first row must name the columns; it lacks: %(missing)s.") % {"missing": ", ".join(missing)},
            "missing_columns",
        )
    return columns


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_row(number: int, columns: dict[int, str], cells) -> Row:
    cell_values = {name: cells[index] if index < len(cells) else None for index, name in columns.items()}
    raw_kind = _text(cell_values.pop("kind"))
    row = Row(number, KIND_ALIASES.get(raw_kind, raw_kind.lower()), _text(cell_values.pop("term")))
    for name, value in cell_values.items():
        if name == "active":
            active = _active(value)
            if active is None:
                row.reject(
                    ValidationError(
                        _("“%(value)s” is not a valid value for active: use 1 or 0.") % {"value": _text(value)},
                        code="bad_active",
                    )
                )
                continue
            row.values["is_active"] = active
        elif name == "severity":
            raw = _text(value)
            if raw:
                row.values["severity"] = SEVERITY_ALIASES.get(raw, raw.lower())
        else:
            row.values[name] = _text(value)
    return row


def _active(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return True
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def classify(rows: list[Row]) -> Preview:
    """Decide for each row whether it adds, updates, leaves unchanged or is
    rejected (with the reason), against the lexicon as it is now."""
    for row in rows:
        if row.status != REJECTED:
            row.status, row.reason, row.reason_code = "", "", ""
            if row.kind in Kind.values:
                row.term = normalise_term(row.kind, row.term)
    kinds = {row.kind for row in rows if row.kind in Kind.values}
    existing = {(entry.kind, entry.term): entry for entry in LexiconEntry.objects.filter(kind__in=kinds)}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.status == REJECTED:
            continue
        problem = _row_problem(row, existing.get((row.kind, row.term)))
        key = (row.kind, row.term)
        if problem is None and key in seen:
            problem = ValidationError(
                _("The same entry appears earlier in the file, on line %(line)d.") % {"line": seen[key]},
                code="duplicate",
            )
        if problem is not None:
            row.reject(problem)
            continue
        seen[key] = row.line
        entry = existing.get(key)
        if entry is None:
            row.status = ADD
        elif any(getattr(entry, _FIELD_OF_COLUMN.get(name, name)) != value for name, value in row.values.items()):
            row.status = UPDATE
        else:
            row.status = UNCHANGED
    return Preview(rows)


def _row_problem(row: Row, entry: LexiconEntry | None) -> ValidationError | None:
    if row.kind not in Kind.values:
        return ValidationError(
            _("Unknown kind “%(kind)s”: use one of %(kinds)s.") % {"kind": row.kind, "kinds": ", ".join(Kind.values)},
            code="unknown_kind",
        )
    severity = row.values.get("severity")
    if severity is not None and severity not in Severity.values:
        return ValidationError(
            _("Unknown severity “%(severity)s”: use info, warning or blocking.") % {"severity": severity},
            code="unknown_severity",
        )
    for name, limit in _MAX_LENGTHS.items():
        if len(row.values.get(name, "")) > limit:
            return ValidationError(
                _("The %(column)s is longer than %(max)d characters.") % {"column": name, "max": limit},
                code="too_long",
            )
    suggestion = row.values.get("suggestion", entry.suggestion if entry is not None else "")
    return entry_problem(row.kind, row.term, suggestion)


def _plain(value: str) -> str:
    return " ".join(value.split("\t")).replace("\r", " ").replace("\n", " ")


def write_txt(entries) -> bytes:
    """``term`` or ``term<TAB>suggestion`` per line, UTF-8."""
    lines = []
    for entry in entries:
        line = _plain(entry.term)
        if entry.suggestion:
            line += "\t" + _plain(entry.suggestion)
        lines.append(line + "\n")
    return "".join(lines).encode("utf-8")


def write_xlsx(entries) -> bytes:
    """Every column of :data:`COLUMNS`, one entry a row, text cells only (a
    term starting with ``=`` stays text, never a formula)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("lexicon")
    sheet.append(COLUMNS)
    for entry in entries:
        values = [entry.kind, entry.term, entry.suggestion, entry.severity, entry.note, entry.source,
                  1 if entry.is_active else 0]  # fmt: skip
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
