"""Events (活动: 重大活动, 重要会议, 主要领导活动): the list, Wagtail's add,
edit and delete forms (audited by mirroring Wagtail's log), and a page per
event listing everything captured there, with counts by type and by
photographer."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.archive.browse import event_counts
from rongmei.archive.models import Event, Kind, Security
from rongmei.archive.views.browse import PER_PAGE, _cards
from rongmei.archive.views.common import visible_assets


def bars(rows, labels=None, link=None) -> list[dict]:
    """Counts as rows of a bar chart: label, count, width in percent of the largest."""
    rows = [(value, count) for value, count in rows if count]
    top = max((count for _value, count in rows), default=0)
    return [
        {
            "label": (labels or {}).get(value, value) or "—",
            "count": count,
            "percent": round(100 * count / top, 1) if top else 0,
            "url": link(value) if link else "",
        }
        for value, count in rows
    ]


class EventPageView(InspectView):
    """The event's page: its details, its assets as a grid, and the counts."""

    template_name = "archive/event.html"

    def get_page_title(self):
        return str(self.object)

    def get_page_subtitle(self):
        return self.object.get_kind_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        assets = visible_assets(self.request.user).filter(event=event)
        by_kind, by_photographer = event_counts(assets)
        browse = reverse("archive:browse")
        page = Paginator(
            assets.order_by("date", "taken_at", "uploaded_at", "id").prefetch_related("renditions"), PER_PAGE
        ).get_page(self.request.GET.get("p"))
        context.update(
            event=event,
            total=assets.count(),
            by_kind=bars(by_kind, dict(Kind.choices), lambda kind: f"{browse}?event={event.pk}&kind={kind}"),
            by_photographer=bars(
                [(name or _("(not recorded)"), n) for name, n in by_photographer],
                link=None,
            ),
            page=page,
            cards=_cards(page.object_list),
            browse_url=f"{browse}?event={event.pk}",
        )
        return context


class EventIndexView(IndexView):
    """The list of events, each with the number of its assets the user may see."""

    def get_base_queryset(self):
        counted = Q()
        if not self.request.user.has_perm("archive.view_restricted_asset"):
            counted = ~Q(assets__security=Security.RESTRICTED)
        return super().get_base_queryset().annotate(asset_count=Count("assets", filter=counted))


class EventViewSet(ModelViewSet):
    model = Event
    icon = "date"
    menu_label = gettext_lazy("Events")
    menu_name = "archive_events"
    menu_order = 300
    menu_hook = "register_archive_menu_item"
    form_fields = ["name", "kind", "starts_on", "ends_on", "location", "description"]
    list_display = [
        TitleColumn(
            "name",
            label=gettext_lazy("Name"),
            sort_key="name",
            get_url=lambda event: reverse("archive_events:inspect", args=[event.pk]),
        ),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        DateColumn("starts_on", label=gettext_lazy("Date"), sort_key="starts_on"),
        Column("location", label=gettext_lazy("Location")),
        Column("asset_count", label=gettext_lazy("Assets"), sort_key="asset_count"),
    ]
    list_filter = ["kind"]
    search_fields = ["name", "location", "description"]
    search_backend_name = None
    ordering = ["-starts_on", "name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = EventPageView
    index_view_class = EventIndexView


event_viewset = EventViewSet("archive_events", url_prefix="archive/events")
