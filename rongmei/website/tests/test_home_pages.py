"""The website's home pages: Chinese at the root of the site, English
below it, each listing its own live articles in semantic HTML."""

import pytest
from wagtail.models import Page, Site

from rongmei.website.models import WebsiteHomePage

pytestmark = pytest.mark.django_db


def test_the_chinese_home_page_replaces_wagtails_welcome_page_at_the_root_of_the_site(home):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == home
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert WebsiteHomePage.objects.get(language="en").get_parent().specific == home


def test_the_root_address_shows_the_chinese_home_page(client, home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    for tag in ("<header", "<nav", "<main", "<footer", "<h1>首页</h1>"):
        assert tag in html
    assert "暂无内容" in html
    assert 'href="/en/"' in html and ">English<" in html


def test_the_english_home_page_is_in_english(client, english_home):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and "Nothing published yet." in html
    assert ">中文<" in html


def test_a_home_page_lists_its_live_articles_newest_first(client, home, english_news, make_article):
    older = make_article(title="较早的稿件")
    newer = make_article(title="较新的稿件")
    english = make_article(english_news, title="An English story")
    draft = make_article(title="已撤下的稿件")
    draft.unpublish()
    html = client.get("/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert english.title not in html and draft.title not in html
    assert "<article>" in html and "<time datetime=" in html
    assert english.title in client.get("/en/").content.decode()
