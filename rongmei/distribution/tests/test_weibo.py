"""The Weibo channel against the fake Weibo: statuses/share with the
safe-domain link and one picture, Weibo's error codes, its bad days, and
why an interrupted share waits for a person."""

import io
import json
import time

import httpx
import pytest
from PIL import Image

from rongmei.core.models import AuditEntry
from rongmei.distribution import queue
from rongmei.distribution.channels import weibo as weibo_channel
from rongmei.distribution.channels.base import Permanent
from rongmei.distribution.channels.weibo import ADAPTER, WeiboAdapter, next_hour
from rongmei.distribution.fakes import weibo as weibo_fake
from rongmei.distribution.fakes.weibo import FakeWeibo
from rongmei.distribution.models import Delivery, DeliveryEvent, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState
TOKEN = "weibo-token"
SHARE = "/2/statuses/share.json"


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    """Nothing in these tests waits long for an answer."""
    monkeypatch.setattr(WeiboAdapter, "timeout", (1.0, 3.0))


@pytest.fixture
def quick_timeout(monkeypatch):
    """A read timeout the fake's ``slow`` answers run past."""
    monkeypatch.setattr(WeiboAdapter, "timeout", (1.0, 0.5))


@pytest.fixture
def weibo():
    with FakeWeibo(safe_domain="bjxch.gov.cn", token=TOKEN) as fake:
        yield fake


@pytest.fixture
def account(make_channel, weibo):
    def make(**options):
        return make_channel(
            "weibo",
            base_url=weibo.url,
            credentials={"access_token": TOKEN},
            options={"safe_domain": "bjxch.gov.cn", "rip": "10.1.2.3", **options},
        )

    return make


def wait_until(condition, seconds=3.0):
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.02)
    return condition()


def stored_text(caplog) -> str:
    """Everything the queue kept or logged about deliveries."""
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


def test_a_post_goes_out_with_its_link_and_a_picture_and_is_recorded(account, make_delivery, weibo):
    delivery = settle(make_delivery(account()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 1
    [post] = weibo.published
    assert (
        post["text"] == delivery.payload["body"].strip()
        and f"https://www.bjxch.gov.cn/news/story-{delivery.story_id}/" in post["text"]
    )
    assert post["picture"] and post["rip"] == "10.1.2.3"  # the video's frame: Weibo's share takes no video
    assert delivery.external_id == post["id"]
    assert delivery.external_url == f"https://weibo.com/{weibo.uid}/{post['id']}"


def test_a_picture_over_the_size_limit_is_re_encoded_under_it(account, make_delivery, weibo, photo, monkeypatch):
    monkeypatch.setattr(weibo_channel, "PIC_MAX_BYTES", 40_000)
    monkeypatch.setattr(weibo_fake, "PIC_MAX_BYTES", 40_000)
    delivery = make_delivery(account())
    delivery.payload["data"]["images"] = [photo.pk]
    delivery.save()
    assert photo.size > 40_000
    assert settle(delivery).state == S.DELIVERED
    [call] = [c for c in weibo.calls if c.path == SHARE]
    _name, data, _type = call.files["pic"]
    assert len(data) < 40_000 and Image.open(io.BytesIO(data)).format == "JPEG"


def test_content_weibo_refuses_fails_at_once_with_a_chinese_message(account, make_delivery, weibo):
    weibo.forbidden_words = ("养老",)
    delivery = settle(make_delivery(account()))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "违规内容" in delivery.last_error and delivery.last_error_code == "20021"
    assert weibo.published == []


def test_a_link_outside_the_safe_domain_is_refused_by_weibo(account, make_delivery, weibo):
    weibo.safe_domain = "xicheng.example.cn"  # the domain registered with the app is another one
    delivery = settle(make_delivery(account(safe_domain="")))
    assert delivery.state == S.FAILED and delivery.last_error_code == "10017"
    assert "安全域名" in delivery.last_error and weibo.published == []


def test_a_link_outside_the_configured_safe_domain_is_not_even_sent(account, make_delivery, weibo):
    delivery = settle(make_delivery(account(safe_domain="xicheng.example.cn")))
    assert delivery.state == S.FAILED and "安全域名" in delivery.last_error
    assert weibo.calls == []


def test_a_server_error_is_retried_then_published_once(account, make_delivery, weibo):
    weibo.bad.fail_next = 1
    delivery = settle(make_delivery(account()))
    assert delivery.state == S.DELIVERED and delivery.attempts == 2
    assert len(weibo.published) == 1 and weibo.count("POST", SHARE) == 2


def test_a_rate_limit_waits_until_the_top_of_the_hour(account, make_delivery, weibo):
    weibo.bad.rate_limited_for = 60
    delivery = make_delivery(account())
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.last_error_code == "10023" and "整点" in delivery.last_error
    assert abs((delivery.next_attempt_at - next_hour()).total_seconds()) < 5
    weibo.bad.rate_limited_for = 0  # the hour turned
    delivery = settle(delivery)
    assert delivery.state == S.DELIVERED and len(weibo.published) == 1


def test_a_share_that_timed_out_waits_for_a_person_and_is_not_repeated(account, make_delivery, weibo, quick_timeout):
    weibo.bad.slow, weibo.bad.paths = 1.0, (SHARE,)
    delivery = make_delivery(account())
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.last_error_code == "timeout"
    assert wait_until(lambda: len(weibo.published) == 1)  # Weibo did post it, after our timeout
    weibo.bad.slow = 0
    delivery = settle(delivery)
    assert delivery.state == S.NEEDS_MANUAL_CHECK
    assert "核实" in delivery.instructions and "登记" in delivery.instructions
    assert weibo.count("POST", SHARE) == 1 and len(weibo.published) == 1


def test_an_expired_token_asks_for_re_authorisation_and_is_never_shown(account, make_delivery, weibo, caplog):
    weibo.expire_tokens()
    delivery = settle(make_delivery(account()))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert delivery.last_error_code == "21327" and "重新授权" in delivery.last_error
    with pytest.raises(Permanent):
        ADAPTER.test_connection(delivery.channel, queue.http_client(delivery.channel, ADAPTER))
    assert "重新授权" in delivery.events.last().message
    assert TOKEN not in stored_text(caplog)


def test_comments_on_published_posts_are_fetched(account, make_delivery, weibo):
    channel = account()
    delivery = settle(make_delivery(channel))
    since = delivery.finished_at
    answer = httpx.post(
        f"{weibo.url}/2/comments/create.json",
        data={
            "access_token": TOKEN,
            "id": delivery.external_id,
            "comment": "驿站很方便，点赞！",
            "screen_name": "西城居民",
        },
    )
    assert answer.status_code == 200
    [comment] = ADAPTER.fetch_comments(channel, since)
    assert (comment.text, comment.author) == ("驿站很方便，点赞！", "西城居民")
    assert comment.parent_external_id == delivery.external_id and comment.url == delivery.external_url


def test_the_connection_test_reads_the_accounts_uid(account, weibo):
    channel = account()
    http = queue.http_client(channel, ADAPTER)
    assert str(weibo.uid) in ADAPTER.test_connection(channel, http)
    weibo.expire_tokens()
    with pytest.raises(Permanent, match="重新授权"):
        ADAPTER.test_connection(channel, http)
