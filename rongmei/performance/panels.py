"""The dashboard's 双监控 panel: this year's budget execution by month
against the expected curve, and every warning, for those who may read
the budget."""

from __future__ import annotations

from django.utils import timezone

from rongmei.core.panels import DashboardPanel
from rongmei.performance.actions import VIEW

__all__ = ["VIEW", "MonitoringPanel"]


class MonitoringPanel(DashboardPanel):
    order = 60
    template_name = "performance/panel.html"

    def get_context_data(self, parent_context):
        from rongmei.performance import monitoring
        from rongmei.performance.models import FiscalYear

        today = timezone.localdate()
        fiscal = FiscalYear.objects.filter(year__lte=today.year).order_by("-year").first()
        if fiscal is None:
            return {"m": None}
        result = monitoring.monitor(fiscal.year, today.month if fiscal.year == today.year else 12)
        return {"m": result, "chart": result.chart()}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if context["m"] is None:
            return ""
        return super().render_html(parent_context)
