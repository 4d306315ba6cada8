# ruff: noqa: F401, F811 - fixtures imported by name
"""Fixtures of the publish-queue tests: channels pointed at fake
platforms, an approved story package, deliveries, and a way to run the
queue until a delivery settles (moving its retry time to now instead of
sleeping)."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.distribution import actions, queue
from rongmei.distribution.models import ACTIVE_STATES, Channel, Delivery
from rongmei.stories import actions as story_actions
from rongmei.versions import actions as version_actions
from rongmei.versions.tests._fixtures import channels, department, full_story, newsroom, photo, video


@pytest.fixture(autouse=True)
def quick_queue(settings):
    """Short leases and backoff, so tests do not wait."""
    settings.DELIVERY_LEASE_SECONDS = 30
    settings.DELIVERY_BACKOFF_SECONDS = 1


@pytest.fixture
def make_channel(department):
    """``make_channel(kind, base_url=…, credentials={…}, transport=…, options={…})``."""

    def make(kind="website", *, name=None, base_url="", credentials=None, transport="platform", **fields):
        channel = Channel(
            organisation=department.organisation,
            kind=kind,
            name=name or f"测试{kind}{Channel.objects.count()}",
            api_base_url=base_url,
            transport=transport,
            **fields,
        )
        channel.credentials = credentials or {}
        channel.save()
        return channel

    return make


def approve(story, newsroom):
    story_actions.submit_for_review(story, user=newsroom[roles.EDITOR])
    for level, role in enumerate((roles.REVIEW_1, roles.REVIEW_2, roles.REVIEW_3), start=1):
        story_actions.decide(story, user=newsroom[role], decision="approve", level=level)
    story.refresh_from_db()
    return story


@pytest.fixture
def make_delivery(full_story, newsroom):
    """``make_delivery(channel, **payload_changes)``: a pending delivery of
    the full story's version for ``channel`` (generated the real way)."""

    def make(channel, **changes):
        version = version_actions.generate_versions(full_story, user=newsroom[roles.EDITOR], channels=[channel])[0]
        payload = {**actions.snapshot(version), **changes}
        return Delivery.objects.create(
            story=full_story,
            channel=channel,
            payload=payload,
            give_up_at=timezone.now() + dt.timedelta(hours=1),
        )

    return make


def settle(delivery, *, rounds=20) -> Delivery:
    """Run the queue on ``delivery`` until it ends or ``rounds`` attempts
    are used, making each retry or poll due at once."""
    for _ in range(rounds):
        Delivery.objects.filter(pk=delivery.pk, state__in=ACTIVE_STATES).update(next_attempt_at=None)
        queue.run(delivery.pk)
        delivery.refresh_from_db()
        if delivery.state not in ACTIVE_STATES:
            break
    return delivery
