"""The Douyin channel against the fake Douyin: the video's original
uploaded (whole, or in parts above the threshold), then the post created;
Douyin's error codes, the token refreshed in the middle of an upload, and
its other bad days."""

import datetime as dt
import hashlib
import json
import time

import pytest
from django.utils import timezone

from rongmei.core import secrets
from rongmei.core.models import AuditEntry
from rongmei.distribution import queue
from rongmei.distribution.channels.base import Permanent
from rongmei.distribution.channels.douyin import ADAPTER, DouyinAdapter
from rongmei.distribution.fakes.douyin import FakeDouyin
from rongmei.distribution.models import AccessToken, Delivery, DeliveryEvent, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState
TOKEN, REFRESH = "douyin-token", "douyin-refresh"
CREATE, PART = "/video/create/", "/video/part/upload/"


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    """Nothing in these tests waits long for an answer."""
    monkeypatch.setattr(DouyinAdapter, "timeout", (1.0, 3.0))
    monkeypatch.setattr(DouyinAdapter, "upload_timeout", (1.0, 3.0))


@pytest.fixture
def quick_timeout(monkeypatch):
    """A read timeout the fake's ``slow`` answers run past."""
    monkeypatch.setattr(DouyinAdapter, "timeout", (1.0, 0.5))


@pytest.fixture
def douyin():
    with FakeDouyin(token=TOKEN, refresh_token=REFRESH) as fake:
        yield fake


@pytest.fixture
def account(make_channel, douyin):
    return make_channel(
        "douyin",
        base_url=douyin.url,
        credentials={
            "client_key": douyin.client_key,
            "client_secret": "douyin-secret",
            "open_id": douyin.open_id,
            "access_token": TOKEN,
            "refresh_token": REFRESH,
        },
    )


def wait_until(condition, seconds=3.0):
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


def stored_text(caplog) -> str:
    return json.dumps(
        [
            list(DeliveryEvent.objects.values("message", "data")),
            list(AuditEntry.objects.values("data", "object_repr")),
            list(Delivery.objects.values("last_error", "instructions", "checkpoint", "external_url")),
            caplog.text,
        ],
        ensure_ascii=False,
        default=str,
    )


def test_the_video_is_uploaded_whole_and_the_post_created(account, make_delivery, douyin, video):
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    [post] = douyin.published
    item = douyin.items[post["item_id"]]
    assert hashlib.sha256(item["video"]).hexdigest() == video.sha256  # the original, byte for byte
    assert delivery.payload["title"] in post["text"] and "#养老服务" in post["text"]
    assert (delivery.external_id, delivery.external_url) == (post["item_id"], item["share_url"])
    assert douyin.count("POST", "/video/upload/") == 1 and douyin.count("POST", "/video/part/init/") == 0


def test_content_douyin_refuses_fails_at_once_with_a_chinese_message(account, make_delivery, douyin):
    douyin.forbidden_words = ("养老",)
    delivery = settle(make_delivery(account))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "敏感词" in delivery.last_error and delivery.last_error_code == "2111001"
    assert douyin.published == []


def test_a_server_error_is_retried_then_published_once(account, make_delivery, douyin):
    douyin.bad.fail_next = 1
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    assert len(douyin.published) == 1


def test_a_rate_limit_waits_until_the_next_minute(account, make_delivery, douyin):
    douyin.bad.rate_limited_for = 60
    delivery = make_delivery(account)
    before = timezone.now()
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.last_error_code == "http429"
    assert delivery.next_attempt_at.second == 0 and dt.timedelta(0) < delivery.next_attempt_at - before <= dt.timedelta(
        seconds=60
    )
    douyin.bad.rate_limited_for = 0
    assert settle(delivery).state == S.DELIVERED and len(douyin.published) == 1


def test_a_create_that_timed_out_waits_for_a_person_and_is_not_repeated(account, make_delivery, douyin, quick_timeout):
    douyin.bad.slow, douyin.bad.paths = 1.0, (CREATE,)
    delivery = make_delivery(account)
    assert queue.run(delivery.pk) == S.RETRYING
    assert wait_until(lambda: len(douyin.published) == 1)  # Douyin did create it, after our timeout
    douyin.bad.slow = 0
    delivery = settle(delivery)
    assert delivery.state == S.NEEDS_MANUAL_CHECK and "核实" in delivery.instructions
    assert douyin.count("POST", CREATE) == 1 and len(douyin.published) == 1


def test_a_big_video_goes_in_parts_through_a_token_expiry_and_a_failure(
    account, make_delivery, douyin, video, monkeypatch, caplog
):
    monkeypatch.setattr(DouyinAdapter, "chunked_above", 10_000)
    monkeypatch.setattr(DouyinAdapter, "part_size", 8_000)
    douyin.min_part_size = 8_000
    douyin.expire_token_at_part = 2  # the token runs out in the middle of the upload
    douyin.fail_at_part = 3  # and the platform fails on the next part: the attempt ends there
    assert video.size > 3 * 8_000
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    parts = [int(c.query["part_number"]) for c in douyin.calls if c.path == PART]
    assert parts == [1, 2, 2, 3, 3, 4]  # part 1 and 2 were not sent again on the second attempt
    assert douyin.count("POST", "/oauth/refresh_token/") == 1
    [post] = douyin.published
    assert hashlib.sha256(douyin.items[post["item_id"]]["video"]).hexdigest() == video.sha256
    new_token = secrets.decrypt(AccessToken.objects.get(channel=account).token_encrypted)["token"]
    assert new_token != TOKEN and new_token in douyin.tokens
    text = stored_text(caplog)
    assert all(secret not in text for secret in (TOKEN, new_token, REFRESH, "douyin-secret"))


def test_a_token_that_cannot_be_refreshed_asks_for_re_authorisation(account, make_delivery, douyin):
    douyin.expire_tokens()
    douyin.refresh_tokens = set()  # the refresh token ran out too
    delivery = settle(make_delivery(account))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "重新授权" in delivery.last_error and douyin.published == []


def test_daily_figures_of_published_posts_are_fetched(account, make_delivery, douyin):
    delivery = settle(make_delivery(account))
    douyin.items[delivery.external_id]["statistics"].update(play_count=1200, digg_count=85)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    metrics = ADAPTER.fetch_metrics(account, yesterday)
    figures = {(m.name, m.day): m.value for m in metrics if m.external_id == delivery.external_id}
    assert figures[("plays", yesterday)] == 1200 and figures[("likes", yesterday)] == 85
    assert all(m.day >= yesterday for m in metrics)


def test_the_connection_test_reads_the_account(account, douyin):
    http = queue.http_client(account, ADAPTER)
    assert "北京西城" in ADAPTER.test_connection(account, http)
    douyin.expire_tokens()
    douyin.refresh_tokens = set()
    with pytest.raises(Permanent, match="重新授权"):
        ADAPTER.test_connection(account, http)
