# ruff: noqa: F401, F811 - fixtures imported by name
"""Fixtures of the website tests: the home pages made by the migration, and
a published article with a photo and a video from the archive."""

import pytest

from rongmei.archive.actions import build_renditions
from rongmei.versions.tests._fixtures import newsroom, photo, video
from rongmei.website.models import ArticleImage, ArticlePage, WebsiteHomePage

CAPTION = "社区养老服务驿站里，老人们在吃午饭。"


@pytest.fixture
def home(db):
    return WebsiteHomePage.objects.get(language="zh-hans")


@pytest.fixture
def english_home(db):
    return WebsiteHomePage.objects.get(language="en")


@pytest.fixture
def make_article(home):
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
        (parent or home).add_child(instance=page)
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
