"""Importing 12345 hotline records (接诉即办 exports) into the inbox: upload
an .xlsx or .csv, confirm which column is which, see a dry run (what would
be added, what is already there, every error with its row), then import.

The spreadsheet is read and checked by :mod:`rongmei.core.tabular`; the dry
run writes nothing. The times of a call need a date *and* a time, which
``tabular.parse_date`` drops, so :func:`parse_when` is this app's own."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.core import audit, tabular
from rongmei.interaction import actions, intake
from rongmei.interaction.models import Department, Item, Level, Source

_WHEN = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]*(\d{1,2})[:：时](\d{1,2})分?(?:[:：]?(\d{1,2})秒?)?)?$"
)


def parse_when(value) -> dt.datetime:
    """A call's time: xlsx dates and times, “2025-03-05 14:30”, “2025/3/5 14:30:05”,
    “2025年3月5日 14时30分”, or a date alone (then 00:00), in the center's time zone."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time.min)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = _WHEN.match(text)
        if not match:
            raise ValueError("不是有效的时间，请写成 2025-03-05 14:30 的形式。")
        year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
        try:
            moment = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise ValueError("不是有效的时间（日期或时刻超出范围）。") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + dt.timedelta(days=1):
        raise ValueError("是将来的时间。")
    if moment.year < 2000:
        raise ValueError("早于 2000 年，请检查。")
    return moment


def _text(limit: int):
    def parse(value) -> str:
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))  # a number typed into Excel: 12345.0
        if len(text) > limit:
            raise ValueError(f"超过 {limit} 个字符。")
        return text

    return parse


COLUMNS = [
    tabular.Column("ticket", "工单编号", parse=_text(100), aliases=("工单号", "受理编号", "编号", "工单ID")),
    tabular.Column("when", "来电时间", parse=parse_when, aliases=("受理时间", "登记时间", "反映时间", "派单时间")),
    tabular.Column("content", "诉求内容", parse=_text(20_000), aliases=("反映内容", "问题描述", "来电内容", "内容")),
    tabular.Column("caller", "来电人", required=False, parse=_text(100), aliases=("姓名", "市民姓名", "联系人")),
    tabular.Column("phone", "联系电话", required=False, parse=_text(100), aliases=("电话", "手机", "联系方式")),
    tabular.Column(
        "department", "承办单位", required=False, parse=_text(60), aliases=("承办部门", "责任单位", "派单单位")
    ),
]


@dataclass
class Preview:
    rows: list[dict] = field(default_factory=list)  # new rows, ready to import
    duplicates: int = 0  # rows already in the inbox
    errors: list[tabular.RowError] = field(default_factory=list)
    empty_rows: int = 0
    unknown_departments: list[str] = field(default_factory=list)


def preview(table: tabular.Table, mapping: dict) -> Preview:
    """The dry run: what an import of ``table`` would do. Writes nothing."""
    result = tabular.validate(table, COLUMNS, mapping, unique=("ticket",))
    outcome = Preview(errors=result.errors, empty_rows=result.empty_rows)
    tickets = [row["ticket"] for row in result.rows]
    stored = set()
    for start in range(0, len(tickets), 500):
        stored |= set(
            Item.objects.filter(source=Source.HOTLINE, external_id__in=tickets[start : start + 500]).values_list(
                "external_id", flat=True
            )
        )
    known = set(Department.objects.values_list("name", flat=True))
    unknown = set()
    for row in result.rows:
        if row["ticket"] in stored:
            outcome.duplicates += 1
            continue
        if row.get("department") and row["department"] not in known:
            unknown.add(row["department"])
        outcome.rows.append(row)
    outcome.unknown_departments = sorted(unknown)
    return outcome


def import_rows(rows: list[dict], *, user, file_name: str = "") -> int:
    """Add the previewed rows to the inbox, in one transaction; returns how many were added."""
    if not user.has_perm(actions.ADD_ITEMS):
        raise PermissionDenied
    departments = {d.name: d for d in Department.objects.all()}
    with transaction.atomic():
        result = intake.ingest(
            [
                intake.Incoming(
                    source=Source.HOTLINE,
                    external_id=row["ticket"],
                    content=row["content"],
                    posted_at=row["when"],
                    author=row.get("caller") or "",
                    contact=row.get("phone") or "",
                )
                for row in rows
            ]
        )
        for row in rows:
            department = departments.get(row.get("department") or "")
            if department is not None:
                Item.objects.filter(source=Source.HOTLINE, external_id=row["ticket"], department=None).update(
                    department=department,
                    level=Level.DEPARTMENT,
                    resolution_due=row["when"] + dt.timedelta(hours=department.answer_hours),
                )
        audit.record(
            "interaction.hotline.import",
            actor=user,
            data={"file": file_name, "created": result["created"], "duplicates": result["duplicates"]},
        )
    return result["created"]


# -- the admin view: upload, map, dry run, import


def _upload_dir() -> Path:
    from rongmei.interaction.training import model_dir

    path = model_dir() / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(token: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        return None
    path = _upload_dir() / token
    return path if path.exists() else None


def import_view(request):
    if not request.user.has_perm(actions.ADD_ITEMS):
        raise PermissionDenied
    context = {"page_title": _("Import hotline records"), "header_icon": "upload", "columns": COLUMNS}
    if request.method != "POST":
        return TemplateResponse(request, "interaction/inbox/import.html", context)
    token = request.POST.get("token", "")
    file_name = request.POST.get("file_name", "")
    upload = request.FILES.get("file")
    if upload is not None:
        token = secrets.token_urlsafe(24)
        file_name = upload.name
        with open(_upload_dir() / token, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    path = _stored(token)
    if path is None:
        messages.error(request, _("Choose a file to import."))
        return TemplateResponse(request, "interaction/inbox/import.html", context)
    try:
        table = tabular.read_table(path)
    except tabular.TabularError as error:
        path.unlink(missing_ok=True)
        messages.error(request, error.message)
        return TemplateResponse(request, "interaction/inbox/import.html", context)
    if upload is not None:
        mapping = tabular.guess_mapping(table.headers, COLUMNS)
    else:
        mapping = {}
        for column in COLUMNS:
            value = request.POST.get(f"map_{column.key}", "")
            mapping[column.key] = int(value) if value.lstrip("-").isdigit() else None
    outcome = preview(table, mapping)
    if request.POST.get("confirm") == "1" and upload is None:
        if outcome.errors:
            messages.error(request, _("Correct the errors first: nothing was imported."))
        else:
            created = import_rows(outcome.rows, user=request.user, file_name=file_name)
            path.unlink(missing_ok=True)
            messages.success(request, _("%(count)d hotline records were added to the inbox.") % {"count": created})
            return redirect("interaction_inbox:list")
    context.update(
        {
            "token": token,
            "file_name": file_name,
            "headers": list(enumerate(table.headers)),
            "mapping": mapping,
            "preview": outcome,
            "sample": [{**row, "row": row[tabular.ROW_KEY]} for row in outcome.rows[:20]],
        }
    )
    return TemplateResponse(request, "interaction/inbox/import.html", context)
