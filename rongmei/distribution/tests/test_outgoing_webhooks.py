"""Outgoing webhooks: every change of a delivery's state is POSTed to the
organisation's active webhooks, signed with the webhook's secret (the
fake receiver checks the signature as a real one would)."""

import pytest

from rongmei.core import roles
from rongmei.core.models import Organisation
from rongmei.distribution import actions
from rongmei.distribution.fakes.receiver import FakeReceiver
from rongmei.distribution.models import DeliveryState, Webhook
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState


@pytest.fixture
def receiver():
    with FakeReceiver(secret="newsroom-hook-secret") as fake:
        yield fake


@pytest.fixture
def make_webhook(department, receiver):
    def make(secret=None, organisation=None, **fields):
        hook = Webhook(organisation=organisation or department.organisation, name="编辑部系统", url=receiver.hook_url,
                       **fields)  # fmt: skip
        hook.secret = secret or receiver.secret
        hook.save()
        return hook

    return make


def run_publishing(delivery, newsroom, capture):
    """Settle the delivery, then record it as published by hand, with the
    webhooks that each transaction queues sent when it commits."""
    with capture(execute=True):
        delivery = settle(delivery)
    with capture(execute=True):
        actions.mark_published_manually(delivery, user=newsroom[roles.OPERATOR], url="https://epaper.example.cn/1")
    return delivery


def test_each_state_change_is_posted_signed_with_the_webhooks_secret(
    make_channel, make_delivery, make_webhook, receiver, newsroom, django_capture_on_commit_callbacks
):
    make_webhook()
    delivery = run_publishing(make_delivery(make_channel("newspaper")), newsroom, django_capture_on_commit_callbacks)
    events = [item["body"] for item in receiver.published]  # kept only when the signature checks out
    assert [e["delivery"]["state"] for e in events] == [S.NEEDS_MANUAL_CHECK, S.DELIVERED]
    assert {e["event"] for e in events} == {"delivery.state_changed"}
    assert {e["delivery"]["idempotency_key"] for e in events} == {str(delivery.idempotency_key)}
    assert events[1]["delivery"]["external_url"] == "https://epaper.example.cn/1"
    assert len({item["key"] for item in receiver.published}) == 2  # each event has its own id


def test_a_receiver_refuses_events_signed_with_another_secret(
    make_channel, make_delivery, make_webhook, receiver, newsroom, django_capture_on_commit_callbacks
):
    make_webhook(secret="a-different-secret")
    run_publishing(make_delivery(make_channel("newspaper")), newsroom, django_capture_on_commit_callbacks)
    assert receiver.count("POST", "/hooks/rongmei") >= 2 and receiver.published == []


def test_only_the_organisations_active_webhooks_are_called(
    make_channel, make_delivery, make_webhook, receiver, newsroom, django_capture_on_commit_callbacks
):
    make_webhook(is_active=False)
    make_webhook(organisation=Organisation.objects.create(name="另一个融媒体中心"))
    run_publishing(make_delivery(make_channel("newspaper")), newsroom, django_capture_on_commit_callbacks)
    assert receiver.calls == []
