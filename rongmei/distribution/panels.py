"""The dashboard's publish-queue alert, for those who may see deliveries."""

from django.urls import reverse

from rongmei.core.panels import DashboardPanel
from rongmei.distribution import health

# How each state looks on the board (Wagtail's status tag classes).
STATE_CLASSES = {
    "pending": "w-status--label",
    "in_progress": "w-status--primary",
    "retrying": "w-status--label",
    "delivered": "w-status--primary",
    "failed": "w-status--error",
    "canceled": "w-status--label",
    "needs_manual_check": "w-status--warning",
}


class DeliveryAlertPanel(DashboardPanel):
    order = 60
    template_name = "distribution/panel.html"

    def get_context_data(self, parent_context):
        board = reverse("distribution:board")
        return {
            **health.alerts(),
            "failed_url": f"{board}?state=failed",
            "manual_url": f"{board}?state=needs_manual_check",
        }
