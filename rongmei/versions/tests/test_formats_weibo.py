"""The Weibo post: 140 counted Weibo's way, #话题#, the website link, pictures or a video."""
# ruff: noqa: F401, F811

from rongmei.versions import text
from rongmei.versions.formats import format_for, weibo
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import bare_story, channels, department, full_story, newsroom, photo, video


def _version(story, channels):
    channel = channels[("weibo", "zh-hans")]
    return Version(story=story, channel=channel, **weibo.generate(story, channel))


def _messages(version):
    return [problem.message for problem in weibo.validate(version)]


def test_the_post_fits_140_counted_weibos_way_with_hashtags_and_the_link(full_story, channels):
    assert format_for(channels[("weibo", "zh-hans")]) is weibo
    full_story.body = "<p>" + "西城区持续推进社区养老服务驿站建设，让老人在家门口享受助餐、助浴等服务。" * 8 + "</p>"
    version = _version(full_story, channels)
    assert text.weibo_length(version.body) <= 140
    assert version.data["link"] in version.body and version.body.startswith("#")
    assert all(tag.startswith("#") and tag.endswith("#") for tag in version.data["hashtags"])
    assert version.video is not None and version.data["images"] == []  # a video, so no pictures
    assert _messages(version) == []


def test_ascii_counts_half_so_a_longer_latin_post_still_fits(full_story, channels):
    version = _version(full_story, channels)
    link = version.data["link"]
    version.body = "a" * (280 - len(link) - 1) + " " + link
    assert _messages(version) == []
    version.body = "中" * 140 + " " + link
    assert _messages(version) == [f"按微博计数规则，这条微博有 {140 + (len(link) + 2) // 2} 字，上限为 140 字。"]
    version.data["long_text"] = True
    assert _messages(version) == []


def test_emoji_and_extension_b_count_one_each(full_story, channels):
    version = _version(full_story, channels)
    link = version.data["link"]
    room = 140 - text.weibo_length(" " + link)
    version.body = "😀𠀀" * (room // 2) + " " + link
    assert text.weibo_length(version.body) <= 140 and _messages(version) == []


def test_the_website_link_is_required(full_story, channels):
    version = _version(full_story, channels)
    version.body = version.body.replace(version.data["link"], "")
    assert "微博正文中必须包含网站稿件链接。" in _messages(version)
    version.data["link"] = ""
    assert "微博需要网站稿件链接：请在渠道设置中填写政府网站的公开地址。" in _messages(version)


def test_at_most_nine_pictures_or_one_video(bare_story, channels, video):
    version = _version(bare_story, channels)
    version.data["images"] = list(range(1, 11))
    assert "微博最多配 9 张图片。" in _messages(version)
    version.data["images"] = [1]
    version.video = video
    assert "一条微博只能配图片或一个视频，不能同时使用。" in _messages(version)
