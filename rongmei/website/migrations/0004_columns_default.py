"""Each home page's columns (栏目): 要闻动态, 通知公告, 政策文件, 专题专栏,
图片新闻, 视频新闻 and 互动交流 (News, Notices, Policies, Special Topics,
Photos, Videos, Interaction on the English site), in this order. Articles
that were published straight under a home page move into its news column
(their old addresses redirect there: rongmei.website.models.SitePage.route)."""

import uuid

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 characters a level
STEP = 4

# kind, slug, title in each language (rongmei.website.models.DEFAULT_COLUMNS when this was written).
# 互动交流 is at interact/: /hudong/ and /en/interaction/ are the message form (rongmei.interaction).
COLUMNS = [
    ("news", "news", {"zh-hans": "要闻动态", "en": "News"}),
    ("notice", "notices", {"zh-hans": "通知公告", "en": "Notices"}),
    ("policy", "policies", {"zh-hans": "政策文件", "en": "Policies"}),
    ("topic", "topics", {"zh-hans": "专题专栏", "en": "Special Topics"}),
    ("photo", "photos", {"zh-hans": "图片新闻", "en": "Photos"}),
    ("video", "videos", {"zh-hans": "视频新闻", "en": "Videos"}),
    ("interaction", "interact", {"zh-hans": "互动交流", "en": "Interaction"}),
]


def _children(Page, parent):
    return Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)


def _next_child_path(Page, parent) -> str:
    last = _children(Page, parent).order_by("-path").first()
    if last is None:
        return parent.path + "0001"
    value = 0
    for char in last.path[-STEP:]:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    value += 1
    digits = ""
    for _ in range(STEP):
        value, rest = divmod(value, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return parent.path + digits


def _count_children(Page, parent) -> None:
    Page.objects.filter(pk=parent.pk).update(numchild=_children(Page, parent).count())


def _move(Page, page, parent) -> None:
    """Move a page without children to the end of ``parent``'s children."""
    Page.objects.filter(pk=page.pk).update(
        path=_next_child_path(Page, parent), depth=parent.depth + 1, url_path=f"{parent.url_path}{page.slug}/"
    )


def create_columns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("website", "WebsiteHomePage")
    ColumnPage = apps.get_model("website", "ColumnPage")
    ArticlePage = apps.get_model("website", "ArticlePage")

    column_type, _ = ContentType.objects.get_or_create(app_label="website", model="columnpage")
    now = timezone.now()
    for home in HomePage.objects.order_by("path"):
        if ColumnPage.objects.filter(path__startswith=home.path, depth=home.depth + 1).exists():
            continue
        taken = set(_children(Page, home).values_list("slug", flat=True))
        news = None
        for kind, slug, titles in COLUMNS:
            while slug in taken:
                slug = f"{slug}-1"
            taken.add(slug)
            title = titles.get(home.language, titles["zh-hans"])
            column = ColumnPage.objects.create(
                content_type=column_type,
                path=_next_child_path(Page, home),
                depth=home.depth + 1,
                numchild=0,
                url_path=f"{home.url_path}{slug}/",
                title=title,
                draft_title=title,
                slug=slug,
                locale_id=home.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                show_in_menus=True,
                first_published_at=now,
                last_published_at=now,
                kind=kind,
                language=home.language,
                show_on_home=True,
                home_items=6,
            )
            news = news or (column if kind == "news" else None)
            _count_children(Page, home)
        # Articles published straight under the home page (before columns) go to its news column.
        for article in ArticlePage.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("path"):
            _move(Page, article, news)
        _count_children(Page, news)
        _count_children(Page, home)


def remove_columns(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("website", "WebsiteHomePage")
    ColumnPage = apps.get_model("website", "ColumnPage")
    ArticlePage = apps.get_model("website", "ArticlePage")
    for home in HomePage.objects.order_by("path"):
        columns = list(ColumnPage.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("path"))
        for column in columns:
            for article in ArticlePage.objects.filter(path__startswith=column.path).order_by("path"):
                slug = article.slug
                while _children(Page, home).filter(slug=slug).exists():
                    slug = f"{slug}-1"
                article.slug = slug
                _move(Page, article, home)
                Page.objects.filter(pk=article.pk).update(slug=slug)
        Page.objects.filter(pk__in=[column.pk for column in columns]).delete()
        _count_children(Page, home)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_columns"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_columns, remove_columns)]
