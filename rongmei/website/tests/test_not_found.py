"""A page that does not exist is a 404 in the language of the site its
address belongs to (/en/… English, the rest Chinese), in the site's layout,
as visitors get it with DEBUG off."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False  # Django's handler404, not the debug page


def test_a_missing_chinese_page_is_a_404_in_chinese(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html and "<h1>页面不存在</h1>" in html
    assert '<a href="/">返回首页</a>' in html and 'action="/search/"' in html


def test_a_missing_english_page_is_a_404_in_english(client, english_home):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    assert '<a href="/en/">Back to the home page</a>' in html and "页面不存在" not in html


def test_an_unpublished_article_and_a_page_past_a_listings_end_are_404s_in_their_language(
    client, english_news, make_article
):
    article = make_article(english_news, title="Withdrawn")
    url = article.url
    article.unpublish()
    for address in (url, "/en/news/?page=9"):
        response = client.get(address)
        assert response.status_code == 404 and "<h1>Page not found</h1>" in response.content.decode()


def test_a_missing_page_is_not_cached(client, home, make_article):
    assert client.get("/news/later/").status_code == 404
    make_article(slug="later")
    assert client.get("/news/later/").status_code == 200
