"""The generic webhook channel: signed JSON to a receiver that drops
repeats by the idempotency key, against the fake receiver."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.distribution import actions, queue
from rongmei.distribution.channels.webhook import WebhookAdapter
from rongmei.distribution.fakes.receiver import PATH, FakeReceiver
from rongmei.distribution.models import DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState


@pytest.fixture
def receiver():
    with FakeReceiver() as fake:
        yield fake


@pytest.fixture
def hook_channel(make_channel, receiver):
    def make(secret=None):
        return make_channel(
            "partner",
            transport="webhook",
            base_url=receiver.hook_url,
            credentials={"secret": secret or receiver.secret},
        )

    return make


def test_the_story_is_posted_signed_and_the_receivers_id_is_recorded(hook_channel, make_delivery, receiver):
    delivery = settle(make_delivery(hook_channel()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    [item] = receiver.published  # the receiver keeps only posts whose signature checks out
    assert (delivery.external_id, delivery.external_url) == (item["id"], item["url"])
    assert item["key"] == str(delivery.idempotency_key)
    assert item["body"]["event"] == "story.publish"
    assert item["body"]["content"]["title"] == delivery.payload["title"]
    assert item["body"]["content"]["data"]["originals"] == delivery.payload["data"]["originals"]


def test_a_secret_the_receiver_does_not_share_is_refused(hook_channel, make_delivery, receiver):
    delivery = settle(make_delivery(hook_channel(secret="not-the-receivers-secret")))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "401" in delivery.last_error and "签名密钥" in delivery.last_error
    assert "not-the-receivers-secret" not in delivery.last_error
    assert receiver.published == [] and receiver.count("POST", PATH) == 1


def test_a_post_whose_answer_was_lost_is_sent_again_and_published_once(
    hook_channel, make_delivery, receiver, monkeypatch
):
    monkeypatch.setattr(WebhookAdapter, "timeout", (1.0, 0.3))
    receiver.late_answers, receiver.answer_late = 1, 1.0  # accepted, but the answer comes too late
    delivery = settle(make_delivery(hook_channel()))
    assert delivery.state == S.DELIVERED
    assert receiver.count("POST", PATH) == 2 and len(receiver.published) == 1
    assert delivery.external_id == receiver.published[0]["id"]  # the earlier id, from the 409 duplicate
    assert [e.state for e in delivery.events.all()] == [S.RETRYING, S.DELIVERED]


def test_server_errors_are_retried(hook_channel, make_delivery, receiver):
    receiver.bad.fail_next = 2
    delivery = settle(make_delivery(hook_channel()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 3
    assert len(receiver.published) == 1


def test_a_rate_limit_waits_as_long_as_retry_after_says(hook_channel, make_delivery, receiver):
    receiver.bad.rate_limited_for = 30
    delivery = make_delivery(hook_channel())
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    wait = delivery.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=25) < wait <= dt.timedelta(seconds=31)
    assert "429" in delivery.last_error
    assert queue.run(delivery.pk) is None  # not due before the limit resets
    receiver.bad.rate_limited_for = 0
    assert settle(delivery).state == S.DELIVERED and len(receiver.published) == 1


def test_a_refusal_fails_at_once_with_the_receivers_message(hook_channel, make_delivery, receiver):
    receiver.refuse = (422, "缺少栏目信息，无法入库")
    delivery = settle(make_delivery(hook_channel()))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "缺少栏目信息，无法入库" in delivery.last_error and "422" in delivery.last_error


def test_test_connection_sends_a_signed_ping(hook_channel, receiver, newsroom):
    ok, message = actions.test_connection(hook_channel(), user=newsroom[roles.OPERATOR])
    assert ok and "签名" in message
    ok, message = actions.test_connection(hook_channel(secret="wrong"), user=newsroom[roles.OPERATOR])
    assert not ok and "401" in message
    assert receiver.published == []  # a ping publishes nothing
