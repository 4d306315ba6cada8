"""Counting a view keeps a number per page and day, nothing about the
visitor: no address, cookie, user agent or time of day."""

import pytest

from rongmei.analytics.models import PageView

pytestmark = pytest.mark.django_db


def test_a_page_view_row_has_no_field_for_the_visitor():
    names = {field.name for field in PageView._meta.get_fields()}
    assert names == {"id", "page", "day", "language", "views"}


def test_a_view_sets_no_cookie_and_stores_only_the_count(visitor, make_article):
    article = make_article()
    response = visitor.get(article.url, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert not response.cookies
    stored = " ".join(str(value) for value in PageView.objects.values_list().get())
    assert "203.0.113.7" not in stored and "198.51.100.9" not in stored and "Mozilla" not in stored
