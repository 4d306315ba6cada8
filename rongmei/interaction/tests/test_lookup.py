"""Looking a message up by its tracking number: its status, and the reply
once it is published; never the citizen's contact details."""

import pytest

from rongmei.core import roles
from rongmei.interaction import actions

pytestmark = pytest.mark.django_db


def test_a_received_message_shows_its_status_and_content(citizen, message):
    response = citizen.look_up(message.tracking_number)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已受理，待答复" in page and message.content in page and "投诉" in page
    assert "王先生" not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_published_reply_is_shown(citizen, message, role_users):
    actions.answer(message, user=role_users[roles.OPERATOR], reply="您好，路灯已于本周修复。感谢您的监督！")
    page = citizen.look_up(message.tracking_number).content.decode()
    assert "已答复" in page and "路灯已于本周修复" in page and "答复时间" in page


def test_an_unpublished_reply_is_not_shown(citizen, message, role_users):
    actions.answer(message, user=role_users[roles.OPERATOR], reply="涉及个人信息的答复", publish=False)
    page = citizen.look_up(message.tracking_number).content.decode()
    assert "已答复" in page and "涉及个人信息" not in page and "答复未公开" in page


def test_a_number_typed_loosely_is_found(citizen, message):
    typed = message.tracking_number.lower().replace("-", " ").replace("0", "o")
    assert citizen.look_up(typed).status_code == 200


def test_an_unknown_number_is_a_404_with_a_clear_message(citizen, message):
    unknown = message.tracking_number[:-1] + ("A" if message.tracking_number[-1] != "A" else "B")
    response = citizen.look_up(unknown)
    assert response.status_code == 404
    assert f"没有找到编号为“{unknown}”的留言" in response.content.decode()
    assert citizen.look_up("<script>").status_code == 404


def test_the_lookup_page_without_a_number_asks_for_one(citizen):
    response = citizen.client.get(citizen.lookup_url)
    assert response.status_code == 200 and "请输入查询编号" in response.content.decode()
