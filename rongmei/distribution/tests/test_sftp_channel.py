"""The SFTP channel: the partner-media package dropped on a fake SFTP
server, atomically, only on a server whose host key checks out."""

import json
import zipfile

import pytest

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution import actions
from rongmei.distribution.channels._package import package_name
from rongmei.distribution.fakes.sftp import FakeSFTP, load, new_private_key, public_line
from rongmei.distribution.models import Channel, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState


@pytest.fixture
def sftp_server():
    with FakeSFTP() as fake:
        yield fake


@pytest.fixture
def sftp_channel(make_channel, sftp_server):
    def make(credentials=None, **options):
        options = {
            "host": sftp_server.host,
            "port": sftp_server.port,
            "directory": "/upload",
            "host_key": sftp_server.host_key_line,
            **options,
        }
        credentials = credentials or {"username": sftp_server.username, "password": sftp_server.password}
        return make_channel("partner", transport="sftp", options=options, credentials=credentials)

    return make


def test_the_package_is_written_under_a_temporary_name_then_renamed(sftp_channel, make_delivery, sftp_server):
    delivery = settle(make_delivery(sftp_channel()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    name = package_name(delivery)
    assert name.endswith(f"-{delivery.story_id}-{delivery.idempotency_key}.zip")
    assert sftp_server.files() == [name] and delivery.external_id == f"/upload/{name}"
    assert sftp_server.writes() == [f"/upload/.{name}.part"]  # the final name is never written to
    assert ("rename", f"/upload/.{name}.part", f"/upload/{name}") in sftp_server.log
    with zipfile.ZipFile(sftp_server.root / "upload" / name) as package:
        assert json.loads(package.read("manifest.json"))["title"] == delivery.payload["title"]
        assert len(package.namelist()) == 4  # manifest, text and the two originals


def test_a_server_with_another_host_key_is_refused_before_logging_in(sftp_channel, make_delivery, sftp_server):
    impostor = public_line(load(new_private_key()))
    delivery = settle(make_delivery(sftp_channel(host_key=impostor)))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "主机密钥" in delivery.last_error and "不一致" in delivery.last_error
    assert sftp_server.logins == [] and sftp_server.files() == []  # the password never left


def test_an_unknown_host_key_is_refused_unless_the_first_one_is_trusted(
    sftp_channel, make_delivery, sftp_server, newsroom
):
    delivery = settle(make_delivery(sftp_channel(host_key="")))
    assert delivery.state == S.FAILED and "尚未登记" in delivery.last_error
    assert sftp_server.logins == []
    channel = sftp_channel(host_key="", trust_first_key=True)
    ok, message = actions.test_connection(channel, user=newsroom[roles.OPERATOR])
    assert ok, message
    options = Channel.objects.get(pk=channel.pk).options
    assert options["host_key"] == sftp_server.host_key_line and "trust_first_key" not in options
    assert AuditEntry.objects.filter(action="distribution.channel.host_key_pinned", object_id=str(channel.pk)).exists()


def test_a_connection_cut_after_the_rename_is_reconciled_not_uploaded_again(sftp_channel, make_delivery, sftp_server):
    sftp_server.drop_after_rename = 1  # the file is in place, but the answer never comes
    delivery = settle(make_delivery(sftp_channel()))
    assert delivery.state == S.DELIVERED
    assert [e.state for e in delivery.events.all()] == [S.RETRYING, S.DELIVERED]
    name = package_name(delivery)
    assert sftp_server.files() == [name]  # exactly one file
    assert len(sftp_server.writes()) == 1  # found by reconcile, not uploaded twice
    assert ("stat", f"/upload/{name}") in sftp_server.log


def test_a_wrong_password_is_refused_and_never_shown(sftp_channel, make_delivery, sftp_server):
    wrong = "not-the-Pass-4412"
    delivery = settle(make_delivery(sftp_channel(credentials={"username": sftp_server.username, "password": wrong})))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "拒绝了登录" in delivery.last_error and wrong not in delivery.last_error
    assert sftp_server.files() == []


def test_a_private_key_logs_in(sftp_channel, make_delivery, sftp_server):
    pem = new_private_key()
    sftp_server.authorized_key = load(pem)
    delivery = settle(make_delivery(sftp_channel(credentials={"username": sftp_server.username, "private_key": pem})))
    assert delivery.state == S.DELIVERED
    assert sftp_server.logins == [("publickey", sftp_server.username, True)]


def test_a_missing_directory_fails_at_once(sftp_channel, make_delivery, sftp_server):
    delivery = settle(make_delivery(sftp_channel(directory="/nowhere")))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "没有目录 /nowhere" in delivery.last_error


def test_test_connection_lists_the_directory(sftp_channel, sftp_server, newsroom):
    (sftp_server.root / "upload" / "earlier.zip").write_bytes(b"x")
    ok, message = actions.test_connection(sftp_channel(), user=newsroom[roles.OPERATOR])
    assert ok and "1 个文件" in message
    ok, message = actions.test_connection(sftp_channel(directory="/nowhere"), user=newsroom[roles.OPERATOR])
    assert not ok and "没有目录" in message
