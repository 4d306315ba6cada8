"""Pages are rendered once and then served from the cache, until any page
is published, unpublished or moved; Wagtail's before_serve_page hooks (the
visit counts) still run on every request."""

import pytest
from wagtail import hooks

from rongmei.website import cache

pytestmark = pytest.mark.django_db


def test_a_page_is_rendered_once_then_served_from_the_cache(client, article):
    first, second = client.get(article.url), client.get(article.url)
    assert (first["X-Rongmei-Cache"], second["X-Rongmei-Cache"]) == ("miss", "hit")
    assert first.content == second.content and second["Content-Type"] == "text/html; charset=utf-8"
    assert second["Content-Language"] == "zh-Hans"


def test_a_newly_published_article_is_on_the_home_page_at_once(client, make_article):
    client.get("/")
    assert client.get("/")["X-Rongmei-Cache"] == "hit"
    make_article(title="刚刚发布的稿件")
    response = client.get("/")
    assert response["X-Rongmei-Cache"] == "miss" and "刚刚发布的稿件" in response.content.decode()
    assert "刚刚发布的稿件" in client.get("/news/").content.decode()


def test_an_unpublished_article_leaves_the_home_page_at_once(client, make_article):
    article = make_article(title="即将撤下的稿件")
    assert article.title in client.get("/").content.decode()
    article.unpublish()
    assert article.title not in client.get("/").content.decode()


def test_a_correction_shows_at_once_and_a_draft_does_not(client, article):
    client.get(article.url)
    article.title = "草稿中的标题"
    article.save_revision()
    assert "草稿中的标题" not in client.get(article.url).content.decode()
    article.title = "更正后的标题"
    article.save_revision().publish()
    assert "<h1>更正后的标题</h1>" in client.get(article.url).content.decode()


def test_before_serve_page_hooks_run_for_cached_pages(client, article):
    served = []

    def count(page, request, args, kwargs):
        served.append(page.pk)

    with hooks.register_temporarily("before_serve_page", count):
        responses = [client.get(article.url) for _ in range(3)]
    assert served == [article.pk] * 3
    assert [r["X-Rongmei-Cache"] for r in responses] == ["miss", "hit", "hit"]


def test_the_site_version_changes_again_when_the_publishing_transaction_commits(
    make_article, django_capture_on_commit_callbacks
):
    """A page rendered by another process between the signal and the commit
    (from the data before it) is not used afterwards."""
    before = cache.site_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_article()
        during = cache.site_version()
    assert during != before and callbacks
    assert cache.site_version() != during
