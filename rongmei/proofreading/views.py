"""Admin (Wagtail) views of the proofreading lexicon: the listing with its
filters, and import and export of txt and xlsx files."""

import django_filters
from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry

from rongmei.proofreading import actions, transfer
from rongmei.proofreading.models import Kind, LexiconEntry, Severity

_SIGNING_SALT = "rongmei.proofreading.import"
_PREVIEW_MAX_AGE = 3600  # seconds a preview may wait for its confirmation
_PREVIEW_ROWS_SHOWN = 200


def _sources():
    return [(source, source) for source in LexiconEntry.objects.exclude(source="").values_list("source", flat=True)
            .distinct().order_by("source")]  # fmt: skip


class LexiconEntryFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=_sources)

    class Meta:
        model = LexiconEntry
        fields = ["kind", "severity", "is_active", "source"]


def _policy():
    return policy_registry.get_by_type(LexiconEntry)


def can_import(user) -> bool:
    """Importing adds and changes entries: it needs both permissions."""
    return _policy().user_has_permission(user, "add") and _policy().user_has_permission(user, "change")


def can_export(user) -> bool:
    return _policy().user_has_any_permission(user, ["add", "change", "delete", "view"])


class LexiconIndexView(IndexView):
    """The listing, with import and export in the header's menu."""

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if can_import(self.request.user):
            buttons.append(Button(_("Import"), url=reverse("proofreading_lexicon:import"), icon_name="upload"))
        buttons.append(Button(_("Export as txt or xlsx"), url=reverse("proofreading_lexicon:export"),
                              icon_name="download"))  # fmt: skip
        return buttons


class _LexiconFormView(WagtailAdminTemplateMixin, FormView):
    header_icon = "glasses"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("proofreading_lexicon:index"), "label": LexiconEntry._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A .xlsx file whose first row names the columns kind, term, suggestion, severity, note, source, "
            "active; or a .txt file with one entry per line: the term, then a tab and the suggestion if there is one."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind (for .txt files)"), choices=Kind.choices, initial=Kind.FORBIDDEN)
    severity = forms.ChoiceField(
        label=_("Severity (for .txt files)"), choices=Severity.choices, initial=Severity.WARNING
    )
    source = forms.CharField(label=_("Source (for .txt files)"), max_length=100, required=False)


class ImportView(_LexiconFormView):
    """Upload a file, see what it would add, update and reject, then confirm.

    The preview carries the accepted rows to the confirmation in a signed
    form field, so nothing is stored between the two requests and the
    confirmation applies exactly what was shown (checked again against the
    lexicon at that moment).
    """

    form_class = ImportForm
    template_name = "proofreading/import.html"
    page_title = _("Import lexicon entries")

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request.POST["payload"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rows = transfer.read_upload(
                upload,
                kind=form.cleaned_data["kind"],
                severity=form.cleaned_data["severity"],
                source=form.cleaned_data["source"].strip(),
            )
        except transfer.FileRefused as refused:
            form.add_error("file", ValidationError(refused.message, code=refused.code))
            return self.form_invalid(form)
        preview = transfer.classify(rows)
        payload = signing.dumps(
            {"file": upload.name, "rows": [row.to_payload() for row in preview.changes]},
            salt=_SIGNING_SALT,
            compress=True,
        )
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, payload=payload, file_name=upload.name)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = kwargs.get("preview")
        if preview is not None:
            context.update(
                counts=preview.counts,
                rejected=preview.with_status(transfer.REJECTED),
                changes_shown=preview.changes[:_PREVIEW_ROWS_SHOWN],
                changes_hidden=max(0, len(preview.changes) - _PREVIEW_ROWS_SHOWN),
                status_labels=transfer.STATUS_LABELS,
            )
        return context

    def confirm(self, payload: str):
        try:
            data = signing.loads(payload, salt=_SIGNING_SALT, max_age=_PREVIEW_MAX_AGE)
        except signing.BadSignature:
            messages.error(self.request, _("This preview has expired or was altered: upload the file again."))
            return redirect("proofreading_lexicon:import")
        rows = [transfer.Row.from_payload(row) for row in data["rows"]]
        result = actions.import_entries(rows, file_name=data["file"])
        counts = result.counts
        messages.success(
            self.request,
            _("Imported %(file)s: %(add)d added, %(update)d updated, %(rejected)d rejected.")
            % {"file": data["file"], **counts},
        )
        return redirect("proofreading_lexicon:index")


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "xlsx"), ("txt", "txt")], initial="xlsx")
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == "txt" and not cleaned.get("kind"):
            self.add_error("kind", _("Choose a kind: a text file holds entries of one kind."))
        return cleaned


class ExportView(_LexiconFormView):
    """Download the lexicon: xlsx with every column and inactive entries too,
    or txt (term, tab, suggestion) with the active entries of one kind."""

    form_class = ExportForm
    template_name = "proofreading/export.html"
    page_title = _("Export lexicon entries")

    def dispatch(self, request, *args, **kwargs):
        if not can_export(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "format" in request.GET:
            form = self.form_class(request.GET)
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        entries = LexiconEntry.objects.order_by("kind", "term")
        kind = form.cleaned_data["kind"]
        if kind:
            entries = entries.filter(kind=kind)
        stamp = timezone.localtime().strftime("%Y%m%d")
        name = f"lexicon-{kind or 'all'}-{stamp}"
        if form.cleaned_data["format"] == "txt":
            body = transfer.write_txt(entries.filter(is_active=True))
            response = HttpResponse(body, content_type="text/plain; charset=utf-8")
            name += ".txt"
        else:
            body = transfer.write_xlsx(entries)
            response = HttpResponse(
                body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            name += ".xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class LexiconEntryViewSet(ModelViewSet):
    model = LexiconEntry
    icon = "glasses"
    menu_label = _("Proofreading lexicon")
    menu_name = "proofreading_lexicon"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = LexiconIndexView
    form_fields = ["kind", "term", "suggestion", "severity", "note", "source", "is_active"]
    list_display = [
        Column("term", label=_("Term"), sort_key="term"),
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("suggestion", label=_("Suggestion")),
        Column("severity", label=_("Severity"), accessor="get_severity_display", sort_key="severity"),
        Column("source", label=_("Source"), sort_key="source"),
        BooleanColumn("is_active", label=_("Active")),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]
    filterset_class = LexiconEntryFilterSet
    search_fields = ["term", "suggestion", "note"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    ordering = ["kind", "term"]

    @property
    def import_view(self):
        return self.construct_view(ImportView)

    @property
    def export_view(self):
        return self.construct_view(ExportView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", self.import_view, name="import"),
            path("export/", self.export_view, name="export"),
        ]
