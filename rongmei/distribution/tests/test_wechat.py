"""The WeChat official account adapter (公众号) against the fake WeChat API:
a story with pictures goes out once and only once, through tokens that
expire, server errors, rate limits, lost answers and jobs that fail later
or never end; the PUBLISHJOBFINISH callback; mass sending by hand."""

import datetime as dt
import json
import time

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from rongmei.archive.tasks import make_renditions
from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution import actions, queue, wechat_callback
from rongmei.distribution.actions import DeliveryRefused
from rongmei.distribution.channels import wechat
from rongmei.distribution.channels.wechat import WeChatAdapter, mass_send
from rongmei.distribution.fakes.wechat import APPID, SECRET, FakeWeChat
from rongmei.distribution.models import AccessToken, Delivery, DeliveryEvent, DeliveryState
from rongmei.distribution.tests.conftest import settle

pytestmark = pytest.mark.django_db
S = DeliveryState
CALLBACK_TOKEN = "rongmei-callback-7f3c"
SUBMIT = "/cgi-bin/freepublish/submit"


@pytest.fixture(autouse=True)
def quick_adapter(monkeypatch):
    """Short HTTP timeouts and poll waits, so bad days take milliseconds."""
    monkeypatch.setattr(WeChatAdapter, "timeout", (1.0, 0.4))
    monkeypatch.setattr(WeChatAdapter, "first_poll_after", 2.0)


@pytest.fixture(scope="module")
def wechat_server():
    with FakeWeChat() as server:
        yield server


@pytest.fixture
def fake(wechat_server):
    wechat_server.reset()
    return wechat_server


@pytest.fixture
def channel(make_channel, fake):
    return make_channel(
        "wechat_mp", base_url=fake.url, credentials={"appid": APPID, "secret": SECRET, "token": CALLBACK_TOKEN}
    )


@pytest.fixture
def article(make_delivery, channel, photo, video):
    """``article(video=False, **changes)``: a delivery of the story's WeChat
    version whose body shows the archive's photo (and, with ``video``, the
    video's poster frame) and an outside picture WeChat will not keep."""
    make_renditions(photo.pk)  # the worker's job, after the ingest commits

    def make(video_poster=False, **changes):
        delivery = make_delivery(channel, **changes)
        body = delivery.payload["body"] + f'<p><img data-asset-id="{photo.pk}" alt="驿站"></p>'
        if video_poster:
            make_renditions(video.pk)
            body += f'<p><img data-asset-id="{video.pk}" alt="视频截图"></p>'
        body += '<p><img src="https://example.com/outside.jpg" alt="外链"></p>'
        delivery.payload = {**delivery.payload, "body": changes.get("body", body)}
        delivery.save(update_fields=["payload"])
        return delivery

    return make


def states(delivery):
    return [event.state for event in delivery.events.all()]


def test_an_article_with_pictures_and_a_cover_is_published_once(fake, article, photo):
    delivery = settle(article(video_poster=True))
    assert delivery.state == S.DELIVERED
    assert len(fake.published) == 1
    assert delivery.external_id == fake.published[0]["article_id"]
    assert delivery.external_url == fake.published[0]["url"]
    assert states(delivery) == [S.IN_PROGRESS, S.DELIVERED]  # accepted, then confirmed by the poll
    # Both pictures went up through uploadimg, and the body uses WeChat's addresses.
    assert fake.count("POST", "/cgi-bin/media/uploadimg") == 2
    draft = next(iter(fake.drafts.values()))[0]
    assert sum(url in draft["content"] for url in fake.images) == 2
    assert "data-asset-id" not in draft["content"] and "example.com" not in draft["content"]
    # The cover is permanent material with the version's crops.
    assert draft["thumb_media_id"] == delivery.checkpoint["steps"]["cover"]["media_id"]
    assert fake.materials[draft["thumb_media_id"]]["type"] == "image"
    assert draft["pic_crop_235_1"].startswith("0.000000_") and draft["pic_crop_1_1"]
    assert draft["title"] == delivery.payload["title"] and draft["digest"] == delivery.payload["summary"]
    assert fake.count("POST", "/cgi-bin/message/mass/sendall") == 0  # notifying followers is never automatic


def test_through_the_channels_outbound_proxy_every_call_goes_by_the_gateway(fake, article, channel):
    from rongmei.distribution.fakes.proxy import FakeProxy

    with FakeProxy() as gateway:
        channel.proxy_url = gateway.url
        channel.save(update_fields=["proxy_url"])
        delivery = settle(article())
    assert delivery.state == S.DELIVERED and len(fake.published) == 1
    assert gateway.forwarded and all(url.startswith(fake.url + "/cgi-bin/") for url in gateway.forwarded)
    assert len(gateway.forwarded) == len(fake.calls)  # not one call went around the gateway


def test_a_body_picture_over_the_size_limit_is_made_smaller(fake, article, monkeypatch):
    monkeypatch.setattr(WeChatAdapter, "image_max_bytes", 20_000)
    fake.image_max_bytes = 20_000
    delivery = settle(article())
    assert delivery.state == S.DELIVERED
    uploads = [c.files["media"][1] for c in fake.calls if c.path == "/cgi-bin/media/uploadimg"]
    assert len(uploads) == 1 and all(len(data) < 20_000 for data in uploads)
    assert all(data[:3] == b"\xff\xd8\xff" for data in uploads)  # JPEG


def test_every_worker_shares_one_token(fake, article):
    first, second = article(), article()
    assert settle(first).state == S.DELIVERED and settle(second).state == S.DELIVERED
    assert len(fake.token_calls()) == 1
    stored = AccessToken.objects.get(channel=first.channel)
    assert stored.token == fake.current_token and fake.current_token not in stored.token_encrypted
    assert stored.expires_at > timezone.now() + dt.timedelta(minutes=100)


def test_a_token_expiring_in_the_middle_of_a_batch_is_refreshed_and_the_call_repeated_once(fake, article):
    batch = [article() for _ in range(3)]
    assert settle(batch[0]).state == S.DELIVERED
    fake.expire_tokens_after = 2  # the second delivery's third call finds its token expired
    assert [settle(d).state for d in batch[1:]] == [S.DELIVERED, S.DELIVERED]
    tokens = fake.token_calls()
    assert len(tokens) == 2 and tokens[1].json()["force_refresh"] is True
    assert len(fake.published) == 3
    assert all(len(d.events.filter(state=S.RETRYING)) == 0 for d in batch)  # refreshed within the attempt


def test_a_token_still_refused_after_the_refresh_is_retried_later(fake, article, monkeypatch):
    delivery = article()
    fake.expire_tokens_after = 0
    original = fake.issue_token

    def expired_at_once(**kwargs):  # WeChat hands out a token that is already dead
        fake.expire_tokens_after = 0
        return original(**kwargs)

    monkeypatch.setattr(fake, "issue_token", expired_at_once)
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert "仍被微信拒绝" in delivery.last_error and len(fake.token_calls()) == 2
    monkeypatch.setattr(fake, "issue_token", original)
    fake.expire_tokens_after = None
    assert settle(delivery).state == S.DELIVERED and len(fake.published) == 1


def test_server_errors_are_retried_then_delivered(fake, article):
    fake.bad.fail_next = 2
    delivery = settle(article())
    assert delivery.state == S.DELIVERED and len(fake.published) == 1
    retries = delivery.events.filter(state=S.RETRYING)
    assert retries.count() == 2 and "HTTP 500" in retries.first().message


@pytest.mark.parametrize(
    ("errcode", "reset", "words"),
    [(45011, wechat.next_minute, "每分钟"), (45009, wechat.next_beijing_midnight, "北京时间零点")],
)
def test_a_rate_limit_waits_until_it_resets(fake, article, errcode, reset, words):
    delivery = article()
    Delivery.objects.filter(pk=delivery.pk).update(give_up_at=timezone.now() + dt.timedelta(days=2))
    fake.rate_limit_errcode = errcode
    fake.bad.rate_limited_for = 60
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= reset(delivery.updated_at - dt.timedelta(seconds=1))
    assert delivery.next_attempt_at > timezone.now() and words in delivery.last_error
    assert delivery.last_error_code == str(errcode)
    fake.bad.rate_limited_for = 0
    assert settle(delivery).state == S.DELIVERED


def test_reset_times_of_the_rate_limits():
    beijing = wechat.BEIJING
    now = dt.datetime(2026, 3, 5, 23, 59, 30, 500, tzinfo=beijing)
    assert wechat.next_minute(now) == dt.datetime(2026, 3, 6, 0, 0, tzinfo=beijing)
    assert wechat.next_beijing_midnight(now) == dt.datetime(2026, 3, 6, 0, 0, tzinfo=beijing)
    utc_evening = dt.datetime(2026, 3, 5, 17, 0, tzinfo=dt.UTC)  # already 01:00 on the 6th in Beijing
    assert wechat.next_beijing_midnight(utc_evening) == dt.datetime(2026, 3, 7, 0, 0, tzinfo=beijing)


def test_a_lost_submit_answer_is_found_in_the_published_list_and_never_sent_twice(fake, article):
    delivery = article()
    fake.answer_late = {SUBMIT: 1.0}  # WeChat publishes, but its answer comes after our timeout
    assert queue.run(delivery.pk) == S.RETRYING
    delivery.refresh_from_db()
    assert delivery.checkpoint["intents"] == ["submit"] and len(fake.published) == 1
    fake.answer_late = {}
    delivery = settle(delivery)
    assert delivery.state == S.DELIVERED
    assert fake.count("POST", SUBMIT) == 1 and len(fake.published) == 1
    assert delivery.external_id == fake.published[0]["article_id"]
    assert fake.count("POST", "/cgi-bin/freepublish/batchget") >= 1


def test_a_lost_submit_not_listed_yet_is_looked_for_again_not_submitted_again(fake, article):
    delivery = article()
    fake.bad.slow, fake.bad.paths = 1.5, (SUBMIT,)  # WeChat takes the submit only after our timeout
    assert queue.run(delivery.pk) == S.RETRYING
    fake.bad.slow = 0
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert queue.run(delivery.pk) == S.RETRYING  # not in the list yet, and too recent to resubmit
    delivery.refresh_from_db()
    assert "暂未找到" in delivery.last_error and delivery.checkpoint["intents"] == ["submit"]
    deadline = time.monotonic() + 5
    while not fake.published and time.monotonic() < deadline:
        time.sleep(0.05)
    delivery = settle(delivery)
    assert delivery.state == S.DELIVERED and fake.count("POST", SUBMIT) == 1 and len(fake.published) == 1


def test_a_lost_submit_that_never_got_published_is_submitted_again_after_the_grace(fake, article, monkeypatch):
    monkeypatch.setattr(WeChatAdapter, "reconcile_grace", dt.timedelta(0))
    delivery = article()
    fake.answer_late = {SUBMIT: 1.0}
    fake.publish_outcome = [1, 3]  # that job fails on WeChat's side: it never reaches the published list
    assert queue.run(delivery.pk) == S.RETRYING
    fake.answer_late, fake.publish_outcome = {}, [0]
    delivery = settle(delivery)
    assert delivery.state == S.DELIVERED and fake.count("POST", SUBMIT) == 2 and len(fake.published) == 1


@pytest.mark.parametrize(("status", "reason"), [(2, "原创校验未通过"), (4, "审核未通过")])
def test_a_job_accepted_then_failed_later_fails_with_the_reason_in_chinese(fake, article, status, reason):
    fake.publish_outcome = [1, 1, status]
    delivery = settle(article())
    assert delivery.state == S.FAILED and not fake.published
    assert delivery.last_error.startswith("微信发布失败") and reason in delivery.last_error
    assert states(delivery) == [S.IN_PROGRESS, S.FAILED]


def test_after_a_failed_job_an_operators_retry_submits_the_draft_again(fake, article, newsroom):
    fake.publish_outcome = [1, 3]
    delivery = settle(article())
    assert delivery.state == S.FAILED
    fake.publish_outcome = [0]
    delivery = settle(actions.retry(delivery, user=newsroom[roles.OPERATOR]))
    assert delivery.state == S.DELIVERED and len(fake.published) == 1
    assert fake.count("POST", SUBMIT) == 2 and fake.count("POST", "/cgi-bin/draft/add") == 1


def test_a_job_that_never_finishes_waits_for_a_person_at_its_deadline(fake, article):
    fake.never_finishes = True
    delivery = article()
    Delivery.objects.filter(pk=delivery.pk).update(give_up_at=timezone.now() + dt.timedelta(seconds=30))
    delivery = settle(delivery)
    assert delivery.state == S.NEEDS_MANUAL_CHECK and delivery.instructions
    assert fake.count("POST", "/cgi-bin/freepublish/get") >= 3  # it was asked, with growing waits
    assert not fake.published


def test_content_wechat_rejects_fails_at_once_with_its_message_in_chinese(fake, article):
    delivery = settle(article(title="西城区新增十家社区养老服务驿站，预计年内全部投入使用，老人在家门口就能吃上热乎饭"))
    assert delivery.state == S.FAILED and delivery.attempts == 1
    assert "标题超过微信的长度限制（32 个字以内）" in delivery.last_error and delivery.last_error_code == "45003"
    assert fake.count("POST", SUBMIT) == 0 and not fake.published


def test_a_draft_wechat_wants_handled_in_its_console_waits_for_a_person(fake, article):
    fake.submit_errcode = 53503
    delivery = settle(article())
    assert delivery.state == S.NEEDS_MANUAL_CHECK
    assert "草稿箱" in delivery.instructions and "53503" in delivery.instructions
    assert not delivery.checkpoint.get("intents")  # WeChat said no: nothing is left uncertain


def test_a_correction_of_a_published_article_is_left_to_a_person(fake, article):
    delivery = article()
    Delivery.objects.filter(pk=delivery.pk).update(action="update")
    delivery = settle(delivery)
    assert delivery.state == S.NEEDS_MANUAL_CHECK and "发表记录" in delivery.instructions
    assert fake.calls == []


def test_test_connection_says_so_in_chinese_and_names_the_ip_whitelist(fake, channel, newsroom):
    operator = newsroom[roles.OPERATOR]
    ok, message = actions.test_connection(channel, user=operator)
    assert ok and message.startswith("连接正常")
    fake.ip_whitelist = {"10.1.2.3"}
    ok, message = actions.test_connection(channel, user=operator)
    assert not ok and "IP 白名单" in message and "40164" in message


def test_credentials_and_tokens_never_appear_in_events_audit_or_errors(fake, article, channel, newsroom):
    settle(article())
    fake.expire_tokens_after = 0
    settle(article())  # a refreshed token
    AccessToken.objects.all().delete()
    fake.secret = "a-new-secret-the-channel-does-not-know"
    wrong = settle(article())
    assert wrong.state == S.FAILED and "AppSecret 无效" in wrong.last_error
    actions.test_connection(channel, user=newsroom[roles.OPERATOR])
    secrets = [APPID, SECRET, CALLBACK_TOKEN, *fake.tokens]
    assert len(secrets) >= 5
    texts = [
        json.dumps([e.message, e.data], ensure_ascii=False) for e in DeliveryEvent.objects.all()
    ] + [
        json.dumps([a.data, a.object_repr], ensure_ascii=False) for a in AuditEntry.objects.all()
    ] + [
        json.dumps([d.last_error, d.instructions, d.checkpoint], ensure_ascii=False) for d in Delivery.objects.all()
    ]  # fmt: skip
    channel.refresh_from_db()
    texts.append(channel.check_message)
    assert not [s for s in secrets for text in texts if s in text]


def test_the_token_never_reaches_the_logs(fake, article, caplog):
    with caplog.at_level("INFO", logger="httpx"):
        settle(article())
    assert "access_token=***" in caplog.text
    assert not any(token in caplog.text for token in fake.tokens)


# -- the PUBLISHJOBFINISH callback


def signed(params: dict, token=CALLBACK_TOKEN) -> dict:
    params = {"timestamp": str(int(time.time())), "nonce": "83921", **params}
    return {**params, "signature": wechat_callback.signature(token, params["timestamp"], params["nonce"])}


def publish_job_finish(publish_id, status=0) -> bytes:
    return (
        "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>"
        "<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>"
        "<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo>"
        f"<publish_id>{publish_id}</publish_id><publish_status>{status}</publish_status>"
        "<article_id><![CDATA[Ab4-Abc]]></article_id><article_detail><count>1</count>"
        "<item><idx>1</idx><article_url><![CDATA[http://mp.weixin.qq.com/s/x]]></article_url></item>"
        "</article_detail></PublishEventInfo></xml>"
    ).encode()


def post_event(channel, body, params=None):
    factory = RequestFactory()
    query = "&".join(f"{k}={v}" for k, v in (params or signed({})).items())
    request = factory.post(f"/channels/wechat/{channel.pk}/?{query}", data=body, content_type="text/xml")
    return wechat_callback.callback(request, channel_id=channel.pk)


def test_the_callback_address_is_verified_by_its_signature(channel):
    assert resolve(f"/{channel.pk}/", urlconf=wechat_callback).func is wechat_callback.callback
    factory = RequestFactory()
    answer = wechat_callback.callback(factory.get("/", signed({"echostr": "5843175371"})), channel_id=channel.pk)
    assert answer.status_code == 200 and answer.content == b"5843175371"
    forged = signed({"echostr": "5843175371"}, token="not-the-token")
    assert wechat_callback.callback(factory.get("/", forged), channel_id=channel.pk).status_code == 403


def test_publish_job_finish_makes_the_poll_happen_now_and_only_the_poll_delivers(
    fake, article, channel, django_capture_on_commit_callbacks
):
    fake.never_finishes = True
    delivery = article()
    assert queue.run(delivery.pk) == S.IN_PROGRESS
    delivery.refresh_from_db()
    publish_id = delivery.checkpoint["steps"]["submit"]["publish_id"]
    assert delivery.next_attempt_at > timezone.now()

    # The callback says published, but WeChat's own answer still says publishing: not delivered.
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_event(channel, publish_job_finish(publish_id))
    assert answer.content == b"success"
    delivery.refresh_from_db()
    assert delivery.state == S.IN_PROGRESS and not fake.published
    assert fake.count("POST", "/cgi-bin/freepublish/get") == 1  # the poll was made at once

    fake.never_finishes = False
    with django_capture_on_commit_callbacks(execute=True):
        post_event(channel, publish_job_finish(publish_id))
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.external_id == fake.published[0]["article_id"]


def test_a_forged_or_unknown_publish_job_finish_changes_nothing(fake, article, channel):
    fake.never_finishes = True
    delivery = article()
    queue.run(delivery.pk)
    delivery.refresh_from_db()
    publish_id = delivery.checkpoint["steps"]["submit"]["publish_id"]
    forged = signed({}, token="guessed")
    assert post_event(channel, publish_job_finish(publish_id), forged).status_code == 403
    assert post_event(channel, publish_job_finish("999")).content == b"success"
    assert post_event(channel, b"<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>").content == b"success"
    after = Delivery.objects.get(pk=delivery.pk)
    assert after.next_attempt_at == delivery.next_attempt_at and after.state == S.IN_PROGRESS


# -- mass sending (群发), comments, figures


def test_mass_send_is_an_explicit_audited_action_sent_once(fake, article, newsroom):
    operator = newsroom[roles.OPERATOR]
    delivery = article()
    with pytest.raises(DeliveryRefused, match="发布成功后"):
        mass_send(delivery, operator)  # not before WeChat has published it
    delivery = settle(delivery)
    with pytest.raises(DeliveryRefused, match="运营"):
        mass_send(delivery, newsroom[roles.REPORTER])
    sent = mass_send(delivery, operator)
    assert len(fake.mass_sent) == 1 and fake.mass_sent[0]["clientmsgid"] == str(delivery.idempotency_key)
    assert fake.mass_sent[0]["media_id"] == delivery.checkpoint["steps"]["draft"]["media_id"]
    assert sent["msg_data_id"] == fake.mass_sent[0]["msg_data_id"]
    assert AuditEntry.objects.filter(action="distribution.delivery.mass_send", actor=operator).count() == 1
    with pytest.raises(DeliveryRefused):
        mass_send(delivery, operator)
    # Had the record been lost after WeChat sent it, the same clientmsgid still sends nothing new.
    Delivery.objects.filter(pk=delivery.pk).update(checkpoint={**Delivery.objects.get(pk=delivery.pk).checkpoint,
                                                              "mass_send": None})  # fmt: skip
    again = mass_send(delivery, operator)
    assert again["already_sent"] and again["msg_id"] == fake.mass_sent[0]["msg_id"] and len(fake.mass_sent) == 1


def test_comments_and_daily_figures_are_read_from_wechat(fake, article, channel):
    delivery = settle(article())
    now = int(time.time())
    fake.comments[delivery.external_id] = [
        {"user_comment_id": i, "openid": f"o{i}", "create_time": now - 60, "content": f"第{i}条留言",
         "comment_type": int(i == 3), "reply": {"content": "谢谢", "create_time": now}}
        for i in range(1, 61)
    ] + [{"user_comment_id": 99, "openid": "old", "create_time": now - 86400 * 3, "content": "旧留言"}]  # fmt: skip
    since = timezone.now() - dt.timedelta(days=1)
    comments = wechat.ADAPTER.fetch_comments(channel, since)
    assert len(comments) == 60 and comments[0].text == "第1条留言" and comments[0].url == delivery.external_url
    assert comments[2].extra["elected"] and comments[2].extra["reply"] == "谢谢"
    assert fake.count("POST", "/cgi-bin/comment/list") == 2  # pages under 50

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    fake.stats[yesterday.isoformat()] = [
        {"ref_date": yesterday.isoformat(), "msgid": "2247483647_1", "title": delivery.payload["title"],
         "int_page_read_user": 120, "int_page_read_count": 150, "share_count": 12, "add_to_fav_count": 3}
    ]  # fmt: skip
    metrics = wechat.ADAPTER.fetch_metrics(channel, yesterday - dt.timedelta(days=1))
    reads = {m.name: m.value for m in metrics if m.day == yesterday}
    assert reads == {"reads": 150, "readers": 120, "shares": 12, "favorites": 3}
    assert fake.count("POST", "/datacube/getarticlesummary") == 2  # one day a call
