"""Public messages unanswered for more than 3 months are a veto item; the
inspection warns from 2 months on, naming the oldest message."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.interaction import actions
from rongmei.interaction.models import Message, MessageCategory
from rongmei.website.inspection import MESSAGES_UNANSWERED, inspect

pytestmark = pytest.mark.django_db


def received(days_ago: int) -> Message:
    message = actions.receive(
        category=MessageCategory.objects.order_by("pk").first(), content="小区路灯坏了，请尽快修理。"
    )
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago, hours=1))
    return message


def message_flags():
    return [flag for flag in inspect(quick=True) if flag.rule == MESSAGES_UNANSWERED]


def test_a_message_waiting_95_days_is_a_veto_item(superuser):
    oldest = received(95)
    received(70)
    received(10)
    answered = received(120)
    actions.answer(answered, user=superuser, reply="已转交街道办，路灯已修复。")
    [flag] = message_flags()
    assert (flag.subject, flag.days, flag.limit, flag.days_left, flag.severity) == (
        oldest.tracking_number, 95, 90, -5, "veto"
    )  # fmt: skip
    assert flag.detail == "2"  # messages waiting 60 days or more
    assert flag.url == f"/admin/messages/edit/{oldest.pk}/"


def test_a_message_waiting_80_days_has_10_days_left():
    received(80)
    [flag] = message_flags()
    assert (flag.days_left, flag.severity) == (10, "warning")


def test_messages_answered_in_time_are_not_flagged():
    received(59)
    assert message_flags() == []
