"""The publish queue itself: claiming, states, events and audit, retries,
deadlines, leases, operators' actions. The adapters have their own files."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution import actions, queue
from rongmei.distribution.models import Delivery, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState


def test_a_channel_without_api_waits_for_a_person_then_is_recorded(make_channel, make_delivery, newsroom):
    delivery = make_delivery(make_channel("newspaper"))
    delivery = settle(delivery)
    assert delivery.state == S.NEEDS_MANUAL_CHECK and "发布包" in delivery.instructions
    delivery = actions.mark_published_manually(
        delivery, user=newsroom[roles.OPERATOR], url="https://epaper.example.cn/2026-11-26/3"
    )
    assert delivery.state == S.DELIVERED and delivery.external_url.endswith("/3")
    assert [e.state for e in delivery.events.all()] == [S.NEEDS_MANUAL_CHECK, S.DELIVERED]
    assert AuditEntry.objects.filter(action="distribution.delivery.delivered", actor=newsroom[roles.OPERATOR]).exists()


def test_two_workers_cannot_claim_one_delivery(make_channel, make_delivery):
    delivery = make_delivery(make_channel("newspaper"))
    assert queue.claim(delivery.pk, "worker-a") is not None
    assert queue.claim(delivery.pk, "worker-b") is None
    # Once the first worker's lease runs out (it crashed), the second may take it.
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert queue.claim(delivery.pk, "worker-b").claimed_by == "worker-b"


def test_a_delivery_past_its_deadline_ends(make_channel, make_delivery):
    delivery = make_delivery(make_channel("newspaper"))
    Delivery.objects.filter(pk=delivery.pk).update(give_up_at=timezone.now() - dt.timedelta(seconds=1))
    delivery = settle(delivery)
    assert delivery.state == S.FAILED and "时限" in delivery.events.last().message


def test_cancel_and_retry_by_an_operator(make_channel, make_delivery, newsroom):
    operator = newsroom[roles.OPERATOR]
    delivery = settle(make_delivery(make_channel("newspaper")))
    delivery = actions.cancel(delivery, user=operator)
    assert delivery.state == S.CANCELED
    with pytest.raises(actions.DeliveryRefused):
        actions.cancel(delivery, user=operator)
    delivery = actions.retry(delivery, user=operator)
    assert delivery.state == S.PENDING and delivery.attempts == 0
    assert settle(delivery).state == S.NEEDS_MANUAL_CHECK


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.DELIVERY_BACKOFF_SECONDS = 60
    for attempt, ceiling in ((1, 60), (2, 120), (3, 240), (7, 3840), (12, 3840)):
        waits = [queue.backoff(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1


def test_the_sweeper_hands_a_dead_workers_delivery_to_a_live_one(make_channel, make_delivery):
    from rongmei.distribution import tasks

    delivery = make_delivery(make_channel("newspaper"))
    assert queue.claim(delivery.pk, "worker-that-died") is not None  # then killed: never finishes
    assert tasks.sweep.call_local() == {"created": 0, "requeued": 0}  # its lease still runs
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.sweep.call_local() == {"created": 0, "requeued": 1}  # the worker runs inline in tests
    delivery.refresh_from_db()
    assert delivery.state == S.NEEDS_MANUAL_CHECK and delivery.claimed_by != "worker-that-died"
