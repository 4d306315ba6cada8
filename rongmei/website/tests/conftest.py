# ruff: noqa: F401, F811 - fixtures imported by name
"""Fixtures of the website tests: the home pages and columns made by the
migrations, and a published article with a photo and a video from the
archive. Each test starts with an empty page cache."""

import pytest
from django.core.cache import cache

from rongmei.archive.actions import build_renditions
from rongmei.versions.tests._fixtures import newsroom, photo, story, video
from rongmei.website.models import ArticleImage, ArticlePage, ColumnPage, WebsiteHomePage

CAPTION = "社区养老服务驿站里，老人们在吃午饭。"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered pages of an earlier test (whose data was rolled back) are not this test's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return WebsiteHomePage.objects.get(language="zh-hans")


@pytest.fixture
def english_home(db):
    return WebsiteHomePage.objects.get(language="en")


def column_of(home, kind):
    return ColumnPage.objects.child_of(home).get(kind=kind)


@pytest.fixture
def news(home):
    return column_of(home, "news")


@pytest.fixture
def english_news(english_home):
    return column_of(english_home, "news")


@pytest.fixture
def make_article(news):
    """``make_article(column=None, title=…, images=[(asset, caption)], video=…, **fields)``:
    a live article in ``column`` (the Chinese news column by default)."""

    def make(parent=None, *, title="西城区新增十家社区养老服务驿站", images=(), video=None, **fields):
        page = ArticlePage(
            title=title,
            slug=fields.pop("slug", f"article-{ArticlePage.objects.count() + 1}"),
            summary=fields.pop("summary", "十家驿站年内投入使用。"),
            body=fields.pop("body", "<p>记者从区民政局获悉，今年西城区新增十家社区养老服务驿站。</p>"),
            video=video,
            **fields,
        )
        page.images = [ArticleImage(asset=asset, caption=caption) for asset, caption in images]
        (parent or news).add_child(instance=page)
        page.save_revision().publish()
        return ArticlePage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def ready(photo, video):
    """The photo's and the video's renditions, as the worker makes them."""
    return build_renditions(photo), build_renditions(video)


@pytest.fixture
def article(make_article, ready, photo, video):
    return make_article(images=[(photo, CAPTION)], video=video)
