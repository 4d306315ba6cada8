# ruff: noqa: F401, F811 - fixtures imported by name
"""Fixtures of the analytics tests: the website's home pages and columns
(made by the website's migrations), articles published in a column at a
given time, a person's browser, and users holding given permissions."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from rongmei.versions.tests._fixtures import newsroom, photo, video
from rongmei.website.models import ArticleImage, ArticlePage, ColumnPage, WebsiteHomePage

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def home(db):
    return WebsiteHomePage.objects.get(language="zh-hans")


@pytest.fixture
def english_home(db):
    return WebsiteHomePage.objects.get(language="en")


def column(home, kind) -> ColumnPage:
    """The home page's (first) column of ``kind``."""
    return ColumnPage.objects.child_of(home).filter(kind=kind).order_by("path").first()


def days_before(today: dt.date, days: int) -> dt.datetime:
    """Noon, local time, ``days`` days before ``today``."""
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(12)))


@pytest.fixture
def make_article(home):
    """Publish an article in a column (the Chinese news column by default);
    ``published`` sets its first publication time."""

    def make(parent=None, *, title="西城区新增十家社区养老服务驿站", images=(), video=None, published=None, **fields):
        page = ArticlePage(
            title=title,
            slug=fields.pop("slug", f"article-{ArticlePage.objects.count() + 1}"),
            summary=fields.pop("summary", "十家驿站年内投入使用。"),
            body=fields.pop("body", "<p>记者从区民政局获悉，今年西城区新增十家社区养老服务驿站。</p>"),
            video=video,
            **fields,
        )
        page.images = [ArticleImage(asset=asset, caption=caption) for asset, caption in images]
        (parent or column(home, "news")).add_child(instance=page)
        page.save_revision().publish()
        if published is not None:
            ArticlePage.objects.filter(pk=page.pk).update(first_published_at=published)
        return ArticlePage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def visitor(client):
    """A person's browser."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


@pytest.fixture
def user_with(make_user):
    """A user whose only group holds the given permissions."""

    def make(username, *perms):
        group = Group.objects.create(name=f"{username}-group")
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        user = make_user(username)
        user.groups.add(group)
        return user

    return make
