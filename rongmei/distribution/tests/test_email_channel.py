"""The email channel: SMTP to a fake mail server, the partner-media
package attached, and a mail server's bad days."""

import io
import json
import zipfile

import pytest

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution import actions
from rongmei.distribution.channels._package import package_name
from rongmei.distribution.fakes.smtp import FakeSMTP
from rongmei.distribution.models import DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState
DESK = "desk@partner.example.cn"


@pytest.fixture
def mail_server():
    with FakeSMTP() as fake:
        yield fake


@pytest.fixture
def mail_channel(make_channel, mail_server):
    def make(password=None, **options):
        return make_channel(
            "partner",
            transport="email",
            options={"host": mail_server.host, "port": mail_server.port, "from": mail_server.username, "to": [DESK],
                     **options},
            credentials={"username": mail_server.username, "password": password or mail_server.password},
        )  # fmt: skip

    return make


def test_the_story_is_mailed_with_its_package_attached(mail_channel, make_delivery, mail_server):
    delivery = settle(make_delivery(mail_channel()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    [message] = mail_server.messages
    assert mail_server.envelopes == [{"from": mail_server.username, "to": [DESK]}]
    assert message["Subject"] == delivery.payload["title"]
    assert message["Message-ID"] == f"<{delivery.idempotency_key}@center.example.cn>"
    assert delivery.external_id == f"{delivery.idempotency_key}@center.example.cn"
    assert message.get_body(("plain",)).get_content().strip() == delivery.payload["body"].strip()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == package_name(delivery)
    with zipfile.ZipFile(io.BytesIO(attachment.get_content())) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["title"] == delivery.payload["title"]
    assert len(manifest["originals"]) == len(delivery.payload["data"]["originals"]) == 2  # the photo and the video


def test_a_busy_server_451_is_tried_again_and_the_mail_goes_once(mail_channel, make_delivery, mail_server):
    mail_server.data_replies = ["451 4.3.0 Mail server temporarily busy, try again later"]
    delivery = settle(make_delivery(mail_channel()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    assert len(mail_server.messages) == 1
    retrying, delivered = delivery.events.all()
    assert (retrying.state, delivered.state) == (S.RETRYING, S.DELIVERED)
    assert "451" in retrying.message and "稍后重试" in retrying.message


def test_a_550_fails_at_once_in_plain_chinese_with_the_servers_words(mail_channel, make_delivery, mail_server):
    mail_server.refuse_recipients = f"550 5.1.1 <{DESK}>: Mailbox unavailable"
    delivery = settle(make_delivery(mail_channel()))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "收件邮箱不存在或不可用" in delivery.last_error and "Mailbox unavailable" in delivery.last_error
    assert mail_server.messages == []


def test_a_wrong_password_says_so_and_is_never_shown(mail_channel, make_delivery, mail_server, newsroom):
    wrong = "Wr0ng-Passw0rd-7731"
    channel = mail_channel(password=wrong)
    delivery = settle(make_delivery(channel))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "535" in delivery.last_error and "密码错误" in delivery.last_error
    ok, message = actions.test_connection(channel, user=newsroom[roles.OPERATOR])
    assert not ok and "密码错误" in message
    channel.refresh_from_db()
    shown = [
        delivery.last_error,
        delivery.instructions,
        json.dumps(delivery.checkpoint),
        channel.check_message,
        *(f"{e.message} {json.dumps(e.data)}" for e in delivery.events.all()),
        *(json.dumps(a.data, ensure_ascii=False) + a.object_repr for a in AuditEntry.objects.all()),
    ]
    assert not [text for text in shown if wrong in text]
    assert mail_server.logins == [] and mail_server.messages == []


def test_a_connection_dropped_after_the_message_waits_for_a_person(mail_channel, make_delivery, mail_server):
    mail_server.drop_after_data = 1  # the server got the message, the answer never came
    delivery = settle(make_delivery(mail_channel()))
    assert delivery.state == S.NEEDS_MANUAL_CHECK
    assert len(mail_server.messages) == 1  # not sent a second time
    assert [e.state for e in delivery.events.all()] == [S.RETRYING, S.NEEDS_MANUAL_CHECK]
    assert DESK in delivery.instructions and str(delivery.idempotency_key) in delivery.instructions


def test_a_package_over_the_attachment_limit_suggests_sftp(mail_channel, make_delivery, mail_server):
    delivery = settle(make_delivery(mail_channel(attachment_limit_mb=0.01)))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "超过邮件附件上限" in delivery.last_error and "SFTP" in delivery.last_error
    assert mail_server.messages == []


def test_test_connection_logs_in(mail_channel, mail_server, newsroom):
    ok, message = actions.test_connection(mail_channel(), user=newsroom[roles.OPERATOR])
    assert ok and "登录成功" in message
    assert mail_server.logins == [mail_server.username] and mail_server.messages == []
