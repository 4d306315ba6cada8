"""Stories through /api/v1: the same rules as the admin, checked on the server."""

import pytest

from rongmei.core import roles
from rongmei.stories.models import Category, Story

R = roles


@pytest.fixture
def filed(api, newsroom):
    response = api(newsroom[R.REPORTER]).post(
        "/stories",
        {
            "title": "什刹海冰场迎来开放首日",
            "summary": "冰场今日开放。",
            "body": "<p>什刹海冰场今日开放，市民纷纷前来体验。</p>",
            "category_id": Category.objects.get(name="文化").pk,
            "keywords": ["什刹海", "冰场"],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_reporter_files_and_reads_a_story(api, newsroom, filed):
    assert filed["status"] == "draft"
    assert filed["author"] == str(newsroom[R.REPORTER])
    assert filed["keywords"] == ["什刹海", "冰场"]
    got = api(newsroom[R.EDITOR]).get(f"/stories/{filed['id']}")
    assert got.status_code == 200 and got.json()["title"] == "什刹海冰场迎来开放首日"


def test_roles_without_the_permission_are_refused(api, newsroom, filed):
    assert api(newsroom[R.FINANCE]).get("/stories").status_code == 403
    assert api(newsroom[R.DIRECTOR]).post("/stories", {"title": "主任不写稿"}).status_code == 403
    assert api(newsroom[R.DIRECTOR]).put(f"/stories/{filed['id']}", {"title": "改"}).status_code == 403


def test_the_whole_review_through_the_api(api, newsroom, filed):
    story_id = filed["id"]
    assert api(newsroom[R.REPORTER]).post(f"/stories/{story_id}/submit").json()["review_level"] == 1
    wrong = api(newsroom[R.REVIEW_2]).post(f"/stories/{story_id}/review", {"decision": "approve", "level": 2})
    assert wrong.status_code == 409 and "初审" in wrong.json()["detail"]
    assert api(newsroom[R.REPORTER]).post(f"/stories/{story_id}/review", {"decision": "approve"}).status_code == 403
    for level, role in ((1, R.REVIEW_1), (2, R.REVIEW_2), (3, R.REVIEW_3)):
        response = api(newsroom[role]).post(f"/stories/{story_id}/review", {"decision": "approve", "level": level})
        assert response.status_code == 200, response.content
    body = api(newsroom[R.DIRECTOR]).get(f"/stories/{story_id}").json()
    assert (body["status"], body["approved"]) == ("approved", True)
    sheet = api(newsroom[R.DIRECTOR]).get(f"/stories/{story_id}/review-sheet").json()
    assert [row["level_name"] for row in sheet] == ["初审", "复审", "终审"]
    again = api(newsroom[R.REVIEW_3]).post(f"/stories/{story_id}/review", {"decision": "approve", "level": 3})
    assert again.status_code == 409


def test_sending_back_without_a_comment_is_refused(api, newsroom, filed):
    api(newsroom[R.REPORTER]).post(f"/stories/{filed['id']}/submit")
    response = api(newsroom[R.REVIEW_1]).post(f"/stories/{filed['id']}/review", {"decision": "reject"})
    assert response.status_code == 400
    assert Story.objects.get(pk=filed["id"]).current_workflow_task.level == 1


def test_bad_input_gets_clear_errors(api, newsroom, filed):
    reporter = api(newsroom[R.REPORTER])
    assert reporter.post("/stories", {"title": ""}).status_code == 422
    assert reporter.post("/stories", {"title": "<i>标题</i>"}).status_code == 422
    bad_date = reporter.post("/stories", {"title": "日期", "planned_publish_at": "2024-13-45"})
    assert bad_date.status_code == 422
    assert "planned_publish_at" in bad_date.content.decode()


def test_a_stale_revision_gets_409_and_nothing_is_lost(api, newsroom, filed):
    first = api(newsroom[R.EDITOR]).put(
        f"/stories/{filed['id']}", {"base_revision_id": filed["revision_id"], "summary": "编辑甲"}
    )
    assert first.status_code == 200
    second = api(newsroom[R.REPORTER]).put(
        f"/stories/{filed['id']}", {"base_revision_id": filed["revision_id"], "summary": "编辑乙"}
    )
    assert second.status_code == 409
    assert Story.objects.get(pk=filed["id"]).summary == "编辑甲"


def test_search_finds_chinese_words_inside_longer_words(api, newsroom):
    reporter = api(newsroom[R.REPORTER])
    reporter.post("/stories", {"title": "区融媒体中心发布年度报告", "body": "<p>报告回顾全年工作。</p>"})
    reporter.post("/stories", {"title": "社区食堂开张", "body": "<p>居民享受养老服务新举措。</p>"})
    reporter.post("/stories", {"title": "养老驿站扩容", "body": "<p>驿站新增床位。</p>"})
    reporter.post("/stories", {"title": "金融街论坛开幕", "body": "<p>论坛聚焦金融发展。</p>"})

    def titles(q):
        response = reporter.get("/stories", q=q)
        assert response.status_code == 200
        return [row["title"] for row in response.json()]

    assert titles("融媒体") == ["区融媒体中心发布年度报告"]
    found = titles("养老")
    assert set(found) == {"社区食堂开张", "养老驿站扩容"}
    assert found[0] == "养老驿站扩容"  # a title hit ranks above a body hit
    assert titles("论坛") == ["金融街论坛开幕"]
    assert titles("。") == []
