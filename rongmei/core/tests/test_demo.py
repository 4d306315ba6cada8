"""The demo data is the center of the seed report, and loads twice safely
(loaded once for the module: the ``loaded_demo`` fixture)."""

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
from rongmei.stories.models import Story
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
