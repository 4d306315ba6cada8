"""Each column has an RSS 2.0 feed of its latest live articles, which its
page and the home page announce with <link rel="alternate">."""

import xml.etree.ElementTree as ET

import pytest

from rongmei.website.tests.conftest import column_of

pytestmark = pytest.mark.django_db


def test_a_columns_feed_is_valid_rss_with_its_latest_articles(client, home, news, make_article):
    first = make_article(title="第一篇", summary="第一篇的摘要")
    second = make_article(title="第二篇 <b>&</b>")
    make_article(column_of(home, "notice"), title="另一栏目的稿件")
    make_article(title="已撤下的稿件").unpublish()
    response = client.get("/news/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)  # noqa: S314 - our own output; well-formed, or this raises
    channel = rss.find("channel")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    assert channel.findtext("title") == "要闻动态 - 政府网站" and channel.findtext("language") == "zh-cn"
    assert channel.findtext("link") == "http://testserver/news/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [second.title, first.title]
    assert items[1].findtext("link") == f"http://testserver{first.url}"
    assert items[1].findtext("description") == "第一篇的摘要"
    assert all(item.findtext("pubDate") for item in items)


def test_an_english_columns_feed_is_in_english(client, english_news, make_article):
    make_article(english_news, title="Council meets")
    channel = ET.fromstring(client.get("/en/news/feed/").content).find("channel")  # noqa: S314
    assert channel.findtext("language") == "en" and channel.findtext("title") == "News - Government Website"
    assert [item.findtext("title") for item in channel.findall("item")] == ["Council meets"]


def test_the_home_page_and_a_column_announce_their_feeds(client, home, news):
    alternate = '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">'
    assert alternate.format("要闻动态", "/news/feed/") in client.get("/news/").content.decode()
    html = client.get("/").content.decode()
    for column in home.home_columns():
        assert alternate.format(column.title, f"{column.url}feed/") in html
