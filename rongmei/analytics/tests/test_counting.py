"""A person opening an article is counted once per view, per page and
day; crawlers, previews and anything but GET are not."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.analytics import visits
from rongmei.analytics.models import PageView
from rongmei.analytics.visits import count_view, views_for

pytestmark = pytest.mark.django_db


def views_today(page) -> int:
    return views_for(page, timezone.localdate())


def test_two_views_on_one_day_count_two(visitor, make_article):
    article = make_article()
    assert visitor.get(article.url).status_code == 200
    assert visitor.get(article.url).status_code == 200
    row = PageView.objects.get(page=article)
    assert (row.day, row.views, row.language) == (timezone.localdate(), 2, "zh-hans")


def test_the_next_day_is_counted_on_its_own_row(make_article):
    article = make_article()
    monday = dt.date(2025, 3, 3)
    count_view(article, monday)
    count_view(article, monday)
    count_view(article, monday + dt.timedelta(days=1))
    assert dict(PageView.objects.filter(page=article).values_list("day", "views")) == {
        monday: 2,
        monday + dt.timedelta(days=1): 1,
    }
    assert views_for(article, monday, until=monday) == 2
    assert views_for(article, monday, until=monday + dt.timedelta(days=1)) == 3


def test_home_pages_are_counted_too(visitor, home, english_home):
    visitor.get(home.url)
    visitor.get(english_home.url)
    assert (views_today(home), views_today(english_home)) == (1, 1)
    assert PageView.objects.get(page=english_home).language == "en"


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Sogou web spider/4.0",
        "Mozilla/5.0 (compatible; YandexBot/3.0)",
        "some-crawler/1.0",
        "",
    ],
)
def test_crawlers_are_not_counted(client, make_article, agent):
    article = make_article()
    assert client.get(article.url, HTTP_USER_AGENT=agent).status_code == 200
    assert not PageView.objects.exists()


def test_a_post_and_a_head_are_not_counted(visitor, make_article):
    article = make_article()
    visitor.post(article.url)
    visitor.head(article.url)
    assert views_today(article) == 0
    visitor.get(article.url)
    assert views_today(article) == 1


def test_a_browser_prefetch_is_not_counted(visitor, make_article):
    article = make_article()
    visitor.get(article.url, HTTP_SEC_PURPOSE="prefetch")
    assert views_today(article) == 0


def test_the_editors_preview_is_not_counted(visitor, superuser, make_article):
    article = make_article()
    visitor.force_login(superuser)
    assert visitor.get(f"/admin/pages/{article.pk}/view_draft/").status_code == 200
    assert views_today(article) == 0


def test_an_unpublished_article_is_not_counted(visitor, make_article):
    article = make_article()
    article.unpublish()
    assert visitor.get(article.url).status_code == 404
    assert not PageView.objects.exists()


def test_views_are_added_up_and_written_once_a_while(visitor, make_article, settings):
    """One write per page and interval, not one per view (see visits.flush)."""
    article = make_article()
    visitor.get(article.url)  # rendered and kept; written at once (interval 0)
    settings.PAGE_VIEW_FLUSH_SECONDS = 3600
    for _ in range(4):
        assert visitor.get(article.url).status_code == 200
    assert views_today(article) == 1
    assert visits.flush() == 4
    assert views_today(article) == 5 and visits.flush() == 0
    settings.PAGE_VIEW_FLUSH_SECONDS = 0
    visitor.get(article.url)
    assert views_today(article) == 6
