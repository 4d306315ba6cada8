"""A column without any live article is flagged; 5 blank columns are a
veto item. The interaction column holds messages, not articles."""

import pytest

from rongmei.analytics.tests.conftest import TODAY, column, days_before
from rongmei.website.inspection import COLUMN_EMPTY, COLUMNS_EMPTY, inspect
from rongmei.website.models import ColumnPage

pytestmark = pytest.mark.django_db

ARTICLE_KINDS = ["news", "notice", "policy", "topic", "photo", "video"]


def test_the_new_sites_twelve_blank_columns_are_a_veto_item(home, english_home):
    flags = inspect(TODAY, quick=True)
    empty = [flag for flag in flags if flag.rule == COLUMN_EMPTY]
    assert len(empty) == 12 and {flag.severity for flag in empty} == {"veto"}
    assert "互动交流" not in {flag.subject for flag in empty}
    [summary] = [flag for flag in flags if flag.rule == COLUMNS_EMPTY]
    assert (summary.detail, summary.severity, summary.days_left) == ("12", "veto", 0)


def test_two_blank_columns_are_flagged_without_a_veto(home, english_home, make_article):
    for site in (home, english_home):
        for kind in ARTICLE_KINDS:
            if (site, kind) not in {(home, "topic"), (english_home, "video")}:
                make_article(column(site, kind), published=days_before(TODAY, 1))
    flags = inspect(TODAY, quick=True)
    empty = [flag for flag in flags if flag.rule == COLUMN_EMPTY]
    assert sorted((flag.subject, flag.severity) for flag in empty) == [("Videos", "warning"), ("专题专栏", "warning")]
    assert (
        next(flag for flag in empty if flag.subject == "专题专栏").url
        == f"/admin/pages/{column(home, 'topic').pk}/edit/"
    )
    assert not [flag for flag in flags if flag.rule == COLUMNS_EMPTY]


def test_an_unpublished_article_leaves_its_column_blank(home, make_article):
    make_article(column(home, "topic"), published=days_before(TODAY, 1)).unpublish()
    assert "专题专栏" in {flag.subject for flag in inspect(TODAY, quick=True) if flag.rule == COLUMN_EMPTY}


def test_an_unpublished_column_is_not_inspected(home):
    column(home, "topic").unpublish()
    assert ColumnPage.objects.live().count() == 13
    assert "专题专栏" not in {flag.subject for flag in inspect(TODAY, quick=True) if flag.rule == COLUMN_EMPTY}
