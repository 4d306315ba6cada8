"""Bad input: an over-long message is refused with the limit stated, and
script injection is stored as written and always shown escaped."""

import pytest

from rongmei.interaction.models import CONTENT_LIMIT, Message
from rongmei.interaction.tests.conftest import stored, tracking_number

pytestmark = pytest.mark.django_db

INJECTION = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_a_50000_character_message_is_refused_with_the_limit_stated(citizen):
    response = citizen.send("长" * 50_000)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"留言内容不能超过 {CONTENT_LIMIT} 个字（您输入了 50000 个字）" in page
    assert stored() == 0


def test_a_message_of_exactly_the_limit_is_accepted_with_line_breaks_counted_once(citizen):
    content = ("一" * 99 + "\r\n") * (CONTENT_LIMIT // 100)
    assert citizen.send(content).status_code == 200
    assert len(Message.objects.get().content) == CONTENT_LIMIT - 1  # the last line break is trimmed


def test_script_injection_is_stored_as_written_and_shown_escaped(citizen):
    number = tracking_number(citizen.send(INJECTION, name='<b onmouseover="x()">李</b>'))
    message = Message.objects.get(tracking_number=number)
    assert message.content == INJECTION
    page = citizen.look_up(number).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    refused = citizen.send(INJECTION + "长" * CONTENT_LIMIT).content.decode()  # shown again after an error
    assert "<script>alert" not in refused and "&lt;script&gt;" in refused
