"""The analytics app's background work (Huey): the daily inspection of
the website against the national rules (:mod:`rongmei.website.inspection`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

# The inspection runs at 06:00 local time, before the newsroom starts, so
# the dashboard shows the day's flags from the morning. Huey's clock is
# UTC (settings.HUEY is made with utc=True), so the hour is converted.
INSPECTION_HOUR = 6


def _utc_hour(local_hour: int) -> int:
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset() or dt.timedelta()
    return int((local_hour - offset.total_seconds() / 3600) % 24)


@db_periodic_task(crontab(hour=str(_utc_hour(INSPECTION_HOUR)), minute="0"))
def daily_inspection() -> dict:
    from rongmei.analytics import actions
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry

    with audit_context(via=AuditEntry.Via.WORKER):
        run = actions.record_inspection()
    return {"run": run.pk, "flags": len(run.flags)}
