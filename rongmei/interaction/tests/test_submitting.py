"""A citizen sends a message without signing in and gets a tracking number;
the message is stored with its status and time, and nothing about the
citizen beyond what they typed."""

import re

import pytest
from django.utils import timezone

from rongmei.core.models import AuditEntry
from rongmei.interaction.models import Message, RateLimitHit
from rongmei.interaction.tests.conftest import CONTENT, stored, tracking_number

pytestmark = pytest.mark.django_db


def test_a_citizen_sends_a_message_without_signing_in_and_gets_a_tracking_number(citizen):
    before = timezone.now()
    response = citizen.send(name="王先生", phone="13812345678", email="wang@example.cn")
    assert response.status_code == 200
    number = tracking_number(response)
    assert re.fullmatch(r"XC\d{8}-[0-9A-HJKMNP-TV-Z]{6}", number)
    assert "留言已提交" in response.content.decode()
    message = Message.objects.get(tracking_number=number)
    assert message.status == "received" and message.source == "website" and message.language == "zh-hans"
    assert before <= message.created_at <= timezone.now() and message.answered_at is None
    assert (message.content, message.category.name) == (CONTENT, "建议")
    assert (message.name, message.phone, message.email) == ("王先生", "13812345678", "wang@example.cn")
    assert response["Cache-Control"] == "no-store"


def test_tracking_numbers_are_random_not_sequential(new_message):
    randoms = [new_message().tracking_number[-6:] for _ in range(20)]
    assert len(set(randoms)) == 20
    assert len({random[0] for random in randoms}) > 1  # a counter would keep its leading characters


def test_the_citizens_address_is_kept_only_as_a_salted_hash(citizen):
    citizen.send()
    hit = RateLimitHit.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", hit.client) and citizen.ip not in hit.client
    entry = AuditEntry.objects.get(action="interaction.message.receive")
    assert entry.ip is None and entry.actor is None and "王" not in str(entry.data)


def test_contact_details_are_optional_and_checked_when_given(citizen):
    assert citizen.send(phone="010-6601 2345 转 801".replace(" 转 ", "-")).status_code == 200
    assert citizen.send(phone="+86 138 1234 5678", email="").status_code == 200
    refused = citizen.send(phone="call me", email="not-an-address")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "电话号码格式不正确" in page and "电子邮箱格式不正确" in page
    assert CONTENT in page  # what was typed is kept for the next try
    assert stored() == 2
