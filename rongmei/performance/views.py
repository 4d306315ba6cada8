"""The admin pages of 绩效管理 that are not plain record lists: the years
with their measures and where each comes from, the import wizard (upload →
map the columns → dry-run preview → confirm), in-year monitoring, and the
report's preview and downloads. Every view checks the permission itself."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.core import tabular
from rongmei.performance import actions, imports, metrics, monitoring, placeholders, report, scoring
from rongmei.performance.models import FiscalYear, IndicatorTemplate, Platform

VIEW = actions.VIEW
IMPORT_PERMS = {"expenditures": "performance.add_expenditure", "channel_stats": "performance.add_channelstat"}
IMPORT_LABELS = {
    "expenditures": gettext_lazy("Expenditures (finance system export)"),
    "channel_stats": gettext_lazy("Channel statistics (platform back-office export)"),
}


def _require(request, perm=VIEW):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _year(year) -> FiscalYear:
    return get_object_or_404(FiscalYear, year=year)


# ------------------------------------------------------------------ years and measures


class NewYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    unit_name = forms.CharField(label=gettext_lazy("Unit"), max_length=100, required=False)
    template = forms.ModelChoiceField(
        label=gettext_lazy("Indicator template"), queryset=IndicatorTemplate.objects.all(), required=False
    )


class CopyTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Indicator template"), queryset=IndicatorTemplate.objects.all()
    )
    replace = forms.BooleanField(label=gettext_lazy("Replace the year's indicators"), required=False)


def overview(request):
    _require(request)
    form = NewYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        _require(request, "performance.add_fiscalyear")
        if form.is_valid():
            try:
                fiscal = actions.create_year(
                    request.user,
                    form.cleaned_data["year"],
                    unit_name=form.cleaned_data["unit_name"],
                    template=form.cleaned_data["template"],
                )
            except actions.PerformanceRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The year %(year)s was created.") % {"year": fiscal.year})
                return redirect("performance:year", fiscal.year)
    years = []
    with metrics.caching():
        for fiscal in FiscalYear.objects.all():
            years.append(
                {
                    "fiscal": fiscal,
                    "budget": metrics.compute("budget_total", fiscal.year),
                    "spent": metrics.compute("spent_total", fiscal.year),
                    "rate": metrics.compute("budget_execution_rate", fiscal.year),
                }
            )
    return TemplateResponse(
        request,
        "performance/overview.html",
        {
            "page_title": _("Performance management"),
            "header_icon": "doc-full",
            "years": years,
            "form": form if request.user.has_perm("performance.add_fiscalyear") else None,
        },
    )


def year_detail(request, year):
    _require(request)
    fiscal = _year(year)
    copy_form = CopyTemplateForm(request.POST or None)
    if request.method == "POST":
        _require(request, "performance.add_indicator")
        if copy_form.is_valid():
            try:
                count = actions.copy_template(
                    request.user, copy_form.cleaned_data["template"], fiscal, replace=copy_form.cleaned_data["replace"]
                )
            except actions.PerformanceRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("%(count)d indicators copied into the year.") % {"count": count})
                return redirect("performance:year", fiscal.year)
    with metrics.caching():
        measures = [
            {"key": key, "metric": metric, "figure": metrics.compute(key, fiscal.year)}
            for key, metric in metrics.REGISTRY.items()
        ]
        card = scoring.scorecard(fiscal.year)
    return TemplateResponse(
        request,
        "performance/year.html",
        {
            "page_title": _("Performance %(year)s") % {"year": fiscal.year},
            "header_icon": "doc-full",
            "fiscal": fiscal,
            "measures": measures,
            "card": card,
            "copy_form": copy_form if request.user.has_perm("performance.add_indicator") else None,
        },
    )


# ------------------------------------------------------------------ import


class UploadForm(forms.Form):
    year = forms.ModelChoiceField(label=gettext_lazy("Year"), queryset=FiscalYear.objects.all(), to_field_name="year")
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx or .csv)"))
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit of the amounts"), choices=[(u, u) for u in imports.UNITS], required=False
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform (when the file has no platform column)"),
        choices=[("", "—"), *Platform.choices],
        required=False,
    )
    account = forms.CharField(label=gettext_lazy("Account"), max_length=100, required=False)


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "performance-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_path(request, token: str) -> Path:
    if not token.isalnum():
        raise Http404
    path = _pending_dir() / f"{request.user.pk}-{token}"
    if not path.exists():
        raise Http404
    return path


def import_upload(request, kind):
    if kind not in IMPORT_PERMS:
        raise Http404
    _require(request, IMPORT_PERMS[kind])
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(tabular.MAX_BYTES + 1)
        try:
            table = tabular.read_table(data)
        except tabular.TabularError as error:
            form.add_error("file", error.message)
        else:
            token = uuid.uuid4().hex
            (_pending_dir() / f"{request.user.pk}-{token}").write_bytes(data)
            request.session[f"performance-import-{token}"] = {
                "kind": kind,
                "year": form.cleaned_data["year"].year,
                "unit": form.cleaned_data["unit"] or imports.WAN,
                "platform": form.cleaned_data["platform"],
                "account": form.cleaned_data["account"],
                "name": upload.name,
                "headers": table.headers,
            }
            return redirect("performance:import_map", token)
    return TemplateResponse(
        request,
        "performance/import_upload.html",
        {
            "page_title": _("Import"),
            "header_icon": "upload",
            "form": form,
            "kind": kind,
            "kind_label": IMPORT_LABELS[kind],
        },
    )


def _plan(request, token, state, mapping):
    fiscal = _year(state["year"])
    path = _pending_path(request, token)
    if state["kind"] == "expenditures":
        return imports.plan_expenditures(path, fiscal, unit=state["unit"], mapping=mapping, source_name=state["name"])
    return imports.plan_channel_stats(
        path, fiscal, platform=state["platform"], account=state["account"], mapping=mapping, source_name=state["name"]
    )


def _columns(state):
    if state["kind"] == "expenditures":
        return imports.expenditure_columns()
    return imports.channel_columns(platform_in_file=not state["platform"])


def _mapping_from(request, columns, headers) -> dict:
    mapping = {}
    for column in columns:
        raw = request.POST.get(f"map-{column.key}", "")
        mapping[column.key] = int(raw) if raw.isdigit() and int(raw) < len(headers) else None
    return mapping


def import_map(request, token):
    state = request.session.get(f"performance-import-{token}")
    if state is None:
        raise Http404
    _require(request, IMPORT_PERMS[state["kind"]])
    columns = _columns(state)
    mapping = (
        _mapping_from(request, columns, state["headers"])
        if request.method == "POST"
        else tabular.guess_mapping(state["headers"], columns)
    )
    plan = None
    if request.method == "POST":
        try:
            plan = _plan(request, token, state, mapping)
        except (tabular.TabularError, actions.PerformanceRefused) as error:
            messages.error(request, error.message)
        if plan is not None and request.POST.get("confirm") and plan.ok:
            try:
                written = imports.apply(request.user, plan)
            except actions.PerformanceRefused as refused:
                messages.error(request, refused.message)
            else:
                _pending_path(request, token).unlink(missing_ok=True)
                request.session.pop(f"performance-import-{token}", None)
                messages.success(request, _("%(count)d rows imported.") % {"count": written})
                return redirect("performance:year", state["year"])
    rows = [
        {
            "column": column,
            "chosen": mapping.get(column.key),
        }
        for column in columns
    ]
    return TemplateResponse(
        request,
        "performance/import_map.html",
        {
            "page_title": _("Import: map the columns"),
            "header_icon": "upload",
            "state": state,
            "kind_label": IMPORT_LABELS[state["kind"]],
            "headers": list(enumerate(state["headers"])),
            "rows": rows,
            "plan": plan,
            "token": token,
        },
    )


# ------------------------------------------------------------------ monitoring


def monitoring_view(request, year):
    _require(request)
    fiscal = _year(year)
    today = timezone.localdate()
    default_month = today.month if today.year == fiscal.year else 12
    try:
        month = min(12, max(1, int(request.GET.get("month", default_month))))
    except ValueError:
        month = default_month
    result = monitoring.monitor(fiscal.year, month)
    return TemplateResponse(
        request,
        "performance/monitoring.html",
        {
            "page_title": _("In-year monitoring %(year)s") % {"year": fiscal.year},
            "header_icon": "time",
            "fiscal": fiscal,
            "m": result,
            "chart": result.chart(),
            "months": range(1, 13),
        },
    )


# ------------------------------------------------------------------ report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


def report_view(request, year):
    _require(request)
    fiscal = _year(year)
    error = None
    try:
        built = report.build(fiscal.year)
        preview = report.to_html(built, fragment=True)
    except placeholders.PlaceholderError as problem:
        built, preview, error = None, "", problem.message
    return TemplateResponse(
        request,
        "performance/report.html",
        {
            "page_title": _("Self-evaluation report %(year)s") % {"year": fiscal.year},
            "header_icon": "doc-full",
            "fiscal": fiscal,
            "preview": preview,
            "error": error,
            "formats": ["docx", "html", "md", *(["pdf"] if report.soffice() else [])],
        },
    )


def report_download(request, year, fmt):
    _require(request)
    fiscal = _year(year)
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        built = report.build(fiscal.year)
    except placeholders.PlaceholderError as problem:
        messages.error(request, problem.message)
        return redirect("performance:report", fiscal.year)
    name = f"{fiscal.year}年度部门整体支出绩效自评报告.{fmt}"
    if fmt == "md":
        response = HttpResponse(report.to_markdown(built), content_type=CONTENT_TYPES[fmt])
    elif fmt == "html":
        response = HttpResponse(report.to_html(built), content_type=CONTENT_TYPES[fmt])
    else:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="rongmei-report-"))
        docx_path = folder / "report.docx"
        report.to_docx(built, docx_path)
        path = docx_path
        if fmt == "pdf":
            path = folder / "report.pdf"
            if not report.to_pdf(docx_path, path):
                raise Http404(_("LibreOffice is not installed: no PDF."))
        response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
