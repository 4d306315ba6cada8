"""The API authenticates with per-user tokens (Wagtail's APIToken)."""

import re

import pytest
from wagtail.models import APIToken

from rongmei.core import roles


@pytest.fixture
def editor(make_user, db):
    from rongmei.core.models import Department, Organisation

    organisation = Organisation.objects.create(name="北京市西城区融媒体中心")
    department = Department.objects.create(organisation=organisation, name="融媒编辑部")
    return make_user("editor", roles.EDITOR, last_name="王", first_name="芳", department=department)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_me_answers_with_a_valid_token(client, editor):
    _, token = APIToken.create_token(user=editor, name="script")
    response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "id": editor.pk,
        "username": "editor",
        "name": "王芳",
        "email": "",
        "department": "融媒编辑部",
        "roles": [roles.EDITOR],
        "is_superuser": False,
    }


def test_missing_token_gets_401(client, editor):
    assert client.get("/api/v1/me").status_code == 401


def test_invalid_token_gets_401(client, editor):
    APIToken.create_token(user=editor, name="script")
    assert client.get("/api/v1/me", **bearer("wagtail_notarealtoken")).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic ZWRpdG9yOnB3").status_code == 401


def test_revoked_token_gets_401(client, editor):
    instance, token = APIToken.create_token(user=editor, name="script")
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    instance.revoke()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_token_of_a_deactivated_user_gets_401(client, editor):
    _, token = APIToken.create_token(user=editor, name="script")
    editor.is_active = False
    editor.save()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_session_cookie_is_not_an_api_credential(client, editor):
    client.force_login(editor)
    assert client.get("/api/v1/me").status_code == 401


def test_only_a_digest_of_the_token_is_stored(editor):
    instance, token = APIToken.create_token(user=editor, name="script")
    instance.refresh_from_db()
    assert token not in (instance.key_hash, instance.prefix)
    assert token.startswith(instance.prefix)


def test_openapi_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/me", "/api/v1/health", "/api/v1/audit"} <= set(paths)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # The docs page works offline: its script comes from our own static files.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content


def test_a_user_creates_and_revokes_a_token_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post("/admin/api-tokens/new/", {"name": "发稿脚本", "user": editor.pk})
    assert response.status_code == 200
    instance = APIToken.objects.get(user=editor, name="发稿脚本")
    # Shown once, in the page that answers the form.
    token = re.search(r'value="(wagtail_\w+)"', response.content.decode()).group(1)
    assert token.startswith(instance.prefix)
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200

    response = client.post(f"/admin/api-tokens/delete/{instance.pk}/")
    assert response.status_code == 302
    instance.refresh_from_db()
    assert instance.revoked_at is not None
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_user_without_department(client, make_user):
    user = make_user("freelancer", roles.REPORTER)
    _, token = APIToken.create_token(user=user, name="t")
    body = client.get("/api/v1/me", **bearer(token)).json()
    assert (body["department"], body["roles"]) == (None, [roles.REPORTER])


def test_tokens_survive_a_secret_key_rotation(client, editor, settings):
    _, token = APIToken.create_token(user=editor, name="before rotation")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdef"
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200


def test_last_use_is_recorded(client, editor):
    instance, token = APIToken.create_token(user=editor, name="t")
    assert instance.last_used_at is None
    client.get("/api/v1/me", **bearer(token))
    instance.refresh_from_db()
    assert instance.last_used_at is not None
