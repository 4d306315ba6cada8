"""Demo versions: generated for the demo stories that are drafts or were
sent back, never for a story under review or approved; loading twice adds
nothing."""

import pytest

from rongmei.stories import review
from rongmei.stories.models import Story
from rongmei.versions import demo, views
from rongmei.versions.models import Version

pytestmark = pytest.mark.django_db


def _states():
    return {story.pk: review.status(story)[0] for story in Story.objects.all()}


def test_demo_versions_only_for_drafts_and_stories_sent_back(loaded_demo):
    states = _states()
    assert set(states.values()) >= {review.Status.DRAFT, review.Status.IN_REVIEW, review.Status.APPROVED}
    with_versions = {pk for pk in states if views.story_versions(Story.objects.get(pk=pk))}
    assert with_versions
    # The website demo then approved some of them (rongmei.website.demo): those have deliveries.
    published = set(Story.objects.filter(deliveries__isnull=False).values_list("pk", flat=True))
    assert published and {states[pk] for pk in published} == {review.Status.APPROVED}
    assert {states[pk] for pk in with_versions - published} <= set(demo.STATES)
    open_stories = {pk for pk, state in states.items() if state in demo.STATES}
    assert with_versions - published == open_stories
    # Review states are as the demo stories set them.
    assert _states() == states

    before = Version.objects.count()
    summary = demo.load()
    assert summary == {Version: before}
    assert Version.objects.count() == before
    assert _states() == states


def test_a_story_in_review_gets_no_demo_versions(loaded_demo):
    waiting = review.filter_status(Story.objects.all(), review.Status.IN_REVIEW)
    assert waiting.exists()
    for story in waiting:
        assert views.story_versions(story) == []


def test_demo_partner_packages_credit_every_original(loaded_demo):
    from rongmei.versions.formats import format_for

    packages = [
        version
        for story in Story.objects.all()
        for version in views.story_versions(story)
        if version.channel.kind == "partner" and version.data.get("originals")
    ]
    assert packages  # a demo story with media goes to the partner media with its originals
    for package in packages:
        assert format_for(package.channel).validate(package) == []
        assert all(item["credit"] for item in package.data["originals"])
