"""Answering a message in the admin: 运营 and 管理员 may; the answer is
audited; others are refused, on the server."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.interaction import actions
from rongmei.interaction.models import Message

pytestmark = pytest.mark.django_db
REFUSED = (302, 403)  # Wagtail turns a refusal into a redirect with its message


def test_an_operator_lists_filters_and_answers_a_message(client, role_users, message, new_message):
    other = new_message(category="表扬", content="感谢社区工作人员的热心帮助。")
    operator = role_users[roles.OPERATOR]
    client.force_login(operator)
    listing = client.get(reverse("public_messages:index")).content.decode()
    assert message.tracking_number in listing and other.tracking_number in listing
    filtered = client.get(reverse("public_messages:index"), {"category": other.category_id}).content.decode()
    assert other.tracking_number in filtered and message.tracking_number not in filtered
    form = client.get(reverse("public_messages:edit", args=[message.pk])).content.decode()
    assert message.content in form
    response = client.post(
        reverse("public_messages:edit", args=[message.pk]),
        {"reply": "您好，已转交区城管委处理。", "reply_published": "on"},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302 and message.tracking_number in response.content.decode()
    message.refresh_from_db()
    assert message.status == "answered" and message.reply_published and message.replied_by == operator
    assert message.answered_at is not None and message.content.startswith("我们小区")
    entry = AuditEntry.objects.get(action="interaction.message.answer")
    assert entry.actor == operator and entry.object_id == str(message.pk)
    assert entry.data["reply"] == "您好，已转交区城管委处理。" and entry.data["previous_status"] == "received"
    inspect = client.get(reverse("public_messages:inspect", args=[message.pk])).content.decode()
    assert f"{timezone.localtime(message.answered_at):%H:%M}" in inspect and "王先生" in inspect  # Beijing time
    only_open = client.get(reverse("public_messages:index"), {"status": "received"}).content.decode()
    assert message.tracking_number not in only_open and other.tracking_number in only_open


def test_an_empty_reply_is_refused(client, role_users, message):
    client.force_login(role_users[roles.ADMINISTRATOR])
    response = client.post(reverse("public_messages:edit", args=[message.pk]), {"reply": "  "})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "received"
    with pytest.raises(actions.MessageRefused):
        actions.answer(message, user=role_users[roles.ADMINISTRATOR], reply="")


def test_a_revised_reply_keeps_the_first_answer_time(role_users, message):
    operator = role_users[roles.OPERATOR]
    first = actions.answer(message, user=operator, reply="初步答复").answered_at
    revised = actions.answer(message, user=operator, reply="补充答复")
    assert revised.answered_at == first and revised.reply == "补充答复"
    assert AuditEntry.objects.filter(action="interaction.message.answer").count() == 2


def test_a_reporter_can_neither_see_nor_answer_messages(client, role_users, message):
    reporter = role_users[roles.REPORTER]
    with pytest.raises(PermissionDenied):
        actions.answer(message, user=reporter, reply="记者不能答复")
    client.force_login(reporter)
    assert client.get(reverse("public_messages:index")).status_code in REFUSED
    response = client.post(reverse("public_messages:edit", args=[message.pk]), {"reply": "记者不能答复"})
    assert response.status_code in REFUSED
    message.refresh_from_db()
    assert message.status == "received" and not AuditEntry.objects.filter(action="interaction.message.answer")


def test_nobody_adds_or_deletes_a_message_in_the_admin(client, superuser, message):
    client.force_login(superuser)
    assert client.get(reverse("public_messages:add")).status_code in REFUSED
    assert client.post(reverse("public_messages:delete", args=[message.pk])).status_code in REFUSED
    assert Message.objects.filter(pk=message.pk).exists()
