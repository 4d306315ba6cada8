"""Bad input is refused in plain words or made safe; nothing stored is lost."""

import pytest
from django.core.exceptions import ValidationError

from rongmei.core import roles
from rongmei.stories import actions
from rongmei.stories.models import BODY_MAX_CHARS, Story

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
