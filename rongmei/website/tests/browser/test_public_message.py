"""A citizen leaves a message without logging in, from the site's 互动交流
column, answering the check question as a person reads it, and later
looks the message up with the tracking number the site gave: it is shown
back exactly as written (markup as text, never run)."""

import re

from rongmei.interaction.models import Message
from rongmei.website.models import ColumnPage

CONTENT = "西长安街路口的路灯坏了三天，晚上很黑。<script>document.title='pwned'</script>"


def answer(question: str) -> str:
    """The answer a person gives to the form's check question ("3 加 4 等于多少？")."""
    a, op, b = re.search(r"(\d+)\s*(加|减|plus|minus|\+|-)\s*(\d+)", question).groups()
    return str(int(a) + int(b) if op in ("加", "plus", "+") else int(a) - int(b))


def test_a_citizen_sends_a_message_and_looks_it_up_by_its_tracking_number(browser):
    column = ColumnPage.objects.get(language="zh-hans", kind="interaction")
    browser.go("/")
    browser.find(".site-nav").find_element("link text", column.title).click()
    browser.wait_for_path(column.url)
    browser.link(column.labels["leave_message"]).click()
    browser.wait_for_path("/hudong/")

    browser.find("#id_content").send_keys(CONTENT)
    browser.find("#id_name").send_keys("王先生")
    browser.find("#id_answer").send_keys(answer(browser.find("label[for=id_answer]").text))
    browser.find("main form button[type=submit]").click()

    number = browser.wait_until(lambda _: browser.find_all("#tracking-number"), message="no tracking number")[0].text
    assert Message.objects.get(tracking_number=number).content == CONTENT

    browser.go("/hudong/chaxun/")
    browser.find("#id_no").send_keys(number)
    browser.find("main form button[type=submit]").click()

    browser.wait_until(lambda _: browser.find_all("#message-content"), message="the message was not found")
    assert browser.find(".tracking-number").text == number
    assert browser.find("#message-content").text == CONTENT
    assert browser.find("#message-status").text == "已受理，待答复"
    assert "pwned" not in browser.title
