"""The WeChat article: limits counted in characters, the cover and its
crops, HTML that WeChat accepts, per-account style templates."""
# ruff: noqa: F401, F811

import pytest

from rongmei.core import roles
from rongmei.versions import actions
from rongmei.versions.formats import format_for, wechat
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import bare_story, channels, department, full_story, newsroom, photo, video


def _channel(channels):
    return channels[("wechat_mp", "zh-hans")]


def _messages(version):
    return [problem.message for problem in wechat.validate(version)]


def test_the_channel_kind_maps_to_the_format(channels):
    assert format_for(_channel(channels)) is wechat


def test_a_story_with_a_photo_makes_a_valid_article_with_its_crops(full_story, channels, photo):
    values = wechat.generate(full_story, _channel(channels))
    assert values["cover"] == photo
    crops = values["data"]["crops"]
    assert crops["2.35:1"] == {"x": 0, "y": 109, "width": 1600, "height": 681}  # 1600×900 photo
    assert crops["1:1"] == {"x": 350, "y": 0, "width": 900, "height": 900}
    assert values["data"]["content_source_url"].startswith("https://www.bjxch.gov.cn/")
    version = Version(story=full_story, channel=_channel(channels), **values)
    assert wechat.validate(version) == []


def test_no_picture_means_no_cover_and_a_clear_problem(bare_story, channels):
    version = Version(story=bare_story, channel=_channel(channels), **wechat.generate(bare_story, _channel(channels)))
    assert version.cover is None
    assert "微信封面图缺失：请从稿件图片中选择封面" in _messages(version)


def test_titles_are_counted_in_characters_emoji_and_extension_b_included(full_story, channels, photo):
    channel = _channel(channels)
    version = Version(story=full_story, channel=channel, **wechat.generate(full_story, channel))
    version.title = "𠀀" * 31 + "😀"  # 32 characters, 64 UTF-16 units
    assert _messages(version) == []
    version.title += "字"
    assert _messages(version) == ["微信标题有 33 字，上限为 32 字。"]
    version.author = "作" * 17
    version.summary = "摘" * 129
    counted = {c.field: (c.count, c.limit, c.over) for c in wechat.counters(version)}
    assert counted["author"] == (17, 16, True) and counted["summary"] == (129, 128, True)


def test_a_long_story_title_is_trimmed_at_a_word_to_fit(full_story, channels, newsroom):
    full_story.title = "西城区召开2026年度社区养老服务驿站建设推进会暨“一刻钟养老服务圈”工作部署会议，全面推进"
    values = wechat.generate(full_story, _channel(channels))
    assert len(values["title"]) <= wechat.TITLE_MAX
    assert "“一刻钟" not in values["title"] or "圈”" in values["title"]


def test_html_wechat_would_reject_is_refused_and_sanitised_away(full_story, channels):
    channel = _channel(channels)
    version = Version(story=full_story, channel=channel, **wechat.generate(full_story, channel))
    version.body = (
        '<p class="lead" onclick="x()">正文</p><script>alert(1)</script><form><input name="q"></form>'
        '<iframe src="https://evil.example"></iframe><link rel="stylesheet" href="https://cdn.example/a.css">'
    )
    messages = _messages(version)
    assert any(m.startswith("微信正文含有微信不接受的内容（") for m in messages)
    for what in ("script", "form", "iframe", "link", "class", "onclick"):
        assert what in " ".join(messages)
    wechat.normalise(version)
    assert _messages(version) == []
    assert version.body == "<p>正文</p>"


def test_the_body_is_inline_styled_by_the_chosen_template():
    html = '<h2>小标题</h2><p>正文<b>加粗</b></p><embed embedtype="image" id="7" alt="驿站"/>'
    for name, styles in wechat.TEMPLATES.items():
        body = wechat.render_body(html, name)
        assert f'<p style="{styles["p"]}">' in body and f'<h2 style="{styles["h2"]}">' in body
        assert 'data-image-id="7"' in body and "class=" not in body and "<style" not in body
        assert not wechat.FORBIDDEN.search(body)
    assert wechat.render_body(html, "classic") != wechat.render_body(html, "modern")


def test_a_body_of_only_images_has_no_text(full_story, channels):
    channel = _channel(channels)
    full_story.body = '<embed embedtype="image" id="1" alt=""/><embed embedtype="image" id="2" alt=""/>'
    version = Version(story=full_story, channel=channel, **wechat.generate(full_story, channel))
    assert version.body.count("<img") == 2
    assert "微信正文没有文字。" in _messages(version)


def test_the_body_limit_is_twenty_thousand_characters(full_story, channels):
    channel = _channel(channels)
    version = Version(story=full_story, channel=channel, **wechat.generate(full_story, channel))
    version.body = "<p>" + "字" * 20_000 + "</p>"
    assert "微信正文有 20007 字，上限为 20000 字。" in _messages(version)


def test_changing_the_template_restyles_nothing_that_was_edited_but_is_kept(full_story, channels, newsroom):
    actions.generate_versions(full_story, user=newsroom[roles.EDITOR], channels=[_channel(channels)])
    version = full_story.versions.get(channel=_channel(channels))
    updated = actions.update_version(version, {"data": {"template": "government"}}, user=newsroom[roles.EDITOR])
    assert updated.data["template"] == "government" and updated.edited
    assert updated.data["crops"]["1:1"]["width"] == 900
