"""Admin (Wagtail) views of the core app: the audit log, the organisation,
departments and users."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.core.models import AuditEntry, Department, Organisation


class AuditEntryFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("Time"), widget=DateRangePickerWidget)
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    actor_label = django_filters.CharFilter(label=_("Actor (username)"), lookup_expr="exact")
    via = django_filters.ChoiceFilter(label=_("Via"), choices=AuditEntry.Via.choices)
    ip = django_filters.CharFilter(label=_("IP address"), lookup_expr="exact", widget=forms.TextInput)

    class Meta:
        model = AuditEntry
        fields = ["at", "action", "actor_label", "via", "ip", "content_type"]


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_name = "audit_log"
    menu_order = 900
    add_to_settings_menu = True
    form_fields = []  # never shown: the permission policy refuses add and change
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False
    list_display = [
        DateColumn("at", label=_("Time"), sort_key="at"),
        Column("actor_label", label=_("Actor"), sort_key="actor_label"),
        Column("action", label=_("Action"), sort_key="action", accessor="action_label"),
        Column("object_repr", label=_("Object")),
        Column("ip", label=_("IP address")),
        Column("via", label=_("Via"), accessor="get_via_display"),
    ]
    list_export = ["at", "actor_label", "ip", "via", "action", "content_type", "object_id", "object_repr", "data"]
    export_filename = "audit-log"
    filterset_class = AuditEntryFilterSet
    search_fields = ["action", "actor_label", "object_repr"]
    search_backend_name = None
    inspect_view_fields = [
        "at", "actor", "actor_label", "ip", "via", "action_label", "action", "content_type", "object_id",
        "object_repr", "data",
    ]  # fmt: skip
    ordering = ["-at", "-id"]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    menu_name = "organisations"
    form_fields = ["name", "short_name", "region", "description"]
    list_display = ["name", "short_name", "region"]
    copy_view_enabled = False
    search_fields = ["name", "short_name"]
    search_backend_name = None


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    menu_name = "departments"
    form_fields = ["organisation", "name", "duties", "sort_order"]
    list_display = ["name", "organisation", "sort_order"]
    list_filter = ["organisation"]
    copy_view_enabled = False
    search_fields = ["name"]
    search_backend_name = None


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 800
    items = (OrganisationViewSet, DepartmentViewSet)
