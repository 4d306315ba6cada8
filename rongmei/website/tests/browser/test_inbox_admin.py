"""A handler of the center (role 运营) works through the inbox (互动中心) in the
admin. Three items came in: a citizen's question from the website form, a
Weibo comment about a gas leak and a WeChat comment about a bus stop. The
handler signs in on the admin's login page, opens the inbox, filters it to
the urgent items (分级 紧急) with the page's own controls and sees the gas
leak alone, marked in red. Then they open the website question, choose the
reply template for enquiries, finish the answer in the reply box and send
it: the page says the reply was sent and the item is answered, the
citizen's message is answered with that text, published for the lookup
page, and the audit log has the reply."""

import datetime as dt

from django.utils import timezone
from selenium.webdriver.support.select import Select

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.interaction import actions, intake
from rongmei.interaction.models import Item, Message, MessageCategory, Reply, Source

PASSWORD = "correct horse battery staple"  # rongmei/conftest.py's make_user
QUESTION = "请问在西城区办理居住证需要什么材料？在哪里办理？"
GAS_LEAK = "楼道里燃气泄漏的味道很重，已经报警了，请尽快派人来看看！"
BUS_STOP = "新街口的公交站牌字太小了，老人看不清，建议换个大一点的。"
TEMPLATE = "咨询答复"  # rongmei/interaction/seed.py: "{author}您好，关于您咨询的问题，办理方式如下："
ANSWER = "请携带身份证和居住登记卡到所在街道政务服务中心办理。"
URGENT_RED = "rgba(180, 35, 24, 1)"  # .inbox-grade--urgent in interaction/inbox.css


def comment(source: str, external_id: str, content: str, author: str) -> intake.Incoming:
    return intake.Incoming(
        source=source,
        external_id=external_id,
        content=content,
        author=author,
        posted_at=timezone.now() - dt.timedelta(minutes=30),
    )


def click(browser, element) -> None:
    """Click a button or a link as a person does, once it is in the middle of
    the window: the admin scrolls smoothly (``scroll-behavior: smooth``), and
    a click aimed while the page still moves lands on something else."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def test_a_handler_filters_the_urgent_items_and_answers_a_website_message(browser, make_user):
    handler = make_user("operator", roles.OPERATOR)
    message = actions.receive(  # what the public form does: the message, and at once its inbox item
        category=MessageCategory.objects.get(name="咨询"), content=QUESTION, name="王先生", phone="13800000000"
    )
    intake.ingest([comment(Source.WEIBO, "wb-1", GAS_LEAK, "李女士"), comment(Source.WECHAT, "wx-1", BUS_STOP, "张")])
    question = Item.objects.get(message=message)
    gas_leak = Item.objects.get(source=Source.WEIBO, external_id="wb-1")
    assert (question.grade, gas_leak.grade) == ("normal", "urgent")

    browser.go("/admin/inbox/")  # not signed in yet: the admin asks who it is first
    browser.wait_for_path("/admin/login/")
    browser.find("#id_username").send_keys(handler.username)
    browser.find("#id_password").send_keys(PASSWORD)
    with browser.loads_a_page():
        click(browser, browser.find("form button[type=submit]"))
    browser.wait_for_path("/admin/inbox/")
    assert browser.find("h1").text == "互动中心"
    assert len(browser.find_all("tr[data-inbox-item]")) == 3

    Select(browser.find(".inbox-filters select[name=grade]")).select_by_visible_text("紧急")
    with browser.loads_a_page():
        click(browser, browser.find(".inbox-filters button[type=submit]"))
    rows = browser.find_all("tr[data-inbox-item]")
    assert [row.get_attribute("data-inbox-item") for row in rows] == [str(gas_leak.pk)]
    assert "符合条件的共 1 条。" in browser.text
    grade = rows[0].find_element("css selector", ".inbox-grade")
    assert grade.text == "紧急"
    assert grade.value_of_css_property("color") == URGENT_RED
    assert int(grade.value_of_css_property("font-weight")) >= 700
    assert GAS_LEAK in rows[0].text and QUESTION not in browser.text

    Select(browser.find(".inbox-filters select[name=grade]")).select_by_visible_text("全部")
    with browser.loads_a_page():
        click(browser, browser.find(".inbox-filters button[type=submit]"))
    with browser.loads_a_page():
        click(browser, browser.find(f"tr[data-inbox-item='{question.pk}']").find_element("link text", QUESTION))
    browser.wait_for_path(f"/admin/inbox/{question.pk}/")
    assert message.tracking_number in browser.find(".inbox-facts").text
    assert browser.find("[data-inbox-status]").text == "新收到"
    assert "尚无回复。" in browser.find(".inbox-replies").text

    Select(browser.find("select[data-inbox-templates]")).select_by_visible_text(TEMPLATE)
    box = browser.find("textarea[data-inbox-reply-text]")
    assert box.get_attribute("value") == "王先生您好，关于您咨询的问题，办理方式如下："
    box.send_keys(ANSWER)
    reply = "王先生您好，关于您咨询的问题，办理方式如下：" + ANSWER
    with browser.loads_a_page():
        click(browser, browser.find(".inbox-forms button[type=submit]"))
    browser.wait_for_path(f"/admin/inbox/{question.pk}/")

    browser.wait_until(  # the admin shows its messages 0.1 s after the page
        lambda _: "回复已发出。" in browser.find(".messages").text, message="no message that the reply was sent"
    )
    assert browser.find("[data-inbox-status]").text == "已答复"
    sent = browser.find(".inbox-replies li[data-reply]")
    assert sent.get_attribute("data-reply-status") == "sent"
    assert sent.find_element("css selector", "strong").text == "已发出"
    assert reply in sent.text
    history = [entry.get_attribute("data-audit") for entry in browser.find_all(".inbox-history li")]
    assert "interaction.reply.send" in history

    question.refresh_from_db()
    message.refresh_from_db()
    assert question.status == Item.Status.ANSWERED and question.first_response_at is not None
    assert message.status == Message.Status.ANSWERED
    assert (message.reply, message.replied_by, message.public_reply) == (reply, handler, reply)
    answer = Reply.objects.get(item=question)
    assert (answer.status, answer.text, answer.template.name) == (Reply.Status.SENT, reply, TEMPLATE)
    written = AuditEntry.objects.get(action="interaction.reply.write", object_id=str(answer.pk))
    assert written.actor == handler and written.data["text"] == reply
    assert AuditEntry.objects.filter(action="interaction.reply.send", object_id=str(answer.pk), actor=handler).exists()
    assert AuditEntry.objects.get(action="interaction.message.answer", object_id=str(message.pk)).data["reply"] == reply
