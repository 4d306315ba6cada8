"""An article's old address leads to where it is now: the addresses of
articles published before columns existed (/story-12/), and of articles an
editor moved to another column."""

import pytest

from rongmei.website.tests.conftest import column_of

pytestmark = pytest.mark.django_db


def test_an_address_without_the_column_redirects_to_the_article(client, make_article):
    make_article(slug="story-12")
    response = client.get("/story-12/")
    assert response.status_code == 301 and response["Location"] == "/news/story-12/"


def test_an_article_moved_to_another_column_is_found_at_its_old_address(client, home, make_article):
    article = make_article(slug="story-7")
    article.move(column_of(home, "notice"), pos="last-child")
    response = client.get("/news/story-7/")
    assert response.status_code == 301 and response["Location"] == "/notices/story-7/"
    assert client.get("/notices/story-7/").status_code == 200


def test_only_a_live_article_of_the_same_language_is_redirected_to(client, english_news, make_article):
    make_article(english_news, slug="story-9")
    assert client.get("/story-9/").status_code == 404  # English, not under the Chinese home page
    assert client.get("/en/story-9/").status_code == 301
    make_article(slug="story-10").unpublish()
    assert client.get("/story-10/").status_code == 404
