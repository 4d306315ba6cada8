"""``rongmei up`` loads the demo with the stories and media left to the worker."""

import pytest

from rongmei.archive.models import Asset
from rongmei.core.models import AuditEntry
from rongmei.demo import is_empty, load_demo
from rongmei.distribution.models import ChannelKind, Delivery
from rongmei.interaction.models import Item
from rongmei.performance.models import FiscalYear
from rongmei.stories.models import Story
from rongmei.versions.models import Version

pytestmark = pytest.mark.django_db


def test_rongmei_up_leaves_the_demo_stories_and_media_to_the_worker(django_capture_on_commit_callbacks):
    """In tests the queue runs tasks at once, so the queued stories and media are there too."""
    assert is_empty()
    with django_capture_on_commit_callbacks(execute=True):
        summary, queued = load_demo(background=True)
    assert not is_empty()
    assert queued == [
        "rongmei.stories.demo",
        "rongmei.archive.demo",
        "rongmei.versions.demo",
        "rongmei.website.demo",
        "rongmei.interaction.demo",
        "rongmei.performance.demo",
    ]
    assert not {Story, Asset, Version, Delivery, Item, FiscalYear} & set(summary)
    assert Story.objects.count() >= 30
    assert Asset.objects.count() >= 30
    # Loaded in that order, so the media are attached to the stories.
    assert Asset.objects.filter(story_uses__isnull=False).exists()
    # ... and two stories went out through the publish queue: on the website, and by hand to the newspaper.
    assert Delivery.objects.filter(channel__kind=ChannelKind.WEBSITE, state="delivered").count() == 2
    assert Delivery.objects.filter(channel__kind=ChannelKind.NEWSPAPER, state="delivered").count() == 1
    # ...and the open stories have their channel versions.
    assert Version.objects.exists()
    # ...the inbox has its items, and the performance years their figures.
    assert Item.objects.count() >= 300
    assert FiscalYear.objects.filter(year=2024).exists()
    assert AuditEntry.objects.filter(action="core.demo.load", via=AuditEntry.Via.WORKER).exists()
