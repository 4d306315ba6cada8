"""The API proofreads text and HTML for any user of the admin with a token,
and lists the lexicon to those who may view it. Mounted at
/api/v1/proofreading."""

import pytest
from wagtail.models import APIToken

from rongmei.core import roles

CHECK_URL = "/api/v1/proofreading/check"
LEXICON_URL = "/api/v1/proofreading/lexicon"


def bearer(user):
    _, token = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reporter(role_users):
    return role_users[roles.REPORTER]


def test_without_a_token_the_api_answers_401(client, db):
    assert client.post(CHECK_URL, {"text": "测试"}, content_type="application/json").status_code == 401
    assert client.get(LEXICON_URL).status_code == 401


def test_a_text_is_checked_and_the_hits_returned_with_a_summary(client, reporter):
    response = client.post(
        CHECK_URL, {"text": "台湾政府称,我们的的目标"}, content_type="application/json", **bearer(reporter)
    )
    assert response.status_code == 200
    body = response.json()
    assert [(hit["start"], hit["end"], hit["text"], hit["rule"]) for hit in body["hits"]] == [
        (0, 4, "台湾政府", "forbidden"),
        (5, 6, ",", "halfwidth_punctuation"),
        (8, 10, "的的", "doubled_character"),
    ]
    assert body["hits"][0]["suggestion"] == "台湾当局"
    assert body["hits"][0]["severity"] == "blocking"
    assert body["hits"][0]["message"]
    assert body["summary"] == {"counts": {"info": 0, "warning": 2, "blocking": 1}, "total": 3, "blocking": True}
    assert body["text"] is None


def test_html_is_checked_as_its_plain_text(client, reporter):
    response = client.post(
        CHECK_URL, {"html": "<p>第一段</p><p>我们的的目标</p>"}, content_type="application/json", **bearer(reporter)
    )
    body = response.json()
    assert body["text"] == "第一段\n我们的的目标"
    assert [(hit["start"], hit["end"]) for hit in body["hits"]] == [(6, 8)]


def test_text_or_html_but_not_both_nor_neither(client, reporter):
    auth = bearer(reporter)
    for payload in ({}, {"text": "甲", "html": "<p>乙</p>"}):
        assert client.post(CHECK_URL, payload, content_type="application/json", **auth).status_code == 422


def test_a_user_without_admin_access_is_refused(client, make_user):
    visitor = make_user("visitor")
    response = client.post(CHECK_URL, {"text": "测试"}, content_type="application/json", **bearer(visitor))
    assert response.status_code == 403


def test_the_lexicon_is_listed_by_kind_to_those_who_may_view_it(client, superuser, make_user):
    response = client.get(LEXICON_URL, {"kind": "leader_order"}, **bearer(superuser))
    assert response.status_code == 200
    assert {entry["kind"] for entry in response.json()} == {"leader_order"}
    assert response.json()[0]["term"].startswith("习近平、李强")
    assert client.get(LEXICON_URL, **bearer(make_user("visitor"))).status_code == 403
