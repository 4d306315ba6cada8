"""The audit log records every change and can never be changed itself."""

import pytest
from django.db import DatabaseError, connection, transaction
from wagtail.models import APIToken

from rongmei.core import audit, roles
from rongmei.core.models import AuditEntry, AuditLogIsAppendOnly, Organisation
from rongmei.distribution.models import Channel, ChannelKind


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="北京市西城区融媒体中心")


@pytest.fixture
def entry(organisation, make_user):
    actor = make_user("director", roles.DIRECTOR)
    with audit.audit_context(actor=actor, ip="10.1.2.3"):
        return audit.record("core.organisation.rename", organisation, data={"from": "旧名", "to": "新名"})


def test_record_keeps_who_what_which_when_and_where(entry, organisation):
    entry.refresh_from_db()
    assert entry.actor.username == "director"
    assert entry.actor_label == "director"
    assert entry.action == "core.organisation.rename"
    assert entry.content_type.model_class() is Organisation
    assert entry.object_id == str(organisation.pk)
    assert entry.object_repr == "北京市西城区融媒体中心"
    assert entry.ip == "10.1.2.3"
    assert entry.at is not None
    assert entry.data == {"from": "旧名", "to": "新名"}


def test_model_refuses_to_change_or_delete_an_entry(entry):
    entry.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.action == "core.organisation.rename"


def test_database_refuses_raw_sql_updates_and_deletes(entry):
    for statement in (
        "UPDATE core_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "core.organisation.rename"


def test_admin_offers_no_way_to_edit_or_delete_entries(client, entry, superuser):
    client.force_login(superuser)
    assert client.get("/admin/audit-log/").status_code == 200
    assert client.get(f"/admin/audit-log/inspect/{entry.pk}/").status_code == 200
    for url in (f"/admin/audit-log/edit/{entry.pk}/", f"/admin/audit-log/delete/{entry.pk}/", "/admin/audit-log/new/"):
        assert client.get(url).status_code in (302, 403), url
        response = client.post(url, {"action": "forged"})
        assert response.status_code in (302, 403), url
    entry.refresh_from_db()
    assert entry.action == "core.organisation.rename"
    assert AuditEntry.objects.filter(action="forged").count() == 0


def test_api_is_read_only(client, entry, make_user):
    admin = make_user("sysadmin", roles.ADMINISTRATOR)
    _, token = APIToken.create_token(user=admin, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/audit", {"action": "core.organisation"}, **auth)
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()] == [entry.pk]
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/v1/audit", **auth).status_code == 405
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_admin_can_filter_the_log(client, entry, superuser):
    client.force_login(superuser)
    audit.record("auth.login_failed", data={"username": "nobody"})
    response = client.get("/admin/audit-log/", {"action": "core."})
    assert response.status_code == 200
    assert "core.organisation.rename" in response.content.decode()
    assert "auth.login_failed" not in response.content.decode()


def test_changes_made_in_the_admin_are_audited_with_user_and_ip(client, organisation, make_user):
    operator = make_user("operator", roles.OPERATOR)
    channel = Channel.objects.create(organisation=organisation, kind=ChannelKind.WEIBO, name="北京西城")
    client.force_login(operator)
    response = client.post(
        f"/admin/channels/edit/{channel.pk}/",
        {
            "organisation": organisation.pk,
            "kind": ChannelKind.WEIBO,
            "name": "北京西城微博",
            "language": "zh-hans",
            "url": "",
            "description": "",
            "is_active": "on",
            "sort_order": 1,
            "transport": "platform",
            "api_base_url": "",
            "proxy_url": "",
            "options": "{}",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="wagtail.edit")
    assert (entry.actor_label, entry.ip, entry.via) == ("operator", "192.0.2.7", AuditEntry.Via.WEB)
    assert entry.content_type.model_class() is Channel
    assert entry.object_id == str(channel.pk)


def test_sign_in_and_failed_sign_in_are_audited(client, make_user):
    make_user("reporter", roles.REPORTER)
    client.post("/admin/login/", {"username": "reporter", "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.data == {"username": "reporter"}
    assert failed.ip == "198.51.100.9"
    client.post("/admin/login/", {"username": "reporter", "password": "correct horse battery staple"})
    assert AuditEntry.objects.filter(action="auth.login", actor_label="reporter").exists()


def test_actions_are_shown_in_words(client, entry, superuser):
    audit.record("auth.login_failed", data={"username": "nobody"})
    audit.record("wagtail.edit", object_repr="北京西城")
    client.force_login(superuser)
    page = client.get("/admin/audit-log/").content.decode()
    assert "登录失败" in page  # ours
    assert "auth.login_failed" not in page and "wagtail.edit" not in page  # Wagtail's own label instead
    assert client.get(f"/admin/audit-log/inspect/{entry.pk}/").status_code == 200
