"""A home page not updated for 2 weeks is a veto item: the inspection
counts the days since the latest article of that language's site and
the days left before the limit."""

import pytest

from rongmei.analytics.tests.conftest import TODAY, column, days_before
from rongmei.website.inspection import HOME_STALE, inspect

pytestmark = pytest.mark.django_db


def home_flag(home):
    return next(flag for flag in inspect(TODAY, quick=True) if flag.rule == HOME_STALE and flag.subject == home.title)


def test_a_home_page_whose_latest_article_is_20_days_old_is_a_veto_item(home, make_article):
    make_article(published=days_before(TODAY, 20))
    flag = home_flag(home)
    assert (flag.days, flag.limit, flag.days_left, flag.severity) == (20, 14, -6, "veto")
    assert flag.url == f"/admin/pages/{home.pk}/edit/"
    assert flag.overdue


@pytest.mark.parametrize(("days", "days_left", "severity"), [(12, 2, "warning"), (10, 4, "soon"), (3, 11, "ok")])
def test_the_days_left_before_the_limit_decide_how_urgent_it_is(home, make_article, days, days_left, severity):
    make_article(published=days_before(TODAY, 30))
    make_article(published=days_before(TODAY, days))
    flag = home_flag(home)
    assert (flag.days, flag.days_left, flag.severity) == (days, days_left, severity)


def test_english_articles_do_not_keep_the_chinese_home_page_fresh(home, english_home, make_article):
    make_article(published=days_before(TODAY, 20))
    make_article(column(english_home, "news"), title="District news", published=days_before(TODAY, 1))
    assert home_flag(home).severity == "veto"
    assert (home_flag(english_home).days, home_flag(english_home).severity) == (1, "ok")
