"""The counts as later analytics read them: a page's views over a period,
and the site's views per day, per language if asked."""

import datetime as dt

import pytest

from rongmei.analytics.visits import count_view, daily_totals, views_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 10)


def test_daily_totals_add_up_the_pages_and_fill_days_without_views(home, english_home, make_article):
    article = make_article()
    for page, day, views in [
        (article, DAY, 3),
        (home, DAY, 2),
        (english_home, DAY, 4),
        (article, DAY + dt.timedelta(days=2), 1),
    ]:
        for _ in range(views):
            count_view(page, day)
    until = DAY + dt.timedelta(days=2)
    assert daily_totals(DAY, until=until) == [(DAY, 9), (DAY + dt.timedelta(days=1), 0), (until, 1)]
    assert daily_totals(DAY, "zh-hans", until=until) == [(DAY, 5), (DAY + dt.timedelta(days=1), 0), (until, 1)]
    assert daily_totals(DAY, "en", until=until) == [(DAY, 4), (DAY + dt.timedelta(days=1), 0), (until, 0)]
    assert views_for(article, DAY + dt.timedelta(days=1), until=until) == 1


def test_a_deleted_pages_views_stay_in_the_days_totals(make_article):
    article = make_article()
    count_view(article, DAY)
    article.delete()
    assert daily_totals(DAY, "zh-hans", until=DAY) == [(DAY, 1)]
