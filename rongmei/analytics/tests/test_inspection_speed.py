"""The home pages, the columns and the latest articles are rendered
in-process and timed; a page slower than the warning threshold (3 s) is
flagged, and the inspection's own requests are not counted as views."""

import pytest

from rongmei.analytics.models import PageView
from rongmei.analytics.tests.conftest import TODAY
from rongmei.website import inspection

pytestmark = pytest.mark.django_db


def test_pages_within_the_threshold_are_not_flagged(home, make_article):
    make_article()
    rules = {flag.rule for flag in inspection.inspect(TODAY)}
    assert not rules & {inspection.SLOW_PAGE, inspection.PAGE_ERROR}


def test_every_timed_page_is_flagged_above_a_zero_threshold(monkeypatch, home, english_home, make_article):
    article = make_article(title="计时的文章")
    monkeypatch.setattr(inspection, "SLOW_WARNING_SECONDS", 0.0)
    slow = [flag for flag in inspection.inspect(TODAY) if flag.rule == inspection.SLOW_PAGE]
    subjects = {flag.subject for flag in slow}
    assert {home.title, english_home.title, "要闻动态", "Videos", "计时的文章"} <= subjects
    assert len(slow) == 2 + 14 + 1  # two home pages, their columns and the one article
    flag = next(flag for flag in slow if flag.subject == "计时的文章")
    assert (flag.severity, flag.limit, flag.detail, flag.url) == (
        "warning", 15.0, article.url, f"/admin/pages/{article.pk}/edit/"
    )  # fmt: skip
    assert 0 < flag.seconds < 15
    assert not PageView.objects.exists()
