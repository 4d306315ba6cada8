"""The dashboard shows today's inspection: every flag with its column or
page and the days left before a veto item, the most urgent first; with no
run today it runs the inspection once and keeps it."""

import re

import pytest
from django.utils import timezone

from rongmei.analytics.models import InspectionRun
from rongmei.analytics.tests.conftest import column, days_before

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rows(html: str) -> list[tuple[str, str, str, str]]:
    """(rule, severity, text, days left) of each row of the panel."""
    found = re.findall(r'<tr data-inspection-rule="(\w+)" data-inspection-severity="(\w+)">(.*?)</tr>', html, re.S)
    return [
        (rule, severity, text(row), text(re.search(r"<td data-inspection-days-left>(.*?)</td>", row, re.S).group(1)))
        for rule, severity, row in found
    ]


def test_the_panel_names_each_column_and_its_days_left(client, superuser, home, make_article):
    news = column(home, "news")
    make_article(news, published=days_before(timezone.localdate(), 12))
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert 'id="website-inspection-section"' in html
    found = rows(html)
    [(stale, days_left)] = [(row, left) for rule, _severity, row, left in found if rule == "column_stale"]
    assert "要闻动态" in stale and f'href="/admin/pages/{news.pk}/edit/"' in html
    assert re.search(r"\b12\b", stale)  # days since the last update
    assert re.fullmatch(r"2 (天|days)", days_left)
    severities = [severity for _rule, severity, _row, _left in found]
    assert severities == sorted(severities, key=["veto", "warning", "soon"].index)  # most urgent first
    assert ("columns_empty", "veto") in {(rule, severity) for rule, severity, _row, _left in found}


def test_the_panel_runs_the_inspection_once_a_day(client, superuser, home):
    client.force_login(superuser)
    client.get("/admin/")
    client.get("/admin/")
    run = InspectionRun.objects.get()
    assert run.day == timezone.localdate()
    assert not [flag for flag in run.flags if flag["rule"] == "slow_page"]


def test_the_panel_needs_the_permission(client, user_with, home):
    client.force_login(user_with("editor", "wagtailadmin.access_admin"))
    assert 'id="website-inspection-section"' not in client.get("/admin/").content.decode()
    assert not InspectionRun.objects.exists()
    client.force_login(user_with("director", "wagtailadmin.access_admin", "analytics.view_inspectionrun"))
    assert 'id="website-inspection-section"' in client.get("/admin/").content.decode()
