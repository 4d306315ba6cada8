"""Live articles are checked for links to pages, paths and files of our
own site that do not exist or are not live, and for pictures whose
files are missing; links to other sites are not followed."""

import pytest

from rongmei.analytics.tests.conftest import TODAY, column
from rongmei.archive.actions import build_renditions
from rongmei.website.inspection import BROKEN_LINK, MISSING_IMAGE, inspect

pytestmark = pytest.mark.django_db


def problems(quick=True):
    flags = inspect(TODAY, quick=quick)
    return sorted((flag.rule, flag.subject, flag.detail) for flag in flags if flag.rule in {BROKEN_LINK, MISSING_IMAGE})


def test_links_to_missing_or_unpublished_pages_of_our_site_are_broken(home, make_article):
    target = make_article(title="目标文章")
    withdrawn = make_article(title="已撤下的文章")
    withdrawn.unpublish()
    body = (
        f'<p><a linktype="page" id="{target.pk}">好</a> <a linktype="page" id="{withdrawn.pk}">撤下</a> '
        f'<a href="{target.url}">好</a> <a href="{target.url.rstrip("/")}">好</a> <a href="/news/">栏目</a> '
        '<a href="/no-such-page/">无</a> <a href="http://127.0.0.1:8000/gone/">无</a> '
        '<a href="https://example.org/elsewhere/">外站</a> <a href="mailto:office@example.org">信</a> '
        '<a href="#top">锚</a></p>'
    )
    source = make_article(title="含链接的文章", body=body)
    assert problems() == [
        (BROKEN_LINK, "含链接的文章", "/no-such-page/"),
        (BROKEN_LINK, "含链接的文章", "http://127.0.0.1:8000/gone/"),
        (BROKEN_LINK, "含链接的文章", f"page:{withdrawn.pk}"),
    ]
    flag = next(flag for flag in inspect(TODAY, quick=True) if flag.rule == BROKEN_LINK)
    assert (flag.url, flag.severity) == (f"/admin/pages/{source.pk}/edit/", "warning")


def test_an_unpublished_article_is_not_checked(make_article):
    make_article(title="草稿", body='<p><a href="/no-such-page/">无</a></p>').unpublish()
    assert problems() == []


def test_an_editor_image_that_no_longer_exists_is_missing(make_article):
    make_article(title="配图文章", body='<p>图</p><embed embedtype="image" id="424242" format="fullwidth" alt=""/>')
    assert problems() == [(MISSING_IMAGE, "配图文章", "image:424242")]


def test_a_picture_without_its_public_file_is_missing(home, make_article, photo):
    make_article(column(home, "photo"), title="图片新闻一则", images=[(photo, "驿站午餐")])
    assert problems() == [(MISSING_IMAGE, "图片新闻一则", "驿站午餐")]  # renditions not made yet
    build_renditions(photo)
    assert problems() == []
    web = photo.rendition("web")
    web.file.storage.delete(web.file.name)  # the file lost from the storage
    assert problems() == []  # a quick inspection reads the database only
    assert problems(quick=False) == [(MISSING_IMAGE, "图片新闻一则", "驿站午餐")]


def test_a_link_to_a_public_picture_needs_a_live_page_showing_it(make_article, photo):
    build_renditions(photo)
    make_article(title="图片链接", body=f'<p><a href="/site-media/{photo.pk}/web">原图</a></p>')
    assert problems() == [(BROKEN_LINK, "图片链接", f"/site-media/{photo.pk}/web")]  # no page shows it
    make_article(title="配图", images=[(photo, "驿站")])
    assert problems() == []
