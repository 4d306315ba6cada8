"""Generating, editing and confirming versions: in the story's revisions,
audited, never overwriting a person's edit, gated at submission, and sent
back to review when changed after an approval."""
# ruff: noqa: F401, F811

import pytest

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.stories import actions as story_actions
from rongmei.stories import review
from rongmei.versions import actions
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import bare_story, channels, department, full_story, newsroom, photo, video

R = roles


def _approve_all(story, newsroom, reviewers=(R.REVIEW_1, R.REVIEW_2, R.REVIEW_3)):
    for level, reviewer in enumerate(reviewers, start=1):
        story_actions.decide(story, user=newsroom[reviewer], decision="approve", level=level)


def test_one_version_per_active_channel_in_a_new_revision(full_story, channels, newsroom):
    channels[("cctv_video", "zh-hans")].is_active = False
    channels[("cctv_video", "zh-hans")].save()
    before = full_story.latest_revision_id
    versions = actions.generate_versions(full_story, user=newsroom[R.EDITOR])
    active = len(channels) - 1
    assert len(versions) == active and Version.objects.filter(story=full_story).count() == active
    full_story.refresh_from_db()
    assert full_story.latest_revision_id != before
    revision_versions = full_story.latest_revision.content["versions"]
    assert len(revision_versions) == active
    assert AuditEntry.objects.filter(action="versions.generated").exists()


def test_generating_again_keeps_an_edited_version_unless_asked(full_story, channels, newsroom):
    editor = newsroom[R.EDITOR]
    actions.generate_versions(full_story, user=editor)
    weibo = full_story.versions.get(channel=channels[("weibo", "zh-hans")])
    link = weibo.data["link"]
    actions.update_version(weibo, {"body": f"编辑改写的微博 {link}"}, user=editor)
    assert AuditEntry.objects.filter(action="versions.version.edited").exists()
    actions.generate_versions(full_story, user=editor)
    weibo.refresh_from_db()
    assert weibo.edited and weibo.body == f"编辑改写的微博 {link}"
    actions.generate_versions(full_story, user=editor, overwrite_edited=True)
    weibo.refresh_from_db()
    assert not weibo.edited and weibo.body != f"编辑改写的微博 {link}"


def test_update_refuses_unknown_fields_and_assets_not_attached(full_story, bare_story, channels, newsroom, photo):
    editor = newsroom[R.EDITOR]
    actions.generate_versions(bare_story, user=editor)
    version = bare_story.versions.get(channel=channels[("wechat_mp", "zh-hans")])
    with pytest.raises(actions.VersionError):
        actions.update_version(version, {"colour": "red"}, user=editor)
    with pytest.raises(actions.VersionError):
        actions.update_version(version, {"cover": photo.pk}, user=editor)  # attached to another story only


def test_submission_is_refused_with_the_channels_problems(bare_story, channels, newsroom):
    actions.generate_versions(bare_story, user=newsroom[R.EDITOR])
    found = actions.problems(bare_story)
    assert channels[("wechat_mp", "zh-hans")] in found
    with pytest.raises(story_actions.SubmissionBlocked) as refused:
        story_actions.submit_for_review(bare_story, user=newsroom[R.REPORTER])
    assert "微信封面图缺失：请从稿件图片中选择封面" in refused.value.message
    assert refused.value.message.startswith("提交前请先修改：")
    assert refused.value.status == 409
    bare_story.refresh_from_db()
    assert review.status(bare_story)[0] != review.Status.IN_REVIEW


def test_a_story_without_versions_is_not_held_back(bare_story, newsroom):
    story_actions.submit_for_review(bare_story, user=newsroom[R.REPORTER])
    bare_story.refresh_from_db()
    assert review.status(bare_story)[0] == review.Status.IN_REVIEW


def test_editing_a_version_after_zhongshen_sends_the_package_back_to_review(full_story, channels, newsroom):
    editor = newsroom[R.EDITOR]
    actions.generate_versions(full_story, user=editor)
    assert actions.problems(full_story) == {}
    story_actions.submit_for_review(full_story, user=newsroom[R.REPORTER])
    _approve_all(full_story, newsroom)
    full_story.refresh_from_db()
    assert review.status(full_story)[0] == review.Status.APPROVED
    wechat = full_story.versions.get(channel=channels[("wechat_mp", "zh-hans")])
    approved_title = wechat.title
    actions.update_version(wechat, {"title": "终审后改过的微信标题"}, user=editor)
    full_story.refresh_from_db()
    assert review.status(full_story)[0] == review.Status.CHANGED_AFTER_APPROVAL
    wechat.refresh_from_db()
    assert wechat.title == approved_title  # what was approved is what goes out until the change is approved
    pending = [v for v in full_story.latest_revision.content["versions"] if v["channel"] == wechat.channel_id]
    assert pending[0]["title"] == "终审后改过的微信标题" and pending[0]["edited"]
    # a second edit builds on the pending one, not on the approved rows
    actions.update_version(wechat, {"author": "新作者"}, user=editor)
    full_story.refresh_from_db()
    latest = actions.package(full_story).versions.get(channel=wechat.channel)
    assert (latest.title, latest.author) == ("终审后改过的微信标题", "新作者")
    story_actions.submit_for_review(full_story, user=editor)
    _approve_all(full_story, newsroom, ("初审2", "复审2", "终审2"))
    wechat.refresh_from_db()
    assert wechat.title == "终审后改过的微信标题"


def test_editing_a_version_after_the_first_level_restarts_review(full_story, channels, newsroom):
    actions.generate_versions(full_story, user=newsroom[R.EDITOR])
    story_actions.submit_for_review(full_story, user=newsroom[R.REPORTER])
    story_actions.decide(full_story, user=newsroom[R.REVIEW_1], decision="approve", level=1)
    version = full_story.versions.get(channel=channels[("tv", "zh-hans")])
    actions.update_version(version, {"summary": "新的导语。"}, user=newsroom[R.EDITOR])
    full_story.refresh_from_db()
    assert review.current_level(full_story) == 1
    assert AuditEntry.objects.filter(action="stories.story.review_restarted").exists()


def test_a_machine_translation_blocks_until_an_editor_confirms_it(full_story, channels, newsroom):
    editor = newsroom[R.EDITOR]
    actions.generate_versions(full_story, user=editor)
    english = full_story.versions.get(channel=channels[("website", "en")])
    with pytest.raises(actions.VersionError):
        actions.confirm_translation(english, user=editor)
    english = actions.fill_translation(
        english, title="Ten new care stations", summary="", body="<p>Xicheng opened ten stations.</p>", user=editor
    )
    actions.update_version(english, {"data": {"images": [{"asset": 1, "caption": "Lunch."}]}}, user=editor)
    assert english.data["translation_state"] == "machine"
    found = actions.problems(full_story)[channels[("website", "en")]]
    assert [p.message for p in found] == ["英文版为机器翻译，未经确认：须由编辑确认。"]
    with pytest.raises(story_actions.SubmissionBlocked):
        story_actions.submit_for_review(full_story, user=newsroom[R.REPORTER])
    actions.confirm_translation(english, user=editor)
    assert actions.problems(full_story) == {}
    assert AuditEntry.objects.filter(action="versions.translation.confirmed").exists()


def test_an_editor_writing_the_english_text_is_a_confirmed_translation(full_story, channels, newsroom):
    editor = newsroom[R.EDITOR]
    actions.generate_versions(full_story, user=editor)
    english = full_story.versions.get(channel=channels[("website", "en")])
    english = actions.update_version(english, {"title": "Ten stations", "body": "<p>Text.</p>"}, user=editor)
    assert english.data["translation_state"] == "confirmed"


def test_counters_of_a_version(full_story, channels, newsroom):
    actions.generate_versions(full_story, user=newsroom[R.EDITOR])
    weibo = full_story.versions.get(channel=channels[("weibo", "zh-hans")])
    body = next(c for c in actions.counters(weibo) if c.field == "body")
    assert body.limit == 140 and 0 < body.count <= 140


def test_a_story_without_video_gets_no_short_video_versions(bare_story, channels, newsroom):
    versions = actions.generate_versions(bare_story, user=newsroom[R.EDITOR])
    kinds = {version.channel.kind for version in versions}
    assert kinds and not kinds & {"douyin", "kuaishou", "wechat_channels", "cctv_video"}
    assert "weibo" in kinds and "website" in kinds
