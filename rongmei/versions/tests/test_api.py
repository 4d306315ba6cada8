"""Versions through the API: generate, list, get, update, confirm a
translation, preview; permissions, locks and bad input answered in Chinese."""

# ruff: noqa: F401, F811

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.stories import actions as story_actions
from rongmei.stories.models import Story
from rongmei.stories.tests.conftest import api
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


def _generate(api, user, story, **payload):
    return api(user).post(f"/stories/{story.pk}/versions/generate", payload)


def _by_format(versions):
    return {(v["format"], v["language"]): v for v in versions}


def test_editor_generates_every_channel_and_reads_problems_and_counters(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    response = _generate(api, editor, full_story)
    assert response.status_code == 200, response.content
    versions = response.json()
    assert {v["channel_id"] for v in versions} == {c.pk for c in channels.values()}
    wechat = _by_format(versions)[("wechat", "zh-hans")]
    assert wechat["title"] == "西城区新增十家社区养老服务驿站"
    assert wechat["cover_id"] is not None
    counters = {c["field"]: c for c in wechat["counters"]}
    assert counters["title"] == {"field": "title", "count": 15, "limit": 32, "over": False}
    weibo = _by_format(versions)[("weibo", "zh-hans")]
    assert {c["field"] for c in weibo["counters"]} >= {"body"}

    listed = api(newsroom[roles.REVIEW_1]).get(f"/stories/{full_story.pk}/versions")
    assert listed.status_code == 200
    assert [v["id"] for v in listed.json()] == [v["id"] for v in versions]
    one = api(newsroom[roles.REVIEW_1]).get(f"/stories/{full_story.pk}/versions/{wechat['id']}")
    assert one.status_code == 200 and one.json()["title"] == wechat["title"]


def test_generate_for_chosen_channels_and_unknown_channel(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    wechat = channels[("wechat_mp", "zh-hans")]
    response = _generate(api, editor, full_story, channel_ids=[wechat.pk])
    assert response.status_code == 200
    assert [v["channel_id"] for v in response.json()] == [wechat.pk]
    response = _generate(api, editor, full_story, channel_ids=[999999])
    assert response.status_code == 422
    assert "999999" in response.json()["detail"]


def test_a_story_without_pictures_has_the_wechat_cover_problem(api, newsroom, bare_story, channels):
    versions = _generate(api, newsroom[roles.EDITOR], bare_story).json()
    wechat = _by_format(versions)[("wechat", "zh-hans")]
    assert wechat["cover_id"] is None
    # "微信封面图缺失…" once the lead merges the translations.
    assert any(
        p["field"] == "cover" and ("封面" in p["message"] or "cover" in p["message"]) for p in wechat["problems"]
    )


def test_update_a_version_marks_it_edited_and_counts_the_platforms_way(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    versions = _by_format(_generate(api, editor, full_story).json())
    wechat = versions[("wechat", "zh-hans")]
    # Emoji and a CJK Extension B character count as one character each.
    title = "西城养老驿站😀𠀀" + "好" * 25
    response = api(editor).put(f"/stories/{full_story.pk}/versions/{wechat['id']}", {"title": title})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == title and body["edited"] is True
    counter = {c["field"]: c for c in body["counters"]}["title"]
    assert counter["count"] == 33 and counter["over"] is True
    assert any(p["field"] == "title" for p in body["problems"])

    # Generating again keeps the edited version unless asked to overwrite it.
    again = _by_format(_generate(api, editor, full_story).json())[("wechat", "zh-hans")]
    assert again["title"] == title
    again = _by_format(_generate(api, editor, full_story, overwrite_edited=True).json())[("wechat", "zh-hans")]
    assert again["title"] == "西城区新增十家社区养老服务驿站"


def test_update_refuses_bad_input_in_chinese(api, newsroom, full_story, channels, photo):
    editor = newsroom[roles.EDITOR]
    wechat = _by_format(_generate(api, editor, full_story).json())[("wechat", "zh-hans")]
    url = f"/stories/{full_story.pk}/versions/{wechat['id']}"
    assert api(editor).put(url, {}).status_code == 422
    assert api(editor).put(url, {"title": None}).status_code == 422
    assert api(editor).put(url, {"title": "x" * 201}).status_code == 422
    response = api(editor).put(url, {"cover_id": 987654})
    assert response.status_code == 422
    assert "987654" in str(response.json()["detail"])
    response = api(editor).put(url, {"video_id": photo.pk})
    assert response.status_code == 422
    assert api(editor).put(f"/stories/{full_story.pk}/versions/999999", {"title": "x"}).status_code == 404


def test_update_needs_change_permission_and_refuses_a_locked_story(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    wechat = _by_format(_generate(api, editor, full_story).json())[("wechat", "zh-hans")]
    url = f"/stories/{full_story.pk}/versions/{wechat['id']}"
    assert api(newsroom[roles.OPERATOR]).put(url, {"title": "改"}).status_code == 403
    assert api(newsroom[roles.OPERATOR]).post(f"/stories/{full_story.pk}/versions/generate").status_code == 403
    Story.objects.filter(pk=full_story.pk).update(
        locked=True, locked_by=newsroom[roles.REPORTER], locked_at=timezone.now()
    )
    response = api(editor).put(url, {"title": "改"})
    assert response.status_code == 409
    assert "锁定" in response.json()["detail"] or "locked" in response.json()["detail"]
    assert api(editor).post(f"/stories/{full_story.pk}/versions/generate").status_code == 409


def test_editing_a_version_after_approval_sends_the_package_back_to_review(api, newsroom, full_story, channels):
    from rongmei.stories import review

    editor = newsroom[roles.EDITOR]
    versions = _by_format(_generate(api, editor, full_story).json())
    # Approve at 初审 so the story sits at 复审.
    full_story.refresh_from_db()
    story_actions.submit_for_review(full_story, user=newsroom[roles.REPORTER])
    story_actions.decide(Story.objects.get(pk=full_story.pk), user=newsroom[roles.REVIEW_1], decision="approve")
    assert review.current_level(Story.objects.get(pk=full_story.pk)) == 2
    tv = versions[("tv", "zh-hans")]
    response = api(editor).put(f"/stories/{full_story.pk}/versions/{tv['id']}", {"summary": "新的导语。"})
    assert response.status_code == 200
    assert review.current_level(Story.objects.get(pk=full_story.pk)) == 1


def test_confirm_translation(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    versions = _by_format(_generate(api, editor, full_story).json())
    english = versions[("website_en", "en")]
    url = f"/stories/{full_story.pk}/versions/{english['id']}"
    # Nothing translated yet: nothing to confirm.
    response = api(editor).post(f"{url}/confirm-translation")
    assert response.status_code == 400
    filled = api(editor).put(
        url,
        {"title": "Ten new elderly care stations", "body": "<p>Xicheng opens ten stations.</p>",
         "data": {"translation_state": "machine"}},
    )  # fmt: skip
    assert filled.status_code == 200 and filled.json()["data"]["translation_state"] == "machine"
    preview = api(editor).get(f"{url}/preview")
    assert "Machine translation, unconfirmed" in preview.content.decode() or "机器翻译" in preview.content.decode()
    response = api(editor).post(f"{url}/confirm-translation")
    assert response.status_code == 200
    assert response.json()["data"]["translation_state"] == "confirmed"
    # A Chinese version has no translation.
    wechat = versions[("wechat", "zh-hans")]
    assert api(editor).post(f"/stories/{full_story.pk}/versions/{wechat['id']}/confirm-translation").status_code == 422


def test_preview_through_the_api_is_escaped_html(api, newsroom, full_story, channels):
    editor = newsroom[roles.EDITOR]
    versions = _by_format(_generate(api, editor, full_story).json())
    wechat = versions[("wechat", "zh-hans")]
    api(editor).put(
        f"/stories/{full_story.pk}/versions/{wechat['id']}",
        {"title": "<script>alert(1)</script>标题", "body": '<p onclick="x()">正文<script>alert(2)</script></p>'},
    )
    response = api(newsroom[roles.REVIEW_2]).get(f"/stories/{full_story.pk}/versions/{wechat['id']}/preview")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page
    assert "<script>" not in page and "onclick" not in page
    assert "正文" in page


def test_reading_needs_view_permission(api, newsroom, full_story, make_user):
    nobody = make_user("nobody")
    assert api(nobody).get(f"/stories/{full_story.pk}/versions").status_code == 403
    assert api(newsroom[roles.REVIEW_1]).get("/stories/999999/versions").status_code == 404


def test_every_route_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/stories/{story_id}/versions/generate"]
    assert "get" in paths["/api/v1/stories/{story_id}/versions"]
    assert {"get", "put"} <= set(paths["/api/v1/stories/{story_id}/versions/{version_id}"])
    assert "post" in paths["/api/v1/stories/{story_id}/versions/{version_id}/confirm-translation"]
    preview = paths["/api/v1/stories/{story_id}/versions/{version_id}/preview"]["get"]
    assert "text/html" in preview["responses"]["200"]["content"]
