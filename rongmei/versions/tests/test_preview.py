"""Each version as its reader sees it, in the admin (reviewers included):
phone frames, the website page, the print proof, the timed TV script; all
text escaped, bodies sanitised."""

# ruff: noqa: F401, F811

import re

import pytest
from django.urls import reverse

from rongmei.core import roles
from rongmei.versions import actions, views
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


@pytest.fixture
def generated(full_story, newsroom, channels):
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    return {(v.channel.kind, v.channel.language): v for v in views.story_versions(full_story)}


def _page(client, user, version):
    client.force_login(user)
    response = client.get(reverse("versions:preview", args=[version.story_id, version.pk]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_wechat_in_a_phone_frame_with_cover_and_styled_body(client, newsroom, generated):
    version = generated[("wechat_mp", "zh-hans")]
    page = _page(client, newsroom[roles.REVIEW_1], version)
    assert 'class="phone"' in page
    assert "西城区新增十家社区养老服务驿站" in page
    assert re.search(r'<img class="wechat-cover" src="/admin/archive/[^"]+"', page)
    assert 'style="' in page.split('class="wechat-body"')[1]  # the template's inline styles are kept
    assert "versions/preview.css" in page


def test_weibo_card_with_picture_grid_and_link(client, newsroom, generated):
    version = generated[("weibo", "zh-hans")]
    page = _page(client, newsroom[roles.REVIEW_2], version)
    assert 'class="weibo-card"' in page
    if version.video_id:
        assert 'class="weibo-video"' in page
    else:
        assert "weibo-grid--1" in page
    assert "#" in page.split('class="weibo-text"')[1].split("</p>")[0]


def test_short_video_frame_with_cover_title_description_and_subtitles(client, newsroom, generated):
    version = generated[("douyin", "zh-hans")]
    page = _page(client, newsroom[roles.REVIEW_3], version)
    assert 'class="video-frame"' in page
    assert 'class="video-title"' in page and version.title in page
    assert 'class="subtitles"' in page
    assert "00:00:00 → 00:00:0" in page  # the first cue, timed


def test_website_pages_chinese_and_english(client, newsroom, generated):
    zh = _page(client, newsroom[roles.EDITOR], generated[("website", "zh-hans")])
    assert '<html lang="zh-hans">' in zh and 'class="site-article"' in zh
    assert "社区养老服务驿站里，老人们在吃午饭。" in zh  # the picture's caption
    english = generated[("website", "en")]
    actions.update_version(
        english,
        {
            "title": "Ten new care stations",
            "body": "<p>Xicheng opens ten.</p>",
            "data": {"translation_state": "machine"},
        },
        user=newsroom[roles.EDITOR],
    )
    english = views.version_for_channel(english.story, english.channel_id)
    en = _page(client, newsroom[roles.EDITOR], english)
    assert '<html lang="en">' in en and "Ten new care stations" in en
    assert 'class="machine-translation"' in en


def test_newspaper_proof_with_headline_hierarchy_captions_and_budget(client, newsroom, generated):
    version = generated[("newspaper", "zh-hans")]
    actions.update_version(version, {"kicker": "民生实事", "subtitle": "年内全部投入使用"}, user=newsroom[roles.EDITOR])
    version = views.version_for_channel(version.story, version.channel_id)
    page = _page(client, newsroom[roles.REVIEW_1], version)
    kicker, headline, subtitle = (page.index(f'class="proof-{name}"') for name in ("kicker", "headline", "subtitle"))
    assert kicker < headline < subtitle
    assert "民生实事" in page and "——年内全部投入使用" in page
    budget = re.search(r'class="proof-budget[^"]*">\s*\S+ (\d+) / \S+ (\d+)', page)
    assert budget is not None
    assert int(budget.group(1)) > 0 and int(budget.group(2)) >= int(budget.group(1))
    assert 'class="proof-caption"' in page
    assert "column-count: 4" in page  # the slot's columns


def test_tv_script_with_running_times(client, newsroom, generated):
    version = generated[("tv", "zh-hans")]
    page = _page(client, newsroom[roles.REVIEW_1], version)
    times = re.findall(r'<td class="script-time">(\d\d:\d\d)</td>', page)
    starts = times[0::2]
    assert starts[0] == "00:00" and starts == sorted(starts) and len(set(starts)) == len(starts)
    assert "segment--lead" in page and "segment--voiceover" in page
    assert "segment--sync" in page  # the quotation of 李大爷 is a sound bite
    total = re.search(r"<strong>(\d\d:\d\d)</strong>", page).group(1)
    assert total > "00:00"


def test_periodical_article(client, newsroom, generated):
    page = _page(client, newsroom[roles.EDITOR], generated[("periodical", "zh-hans")])
    assert 'class="proof-headline"' in page


def test_preview_by_channel_and_permissions(client, newsroom, generated, make_user):
    version = generated[("wechat_mp", "zh-hans")]
    url = reverse("versions:channel_preview", args=[version.story_id, version.channel_id])
    client.force_login(newsroom[roles.REVIEW_1])
    assert client.get(url).status_code == 200
    missing = reverse("versions:preview", args=[version.story_id, 999999])
    assert client.get(missing).status_code == 404
    client.force_login(make_user("outsider"))
    assert client.get(url).status_code in (302, 403)


def test_everything_is_escaped_and_bodies_sanitised(client, newsroom, generated):
    version = generated[("website", "zh-hans")]
    actions.update_version(
        version,
        {
            "title": "<img src=x onerror=alert(1)>标题",
            "summary": "<b>摘要</b>",
            "body": '<p style="color:red;position:fixed">正文</p><script>alert(2)</script>'
            '<a href="javascript:alert(3)">链接</a><iframe src="https://example.com"></iframe>',
        },
        user=newsroom[roles.EDITOR],
    )
    version = views.version_for_channel(version.story, version.channel_id)
    page = _page(client, newsroom[roles.EDITOR], version)
    assert "&lt;img src=x onerror=alert(1)&gt;标题" in page
    assert "&lt;b&gt;摘要&lt;/b&gt;" in page
    assert "<script>alert" not in page and "javascript:" not in page and "<iframe" not in page
    assert "正文" in page and "position" not in page


def test_sanitize_body_keeps_what_a_channel_body_uses():
    html = '<p style="color:#333;behavior:url(x)">a</p><img src="https://x/y.png" onerror="z()"><form><input></form>'
    clean = views.sanitize_body(html)
    assert 'style="color:#333"' in clean
    assert "<img" in clean and "onerror" not in clean and "<form" not in clean and "<input" not in clean


def test_a_version_with_emoji_and_rare_characters_previews(client, newsroom, generated):
    version = generated[("weibo", "zh-hans")]
    actions.update_version(version, {"body": "😀𠀀 #话题# 测试 https://www.bjxch.gov.cn/"}, user=newsroom[roles.EDITOR])
    version = views.version_for_channel(version.story, version.channel_id)
    page = _page(client, newsroom[roles.EDITOR], version)
    assert "😀𠀀" in page


def test_partner_package_lists_the_text_and_credited_originals(client, newsroom, full_story, channels):
    from rongmei.distribution.models import Channel

    wechat = channels[("wechat_mp", "zh-hans")]
    partner = Channel.objects.create(organisation=wechat.organisation, kind="partner", name="中央媒体素材包")
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR], channels=[partner])
    version = views.version_for_channel(full_story, partner.pk)
    page = _page(client, newsroom[roles.REVIEW_1], version)
    assert 'class="partner-text"' in page and "记者从区民政局获悉" in page
    assert page.count('class="partner-thumb"') == len(version.data["originals"]) == 2
