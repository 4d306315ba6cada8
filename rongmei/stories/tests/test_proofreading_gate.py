"""A blocking proofreading hit stops submission until a reviewer overrides it."""

import pytest

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.proofreading.models import Kind, LexiconEntry, Severity
from rongmei.stories import actions, proofread, review
from rongmei.stories.tests.conftest import editor_form

R = roles


@pytest.fixture
def blocked_story(newsroom):
    LexiconEntry.objects.create(kind=Kind.FORBIDDEN, term="某禁用词", severity=Severity.BLOCKING, source="测试")
    return actions.create_story(author=newsroom[R.REPORTER], title="测试稿件", body="<p>文中出现了某禁用词。</p>")


def test_the_hit_is_reported_with_position_rule_and_context(blocked_story):
    hits = [hit for hit in proofread.proofread(blocked_story) if hit.severity == "blocking"]
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.field, hit.text, hit.start, hit.end) == ("body", "某禁用词", 5, 9)
    assert "【某禁用词】" in hit.context
    assert not proofread.summary(hits)["can_submit"]


def test_a_blocked_story_cannot_be_submitted(blocked_story, newsroom):
    with pytest.raises(actions.ProofreadingBlocked):
        actions.submit_for_review(blocked_story, user=newsroom[R.REPORTER])
    blocked_story.refresh_from_db()
    assert review.status(blocked_story)[0] == review.Status.DRAFT


def test_a_reporter_cannot_override_but_a_reviewer_can_with_a_reason(blocked_story, newsroom):
    with pytest.raises(actions.Refused):
        actions.override_proofreading(
            blocked_story, user=newsroom[R.REPORTER], rule="forbidden", text="某禁用词", reason="我觉得可以"
        )
    with pytest.raises(actions.StoryError):
        actions.override_proofreading(
            blocked_story, user=newsroom[R.REVIEW_1], rule="forbidden", text="某禁用词", reason=" "
        )
    actions.override_proofreading(
        blocked_story, user=newsroom[R.REVIEW_1], rule="forbidden", text="某禁用词", reason="引用原文，不可改动"
    )
    entry = AuditEntry.objects.get(action="stories.proofreading.override")
    assert (entry.actor_label, entry.data["reason"]) == ("review1", "引用原文，不可改动")
    actions.submit_for_review(blocked_story, user=newsroom[R.REPORTER])
    blocked_story.refresh_from_db()
    assert review.current_level(blocked_story) == 1


def test_the_api_answers_409_with_the_reason_and_lists_the_hits(api, blocked_story, newsroom):
    response = api(newsroom[R.REPORTER]).post(f"/stories/{blocked_story.pk}/submit")
    assert response.status_code == 409
    hits = api(newsroom[R.REPORTER]).get(f"/stories/{blocked_story.pk}/proofreading").json()
    assert hits["summary"]["can_submit"] is False
    assert any(hit["text"] == "某禁用词" and hit["severity"] == "blocking" for hit in hits["hits"])


def test_the_editor_shows_each_hit_under_its_field(client, blocked_story, newsroom):
    client.force_login(newsroom[R.REPORTER])
    page = client.get(f"/admin/snippets/stories/story/edit/{blocked_story.pk}/").content.decode()
    assert "文中出现了<mark>某禁用词</mark>。" in page
    assert "第 6–9 字" in page
    assert page.index('-body-section"') < page.index("<mark>某禁用词</mark>")
    assert "proofreading/override" not in page


def test_a_reviewer_overrides_on_a_page_of_its_own_and_must_give_a_reason(client, blocked_story, newsroom):
    client.force_login(newsroom[R.REVIEW_1])
    page = client.get(f"/admin/snippets/stories/story/edit/{blocked_story.pk}/").content.decode()
    assert "proofreading/override/?rule=forbidden&amp;text=%E6%9F%90" in page
    url = f"/admin/stories/{blocked_story.pk}/proofreading/override/"
    form = {"rule": "forbidden", "text": "某禁用词"}
    assert "某禁用词" in client.get(url, form).content.decode()
    refused = client.post(url, {**form, "reason": "  "})
    assert refused.status_code == 200 and "请填写豁免理由" in refused.content.decode()
    assert not blocked_story.proofreading_overrides.exists()
    response = client.post(url, {**form, "reason": "引用原文"})
    assert response.status_code == 302
    assert blocked_story.proofreading_overrides.filter(text="某禁用词", by=newsroom[R.REVIEW_1]).exists()


def test_a_reporter_cannot_reach_the_override_page(client, blocked_story, newsroom):
    client.force_login(newsroom[R.REPORTER])
    url = f"/admin/stories/{blocked_story.pk}/proofreading/override/"
    response = client.post(url, {"rule": "forbidden", "text": "某禁用词", "reason": "我觉得可以"})
    assert response.status_code in (302, 403)
    assert not blocked_story.proofreading_overrides.exists()


def test_submitting_from_the_editor_keeps_the_draft_and_refuses_review(client, blocked_story, newsroom):
    client.force_login(newsroom[R.REPORTER])
    url = f"/admin/snippets/stories/story/edit/{blocked_story.pk}/"
    data = editor_form(blocked_story, title="测试稿件（改）", body="<p>文中出现了某禁用词，又改了一句。</p>")
    response = client.post(url, {**data, "action-submit": "on"}, follow=True)
    assert "才能送审" in response.content.decode()
    blocked_story.refresh_from_db()
    assert blocked_story.title == "测试稿件（改）"
    assert review.status(blocked_story)[0] == review.Status.DRAFT
