"""The demo newsroom: realistic stories in every review state."""

import pytest

from rongmei.core.models import User
from rongmei.stories import proofread, review
from rongmei.stories.demo_data import STORIES
from rongmei.stories.models import Category, Story

pytestmark = pytest.mark.django_db


def _states() -> dict[str, str]:
    """Each demo story's state as the demo data names it, except the drafts
    that the website demo then approves and publishes (rongmei.website.demo)."""
    from rongmei.website import demo as website_demo

    published = set(Story.objects.filter(deliveries__isnull=False).values_list("title", flat=True))
    drafts = {item["title"] for item in STORIES if item["state"] == "draft"}
    assert len(published) == website_demo.COUNT and published <= drafts
    return {item["title"]: "approved" if item["title"] in published else item["state"] for item in STORIES}


def test_demo_stories_reach_the_state_they_name(loaded_demo):
    assert Story.objects.count() == len(STORIES) >= 30
    expected = {
        "draft": (review.Status.DRAFT, None),
        "review1": (review.Status.IN_REVIEW, 1),
        "review2": (review.Status.IN_REVIEW, 2),
        "review3": (review.Status.IN_REVIEW, 3),
        "approved": (review.Status.APPROVED, None),
        "rejected": (review.Status.REJECTED, None),
    }
    for title, state in _states().items():
        story = Story.objects.get(title=title)
        assert (review.status(story)[0], review.current_level(story)) == expected[state], title
    assert {item["state"] for item in STORIES} == set(expected)
    assert set(Category.objects.filter(stories__isnull=False).values_list("name", flat=True)) == {
        "时政", "民生", "文化", "经济", "城市管理", "党建", "其他",
    }  # fmt: skip


def test_stories_are_listed_by_status_through_the_api(loaded_demo, api):
    director = api(User.objects.get(username="director"))
    states = _states()
    for state, code in [("draft", "draft"), ("rejected", "rejected"), ("approved", "approved")]:
        expected = sorted(title for title, named in states.items() if named == state)
        listed = director.get("/stories", status=code, limit=200).json()
        assert sorted(row["title"] for row in listed) == expected
        assert {row["status"] for row in listed} == {code}
    in_review = director.get("/stories", status="in_review", limit=200).json()
    assert len(in_review) == sum(item["state"].startswith("review") for item in STORIES)


def test_some_demo_stories_have_proofreading_hits_and_others_none(loaded_demo):
    with_hits = [story for story in Story.objects.all() if proofread.proofread(story)]
    planted = [item for item in STORIES if item.get("slips")]
    assert len(with_hits) >= len(planted) - 1 >= 5
    assert len(with_hits) < Story.objects.count()
