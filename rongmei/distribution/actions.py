"""State changes of channels and deliveries: each a named function, in one
transaction, audited; the admin, the API and the worker call these.

Deliveries are created from the story's approved (live) versions when
终审 approves the package, or, for a story with a planned publish time or
an embargo still ahead, when that time comes (:func:`release_scheduled`).
One delivery per channel, revision and action: approving twice, or the
sweeper and the scheduled task meeting, cannot publish twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.core import audit
from rongmei.distribution.channels import adapter_for
from rongmei.distribution.channels.base import DeliveryError
from rongmei.distribution.models import (
    ACTIVE_STATES,
    Channel,
    Delivery,
    DeliveryAction,
    DeliveryState,
    Trigger,
)

S = DeliveryState


class DeliveryRefused(Exception):
    """An operator's action that cannot be done now; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# -- creating deliveries


def snapshot(version) -> dict:
    """The version as approved: what the adapter sends, whatever happens to the story later."""
    return {
        "version": version.pk,
        "story": version.story_id,
        "channel": version.channel_id,
        "title": version.title,
        "kicker": version.kicker,
        "subtitle": version.subtitle,
        "author": version.author,
        "summary": version.summary,
        "body": version.body,
        "cover": version.cover_id,
        "video": version.video_id,
        "data": version.data or {},
    }


def release_time(story) -> dt.datetime | None:
    """When the story may go out: the later of its planned time and embargo."""
    times = [t for t in (story.planned_publish_at, story.embargo_until) if t]
    return max(times) if times else None


def _live_versions(story, *, automatic_only: bool):
    from rongmei.versions.models import Version

    versions = Version.objects.filter(story=story, channel__is_active=True)
    if automatic_only:
        versions = versions.filter(channel__auto_publish=True)
    return versions.select_related("channel").order_by("channel__sort_order", "channel__name")


def _untranslated(version) -> bool:
    from rongmei.versions.formats import website_en

    channel = version.channel
    return channel.kind == "website" and channel.language == "en" and website_en.state(version) == website_en.EMPTY


def create_deliveries(story, *, trigger: str, user=None, channels=None) -> list[Delivery]:
    """One delivery per channel version of the story's approved revision —
    to every channel that publishes on approval, or to ``channels`` when
    given (an operator's choice) — unless one exists already; queued when
    the transaction commits."""
    from rongmei.distribution import tasks

    if story.live_revision_id is None:
        raise DeliveryRefused(_("The story has not been approved for publication."))
    made = []
    now = timezone.now()
    for version in _live_versions(story, automatic_only=channels is None):
        channel = version.channel
        if channels is not None and channel not in channels:
            continue
        if _untranslated(version):
            continue  # this story has no English page
        adapter = adapter_for(channel)
        published = Delivery.objects.filter(story=story, channel=channel, state=S.DELIVERED).exists()
        action = DeliveryAction.UPDATE if published else DeliveryAction.PUBLISH
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    story=story,
                    channel=channel,
                    revision_id=story.live_revision_id,
                    action=action,
                    trigger=trigger,
                    payload=snapshot(version),
                    give_up_at=now + adapter.give_up_after,
                )
        except IntegrityError:
            continue  # this revision already goes out on this channel
        from rongmei.distribution.queue import record_transition

        record_transition(delivery, S.PENDING, _("Created: %(trigger)s") % {"trigger": delivery.get_trigger_display()},
                          actor=user)  # fmt: skip
        made.append(delivery)
    ids = [d.pk for d in made]
    if ids:
        transaction.on_commit(lambda: tasks.enqueue(ids))
    return made


def on_story_approved(story, *, user=None) -> list[Delivery]:
    """终审 approved the package: deliver now, or when its time comes."""
    from rongmei.distribution import tasks

    when = release_time(story)
    if when and when > timezone.now():
        transaction.on_commit(lambda: tasks.release_story.schedule((story.pk,), eta=when))
        audit.record("distribution.delivery.scheduled", story, actor=user, data={"at": when.isoformat()})
        return []
    return create_deliveries(story, trigger=Trigger.APPROVAL, user=user)


def release_scheduled(story_ids=None) -> int:
    """Deliveries for approved stories whose planned time or embargo has
    come since their approval, and that have none for that revision yet."""
    from rongmei.stories.models import Story

    now = timezone.now()
    approved_at = F("last_published_at")  # set when 终审 approval published the revision
    stories = Story.objects.filter(live=True, live_revision__isnull=False).filter(
        Q(planned_publish_at__lte=now, planned_publish_at__gt=approved_at)
        | Q(embargo_until__lte=now, embargo_until__gt=approved_at)
    )
    if story_ids is not None:
        stories = stories.filter(pk__in=story_ids)
    count = 0
    for story in stories.exclude(pk__in=Delivery.objects.filter(revision=F("story__live_revision")).values("story")):
        when = release_time(story)
        if when and when > now:
            continue  # one of the two times is still ahead
        trigger = Trigger.EMBARGO if story.embargo_until and when == story.embargo_until else Trigger.SCHEDULE
        with transaction.atomic():
            count += len(create_deliveries(story, trigger=trigger))
    return count


# -- an operator's actions


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)


@transaction.atomic
def retry(delivery: Delivery, *, user) -> Delivery:
    """Try a failed, canceled or checked delivery again, from where it stopped."""
    from rongmei.distribution import tasks
    from rongmei.distribution.queue import record_transition

    delivery = _locked(delivery)
    if delivery.state not in (S.FAILED, S.CANCELED, S.NEEDS_MANUAL_CHECK, S.RETRYING):
        raise DeliveryRefused(_("Only a failed, canceled or waiting delivery can be retried."))
    if delivery.state == S.NEEDS_MANUAL_CHECK and (delivery.checkpoint or {}).get("intents"):
        # A person has checked the platform: the unfinished step did not happen.
        delivery.checkpoint = {**delivery.checkpoint, "intents": []}
    adapter = adapter_for(delivery.channel)
    delivery.state = S.PENDING
    delivery.next_attempt_at = None
    delivery.lease_until = None
    delivery.finished_at = None
    delivery.attempts = 0
    delivery.give_up_at = timezone.now() + adapter.give_up_after
    delivery.save()
    record_transition(delivery, S.PENDING, _("Retried by an operator."), actor=user)
    transaction.on_commit(lambda: tasks.enqueue([delivery.pk]))
    return delivery


@transaction.atomic
def cancel(delivery: Delivery, *, user) -> Delivery:
    from rongmei.distribution.queue import record_transition

    delivery = _locked(delivery)
    if delivery.state not in (S.PENDING, S.RETRYING, S.NEEDS_MANUAL_CHECK, S.FAILED) and not (
        delivery.state == S.IN_PROGRESS and delivery.lease_until is None
    ):
        raise DeliveryRefused(_("A delivery that is being sent or has ended cannot be canceled."))
    delivery.state = S.CANCELED
    delivery.finished_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.save()
    record_transition(delivery, S.CANCELED, _("Canceled by an operator."), actor=user)
    return delivery


@transaction.atomic
def mark_published_manually(delivery: Delivery, *, user, url: str, published_at: dt.datetime | None = None):
    """Record a publication done by hand (视频号, print, TV, or a check on
    the platform after an uncertain attempt): the address and the time."""
    from rongmei.distribution.queue import record_transition

    delivery = _locked(delivery)
    if delivery.state in (S.DELIVERED, S.CANCELED):
        raise DeliveryRefused(_("This delivery has already ended."))
    if delivery.state == S.IN_PROGRESS and delivery.lease_until is not None:
        raise DeliveryRefused(_("The delivery is being sent right now; wait until it ends."))
    published_at = published_at or timezone.now()
    delivery.state = S.DELIVERED
    delivery.external_url = url
    delivery.external_id = delivery.external_id or url
    delivery.finished_at = published_at
    delivery.instructions = ""
    delivery.save()
    record_transition(
        delivery, S.DELIVERED, _("Published by hand, recorded by an operator."), actor=user,
        data={"url": url, "published_at": published_at.isoformat()},
    )  # fmt: skip
    return delivery


def publish_now(story, *, user, channels=None) -> list[Delivery]:
    """An operator delivers an approved story (to channels without automatic publication, say)."""
    with transaction.atomic():
        return create_deliveries(story, trigger=Trigger.MANUAL, user=user, channels=channels)


# -- channel accounts


@transaction.atomic
def set_credentials(channel: Channel, values: dict, *, user) -> Channel:
    """Replace the given secrets of the account (blank values keep the stored ones)."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    merged = {**channel.credentials, **{k: v for k, v in values.items() if v}}
    channel.credentials = merged
    channel.save(update_fields=["credentials_encrypted"])
    from rongmei.distribution.models import AccessToken

    AccessToken.objects.filter(channel=channel).delete()  # a token of the old secret is worthless
    audit.record("distribution.channel.credentials", channel, actor=user, data={"fields": sorted(values)})
    return channel


def test_connection(channel: Channel, *, user) -> tuple[bool, str]:
    """Try the account against its platform; the result is kept on the channel."""
    from rongmei.distribution.queue import http_client

    adapter = adapter_for(channel)
    try:
        message, ok = adapter.test_connection(channel, http_client(channel, adapter)), True
    except DeliveryError as error:
        message, ok = error.message, False
    Channel.objects.filter(pk=channel.pk).update(checked_at=timezone.now(), check_ok=ok, check_message=message[:300])
    audit.record("distribution.channel.test", channel, actor=user, data={"ok": ok, "message": message})
    return ok, message


def active_count(story) -> int:
    return Delivery.objects.filter(story=story, state__in=ACTIVE_STATES).count()
