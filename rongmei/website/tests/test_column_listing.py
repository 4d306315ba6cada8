"""A column lists its live articles newest first, twenty a page; a page
number that is not one shows the first page, one past the end is a 404."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.website.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def twenty_one(news):
    """21 live articles in the news column, "稿件01" the oldest."""
    start = timezone.now() - dt.timedelta(days=30)
    for number in range(1, 22):
        page = ArticlePage(title=f"稿件{number:02}", slug=f"a{number}", live=True)
        page.first_published_at = start + dt.timedelta(hours=number)
        news.add_child(instance=page)
    return news


def titles(html):
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in html.split("<h2><a ")[1:]]


def test_a_column_lists_twenty_articles_a_page_newest_first(client, twenty_one):
    first = client.get("/news/").content.decode()
    assert titles(first) == [f"稿件{n:02}" for n in range(21, 1, -1)]
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    assert "第 1 页，共 2 页" in first
    second = client.get("/news/?page=2").content.decode()
    assert titles(second) == ["稿件01"]
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "", "%00", "99999999999"])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, twenty_one, value):
    response = client.get(f"/news/?page={value}")
    assert response.status_code == 200
    assert titles(response.content.decode())[0] == "稿件21"


@pytest.mark.parametrize("value", ["0", "3", "999999"])
def test_a_page_past_the_end_is_not_found(client, twenty_one, value):
    assert client.get(f"/news/?page={value}").status_code == 404


def test_a_column_lists_only_its_own_live_articles(client, home, news, make_article):
    from rongmei.website.tests.conftest import column_of

    mine = make_article(title="本栏目的稿件")
    make_article(column_of(home, "notice"), title="另一栏目的稿件")
    make_article(title="已撤下的稿件").unpublish()
    html = client.get(news.url).content.decode()
    assert titles(html) == [mine.title]
    assert "<h1>要闻动态</h1>" in html
