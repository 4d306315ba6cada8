"""Dashboard panels of the core app. Later apps add their own through the
``construct_homepage_panels`` hook."""

from django.contrib.auth.models import Group
from django.db.models import Count
from wagtail.admin.ui.components import Component

from rongmei.core.models import AuditEntry, Organisation
from rongmei.core.tasks import HEARTBEAT_STALE_AFTER, seconds_since_heartbeat


class DashboardPanel(Component):
    """A panel of the admin's home page, built for the request's user."""

    def __init__(self, request):
        self.request = request


class CenterOverviewPanel(DashboardPanel):
    """The center, its departments and who holds each role."""

    order = 50
    template_name = "rongmei/panels/center_overview.html"

    def get_context_data(self, parent_context):
        organisation = Organisation.objects.prefetch_related("departments").order_by("pk").first()
        roles = Group.objects.annotate(members=Count("user", distinct=True)).order_by("pk")
        since = seconds_since_heartbeat()
        return {
            "organisation": organisation,
            "departments": list(organisation.departments.all()) if organisation else [],
            "roles": roles,
            "worker_seconds": None if since is None else int(since),
            "worker_alive": since is not None and since < HEARTBEAT_STALE_AFTER,
        }


class RecentAuditPanel(DashboardPanel):
    """The latest changes, for those who may read the audit log."""

    order = 900
    template_name = "rongmei/panels/recent_audit.html"

    def get_context_data(self, parent_context):
        return {"entries": AuditEntry.objects.select_related("content_type")[:8]}
