# ruff: noqa: F811 (fixtures are parameters named like the fixtures imported here)
"""Fixtures of the versions tests: the demo center's channels, generated
photos and videos in the archive, stories with and without them."""

import pytest

from rongmei.archive import samples
from rongmei.archive.actions import attach_to_story
from rongmei.archive.ingest import ingest_file
from rongmei.core import roles
from rongmei.core.demo import ORGANISATION
from rongmei.core.models import Department, Organisation
from rongmei.distribution import demo as distribution_demo
from rongmei.distribution.models import Channel
from rongmei.stories import actions as story_actions
from rongmei.stories.tests.conftest import newsroom, story  # noqa: F401 (fixtures)

BODY = (
    "<p>记者从区民政局获悉，今年西城区新增十家社区养老服务驿站，预计年内全部投入使用。</p>"
    "<p>今年78岁的李大爷说：“以前吃饭要走很远，现在驿站就在楼下，方便多了。”</p>"
    "<p>据介绍，驿站提供助餐、助浴、日间照料等服务，全区已累计服务老人3.5万人次，同比增长5.2%。</p>"
)


@pytest.fixture
def channels(db):
    organisation, _ = Organisation.objects.get_or_create(
        name=ORGANISATION["name"], defaults={"short_name": ORGANISATION["short_name"]}
    )
    distribution_demo.load()
    # A center that has gone live: its website at its public address (the demo leaves it empty).
    Channel.objects.filter(kind="website", language="zh-hans").update(url="https://www.bjxch.gov.cn/")
    return {(c.kind, c.language): c for c in Channel.objects.filter(organisation=organisation)}


@pytest.fixture
def department(channels):
    organisation = Organisation.objects.get(name=ORGANISATION["name"])
    return Department.objects.get_or_create(organisation=organisation, name="新闻部")[0]


@pytest.fixture
def photo(tmp_path, newsroom):
    path = tmp_path / "photo.jpg"
    path.write_bytes(samples.photo(1600, 900, seed=1))
    asset = ingest_file(path, original_name="驿站.jpg", user=newsroom[roles.REPORTER]).asset
    asset.caption = "社区养老服务驿站里，老人们在吃午饭。"
    asset.save()
    return asset


@pytest.fixture
def video(tmp_path, newsroom):
    path = tmp_path / "clip.mp4"
    samples.video(path, seconds=1, width=320, height=240)
    return ingest_file(path, original_name="驿站.mp4", user=newsroom[roles.REPORTER]).asset


@pytest.fixture
def full_story(newsroom, department, photo, video):
    """A story of the demo center with a body, a photo and a video."""
    story = story_actions.create_story(
        author=newsroom[roles.REPORTER],
        title="西城区新增十家社区养老服务驿站",
        summary="",
        body=BODY,
        department=department,
        keywords=["养老服务", "社区"],
    )
    attach_to_story(story, photo, user=newsroom[roles.EDITOR])
    attach_to_story(story, video, user=newsroom[roles.EDITOR])
    story.refresh_from_db()
    return story


@pytest.fixture
def bare_story(newsroom, department):
    """A story without any picture or video."""
    return story_actions.create_story(
        author=newsroom[roles.REPORTER],
        title="西城区召开社区养老工作推进会",
        summary="会议部署下一阶段社区养老服务工作。",
        body=BODY,
        department=department,
    )
