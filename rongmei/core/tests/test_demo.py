"""The demo data as a whole: the center of the seed report, its stories in
every review state, their channel versions; it loads twice safely. All in
one module: the whole demo is loaded once for it (the ``loaded_demo``
fixture), half a minute on PostgreSQL."""

import pytest
from django.contrib.auth import authenticate

from rongmei.archive.models import Asset, Event, Person
from rongmei.core import roles
from rongmei.core.demo import DEMO_PASSWORD
from rongmei.core.models import AuditEntry, Department, Organisation, User
from rongmei.demo import is_empty, load_demo
from rongmei.distribution.models import Channel, ChannelKind, Delivery
from rongmei.interaction.models import Clue, InboxCategory, Item
from rongmei.performance.models import (
    Award,
    BudgetLine,
    ChannelStat,
    Expenditure,
    FiscalYear,
    Indicator,
    Placement,
    Problem,
    Publication,
    TextBlock,
)
from rongmei.stories import proofread, review
from rongmei.stories.demo_data import STORIES
from rongmei.stories.models import Category, Story
from rongmei.stories.tests.conftest import api  # noqa: F401 - the stories tests' API fixture
from rongmei.versions import demo as versions_demo
from rongmei.versions import views as versions_views
from rongmei.versions.models import Version

pytestmark = pytest.mark.django_db

PERFORMANCE_MODELS = [
    FiscalYear,
    TextBlock,
    BudgetLine,
    Expenditure,
    ChannelStat,
    Placement,
    Award,
    Publication,
    Problem,
]


def test_demo_builds_the_xicheng_center_with_a_user_for_every_role(loaded_demo):
    summary, queued = loaded_demo
    assert queued == []
    assert not is_empty()
    organisation = Organisation.objects.get()
    assert organisation.name == "北京市西城区融媒体中心"
    assert summary == {
        Organisation: 1,
        Department: Department.objects.count(),
        User: User.objects.count(),
        Story: Story.objects.count(),
        Event: Event.objects.count(),
        Asset: Asset.objects.count(),
        Person: Person.objects.count(),
        Channel: Channel.objects.count(),
        Version: Version.objects.count(),
        Delivery: Delivery.objects.count(),
        Item: Item.objects.count(),
        Clue: Clue.objects.count(),
        InboxCategory: InboxCategory.objects.count(),
        **{model: model.objects.count() for model in PERFORMANCE_MODELS},
        Indicator: Indicator.objects.filter(year__isnull=False).count(),  # the template's are not demo data
    }
    assert Delivery.objects.filter(channel__kind=ChannelKind.WEBSITE).count() == 2  # two demo stories published
    held = {group for user in User.objects.all() for group in user.groups.values_list("name", flat=True)}
    assert held == set(roles.ROLE_NAMES)
    assert all(user.department is not None for user in User.objects.all())
    assert authenticate(username="editor", password=DEMO_PASSWORD) is not None


def test_demo_has_every_channel_of_the_seed_report(loaded_demo):
    names = {(c.kind, c.name, c.language) for c in Channel.objects.all()}
    for expected in [
        (ChannelKind.WECHAT_MP, "北京西城", "zh-hans"),
        (ChannelKind.WEIBO, "北京西城", "zh-hans"),
        (ChannelKind.DOUYIN, "北京西城", "zh-hans"),
        (ChannelKind.KUAISHOU, "北京西城", "zh-hans"),
        (ChannelKind.WECHAT_CHANNELS, "北京西城", "zh-hans"),
        (ChannelKind.CCTV_VIDEO, "北京西城", "zh-hans"),
        (ChannelKind.NEWSPAPER, "《北京西城报》", "zh-hans"),
        (ChannelKind.PERIODICAL, "《西城文苑》", "zh-hans"),
        (ChannelKind.TV, "《都市阳光》", "zh-hans"),
    ]:
        assert expected in names
    websites = Channel.objects.filter(kind=ChannelKind.WEBSITE)
    assert sorted(websites.values_list("language", flat=True)) == ["en", "zh-hans"]


def test_loading_again_updates_instead_of_duplicating(loaded_demo):
    editor = User.objects.get(username="editor")
    editor.set_password("changed by the editor")
    editor.save()

    def counts():
        return [model.objects.count() for model in (Organisation, Department, User, Channel, Story, Version)]

    before = counts()
    load_demo()
    assert counts() == before
    # A password someone changed is kept.
    assert authenticate(username="editor", password="changed by the editor") is not None
    assert AuditEntry.objects.filter(action="core.demo.load").count() == 2


def test_dashboard_shows_the_center_and_its_roles(loaded_demo, client):
    client.force_login(User.objects.get(username="director"))
    page = client.get("/admin/").content.decode()
    assert "北京市西城区融媒体中心" in page
    assert "新闻采访部" in page
    for role in roles.ROLE_NAMES:
        assert f"<td>{role}</td>" in page
    assert 'id="recent-audit-section"' in page  # 主任 reads the audit log


def test_reporters_dashboard_has_no_audit_panel(loaded_demo, client):
    client.force_login(User.objects.get(username="reporter"))
    page = client.get("/admin/").content.decode()
    assert "北京市西城区融媒体中心" in page
    assert 'id="recent-audit-section"' not in page


# -- the demo stories (three-level review, proofreading)


def _named_states() -> dict[str, str]:
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
    for title, state in _named_states().items():
        story = Story.objects.get(title=title)
        assert (review.status(story)[0], review.current_level(story)) == expected[state], title
    assert {item["state"] for item in STORIES} == set(expected)
    assert set(Category.objects.filter(stories__isnull=False).values_list("name", flat=True)) == {
        "时政", "民生", "文化", "经济", "城市管理", "党建", "其他",
    }  # fmt: skip


def test_stories_are_listed_by_status_through_the_api(loaded_demo, api):  # noqa: F811 - the fixture
    director = api(User.objects.get(username="director"))
    states = _named_states()
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


# -- the demo versions


def _review_states():
    return {story.pk: review.status(story)[0] for story in Story.objects.all()}


def test_demo_versions_only_for_drafts_and_stories_sent_back(loaded_demo):
    states = _review_states()
    assert set(states.values()) >= {review.Status.DRAFT, review.Status.IN_REVIEW, review.Status.APPROVED}
    with_versions = {pk for pk in states if versions_views.story_versions(Story.objects.get(pk=pk))}
    assert with_versions
    # The website demo then approved some of them (rongmei.website.demo): those have deliveries.
    published = set(Story.objects.filter(deliveries__isnull=False).values_list("pk", flat=True))
    assert published and {states[pk] for pk in published} == {review.Status.APPROVED}
    assert {states[pk] for pk in with_versions - published} <= set(versions_demo.STATES)
    open_stories = {pk for pk, state in states.items() if state in versions_demo.STATES}
    assert with_versions - published == open_stories
    # Review states are as the demo stories set them.
    assert _review_states() == states

    before = Version.objects.count()
    summary = versions_demo.load()
    assert summary == {Version: before}
    assert Version.objects.count() == before
    assert _review_states() == states


def test_a_story_in_review_gets_no_demo_versions(loaded_demo):
    waiting = review.filter_status(Story.objects.all(), review.Status.IN_REVIEW)
    assert waiting.exists()
    for story in waiting:
        assert versions_views.story_versions(story) == []


def test_demo_partner_packages_credit_every_original(loaded_demo):
    from rongmei.versions.formats import format_for

    packages = [
        version
        for story in Story.objects.all()
        for version in versions_views.story_versions(story)
        if version.channel.kind == "partner" and version.data.get("originals")
    ]
    assert packages  # a demo story with media goes to the partner media with its originals
    for package in packages:
        assert format_for(package.channel).validate(package) == []
        assert all(item["credit"] for item in package.data["originals"])
