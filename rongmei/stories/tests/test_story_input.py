"""Bad input is refused in plain words or made safe; nothing stored is lost."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rongmei.core import roles
from rongmei.stories import actions
from rongmei.stories.models import BODY_MAX_CHARS, Story
from rongmei.stories.tests.conftest import editor_form

R = roles


def test_html_in_a_title_is_refused(newsroom):
    with pytest.raises(ValidationError) as caught:
        actions.create_story(author=newsroom[R.REPORTER], title="<b>西城</b>新闻")
    assert "title" in caught.value.message_dict
    assert not Story.objects.exists()


def test_an_empty_title_is_refused(newsroom):
    with pytest.raises(ValidationError) as caught:
        actions.create_story(author=newsroom[R.REPORTER], title="   ")
    assert "title" in caught.value.message_dict


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://evil.example/"></iframe>',
        '<p onclick="steal()">点我</p>',
        '<a href="javascript:alert(1)">链接</a>',
        '<img src=x onerror="steal()">',
    ],
)
def test_the_stored_body_has_no_scripts_frames_handlers_or_javascript_urls(newsroom, dangerous):
    story = actions.create_story(author=newsroom[R.REPORTER], title="测试", body=f"<p>正文</p>{dangerous}")
    stored = Story.objects.get(pk=story.pk).body
    for forbidden in ("<script", "<iframe", "onclick", "onerror", "javascript:", "<img"):
        assert forbidden not in stored
    assert "正文" in stored
    assert "javascript:" not in story.latest_revision.content["body"]


def test_a_one_megabyte_body_is_refused_and_the_stored_story_kept(story, newsroom):
    huge = "<p>" + "字" * (1024 * 1024) + "</p>"
    assert len(huge) > BODY_MAX_CHARS
    with pytest.raises(ValidationError) as caught:
        actions.update_story(story, user=newsroom[R.EDITOR], body=huge)
    assert "body" in caught.value.message_dict
    assert Story.objects.get(pk=story.pk).body == story.body


def test_a_reprint_needs_its_source(newsroom):
    with pytest.raises(ValidationError) as caught:
        actions.create_story(author=newsroom[R.REPORTER], title="转载稿", source=Story.Source.REPRINT)
    assert "source_name" in caught.value.message_dict


def test_two_editors_saving_at_once_the_second_gets_a_conflict(story, newsroom):
    opened = story.latest_revision_id
    actions.update_story(story, user=newsroom[R.EDITOR], base_revision_id=opened, summary="第一位编辑的修改")
    with pytest.raises(actions.Conflict, match="未覆盖任何内容"):
        actions.update_story(story, user=newsroom[R.REPORTER], base_revision_id=opened, summary="第二位编辑的修改")
    assert Story.objects.get(pk=story.pk).summary == "第一位编辑的修改"


def test_a_locked_story_cannot_be_changed_by_someone_else(story, newsroom):
    story.locked, story.locked_by = True, newsroom[R.EDITOR]
    story.save()
    with pytest.raises(actions.Conflict, match="锁定"):
        actions.update_story(story, user=newsroom[R.REPORTER], summary="改")


def test_two_editors_in_the_admin_the_second_gets_a_conflict_and_keeps_their_text(client, story, newsroom):
    url = f"/admin/snippets/stories/story/edit/{story.pk}/"
    opened = story.latest_revision
    stale = {"loaded_revision_id": opened.pk, "loaded_revision_created_at": opened.created_at.isoformat()}
    client.force_login(newsroom[R.EDITOR])
    first = client.post(url, {**editor_form(story, title="第一位编辑的标题"), **stale})
    assert first.status_code == 302
    story.refresh_from_db()
    client.force_login(newsroom[R.REPORTER])
    second = client.post(url, {**editor_form(story, title="第二位编辑的标题"), **stale})
    assert second.status_code == 200
    page = second.content.decode()
    assert "有人在您打开稿件后保存了它" in page and "第二位编辑的标题" in page
    story.refresh_from_db()
    assert story.title == "第一位编辑的标题"
    assert story.revisions.count() == 2


def test_autosave_keeps_a_revision_and_refuses_to_overwrite_a_newer_one(client, story, newsroom):
    url = f"/admin/snippets/stories/story/edit/{story.pk}/"
    opened = story.latest_revision
    loaded = {"loaded_revision_id": opened.pk, "loaded_revision_created_at": opened.created_at.isoformat()}
    client.force_login(newsroom[R.REPORTER])
    saved = client.post(url, {**editor_form(story, summary="自动保存的摘要"), **loaded}, HTTP_ACCEPT="application/json")
    assert saved.json()["success"] is True
    story.refresh_from_db()
    assert story.latest_revision.content["summary"] == "自动保存的摘要"
    client.force_login(newsroom[R.EDITOR])
    stale = client.post(url, {**editor_form(story, summary="旧页面的摘要"), **loaded}, HTTP_ACCEPT="application/json")
    assert stale.json()["error_code"] == "invalid_revision"
    story.refresh_from_db()
    assert story.latest_revision.content["summary"] == "自动保存的摘要"


def test_history_compare_revert_and_lock_work_in_the_admin(client, story, newsroom):
    first = story.latest_revision
    actions.update_story(story, user=newsroom[R.REPORTER], title="改过的标题")
    story.refresh_from_db()
    client.force_login(newsroom[R.REPORTER])
    name = "wagtailsnippets_stories_story"
    history = client.get(reverse(f"{name}:history", args=[story.pk]))
    assert history.status_code == 200 and history.content.decode().count("reporter") >= 2
    compare = client.get(reverse(f"{name}:revisions_compare", args=[story.pk, first.pk, story.latest_revision_id]))
    assert compare.status_code == 200 and "改过的标题" in compare.content.decode()
    revert = client.get(reverse(f"{name}:revisions_revert", args=[story.pk, first.pk]))
    assert revert.status_code == 200 and "西城区新增十家社区养老服务驿站" in revert.content.decode()
    assert client.post(reverse(f"{name}:lock", args=[story.pk])).status_code == 302
    story.refresh_from_db()
    assert story.locked and story.locked_by == newsroom[R.REPORTER]
    with pytest.raises(actions.Conflict):
        actions.update_story(story, user=newsroom[R.EDITOR], title="别人锁定时的修改")
