"""The website's pages open in Wagtail's page editor, for whom they should."""

import pytest

from rongmei.core import roles

pytestmark = pytest.mark.django_db


def test_an_article_a_column_and_a_home_page_open_in_the_page_editor(client, superuser, home, news, article):
    client.force_login(superuser)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/website/articlepage/{news.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{news.pk}/edit/").status_code == 200


def test_the_administrator_edits_columns_but_not_articles(client, make_user, home, news, article):
    """管理员 keeps the columns (an editable list, issue 7); articles change only through review."""
    administrator = make_user("siteadmin", roles.ADMINISTRATOR)
    client.force_login(administrator)
    assert client.get(f"/admin/pages/{news.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/website/columnpage/{home.pk}/").status_code == 200
    permissions = news.permissions_for_user(administrator)
    assert permissions.can_publish() and permissions.can_add_subpage() and not permissions.can_delete()
    for address in (f"/admin/pages/{article.pk}/edit/", f"/admin/pages/add/website/articlepage/{news.pk}/"):
        response = client.get(address, follow=True)
        assert response.redirect_chain and "重新经过三审" in response.content.decode()


@pytest.mark.parametrize("role", [roles.REPORTER, roles.EDITOR, roles.REVIEW_3, roles.OPERATOR])
def test_other_roles_do_not_edit_the_website_pages(client, make_user, news, role):
    user = make_user("someone", role)
    client.force_login(user)
    assert not news.permissions_for_user(user).can_edit()
    assert client.get(f"/admin/pages/{news.pk}/edit/").status_code != 200
