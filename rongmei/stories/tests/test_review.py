"""The three-level review (三审): 初审 → 复审 → 终审, by the right people only."""

import pytest
from django.test import override_settings
from wagtail.models import TaskState

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.stories import actions, review

R = roles


def approve(story, user, level=None, comment=""):
    return actions.decide(story, user=user, decision="approve", level=level, comment=comment)


def test_a_submitted_story_waits_at_the_first_level(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    story.refresh_from_db()
    assert review.status(story)[0] == review.Status.IN_REVIEW
    assert review.current_level(story) == 1


def test_three_approvals_by_three_people_approve_the_story(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, newsroom[R.REVIEW_1], level=1)
    story.refresh_from_db()
    assert review.current_level(story) == 2
    approve(story, newsroom[R.REVIEW_2], level=2)
    approve(story, newsroom[R.REVIEW_3], level=3, comment="同意刊发")
    story.refresh_from_db()
    assert review.status(story)[0] == review.Status.APPROVED
    assert story.live
    sheet = review.review_sheet(story)
    approved = str(review.DECISIONS[TaskState.STATUS_APPROVED])
    assert [(row.level_name, row.reviewer, row.decision) for row in sheet] == [
        ("初审", str(newsroom[R.REVIEW_1]), approved),
        ("复审", str(newsroom[R.REVIEW_2]), approved),
        ("终审", str(newsroom[R.REVIEW_3]), approved),
    ]
    assert all(row.at is not None for row in sheet)
    assert sheet[2].comment == "同意刊发"


@pytest.mark.parametrize("wrong_role", [R.REPORTER, R.EDITOR, R.REVIEW_2, R.REVIEW_3, R.DIRECTOR, R.ADMINISTRATOR])
def test_only_the_levels_group_approves_at_that_level(story, newsroom, wrong_role):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    with pytest.raises(actions.Refused):
        approve(story, newsroom[wrong_role])
    assert review.current_level(story) == 1


def test_a_superuser_does_not_review(story, newsroom, superuser):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    with pytest.raises(actions.Refused):
        approve(story, superuser)


def test_nobody_approves_their_own_story(newsroom):
    reviewer = newsroom[R.REVIEW_1]
    reviewer.groups.add(*newsroom[R.REPORTER].groups.all())
    own = actions.create_story(author=reviewer, title="初审编辑自己写的稿件")
    actions.submit_for_review(own, user=reviewer)
    with pytest.raises(actions.Refused, match="自己的稿件"):
        approve(own, reviewer)


def test_nobody_approves_two_levels_of_the_same_story(story, newsroom):
    double = newsroom[R.REVIEW_1]
    double.groups.add(*newsroom[R.REVIEW_2].groups.all())
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, double, level=1)
    with pytest.raises(actions.Refused):
        approve(story, double, level=2)
    approve(story, newsroom["复审2"], level=2)
    assert review.current_level(story) == 3


@override_settings(RONGMEI_REVIEW_DISTINCT_REVIEWERS=False)
def test_the_two_levels_rule_can_be_switched_off(story, newsroom):
    double = newsroom[R.REVIEW_1]
    double.groups.add(*newsroom[R.REVIEW_2].groups.all())
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, double, level=1)
    approve(story, double, level=2)
    assert review.current_level(story) == 3


def test_approving_at_the_wrong_level_or_twice_is_refused_clearly(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    with pytest.raises(actions.Conflict, match="初审"):
        approve(story, newsroom[R.REVIEW_2], level=2)
    approve(story, newsroom[R.REVIEW_1], level=1)
    with pytest.raises(actions.Conflict):
        approve(story, newsroom[R.REVIEW_1], level=1)  # already done


def test_sending_back_needs_a_comment_and_returns_the_story_to_its_author(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, newsroom[R.REVIEW_1], level=1)
    with pytest.raises(actions.StoryError, match="退回理由"):
        actions.decide(story, user=newsroom[R.REVIEW_2], decision="reject", comment="  ")
    assert review.current_level(story) == 2
    actions.decide(story, user=newsroom[R.REVIEW_2], decision="reject", comment="数据来源需核实")
    story.refresh_from_db()
    assert review.status(story)[0] == review.Status.REJECTED
    assert review.review_sheet(story)[-1].comment == "数据来源需核实"
    # The author fixes it and submits again: the review goes on.
    actions.update_story(story, user=newsroom[R.REPORTER], summary="数据已核实。")
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    story.refresh_from_db()
    assert review.status(story)[0] == review.Status.IN_REVIEW


def test_editing_after_an_approval_sends_the_story_back_to_the_first_level(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, newsroom[R.REVIEW_1], level=1)
    approve(story, newsroom[R.REVIEW_2], level=2)
    actions.update_story(story, user=newsroom[R.EDITOR], title="西城区新增十二家社区养老服务驿站")
    story.refresh_from_db()
    assert review.current_level(story) == 1
    assert AuditEntry.objects.filter(action="stories.story.review_restarted").exists()


def test_editing_an_approved_story_keeps_what_was_approved_until_the_change_is_reviewed(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    for level, reviewer in enumerate((R.REVIEW_1, R.REVIEW_2, R.REVIEW_3), start=1):
        approve(story, newsroom[reviewer], level=level)
    approved_title = story.title
    actions.update_story(story, user=newsroom[R.EDITOR], title="未经审核的新标题")
    story.refresh_from_db()
    assert story.live and story.title == approved_title  # what is published did not change
    assert story.latest_revision.content["title"] == "未经审核的新标题"
    assert review.status(story)[0] == review.Status.CHANGED_AFTER_APPROVAL
    actions.submit_for_review(story, user=newsroom[R.EDITOR])
    for level, reviewer in enumerate(("初审2", "复审2", "终审2"), start=1):
        approve(story, newsroom[reviewer], level=level)
    story.refresh_from_db()
    assert story.title == "未经审核的新标题" and review.status(story)[0] == review.Status.APPROVED


def test_every_step_is_audited(story, newsroom):
    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    approve(story, newsroom[R.REVIEW_1], level=1)
    actions.decide(story, user=newsroom[R.REVIEW_2], decision="reject", comment="标题不准确")
    logged = list(AuditEntry.objects.filter(object_id=str(story.pk)).values_list("action", "actor_label"))
    assert ("wagtail.create", "reporter") in logged
    assert ("wagtail.workflow.start", "reporter") in logged
    assert ("wagtail.workflow.approve", "review1") in logged
    assert ("wagtail.workflow.reject", "review2") in logged


def test_the_review_sheet_exports_as_docx(client, story, newsroom):
    import io

    from docx import Document

    actions.submit_for_review(story, user=newsroom[R.REPORTER])
    actions.decide(story, user=newsroom[R.REVIEW_1], decision="reject", comment="缺少采访对象身份信息")
    client.force_login(newsroom[R.DIRECTOR])
    response = client.get(f"/admin/stories/{story.pk}/review-sheet/", {"format": "docx"})
    assert response.status_code == 200
    text = "\n".join(
        cell.text for table in Document(io.BytesIO(response.content)).tables for row in table.rows for cell in row.cells
    )
    assert story.title in text
    assert "缺少采访对象身份信息" in text
    assert str(newsroom[R.REVIEW_1]) in text
    assert client.get(f"/admin/stories/{story.pk}/review-sheet/").status_code == 200


def test_nobody_can_publish_a_story_directly(story, superuser):
    from wagtail.permissions import policy_registry

    from rongmei.stories.models import Story

    policy = policy_registry.get_by_type(Story)
    assert not policy.user_has_permission(superuser, "publish")
