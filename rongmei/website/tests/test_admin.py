"""The website's pages open in Wagtail's page editor."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_article_a_column_and_a_home_page_open_in_the_page_editor(client, superuser, home, news, article):
    client.force_login(superuser)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/website/articlepage/{news.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{news.pk}/edit/").status_code == 200
