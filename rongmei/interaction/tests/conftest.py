# ruff: noqa: F811 - fixtures are parameters named like the fixtures imported here
"""Fixtures of the 政民互动 tests: a citizen who fills in the public form as
a person would — reads the question off the page and answers it — and a
message waiting for a reply."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rongmei.interaction import actions
from rongmei.interaction.models import Message, MessageCategory
from rongmei.stories.tests.conftest import newsroom, story  # noqa: F401 - fixtures

QUESTION = re.compile(r"(\d+) (加|减|plus|minus) (\d+)")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CONTENT = "我们小区门口的路灯坏了一个多月，晚上出行很不安全，希望尽快修好。"


def read_form(html: str) -> tuple[str, str]:
    """The token of the form and the right answer to its question."""
    a, op, b = QUESTION.search(html).groups()
    answer = int(a) + int(b) if op in ("加", "plus") else int(a) - int(b)
    return TOKEN.search(html).group(1), str(answer)


class Citizen:
    """A visitor of the public site (``ip``: the address it comes from)."""

    def __init__(self, client, ip="203.0.113.7", language="zh-hans"):
        self.client = client
        self.ip = ip
        self.url = reverse("interaction:submit" if language == "zh-hans" else "interaction:submit_en")
        self.lookup_url = reverse("interaction:lookup" if language == "zh-hans" else "interaction:lookup_en")

    def open_form(self) -> tuple[str, str]:
        response = self.client.get(self.url, REMOTE_ADDR=self.ip)
        assert response.status_code == 200
        return read_form(response.content.decode())

    def send(self, content=CONTENT, *, category=None, token=None, answer=None, **fields):
        """Fill in and send the form; returns the response."""
        if token is None:
            token, right = self.open_form()
            answer = right if answer is None else answer
        category = category or MessageCategory.objects.get(name="建议")
        data = {"category": category.pk, "content": content, "token": token, "answer": answer, **fields}
        return self.client.post(self.url, data, REMOTE_ADDR=self.ip)

    def look_up(self, number):
        return self.client.get(self.lookup_url, {"no": number}, REMOTE_ADDR=self.ip)


def tracking_number(response) -> str:
    return re.search(r'id="tracking-number">([^<]+)<', response.content.decode()).group(1)


@pytest.fixture
def citizen(client, db):
    return Citizen(client)


@pytest.fixture
def message(db):
    return actions.receive(category=MessageCategory.objects.get(name="投诉"), content=CONTENT, name="王先生")


@pytest.fixture
def new_message(db):
    def make(**fields):
        return actions.receive(
            category=MessageCategory.objects.get(name=fields.pop("category", "咨询")),
            content=fields.pop("content", CONTENT),
            **fields,
        )

    return make


def stored() -> int:
    return Message.objects.count()


# -- the inbox (多平台互动)


@pytest.fixture
def organisation(db):
    from rongmei.core.models import Organisation

    return Organisation.objects.get_or_create(name="北京市西城区融媒体中心")[0]


@pytest.fixture
def make_account(organisation):
    """``make_account(kind, base_url, credentials)``: a channel account on a fake platform."""
    from rongmei.distribution.models import Channel

    def make(kind, base_url, credentials, **fields):
        channel = Channel(
            organisation=organisation,
            kind=kind,
            name=f"测试{kind}{Channel.objects.count()}",
            api_base_url=base_url,
            **fields,
        )
        channel.credentials = credentials
        channel.save()
        return channel

    return make


@pytest.fixture
def published(story):
    """``published(channel, external_id, url)``: a delivery the platform confirmed, an hour ago."""
    import datetime as dt

    from django.utils import timezone

    from rongmei.distribution.models import Delivery, DeliveryState

    def make(channel, external_id, url="", **fields):
        return Delivery.objects.create(
            story=story,
            channel=channel,
            payload={},
            state=DeliveryState.DELIVERED,
            external_id=external_id,
            external_url=url,
            finished_at=timezone.now() - dt.timedelta(hours=1),
            give_up_at=timezone.now() + dt.timedelta(hours=1),
            **fields,
        )

    return make


def incoming(n=0, *, source="weibo", content="小区门口的路灯坏了一个多月", hours_ago=1.0, **fields):
    """An :class:`rongmei.interaction.intake.Incoming` for tests."""
    import datetime as dt

    from django.utils import timezone

    from rongmei.interaction.intake import Incoming

    return Incoming(
        source=source,
        external_id=fields.pop("external_id", f"t-{n}"),
        content=content,
        posted_at=timezone.now() - dt.timedelta(hours=hours_ago),
        **fields,
    )
