"""Short video, websites, newspaper, TV and periodical versions."""
# ruff: noqa: F401, F811

import re

from rongmei.versions import text
from rongmei.versions.formats import format_for, newspaper, periodical, short_video, tv, website_en, website_zh
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import bare_story, channels, department, full_story, newsroom, photo, video


def _version(module, story, channel):
    return Version(story=story, channel=channel, **module.generate(story, channel))


def _messages(module, version):
    return [problem.message for problem in module.validate(version)]


def test_every_demo_channel_has_its_format(channels):
    codes = {key: format_for(channel).CODE for key, channel in channels.items()}
    assert codes == {
        ("wechat_mp", "zh-hans"): "wechat",
        ("weibo", "zh-hans"): "weibo",
        ("douyin", "zh-hans"): "short_video",
        ("kuaishou", "zh-hans"): "short_video",
        ("wechat_channels", "zh-hans"): "short_video",
        ("cctv_video", "zh-hans"): "short_video",
        ("newspaper", "zh-hans"): "newspaper",
        ("periodical", "zh-hans"): "periodical",
        ("tv", "zh-hans"): "tv",
        ("website", "zh-hans"): "website_zh",
        ("website", "en"): "website_en",
        ("partner", "zh-hans"): "partner",
    }


def test_short_video_has_title_hashtags_cover_video_and_timed_subtitles(full_story, channels, photo, video):
    version = _version(short_video, full_story, channels[("douyin", "zh-hans")])
    assert version.cover == photo and version.video == video
    assert all(tag in version.summary for tag in version.data["hashtags"])
    assert version.data["hashtags"][0] == "#养老服务"
    cues = re.findall(r"(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.+)", version.data["srt"])
    assert cues and cues[0][8] == "记者从区民政局获悉"
    h, m, s, ms = (int(x) for x in cues[0][4:8])
    assert (h, m, s, ms) == (0, 0, 2, 250)  # 9 characters at 4 a second
    assert _messages(short_video, version) == []


def test_short_video_speaking_rate_is_configurable(full_story, channels):
    version = _version(short_video, full_story, channels[("kuaishou", "zh-hans")])
    version.data["speaking_rate"] = 3
    short_video.normalise(version)
    assert "00:00:00,000 --> 00:00:03,000\n记者从区民政局获悉" in version.data["srt"]


def test_short_video_without_a_video_or_any_picture(bare_story, channels):
    version = _version(short_video, bare_story, channels[("douyin", "zh-hans")])
    messages = _messages(short_video, version)
    assert "短视频缺少视频素材：请在稿件中附加视频。" in messages
    assert "短视频封面缺失：请从稿件图片中选择封面" in messages


def test_website_chinese_has_images_with_captions(full_story, channels, photo):
    version = _version(website_zh, full_story, channels[("website", "zh-hans")])
    assert version.data["images"] == [{"asset": photo.pk, "caption": "社区养老服务驿站里，老人们在吃午饭。"}]
    assert version.summary and text.length(version.summary) <= website_zh.SUMMARY_MAX
    assert _messages(website_zh, version) == []
    version.data["images"][0]["caption"] = ""
    assert _messages(website_zh, version) == ["网站稿件第 1 张图片缺少图片说明。"]


def test_a_website_body_of_only_images_is_allowed_only_with_images(bare_story, channels):
    version = _version(website_zh, bare_story, channels[("website", "zh-hans")])
    version.body = '<embed embedtype="image" id="3" alt=""/>'
    assert _messages(website_zh, version) == ["网站稿件既没有文字也没有图片。"]


def test_english_slot_states(full_story, channels):
    version = _version(website_en, full_story, channels[("website", "en")])
    assert version.data["translation_state"] == "empty" and _messages(website_en, version) == []
    version.title, version.body = "Ten new elderly-care stations", "<p>Xicheng opened ten stations.</p>"
    version.data["images"][0]["caption"] = "Lunch at a station."
    version.data["translation_state"] = "machine"
    assert website_en.state_label(version) == "机器翻译，未经确认"
    assert _messages(website_en, version) == ["英文版为机器翻译，未经确认：须由编辑确认。"]
    version.data["translation_state"] = "confirmed"
    assert _messages(website_en, version) == []


def test_newspaper_body_fits_the_slot_budget(full_story, channels):
    channel = channels[("newspaper", "zh-hans")]
    full_story.body = "".join(
        f"<p>第{i}段。" + "西城区推进社区养老服务驿站建设，让老人在家门口享受服务。" * 6 + "</p>" for i in range(40)
    )
    version = _version(newspaper, full_story, channel)
    budget = newspaper.budget(newspaper.DEFAULT_SLOT, pictures=1)
    assert 0 < newspaper.body_length(version.body) <= budget
    assert version.body.endswith("。")  # cut at a sentence end
    assert version.data["captions"][0]["caption"]
    assert _messages(newspaper, version) == []
    version.data["slot"] = {"columns": 2, "lines": 40, "chars_per_line": 13}
    assert any("版面只能容纳" in m for m in _messages(newspaper, version))
    newspaper.refit(version, full_story)
    assert newspaper.body_length(version.body) <= newspaper.budget(version.data["slot"], 1)
    assert _messages(newspaper, version) == []


def test_newspaper_headline_counted_with_extension_b(full_story, channels):
    version = _version(newspaper, full_story, channels[("newspaper", "zh-hans")])
    version.title = "𠀀" * 25
    assert "报纸稿标题有 25 字，版面只能容纳 24 字。" in _messages(newspaper, version)


def test_tv_script_has_lead_voice_over_sound_bites_lower_thirds_and_duration(full_story, channels):
    version = _version(tv, full_story, channels[("tv", "zh-hans")])
    kinds = [segment["kind"] for segment in version.data["segments"]]
    assert "voiceover" in kinds and "sync" in kinds
    sync = next(s for s in version.data["segments"] if s["kind"] == "sync")
    assert sync["speaker"] == "李大爷" and sync["text"].startswith("以前吃饭")
    assert "李大爷" in version.data["lower_thirds"]
    voice = [s["text"] for s in version.data["segments"] if s["kind"] == "voiceover"]
    expected = text.reading_seconds(version.summary, rate=250) + sum(text.reading_seconds(v, rate=250) for v in voice)
    assert tv.duration(version) == expected + sync["seconds"]
    version.data["reading_rate"] = 125
    assert tv.duration(version) > expected + sync["seconds"]
    assert _messages(tv, version) == []


def test_tv_without_text(bare_story, channels):
    bare_story.body, bare_story.summary = '<embed embedtype="image" id="1" alt=""/>', ""
    version = _version(tv, bare_story, channels[("tv", "zh-hans")])
    assert set(_messages(tv, version)) == {"电视新闻稿缺少导语。", "电视新闻稿没有配音内容。"}


def test_periodical_keeps_the_whole_story(full_story, channels):
    version = _version(periodical, full_story, channels[("periodical", "zh-hans")])
    assert text.plain(version.body) == text.plain(full_story.body)
    assert _messages(periodical, version) == []
