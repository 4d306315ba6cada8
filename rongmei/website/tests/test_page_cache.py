"""Pages are rendered once and then served from the cache, until any page
is published, unpublished or moved. A page kept under its address is
answered without Wagtail's routing: Wagtail's before_serve_page hooks run
when it is rendered, the cached-view hooks (the visit counts) on every
request; a page with a view restriction is never answered so."""

import pytest
from wagtail import hooks
from wagtail.models import PageViewRestriction

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


def test_an_address_seen_before_is_answered_without_routing(client, article, django_assert_num_queries):
    served, viewed = [], []

    def before_serve(page, request, args, kwargs):
        served.append(page.pk)
        cache.note(request, seen=page.pk)

    with (
        hooks.register_temporarily("before_serve_page", before_serve),
        hooks.register_temporarily(cache.CACHED_VIEW_HOOK, lambda request, notes: viewed.append(notes["seen"])),
    ):
        first = client.get(article.url)
        with django_assert_num_queries(0):
            later = [client.get(article.url) for _ in range(2)]
    assert served == [article.pk] and viewed == [article.pk] * 2
    assert [r["X-Rongmei-Cache"] for r in [first, *later]] == ["miss", "hit", "hit"]
    assert later[0].content == first.content and later[0]["Content-Language"] == "zh-Hans"


def test_other_query_parameters_take_the_long_way(client, article):
    served = []
    with hooks.register_temporarily("before_serve_page", lambda page, *args: served.append(page.pk)):
        client.get(article.url)
        client.get(article.url + "?utm_source=weixin")
        client.get(article.url + "?utm_source=weixin")
    assert served == [article.pk] * 3


def test_a_restricted_page_is_always_checked(client, article):
    client.get(article.url)
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get(article.url)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert article.title not in response.content.decode()
    assert client.get(article.url).get("X-Rongmei-Cache") != "hit"


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
