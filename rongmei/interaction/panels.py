"""The dashboard's inbox panel: overdue items, urgent items waiting, replies
awaiting review, and sources that fail or are unavailable."""

from __future__ import annotations

from django.utils import timezone

from rongmei.core.panels import DashboardPanel
from rongmei.interaction.models import Grade, Item, Reply, SourceState

VIEW = "interaction.view_item"
SHOWN = 8


class InboxPanel(DashboardPanel):
    order = 60
    template_name = "interaction/inbox/panel.html"

    def get_context_data(self, parent_context):
        now = timezone.now()
        overdue = Item.objects.filter(due_at__lt=now).order_by("due_at", "pk")
        urgent = Item.objects.filter(grade=Grade.URGENT, status__in=Item.OPEN)
        return {
            "overdue": list(overdue.select_related("category")[:SHOWN]),
            "overdue_count": overdue.order_by()[:1001].count(),
            "urgent_count": urgent.order_by()[:1001].count(),
            "review_count": Reply.objects.filter(status=Reply.Status.PENDING_REVIEW).count(),
            "failed_sources": list(SourceState.objects.exclude(state=SourceState.State.OK)),
            "now": now,
        }
