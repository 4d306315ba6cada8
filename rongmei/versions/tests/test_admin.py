"""The story editor's Versions tab: an inline form per version with live
counters (limits from Python), preview links, the generate page (POST with
CSRF), and saving a version through the editor."""

# ruff: noqa: F401, F811

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from rongmei.core import roles
from rongmei.stories.tests.conftest import editor_form
from rongmei.versions import actions, views
from rongmei.versions import text as rules
from rongmei.versions.tests._fixtures import (
    bare_story,
    channels,
    department,
    full_story,
    newsroom,
    photo,
    video,
)

pytestmark = pytest.mark.django_db

COUNTER_JS = Path(views.__file__).parent / "static" / "versions" / "counter.js"


def _edit_url(story):
    return reverse("wagtailsnippets_stories_story:edit", args=[story.pk])


def test_editor_has_a_versions_tab_with_counters_and_previews(client, newsroom, full_story, channels):
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    client.force_login(newsroom[roles.REVIEW_1])  # a reviewer opens the story
    page = client.get(_edit_url(full_story)).content.decode()
    assert 'id="tab-label-u7248u672c"' in page  # the tab 版本 (Versions)
    assert page.count('id="inline_child_versions-') >= len(channels)
    assert "versions/counter.js" in page
    # Counters, problems and preview under each version (and in the blank form for a new one).
    assert page.count('class="version-info"') == len(channels) + 1
    limits = json.loads(
        re.search(r'<script id="versions-limits" type="application/json">(.*?)</script>', page).group(1)
    )
    wechat = channels[("wechat_mp", "zh-hans")]
    weibo = channels[("weibo", "zh-hans")]
    assert limits[str(wechat.pk)]["title"] == {"limit": 32, "way": "chars"}
    assert limits[str(wechat.pk)]["author"]["limit"] == 16
    assert limits[str(wechat.pk)]["summary"]["limit"] == 128
    assert limits[str(weibo.pk)]["body"] == {"limit": 140, "way": "weibo"}
    preview = reverse("versions:channel_preview", args=[full_story.pk, wechat.pk])
    assert preview in page
    assert client.get(preview).status_code == 200


def test_generate_page_asks_then_generates_with_csrf(newsroom, full_story, channels):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(newsroom[roles.EDITOR])
    url = reverse("versions:generate", args=[full_story.pk])
    page = browser.get(url)
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert browser.post(url).status_code == 403  # no CSRF token
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"].startswith(_edit_url(full_story))
    assert len(views.story_versions(full_story)) == len(channels)
    followed = browser.get(response["Location"]).content.decode()
    count = len(channels)
    assert f"{count} versions generated" in followed or f"已生成 {count} 个版本" in followed


def test_generate_for_chosen_channels_only(client, newsroom, full_story, channels):
    client.force_login(newsroom[roles.EDITOR])
    wechat = channels[("wechat_mp", "zh-hans")]
    client.post(reverse("versions:generate", args=[full_story.pk]), {"channels": [wechat.pk]})
    assert [v.channel_id for v in views.story_versions(full_story)] == [wechat.pk]


def test_generate_page_needs_the_change_permission(client, newsroom, full_story, channels):
    client.force_login(newsroom[roles.OPERATOR])
    url = reverse("versions:generate", args=[full_story.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert views.story_versions(full_story) == []


def test_a_version_edited_in_the_editor_is_saved_in_the_revision(client, newsroom, full_story, channels):
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    full_story.refresh_from_db()
    form = editor_form(full_story)
    index = next(
        i for i in range(form["versions-TOTAL_FORMS"])
        if form[f"versions-{i}-channel"] == channels[("wechat_mp", "zh-hans")].pk
    )  # fmt: skip
    form[f"versions-{index}-title"] = "编辑改过的微信标题"
    client.force_login(newsroom[roles.EDITOR])
    response = client.post(_edit_url(full_story), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    wechat = views.version_for_channel(full_story, channels[("wechat_mp", "zh-hans")].pk)
    assert wechat.title == "编辑改过的微信标题"
    assert wechat.edited is True  # generating again keeps it
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    assert views.version_for_channel(full_story, wechat.channel_id).title == "编辑改过的微信标题"
    untouched = views.version_for_channel(full_story, channels[("weibo", "zh-hans")].pk)
    assert untouched.edited is False
    assert len(views.story_versions(full_story)) == len(channels)  # nothing lost


def test_the_story_editor_still_saves_a_story_without_versions(client, newsroom, bare_story):
    client.force_login(newsroom[roles.EDITOR])
    response = client.post(_edit_url(bare_story), editor_form(bare_story, title="改过的标题"))
    assert response.status_code == 302
    bare_story.refresh_from_db()
    assert bare_story.title == "改过的标题"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the counter's JavaScript")
def test_the_live_counter_counts_like_the_formats():
    samples = ["西城养老驿站", "😀𠀀 emoji", "abc https://www.bjxch.gov.cn/ 驿站", "第一段。\n\n  第二段 ab\n", ""]
    script = (
        "global.window = {}; global.document = {readyState: 'complete', getElementById: () => null,"
        " querySelectorAll: () => [], addEventListener: () => {}};"
        f"{COUNTER_JS.read_text()};"
        f"const samples = {json.dumps(samples)}; const c = window.rongmeiVersionCounters;"
        "console.log(JSON.stringify(samples.map(s => [c.chars(s), c.weibo(s), c.print(s)])));"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True)
    from rongmei.versions.formats import newspaper

    expected = [[rules.length(s), rules.weibo_length(s), newspaper.body_length(s)] for s in samples]
    assert json.loads(result.stdout) == expected
