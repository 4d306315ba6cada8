"""A flood of messages or lookups from one address is limited, counted in
the database, with a clear message saying when to try again; other
addresses are not affected."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from rongmei.interaction import ratelimit
from rongmei.interaction.models import RateLimitHit
from rongmei.interaction.tests.conftest import Citizen, stored

pytestmark = pytest.mark.django_db


def test_the_fourth_message_within_ten_minutes_is_refused_with_the_wait_stated(citizen, client):
    for _ in range(ratelimit.MESSAGES_PER_10_MINUTES):
        assert citizen.send().status_code == 200
    response = citizen.send()
    assert response.status_code == 429
    page = response.content.decode()
    assert "您提交留言过于频繁" in page and "约 10 分钟后" in page
    assert 0 < int(response["Retry-After"]) <= 600
    assert stored() == 3
    neighbour = Citizen(client, ip="198.51.100.23")
    assert neighbour.send().status_code == 200


def test_twenty_messages_a_day_at_most(citizen):
    key = ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR=citizen.ip))
    now = timezone.now()
    RateLimitHit.objects.bulk_create(
        RateLimitHit(scope=ratelimit.SUBMIT, client=key, at=now - dt.timedelta(hours=20 - i))
        for i in range(ratelimit.MESSAGES_PER_DAY)
    )
    response = citizen.send()
    assert response.status_code == 429 and "约 4 小时后" in response.content.decode()
    assert 3 * 3600 < int(response["Retry-After"]) <= 4 * 3600


def test_lookups_are_limited_too(citizen, client):
    for _ in range(ratelimit.LOOKUPS_PER_10_MINUTES):
        assert citizen.look_up("XC20260101-ABCDEF").status_code == 404
    response = citizen.look_up("XC20260101-ABCDEF")
    assert response.status_code == 429 and "您查询过于频繁" in response.content.decode()
    assert Citizen(client, ip="198.51.100.23").look_up("XC20260101-ABCDEF").status_code == 404


def test_hits_older_than_a_day_are_deleted(citizen):
    RateLimitHit.objects.create(scope=ratelimit.LOOKUP, client="0" * 64, at=timezone.now() - dt.timedelta(days=2))
    citizen.look_up("XC20260101-ABCDEF")
    assert not RateLimitHit.objects.filter(client="0" * 64).exists()
