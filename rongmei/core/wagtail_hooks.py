from wagtail import hooks

from rongmei.core.panels import CenterOverviewPanel, RecentAuditPanel
from rongmei.core.views.admin import AuditEntryViewSet, OrganisationGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [AuditEntryViewSet("audit_log", url_prefix="audit-log"), OrganisationGroup()]


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(CenterOverviewPanel(request))
    if request.user.has_perm("core.view_auditentry"):
        panels.append(RecentAuditPanel(request))
