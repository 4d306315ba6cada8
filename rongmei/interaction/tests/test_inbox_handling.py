"""Handling inbox items: correction, assignment to a person or a
department (with its deadline), replies held for review by grade, website
replies published on the site, flagged items kept out of public, clues,
and the audit of every change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.interaction import actions, intake
from rongmei.interaction.actions import MessageRefused
from rongmei.interaction.models import Department, GradePolicy, InboxCategory, Item, Message, Reply
from rongmei.interaction.tests.conftest import incoming

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(role_users):
    return role_users


def one(content="图书馆开放时间是几点", **fields):
    intake.ingest([incoming(Item.objects.count() + 1, content=content, **fields)])
    return Item.objects.order_by("-pk").first()


def test_a_person_corrects_the_category(users):
    item = one("路口的事情想反映一下")
    traffic = InboxCategory.objects.get(name="交通")
    actions.correct_category(item, user=users[roles.OPERATOR], category=traffic)
    item.refresh_from_db()
    assert item.category == traffic and item.category_by == "person"
    entry = AuditEntry.objects.get(action="interaction.item.classify")
    assert entry.actor == users[roles.OPERATOR] and entry.data["to"] == "交通"
    with pytest.raises(PermissionDenied):
        actions.correct_category(item, user=users[roles.REPORTER], category=traffic)


def test_forwarding_to_a_department_uses_its_deadline(users):
    item = one("楼下餐馆油烟扰民")
    department = Department.objects.get(name="区生态环境局")
    department.answer_hours = 48
    department.save()
    before = timezone.now()
    actions.assign(item, user=users[roles.OPERATOR], department=department)
    item.refresh_from_db()
    assert item.level == "department" and item.status == "assigned"
    assert before + dt.timedelta(hours=48) <= item.resolution_due <= timezone.now() + dt.timedelta(hours=48)
    assert AuditEntry.objects.filter(action="interaction.item.status", data__to="assigned").exists()
    actions.assign(item, user=users[roles.OPERATOR], assignee=users[roles.OPERATOR])
    item.refresh_from_db()
    assert item.assignee == users[roles.OPERATOR]
    with pytest.raises(MessageRefused):
        actions.assign(item, user=users[roles.OPERATOR], assignee=users[roles.REPORTER])  # may not handle items


def test_urgent_replies_wait_for_a_director_or_final_reviewer(users):
    item = one("楼道里着火了，有人被困", source="letter")
    assert item.grade == "urgent"
    held = actions.reply(item, user=users[roles.OPERATOR], text="已联系消防和街道。")
    assert held.status == "pending_review"
    item.refresh_from_db()
    assert item.status == "review" and item.first_response_at is None
    with pytest.raises(PermissionDenied):
        actions.approve_reply(held, user=users[roles.OPERATOR])
    returned = actions.reject_reply(held, user=users[roles.REVIEW_3], note="写明处置进展")
    assert returned.status == "rejected"
    item.refresh_from_db()
    assert item.status == "new"
    again = actions.reply(item, user=users[roles.OPERATOR], text="已联系消防和街道，火情已控制，无人受伤。")
    done = actions.approve_reply(again, user=users[roles.DIRECTOR], note="同意")
    assert done.status == "recorded" and done.reviewed_by == users[roles.DIRECTOR]  # a letter: recorded
    item.refresh_from_db()
    assert item.status == "answered" and item.first_response_at is not None
    actions_done = set(
        AuditEntry.objects.filter(action__startswith="interaction.reply").values_list("action", flat=True)
    )
    assert actions_done == {
        "interaction.reply.write",
        "interaction.reply.reject",
        "interaction.reply.approve",
        "interaction.reply.send",
    }


def test_review_is_configurable_by_grade(users):
    GradePolicy.objects.filter(grade="urgent").update(review_required=False)
    item = one("有人溺水了", source="phone")
    assert actions.reply(item, user=users[roles.OPERATOR], text="已联系救援").status == "recorded"
    GradePolicy.objects.filter(grade="normal").update(review_required=True)
    item = one("图书馆几点开门", source="phone")
    assert actions.reply(item, user=users[roles.OPERATOR], text="九点").status == "pending_review"


def test_a_website_message_is_answered_on_the_site(users, new_message, citizen):
    message = new_message(content="图书馆周末开放吗？")
    item = Item.objects.get(message=message)
    answer = actions.reply(item, user=users[roles.OPERATOR], text="周末九点到五点开放。")
    assert answer.status == "sent"
    message.refresh_from_db()
    assert message.status == Message.Status.ANSWERED and message.public_reply == "周末九点到五点开放。"
    assert "周末九点到五点开放。" in citizen.look_up(message.tracking_number).content.decode()
    item.refresh_from_db()
    assert item.status == "answered"


def test_answering_in_the_old_messages_admin_updates_the_inbox(users, new_message):
    message = new_message()
    actions.answer(message, user=users[roles.OPERATOR], reply="已转城管")
    item = Item.objects.get(message=message)
    assert item.status == "answered" and item.first_response_at == Message.objects.get().answered_at


def test_flagged_content_is_never_answered_in_public(users, new_message, citizen):
    message = new_message(content="你们这些狗官，路灯都修不好")
    item = Item.objects.get(message=message)
    assert item.flagged
    answer = actions.reply(item, user=users[roles.OPERATOR], text="已转城管部门。")
    assert answer.public is False
    message.refresh_from_db()
    assert message.status == "answered" and message.public_reply == ""
    assert "已转城管部门。" not in citizen.look_up(message.tracking_number).content.decode()
    comment = one("傻逼城管", source="weibo")
    with pytest.raises(MessageRefused):
        actions.reply(comment, user=users[roles.OPERATOR], text="请文明留言")


def test_resolve_close_and_reopen_are_audited(users):
    item = one(source="phone")
    with pytest.raises(MessageRefused):
        actions.resolve(item, user=users[roles.OPERATOR])  # not answered yet
    actions.reply(item, user=users[roles.OPERATOR], text="九点开门")
    actions.resolve(item, user=users[roles.OPERATOR], note="已答复")
    item.refresh_from_db()
    assert item.status == "resolved" and item.resolved_at and item.due_at is None
    actions.reopen(item, user=users[roles.OPERATOR])
    item.refresh_from_db()
    assert item.status == "answered" and item.due_at == item.resolution_due
    with pytest.raises(MessageRefused):
        actions.close(item, user=users[roles.OPERATOR], reason="")
    actions.close(item, user=users[roles.OPERATOR], reason="重复")
    statuses = list(
        AuditEntry.objects.filter(action="interaction.item.status", object_id=str(item.pk))
        .order_by("pk")
        .values_list("data__to", flat=True)
    )
    assert statuses == ["answered", "resolved", "answered", "closed"]


def test_overdue_is_one_comparison(users):
    late = one("图书馆几点开门", hours_ago=30, source="phone")
    on_time = one("图书馆几点关门", hours_ago=1, source="phone")
    assert late.is_overdue and not on_time.is_overdue
    assert list(Item.objects.filter(due_at__lt=timezone.now())) == [late]
    actions.reply(late, user=users[roles.OPERATOR], text="九点")  # a normal item: no review
    late.refresh_from_db()
    assert not late.is_overdue and late.due_at == late.resolution_due


def test_a_cluster_becomes_a_clue(users):
    items = [one(f"德胜门路灯不亮{n}") for n in range(3)]
    clue = actions.make_clue(items, user=users[roles.DIRECTOR], title="德胜门一带路灯集中损坏")
    assert set(clue.items.all()) == set(items)
    assert AuditEntry.objects.filter(action="interaction.clue.create").exists()
    with pytest.raises(PermissionDenied):
        actions.make_clue(items, user=users[roles.REPORTER], title="x")


def test_manual_entry_of_letters_and_calls(users):
    item = actions.add_manual(
        user=users[roles.OPERATOR],
        source="letter",
        content="来信反映公园健身器材损坏",
        author="张先生",
        posted_at=timezone.now() - dt.timedelta(days=1),
    )
    assert item.source == "letter" and item.category_by == "lexicon"
    with pytest.raises(MessageRefused):
        actions.add_manual(user=users[roles.OPERATOR], source="weibo", content="x")
    with pytest.raises(PermissionDenied):
        actions.add_manual(user=users[roles.FINANCE], source="letter", content="x")
    assert Reply.objects.count() == 0
