"""What the website inspection asks: messages left unanswered too long."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.interaction import actions
from rongmei.interaction.models import Message
from rongmei.interaction.queries import unanswered

pytestmark = pytest.mark.django_db


def test_unanswered_lists_the_messages_waiting_longer_than_the_limit(new_message, role_users):
    old, answered, closed, recent = (new_message() for _ in range(4))
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Message.objects.filter(pk__in=[old.pk, answered.pk, closed.pk]).update(created_at=ten_days_ago)
    actions.answer(answered, user=role_users[roles.OPERATOR], reply="已答复")
    Message.objects.filter(pk=closed.pk).update(status="closed")
    assert list(unanswered(older_than_days=5)) == [old]
    assert list(unanswered(older_than_days=11)) == []
    assert list(unanswered(older_than_days=0)) == [old, recent]
