"""When deliveries are created: at 终审 approval, at the planned publish
time, when the embargo lifts — once per channel and revision."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.distribution import actions
from rongmei.distribution.models import Channel, Delivery, Trigger
from rongmei.distribution.tests.conftest import approve
from rongmei.stories import actions as story_actions
from rongmei.stories.tests.conftest import api  # noqa: F401 - fixture
from rongmei.versions import actions as version_actions

pytestmark = pytest.mark.django_db

BY_HAND = ("newspaper", "tv")  # channels published by hand: no platform needed in these tests


@pytest.fixture
def package(full_story, channels, newsroom):
    Channel.objects.exclude(kind__in=BY_HAND).update(auto_publish=False)
    version_actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    full_story.refresh_from_db()
    return full_story


def _plan(story, newsroom, **times):
    story_actions.update_story(story, user=newsroom[roles.EDITOR], **times)


def _approved_earlier(story):
    """Move the approval back in time, as if the planned time came later."""
    story.__class__.objects.filter(pk=story.pk).update(last_published_at=timezone.now() - dt.timedelta(hours=3))


def test_final_approval_creates_one_delivery_per_automatic_channel(
    package, newsroom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = approve(package, newsroom)
    deliveries = Delivery.objects.filter(story=story)
    assert sorted(d.channel.kind for d in deliveries) == sorted(BY_HAND)
    assert {d.trigger for d in deliveries} == {Trigger.APPROVAL}
    assert all(d.revision_id == story.live_revision_id for d in deliveries)
    # Queued at once (the worker runs inline in tests): both wait for a person now.
    assert {d.state for d in deliveries} == {"needs_manual_check"}
    newspaper = deliveries.get(channel__kind="newspaper")
    assert newspaper.payload["title"] and newspaper.payload["version"]
    # The same revision never goes out twice.
    assert actions.create_deliveries(story, trigger=Trigger.MANUAL) == []


def test_a_planned_time_holds_the_deliveries_until_it_comes(package, newsroom):
    _plan(package, newsroom, planned_publish_at=timezone.now() + dt.timedelta(hours=2))
    story = approve(package, newsroom)
    assert not Delivery.objects.filter(story=story).exists()
    assert actions.release_scheduled() == 0  # not yet
    _approved_earlier(story)
    story.__class__.objects.filter(pk=story.pk).update(planned_publish_at=timezone.now() - dt.timedelta(seconds=5))
    assert actions.release_scheduled() == len(BY_HAND)
    assert set(Delivery.objects.filter(story=story).values_list("trigger", flat=True)) == {Trigger.SCHEDULE}
    assert actions.release_scheduled() == 0  # once


def test_an_embargo_later_than_the_planned_time_wins(package, newsroom):
    now = timezone.now()
    _plan(
        package, newsroom, planned_publish_at=now + dt.timedelta(minutes=10), embargo_until=now + dt.timedelta(hours=1)
    )
    story = approve(package, newsroom)
    _approved_earlier(story)
    story.__class__.objects.filter(pk=story.pk).update(planned_publish_at=now - dt.timedelta(minutes=1))
    assert actions.release_scheduled() == 0  # the embargo is still on
    story.__class__.objects.filter(pk=story.pk).update(embargo_until=now - dt.timedelta(seconds=1))
    assert actions.release_scheduled() == len(BY_HAND)
    assert set(Delivery.objects.filter(story=story).values_list("trigger", flat=True)) == {Trigger.EMBARGO}


def test_stories_approved_long_ago_are_not_sent_by_the_sweeper(package, newsroom):
    _plan(package, newsroom, planned_publish_at=timezone.now() - dt.timedelta(days=3))  # passed before approval
    story = approve(package, newsroom)
    Delivery.objects.filter(story=story).delete()  # as if approved before the publish queue existed
    assert actions.release_scheduled() == 0


def test_an_operator_can_publish_an_approved_story_to_a_channel_by_hand(package, newsroom):
    story = approve(package, newsroom)
    Delivery.objects.filter(story=story).delete()
    wechat = Channel.objects.get(kind="wechat_mp")  # does not publish on approval: no delivery was made
    made = actions.publish_now(story, user=newsroom[roles.OPERATOR], channels=[wechat])
    assert [(d.channel, d.trigger) for d in made] == [(wechat, Trigger.MANUAL)]
    assert actions.publish_now(story, user=newsroom[roles.OPERATOR], channels=[wechat]) == []  # once


def test_the_api_delivers_an_approved_story_to_chosen_channels(
    api,  # noqa: F811
    package,
    newsroom,
):
    story = approve(package, newsroom)
    weibo = Channel.objects.get(kind="weibo")
    answer = api(newsroom[roles.OPERATOR]).post(f"/stories/{story.pk}/deliveries", {"channels": [weibo.pk]})
    assert [row["channel_kind"] for row in answer.json()] == ["weibo"]
    assert (
        api(newsroom[roles.EDITOR]).post(f"/stories/{story.pk}/deliveries", {"channels": [weibo.pk]}).status_code == 403
    )
    draft = story_actions.create_story(author=newsroom[roles.REPORTER], title="未审稿件", body="<p>草稿</p>")
    refused = api(newsroom[roles.OPERATOR]).post(f"/stories/{draft.pk}/deliveries", {"channels": [weibo.pk]})
    assert refused.status_code == 409 and refused.json()["detail"] == "稿件尚未通过终审，不能发布。"
