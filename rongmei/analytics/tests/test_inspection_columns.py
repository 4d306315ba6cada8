"""News columns (要闻动态, 图片新闻, 视频新闻) must be updated within 2 weeks,
notice and policy columns (通知公告, 政策文件) within 6 months; 5 stale
columns are a veto item. Each flag names the column and the days left."""

import pytest

from rongmei.analytics.tests.conftest import TODAY, column, days_before
from rongmei.website.inspection import COLUMN_STALE, COLUMNS_STALE, inspect

pytestmark = pytest.mark.django_db


def flags_of(rule):
    return [flag for flag in inspect(TODAY, quick=True) if flag.rule == rule]


def test_a_news_column_last_updated_12_days_ago_has_2_days_left(home, make_article):
    news = column(home, "news")
    make_article(news, published=days_before(TODAY, 12))
    [flag] = [flag for flag in flags_of(COLUMN_STALE) if flag.subject == "要闻动态"]
    assert (flag.days, flag.limit, flag.days_left, flag.severity) == (12, 14, 2, "warning")
    assert flag.url == f"/admin/pages/{news.pk}/edit/"
    assert flag.language == "zh-hans"


def test_a_news_column_older_than_2_weeks_is_stale(home, make_article):
    make_article(column(home, "photo"), published=days_before(TODAY, 15))
    [flag] = flags_of(COLUMN_STALE)
    assert (flag.subject, flag.days_left, flag.severity) == ("图片新闻", -1, "warning")


def test_a_notice_column_updated_within_6_months_is_not_flagged(home, make_article):
    make_article(column(home, "notice"), published=days_before(TODAY, 100))
    [flag] = flags_of(COLUMN_STALE)
    assert (flag.subject, flag.days, flag.limit, flag.days_left, flag.severity) == ("通知公告", 100, 183, 83, "ok")


def test_a_policy_column_older_than_6_months_is_stale(home, make_article):
    make_article(column(home, "policy"), published=days_before(TODAY, 200))
    [flag] = flags_of(COLUMN_STALE)
    assert (flag.subject, flag.days_left, flag.severity) == ("政策文件", -17, "warning")


def test_five_stale_columns_are_a_veto_item(home, english_home, make_article):
    for site, kind in [
        (home, "news"),
        (home, "photo"),
        (home, "video"),
        (english_home, "news"),
        (english_home, "photo"),
    ]:
        make_article(column(site, kind), published=days_before(TODAY, 20))
    stale = flags_of(COLUMN_STALE)
    assert len(stale) == 5 and {flag.severity for flag in stale} == {"veto"}
    [summary] = flags_of(COLUMNS_STALE)
    assert (summary.detail, summary.limit, summary.days_left, summary.severity) == ("5", 5, 0, "veto")


def test_the_fifth_column_going_stale_gives_the_days_left(home, english_home, make_article):
    for site, kind in [(home, "news"), (home, "photo"), (home, "video"), (english_home, "news")]:
        make_article(column(site, kind), published=days_before(TODAY, 20))
    make_article(column(english_home, "photo"), published=days_before(TODAY, 11))
    [summary] = flags_of(COLUMNS_STALE)
    assert (summary.detail, summary.days_left, summary.severity) == ("4", 3, "warning")
    assert {flag.severity for flag in flags_of(COLUMN_STALE)} == {"warning"}
