"""The Kuaishou channel against the fake Kuaishou: start_upload, the
upload (whole or in fragments), publish; Kuaishou's result codes, its bad
days, and the video list that tells whether an interrupted publish
happened."""

import datetime as dt
import hashlib
import io
import json
import time

import pytest
from django.utils import timezone
from PIL import Image

from rongmei.core.models import AuditEntry
from rongmei.distribution import queue
from rongmei.distribution.channels.base import Permanent
from rongmei.distribution.channels.kuaishou import ADAPTER, PAGE_URL, KuaishouAdapter
from rongmei.distribution.fakes.kuaishou import FakeKuaishou
from rongmei.distribution.models import Delivery, DeliveryEvent, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState
TOKEN, REFRESH, SECRET = "kuaishou-token", "kuaishou-refresh", "ks-secret"
PUBLISH, FRAGMENT = "/openapi/photo/publish", "/api/upload/fragment"


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    """Nothing in these tests waits long for an answer."""
    monkeypatch.setattr(KuaishouAdapter, "timeout", (1.0, 3.0))
    monkeypatch.setattr(KuaishouAdapter, "upload_timeout", (1.0, 3.0))


@pytest.fixture
def quick_timeout(monkeypatch):
    """A read timeout the fake's ``slow`` answers run past."""
    monkeypatch.setattr(KuaishouAdapter, "timeout", (1.0, 0.5))


@pytest.fixture
def kuaishou():
    with FakeKuaishou(token=TOKEN, refresh_token=REFRESH, app_secret=SECRET) as fake:
        yield fake


@pytest.fixture
def account(make_channel, kuaishou):
    return make_channel(
        "kuaishou",
        base_url=kuaishou.url,
        credentials={
            "app_id": kuaishou.app_id,
            "app_secret": SECRET,
            "open_id": "kuaishou-open-id",
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


def test_the_video_is_uploaded_whole_and_published_with_caption_and_cover(account, make_delivery, kuaishou, video):
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    [post] = kuaishou.published
    photo = kuaishou.photos[post["photo_id"]]
    assert hashlib.sha256(photo["video"]).hexdigest() == video.sha256  # the original, byte for byte
    assert delivery.payload["title"] in photo["caption"] and "#养老服务" in photo["caption"]
    assert Image.open(io.BytesIO(photo["cover_bytes"])).format == "JPEG"
    assert delivery.external_id == post["photo_id"]
    assert delivery.external_url == PAGE_URL.format(photo_id=post["photo_id"])
    assert kuaishou.count("POST", "/api/upload/multipart") == 1 and kuaishou.count("POST", FRAGMENT) == 0


def test_a_big_video_goes_in_fragments_and_an_expired_token_is_refreshed(
    account, make_delivery, kuaishou, video, monkeypatch, caplog
):
    monkeypatch.setattr(KuaishouAdapter, "fragments_above", 10_000)
    monkeypatch.setattr(KuaishouAdapter, "fragment_size", 8_000)
    kuaishou.expire_tokens()
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    assert kuaishou.count("GET", "/oauth2/refresh_token") == 1
    assert [int(c.query["fragment_id"]) for c in kuaishou.calls if c.path == FRAGMENT] == [0, 1, 2, 3]
    [post] = kuaishou.published
    assert hashlib.sha256(kuaishou.photos[post["photo_id"]]["video"]).hexdigest() == video.sha256
    text = stored_text(caplog)
    assert all(secret not in text for secret in [TOKEN, REFRESH, SECRET, *kuaishou.tokens])


def test_content_kuaishou_refuses_fails_at_once_with_a_chinese_message(account, make_delivery, kuaishou):
    kuaishou.forbidden_words = ("养老",)
    delivery = settle(make_delivery(account))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "快手拒绝发布" in delivery.last_error and "违规" in delivery.last_error
    assert kuaishou.published == []


def test_a_server_error_on_publish_is_retried_then_published_once(account, make_delivery, kuaishou):
    kuaishou.bad.fail_next, kuaishou.bad.paths = 1, (PUBLISH,)
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    assert len(kuaishou.published) == 1 and kuaishou.count("POST", PUBLISH) == 2


def test_a_rate_limit_waits_until_the_next_minute(account, make_delivery, kuaishou):
    kuaishou.bad.rate_limited_for = 60
    delivery = make_delivery(account)
    before = timezone.now()
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.last_error_code == "100200102"
    wait = delivery.next_attempt_at - before
    assert delivery.next_attempt_at.second == 0 and dt.timedelta(0) < wait <= dt.timedelta(seconds=60)
    kuaishou.bad.rate_limited_for = 0
    assert settle(delivery).state == S.DELIVERED and len(kuaishou.published) == 1


def test_a_publish_that_timed_out_is_found_in_the_video_list_and_not_repeated(
    account, make_delivery, kuaishou, quick_timeout
):
    kuaishou.bad.slow, kuaishou.bad.paths = 1.0, (PUBLISH,)
    delivery = make_delivery(account)
    assert queue.run(delivery.pk) == S.RETRYING
    assert wait_until(lambda: len(kuaishou.published) == 1)  # Kuaishou did publish it, after our timeout
    kuaishou.bad.slow = 0
    delivery = settle(delivery)
    assert delivery.state == S.DELIVERED
    assert delivery.external_id == kuaishou.published[0]["photo_id"]
    assert kuaishou.count("POST", PUBLISH) == 1 and kuaishou.count("GET", "/openapi/photo/list") == 1


def test_a_publish_lost_on_the_way_is_not_in_the_list_and_is_sent_again_once(
    account, make_delivery, kuaishou, quick_timeout
):
    kuaishou.lose_next_publish = True
    delivery = settle(make_delivery(account))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    assert kuaishou.count("POST", PUBLISH) == 2 and len(kuaishou.published) == 1
    assert delivery.external_id == kuaishou.published[0]["photo_id"]


def test_a_token_that_cannot_be_refreshed_asks_for_re_authorisation(account, make_delivery, kuaishou):
    kuaishou.expire_tokens()
    kuaishou.refresh_tokens = set()
    delivery = settle(make_delivery(account))
    assert delivery.state == S.FAILED and "重新授权" in delivery.last_error


def test_views_likes_and_comments_of_published_videos_are_fetched(account, make_delivery, kuaishou):
    delivery = settle(make_delivery(account))
    kuaishou.photos[delivery.external_id].update(view_count=3400, like_count=120, comment_count=9)
    metrics = ADAPTER.fetch_metrics(account, timezone.localdate())
    figures = {(m.name, m.external_id): m.value for m in metrics}
    assert figures[("views", delivery.external_id)] == 3400
    assert figures[("likes", delivery.external_id)] == 120 and figures[("comments", delivery.external_id)] == 9
    assert figures[("videos", "")] == 1


def test_the_connection_test_reads_the_account(account, kuaishou):
    http = queue.http_client(account, ADAPTER)
    assert "北京西城" in ADAPTER.test_connection(account, http)
    kuaishou.expire_tokens()
    kuaishou.refresh_tokens = set()
    with pytest.raises(Permanent, match="重新授权"):
        ADAPTER.test_connection(account, http)
