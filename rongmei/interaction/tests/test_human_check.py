"""The human check: a small sum in a signed token, valid for an hour and
once; and a field hidden from people that scripts fill in."""

import time

import pytest

from rongmei.interaction import challenge
from rongmei.interaction.tests.conftest import stored, tracking_number

pytestmark = pytest.mark.django_db


def test_a_wrong_answer_is_refused_and_a_new_question_asked(citizen):
    token, right = citizen.open_form()
    response = citizen.send(token=token, answer=str(int(right) + 1))
    assert response.status_code == 400
    page = response.content.decode()
    assert "验证题答案不正确" in page and token not in page
    assert stored() == 0


def test_an_answer_after_an_hour_is_refused(citizen):
    old = challenge.new(issued_at=time.time() - challenge.MAX_AGE - 5)
    answer = old.a + old.b if old.op == "+" else old.a - old.b
    response = citizen.send(token=old.token, answer=str(answer))
    assert response.status_code == 400 and "验证题已过期" in response.content.decode()
    assert stored() == 0


def test_a_form_counts_once(citizen):
    token, right = citizen.open_form()
    assert citizen.send(token=token, answer="-99").status_code == 400  # a guess uses the question up
    response = citizen.send(token=token, answer=right)
    assert response.status_code == 400 and "此表单已经提交过" in response.content.decode()
    token, right = citizen.open_form()
    assert citizen.send("第一条留言", token=token, answer=right).status_code == 200
    assert citizen.send("换了内容再发一次", token=token, answer=right).status_code == 400
    assert stored() == 1


def test_a_second_click_on_submit_shows_the_same_tracking_number(citizen):
    token, right = citizen.open_form()
    first = citizen.send(token=token, answer=right)
    second = citizen.send(token=token, answer=right)
    assert second.status_code == 200 and tracking_number(second) == tracking_number(first)
    assert stored() == 1


def test_a_forged_token_is_refused(citizen):
    _token, right = citizen.open_form()
    response = citizen.send(token="1234:abcd:forged", answer=right)
    assert response.status_code == 400 and "验证信息无效" in response.content.decode()


def test_a_script_that_fills_the_hidden_field_is_refused(citizen):
    page = citizen.client.get(citizen.url).content.decode()
    assert 'class="trap" aria-hidden="true"' in page and 'tabindex="-1"' in page
    response = citizen.send(memo="https://spam.example.com")
    assert response.status_code == 400 and "未能提交" in response.content.decode()
    assert stored() == 0
