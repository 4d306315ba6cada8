"""The admin of 绩效管理: one menu with the budget, the spending, the
indicators, the output ledger, the problems and the report's text blocks
(record lists whose changes go through :mod:`rongmei.performance.actions`),
and the pages of :mod:`rongmei.performance.views`. Each item is shown to
those who hold its permission; the views check it again."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.core.menu import PermissionMenuItem
from rongmei.performance import actions, metrics, panels, views
from rongmei.performance.models import (
    Award,
    BudgetLine,
    ChannelStat,
    Expenditure,
    FiscalYear,
    Indicator,
    IndicatorTemplate,
    Placement,
    Problem,
    Publication,
    TextBlock,
)

urlpatterns = [
    path("", views.overview, name="overview"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/monitoring/", views.monitoring_view, name="monitoring"),
    path("years/<int:year>/report/", views.report_view, name="report"),
    path("years/<int:year>/report.<str:fmt>", views.report_download, name="report_download"),
    path("import/<str:kind>/", views.import_upload, name="import"),
    path("import/map/<str:token>/", views.import_map, name="import_map"),
]


class _ActionMixin:
    """Saves through actions.save, which checks, validates and audits."""

    def save_instance(self):
        try:
            return actions.save(self.request.user, self.form.instance)
        except actions.PerformanceRefused as refused:
            raise ValidationError(refused.message) from None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = " ".join(error.messages)
            return self.form_invalid(form)


class CreateView(_ActionMixin, generic.CreateView):
    pass


class EditView(_ActionMixin, generic.EditView):
    pass


class DeleteView(generic.DeleteView):
    def delete_action(self):
        actions.delete(self.request.user, self.object)


class PerformanceViewSet(ModelViewSet):
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    list_per_page = 50


class IndicatorForm(WagtailAdminModelForm):
    """The metric as a choice among the registry's keys."""

    metric = forms.ChoiceField(label=_("metric"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metrics.choices()]


def _viewset(model_, fields, display, filters=(), label=None, icon="doc-full", search=(), form=None):
    extra = {"edit_handler": ObjectList([FieldPanel(name) for name in fields], base_form_class=form)} if form else {}
    return type(
        f"{model_.__name__}ViewSet",
        (PerformanceViewSet,),
        {
            **extra,
            "model": model_,
            "name": f"performance_{model_._meta.model_name}",
            "form_fields": fields,
            "list_display": display,
            "list_filter": list(filters),
            "search_fields": list(search) or None,
            "search_backend_name": None,
            "menu_label": label or model_._meta.verbose_name_plural,
            "icon": icon,
        },
    )()


VIEWSETS = [
    _viewset(
        FiscalYear,
        ["year", "unit_name", "fixed_assets_total", "fixed_assets_inventory_date", "difference_denominator",
         "thresholds", "gap_threshold"],
        ["year", "unit_name", "fixed_assets_total", "fixed_assets_inventory_date"],
        icon="date",
    ),
    _viewset(
        BudgetLine,
        ["year", "kind", "name", "code", "initial", "adjustment", "carry_over", "final_amount", "order"],
        ["name", "year", "kind", "initial", "adjustment", "carry_over", "final_amount"],
        ["year", "kind"],
        icon="list-ul",
    ),
    _viewset(
        Expenditure,
        ["line", "month", "amount", "voucher", "note"],
        ["line", "month", "amount", "voucher", "source"],
        ["line__year", "month", "source"],
        icon="list-ol",
    ),
    _viewset(
        Indicator,
        ["year", "template", "parent", "level", "name", "order", "weight", "target", "unit", "direction", "tolerance",
         "rule", "bands", "source", "metric", "manual_value", "grade", "grade_share", "reason", "adjustment",
         "adjustment_reason"],
        ["name", "level", "year", "template", "weight", "target", "unit", "direction", "rule", "metric"],
        ["year", "template", "level", "rule"],
        icon="tasks",
        form=IndicatorForm,
    ),
    _viewset(IndicatorTemplate, ["name", "description", "is_default"], ["name", "is_default"], icon="copy"),
    _viewset(
        ChannelStat,
        ["platform", "account", "language", "year", "month", "posts", "reads", "followers", "follower_growth",
         "live_streams", "live_views"],
        ["platform", "account", "year", "month", "posts", "reads", "followers", "follower_growth"],
        ["platform", "year", "month"],
        icon="table",
    ),
    _viewset(
        Placement,
        ["outlet", "level", "programme", "date", "title", "link", "quantity"],
        ["title", "outlet", "level", "programme", "date", "quantity"],
        ["level", "programme"],
        icon="link",
        search=["title", "outlet"],
    ),
    _viewset(Award, ["name", "prize", "work", "date"], ["work", "name", "prize", "date"], icon="pick"),
    _viewset(
        Publication,
        ["kind", "title", "date", "issues", "pages", "articles", "images"],
        ["title", "kind", "date", "issues", "pages", "articles", "images"],
        ["kind"],
        icon="doc-empty",
    ),
    _viewset(
        Problem,
        ["year", "problem", "cause", "measures", "owner", "due_date", "verification", "optimisation", "status"],
        ["problem", "year", "owner", "due_date", "status"],
        ["year", "status"],
        icon="warning",
    ),
    _viewset(TextBlock, ["year", "key", "text"], ["key", "year"], ["year"], icon="edit"),
]  # fmt: skip


@hooks.register("register_admin_urls")
def register_urls():
    return [path("performance/", include((urlpatterns, "performance"), namespace="performance"))]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return VIEWSETS


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        PermissionMenuItem(
            _("Years and measures"), reverse_lazy("performance:overview"), name="performance_overview",
            icon_name="doc-full", order=10, permission=views.VIEW,
        ),
        PermissionMenuItem(
            _("Import expenditures"), reverse_lazy("performance:import", args=["expenditures"]),
            name="performance_import_expenditures", icon_name="upload", order=35,
            permission="performance.add_expenditure",
        ),
        PermissionMenuItem(
            _("Import channel statistics"), reverse_lazy("performance:import", args=["channel_stats"]),
            name="performance_import_channel_stats", icon_name="upload", order=75,
            permission="performance.add_channelstat",
        ),
    ]  # fmt: skip
    for order, viewset in enumerate(VIEWSETS, start=1):
        model = viewset.model
        items.append(
            PermissionMenuItem(
                model._meta.verbose_name_plural,
                reverse_lazy(viewset.get_url_name("index")),
                name=viewset.name,
                icon_name=viewset.icon,
                order=10 + order * 5,
                permission=f"performance.view_{model._meta.model_name}",
            )
        )
    return SubmenuMenuItem(
        _("Performance management"), Menu(items=items), name="performance", icon_name="doc-full", order=330
    )


@hooks.register("construct_homepage_panels")
def add_panels(request, panels_list):
    if request.user.has_perm(panels.VIEW):
        panels_list.append(panels.MonitoringPanel(request))
