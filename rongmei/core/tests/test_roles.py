"""The roles exist with exactly the permissions of the matrix, and the
server enforces them: each request below is made as each role."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import APIToken

from rongmei.core import roles
from rongmei.core.models import Department, Organisation, User
from rongmei.distribution.models import Channel, ChannelKind

R = roles
EVERYONE = set(roles.ROLE_NAMES)


def test_every_role_is_a_group_with_exactly_its_permissions(db):
    for name, expected in roles.PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(expected), name


def test_wagtails_starter_groups_are_gone(db):
    assert not Group.objects.filter(name__in=roles.WAGTAIL_DEFAULT_GROUPS).exists()


def test_docs_show_the_matrix_of_the_code():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert roles.matrix_markdown() in doc, "regenerate with: rongmei manage permission_matrix"


@pytest.fixture
def world(db, role_users, make_user):
    organisation = Organisation.objects.create(name="北京市西城区融媒体中心")
    department = Department.objects.create(organisation=organisation, name="融媒编辑部")
    channel = Channel.objects.create(organisation=organisation, kind=ChannelKind.WECHAT_MP, name="北京西城")
    return {
        "organisation": organisation,
        "department": department,
        "channel": channel,
        "users": role_users,
        "nobody": make_user("visitor"),  # signed in, but holds no role
    }


def allowed(response) -> bool:
    """Wagtail answers a refusal with 403, or a redirect to the dashboard or the login page."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code
    return False


# (what, URL, roles that may open it)
PAGES = [
    ("dashboard", "/admin/", EVERYONE),
    ("channel list", "/admin/channels/", EVERYONE),
    ("channel edit", "/admin/channels/edit/{channel}/", {R.OPERATOR, R.ADMINISTRATOR}),
    ("channel add", "/admin/channels/new/", {R.ADMINISTRATOR}),
    ("channel delete", "/admin/channels/delete/{channel}/", {R.ADMINISTRATOR}),
    ("audit log", "/admin/audit-log/", {R.DIRECTOR, R.ADMINISTRATOR}),
    ("audit log export", "/admin/audit-log/?export=csv", {R.DIRECTOR, R.ADMINISTRATOR}),
    ("users", "/admin/users/", {R.ADMINISTRATOR}),
    ("user add", "/admin/users/new/", {R.ADMINISTRATOR}),
    ("groups", "/admin/groups/", set()),
    ("departments", "/admin/department/", {R.ADMINISTRATOR}),
    ("organisation edit", "/admin/organisation/edit/{organisation}/", {R.ADMINISTRATOR}),
    ("API tokens", "/admin/api-tokens/", EVERYONE),
]


@pytest.mark.parametrize(("what", "url", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_admin_pages_open_only_to_their_roles(client, world, what, url, who):
    url = url.format(channel=world["channel"].pk, organisation=world["organisation"].pk)
    for role, user in world["users"].items():
        client.force_login(user)
        assert allowed(client.get(url)) == (role in who), f"{what}: {role}"
    client.force_login(world["nobody"])
    assert not allowed(client.get(url)), f"{what}: a user without a role"


def test_a_reporter_cannot_change_a_channel_by_posting(client, world):
    channel = world["channel"]
    client.force_login(world["users"][R.REPORTER])
    client.post(
        f"/admin/channels/edit/{channel.pk}/",
        {"organisation": world["organisation"].pk, "kind": channel.kind, "name": "篡改", "language": "zh-hans"},
    )
    client.post(f"/admin/channels/delete/{channel.pk}/")
    channel.refresh_from_db()
    assert channel.name == "北京西城"


def edit_reporter_as_administrator(client, world, **changes):
    """Post the user form for the reporter, as the administrator."""
    reporter = world["users"][R.REPORTER]
    client.force_login(world["users"][R.ADMINISTRATOR])
    form = {
        "username": "reporter",
        "email": "reporter@example.cn",
        "first_name": "明",
        "last_name": "李",
        "is_active": "on",
        "groups": [Group.objects.get(name=R.REPORTER).pk],
        **changes,
    }
    response = client.post(f"/admin/users/edit/{reporter.pk}/", form)
    reporter.refresh_from_db()
    return response, reporter


def test_an_administrator_cannot_make_anyone_a_superuser(client, world):
    response, reporter = edit_reporter_as_administrator(client, world, is_superuser="on")
    assert response.status_code == 302  # the rest of the form was saved
    assert not reporter.is_superuser


def test_an_administrator_sets_a_users_department(client, world):
    response, reporter = edit_reporter_as_administrator(client, world, department=world["department"].pk)
    assert response.status_code == 302
    assert reporter.department == world["department"]


def test_api_audit_log_follows_the_matrix(client, world):
    for role, user in world["users"].items():
        _, token = APIToken.create_token(user=user, name="t")
        response = client.get("/api/v1/audit", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == (200 if role in {R.DIRECTOR, R.ADMINISTRATOR} else 403), role


def test_users_manage_only_their_own_tokens(client, world):
    reporter, editor = world["users"][R.REPORTER], world["users"][R.EDITOR]
    token, _ = APIToken.create_token(user=editor, name="editor's")
    client.force_login(reporter)
    client.post(f"/admin/api-tokens/delete/{token.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(world["users"][R.ADMINISTRATOR])
    client.post(f"/admin/api-tokens/delete/{token.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_administrator_cannot_edit_a_superuser(client, world, superuser):
    client.force_login(world["users"][R.ADMINISTRATOR])
    assert not allowed(client.get(f"/admin/users/edit/{superuser.pk}/"))
    client.post(f"/admin/users/edit/{superuser.pk}/", {"username": "root", "password1": "x", "password2": "x"})
    superuser.refresh_from_db()
    assert superuser.check_password("correct horse battery staple")


def test_users_are_deactivated_not_deleted(world):
    admin: User = world["users"][R.ADMINISTRATOR]
    assert admin.has_perm("core.change_user")
    assert not admin.has_perm("core.delete_user")
