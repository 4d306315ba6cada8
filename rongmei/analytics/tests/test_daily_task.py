"""The worker inspects the website every morning at 06:00 Beijing time
and keeps the run, audited."""

import datetime as dt

import pytest

from rongmei.analytics.models import InspectionRun
from rongmei.analytics.tasks import daily_inspection
from rongmei.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_daily_task_stores_a_run_with_its_flags(home):
    daily_inspection()  # through the queue (immediate in tests)
    run = InspectionRun.objects.get()
    assert {flag["rule"] for flag in run.flags} >= {"home_stale", "column_empty", "columns_empty"}
    entry = AuditEntry.objects.get(action="analytics.inspection.run")
    # The new site: 2 home pages without articles, 12 blank columns and the blank-columns veto.
    assert (entry.object_id, entry.via, entry.data["veto"]) == (str(run.pk), AuditEntry.Via.WORKER, 15)


def test_it_runs_at_six_in_the_morning_beijing_time():
    # Huey's clock is UTC: 06:00 in Beijing is 22:00 UTC the day before.
    task = daily_inspection.s()
    assert task.validate_datetime(dt.datetime(2025, 6, 29, 22, 0))
    assert not task.validate_datetime(dt.datetime(2025, 6, 30, 6, 0))
