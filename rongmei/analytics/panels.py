"""The dashboard's website-inspection panel: today's flags, most urgent
first, each naming the column or page and the days left before it is a
veto item (单项否决). With no run today (the worker was down at 06:00),
the panel runs a quick inspection itself (the database only: no page
is timed) and keeps it."""

from __future__ import annotations

from django.utils import timezone

from rongmei.core.panels import DashboardPanel

VIEW = "analytics.view_inspectionrun"


class InspectionPanel(DashboardPanel):
    order = 55
    template_name = "analytics/inspection_panel.html"

    def get_context_data(self, parent_context):
        from rongmei.analytics import actions
        from rongmei.website.inspection import OK, SKIPPED, Flag

        today = timezone.localdate()
        run = actions.latest_inspection(today) or actions.record_inspection(today, quick=True)
        flags = sorted((Flag.from_dict(data) for data in run.flags), key=lambda flag: flag.sort_key)
        return {
            "run": run,
            "flags": [flag for flag in flags if flag.severity != OK],
            "within_limits": sum(1 for flag in flags if flag.severity == OK and flag.rule != SKIPPED),
            "skipped": [flag for flag in flags if flag.rule == SKIPPED],
        }
