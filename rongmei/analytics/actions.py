"""State changes of the analytics app, each audited.

Page views are not here: counting a view is not an action of anyone (it
is :func:`rongmei.analytics.visits.count_view`, never audited, so the
audit log does not grow with every visitor)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone

from rongmei.analytics.models import InspectionRun
from rongmei.core import audit


def record_inspection(today: dt.date | None = None, *, quick: bool = False) -> InspectionRun:
    """Inspect the website (:func:`rongmei.website.inspection.inspect`) and
    keep what it flagged (``quick``: see there)."""
    from rongmei.website import inspection

    today = today or timezone.localdate()
    started = time.monotonic()
    flags = inspection.inspect(today=today, quick=quick)
    seconds = round(time.monotonic() - started, 3)
    counts = {severity: sum(1 for flag in flags if flag.severity == severity) for severity in inspection.SEVERITIES}
    with transaction.atomic():
        run = InspectionRun.objects.create(day=today, flags=[flag.as_dict() for flag in flags], seconds=seconds)
        audit.record("analytics.inspection.run", run, data={"day": today, "seconds": seconds, "quick": quick, **counts})
    return run


def latest_inspection(today: dt.date | None = None) -> InspectionRun | None:
    """Today's latest run, or None."""
    return InspectionRun.objects.filter(day=today or timezone.localdate()).order_by("-ran_at", "-pk").first()
