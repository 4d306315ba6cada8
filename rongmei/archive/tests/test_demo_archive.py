"""The demo archive: events of the seed report, generated media ingested
through the real path, renditions made by the (immediate) worker, demo
stories with attached assets, and a second load that adds nothing."""

import pytest
from django.contrib.auth import get_user_model

from rongmei.archive import demo
from rongmei.archive.models import Asset, Event, Person, Rendition, StoryAsset
from rongmei.core import demo as core_demo
from rongmei.core.models import AuditEntry
from rongmei.stories import actions as story_actions
from rongmei.stories.models import Category

STORY_TITLES = sorted({story for story, _ in demo.ATTACHMENTS})


@pytest.fixture
def demo_center(db):
    """The core demo (users) and the demo stories the archive attaches to (filed as drafts)."""
    core_demo.load()
    reporter = get_user_model().objects.get(username="reporter")
    for title in STORY_TITLES:
        story_actions.create_story(
            author=reporter, title=title, body="<p>演示正文。</p>", category=Category.objects.get(name="民生")
        )


def _counts():
    return {model: model.objects.count() for model in (Asset, Event, Person, Rendition, StoryAsset)} | {
        "files": sum(1 for asset in Asset.objects.all() if asset.original.storage.exists(asset.original.name))
    }


def test_demo_archive_loads_once_with_renditions(demo_center, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = demo.load()
    first = _counts()
    shots = sum(len(item["shots"]) for item in demo.EVENTS)
    assert summary[Asset] == first[Asset] == first["files"] == shots

    # The events of the seed report, with their kinds.
    names = set(Event.objects.values_list("name", flat=True))
    assert {
        "国庆75周年大直播西城板块",
        "京津冀异地康养专题采访",
        "区委全会（2024年12月）",
        "区人代会（2024年1月）",
    } <= names
    assert set(Event.objects.values_list("kind", flat=True)) == {"major", "meeting", "leaders", "other"}
    national_day = Event.objects.get(name="国庆75周年大直播西城板块")
    assert national_day.assets.filter(kind="photo").count() >= 3 and national_day.assets.filter(kind="video").exists()

    # Every kind, each ready with the renditions the worker makes.
    assert set(Asset.objects.values_list("kind", flat=True)) == {"photo", "video", "audio", "document"}
    assert not Asset.objects.exclude(status="ready").exists()
    for asset in Asset.objects.filter(kind="photo"):
        assert {r.kind for r in asset.renditions.all()} == {"thumbnail", "web"}
        assert asset.rendition("thumbnail").file.storage.exists(asset.rendition("thumbnail").file.name)
    for asset in Asset.objects.filter(kind="video"):
        assert {r.kind for r in asset.renditions.all()} == {"poster", "strip", "thumbnail", "proxy"}
        assert asset.duration and asset.video_codec == "h264"

    # Technical metadata read from the generated files: EXIF and orientation.
    photo = Asset.objects.get(title="国庆大直播西城板块现场全景")
    assert photo.taken_at.date().isoformat() == "2024-10-01" and photo.camera and photo.latitude
    assert set(Asset.objects.filter(kind="photo").values_list("orientation", flat=True)) >= {"landscape", "portrait"}

    # Catalogue: people, keywords, photographers, rights (some expired), security.
    assert photo.people.filter(name="周晓东").exists() and "大直播" in photo.keywords.names()
    assert photo.photographer == "高翔" and photo.category.name == "时政"
    assert Asset.objects.rights_expired().count() >= 2
    assert Asset.objects.filter(rights="restricted").exists() and Asset.objects.filter(security="restricted").exists()

    # Attached to the demo stories; the expired one with its audited reason.
    assert first[StoryAsset] == len(demo.ATTACHMENTS)
    expired_use = StoryAsset.objects.get(asset__title="中轴线沿线古建筑修缮")
    assert expired_use.rights_override_reason == demo.EXPIRED_USE_REASON
    assert AuditEntry.objects.filter(action="archive.asset.attach").count() == len(demo.ATTACHMENTS)

    # Loading again finds the same content by its hash: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = demo.load()
    assert _counts() == first
    assert again == summary
    assert AuditEntry.objects.filter(action="archive.asset.duplicate").count() == shots


def test_demo_archive_without_stories(db, django_capture_on_commit_callbacks):
    """The archive demo does not need the demo stories (they may load after it)."""
    core_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert Asset.objects.count() == sum(len(item["shots"]) for item in demo.EVENTS)
    assert not StoryAsset.objects.exists()
