"""The website's pages open in Wagtail's page editor."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_article_and_a_home_page_open_in_the_page_editor(client, superuser, home, article):
    client.force_login(superuser)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/website/articlepage/{home.pk}/").status_code == 200
