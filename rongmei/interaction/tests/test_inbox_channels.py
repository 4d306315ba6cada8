"""Pulling comments from the platforms (against the fake WeChat, Weibo,
Douyin and Kuaishou servers) and replying through them: duplicates are
no-ops, errors and endless paging are bounded and raise an alert, a
missing permission marks the source unavailable, and a reply the channel
rejects is failed, never sent."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution.channels import base
from rongmei.distribution.channels.wechat import WeChatAdapter
from rongmei.distribution.fakes.douyin import FakeDouyin
from rongmei.distribution.fakes.wechat import APPID, SECRET, FakeWeChat
from rongmei.distribution.fakes.weibo import FakeWeibo
from rongmei.interaction import actions, intake
from rongmei.interaction.models import Item, Reply, SourceState

pytestmark = pytest.mark.django_db
WEIBO_TOKEN = "weibo-inbox-token"


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(WeChatAdapter, "timeout", (1.0, 1.0))


@pytest.fixture(scope="module")
def wechat_server():
    with FakeWeChat() as server:
        yield server


@pytest.fixture
def wechat(wechat_server):
    wechat_server.reset()
    return wechat_server


@pytest.fixture
def weibo():
    with FakeWeibo(token=WEIBO_TOKEN) as fake:
        yield fake


@pytest.fixture
def wechat_account(make_account, wechat, published):
    channel = make_account("wechat_mp", wechat.url, {"appid": APPID, "secret": SECRET})
    published(channel, "2247483700", "https://mp.weixin.qq.com/s/demo")
    now = int(time.time())
    wechat.comments["2247483700"] = [
        {"user_comment_id": i, "openid": f"openid-{i}", "create_time": now - 600 + i, "content": f"第{i}条：路灯坏了"}
        for i in range(1, 61)
    ]
    return channel


def weibo_post(weibo, make_account, published, comments=()):
    channel = make_account("weibo", weibo.url, {"access_token": WEIBO_TOKEN}, options={"safe_domain": "bjxch.gov.cn"})
    status_id = weibo._new_id()
    weibo.statuses[status_id] = {"id": int(status_id), "idstr": status_id, "text": "驿站 https://bjxch.gov.cn/a"}
    published(channel, status_id, f"https://weibo.com/{weibo.uid}/{status_id}")
    import httpx

    for author, text in comments:
        httpx.post(
            f"{weibo.url}/2/comments/create.json",
            data={"access_token": WEIBO_TOKEN, "id": status_id, "comment": text, "screen_name": author},
        )
    return channel, status_id


def test_wechat_comments_are_pulled_once(wechat_account, wechat):
    result = intake.pull_channel(wechat_account)
    assert result["created"] == 60 and result["state"] == "ok"
    item = Item.objects.get(external_id="2247483700:0:7")
    assert item.source == "wechat" and item.url == "https://mp.weixin.qq.com/s/demo" and item.channel == wechat_account
    assert item.thread_id == "2247483700" and item.category.name == "城市管理"
    again = intake.pull_channel(wechat_account)
    assert again["created"] == 0 and Item.objects.count() == 60
    state = SourceState.objects.get(key=f"channel:{wechat_account.pk}")
    assert state.state == "ok" and state.last_success_at and state.pulled_count == 60


def test_a_source_that_pages_for_ever_is_cut_off_with_an_alert(wechat_account, wechat):
    wechat.comments_loop = True
    result = intake.pull_channel(wechat_account)
    assert result["state"] == "error" and "反复返回" in result["message"]
    assert result["created"] == 49  # the first page is kept
    assert wechat.count("POST", "/cgi-bin/comment/list") == 2
    assert SourceState.objects.get(key=f"channel:{wechat_account.pk}").state == "error"
    assert AuditEntry.objects.filter(action="interaction.source.alert").count() == 1


def test_paging_is_bounded_by_a_page_count(weibo, make_account, published, monkeypatch):
    monkeypatch.setattr(base, "COMMENT_MAX_PAGES", 3)
    monkeypatch.setattr("rongmei.distribution.channels.weibo.COMMENTS_PER_CALL", 2)
    channel, _status = weibo_post(
        weibo, make_account, published, [(f"网友{n}", f"第{n}条评论：垃圾没人清理") for n in range(20)]
    )
    result = intake.pull_channel(channel)
    assert result["state"] == "error" and "3 页" in result["message"]
    assert result["created"] == 6
    assert weibo.count("GET", "/2/comments/show.json") == 3


def test_a_source_that_errors_is_retried_next_time_and_shown(wechat_account, wechat):
    wechat.bad.fail_next = 100
    wechat.bad.paths = ("/cgi-bin/comment/",)
    result = intake.pull_channel(wechat_account)
    assert result["state"] == "error" and "HTTP 500" in result["message"] and result["created"] == 0
    wechat.bad.fail_next = 0
    result = intake.pull_channel(wechat_account)
    assert result["state"] == "ok" and result["created"] == 60
    assert SourceState.objects.get(key=f"channel:{wechat_account.pk}").message == ""


def test_no_comment_permission_marks_the_source_unavailable(make_account, wechat, published):
    channel = make_account("wechat_mp", wechat.url, {"appid": APPID, "secret": SECRET})
    published(channel, "2247483999")  # no comments set up: the fake answers 88000
    result = intake.pull_channel(channel)
    assert result["state"] == "unavailable" and "88000" in result["message"]
    calls = wechat.count("POST", "/cgi-bin/comment/list")
    assert intake.pull_channel(channel) == {"skipped": "unavailable"}
    assert wechat.count("POST", "/cgi-bin/comment/list") == calls  # not asked again


def test_weibo_comments_and_permission(weibo, make_account, published):
    channel, status_id = weibo_post(weibo, make_account, published, [("西城居民", "路口红绿灯太短 😂")])
    assert intake.pull_channel(channel)["created"] == 1
    item = Item.objects.get(source="weibo")
    assert (item.author, item.content, item.thread_id) == ("西城居民", "路口红绿灯太短 😂", status_id)
    weibo.comment_permission = False
    intake.pull_channel(channel)  # the last good pull is recent: it asks again, and is refused
    assert SourceState.objects.get(key=f"channel:{channel.pk}").state == "unavailable"


def test_douyin_comments_where_permitted_and_kuaishou_unavailable(make_account, published):
    with FakeDouyin() as douyin:
        channel = make_account(
            "douyin",
            douyin.url,
            {
                "client_key": "douyin-client",
                "open_id": "douyin-open-id",
                "access_token": "douyin-token",
                "refresh_token": "douyin-refresh",
            },
        )
        published(channel, "7300000001")
        now = int(time.time())
        douyin.comments["7300000001"] = [
            {
                "comment_id": f"c{n}",
                "comment_user_id": f"u{n}",
                "nick_name": f"抖友{n}",
                "content": "学校门口拥堵",
                "create_time": now - n,
            }
            for n in range(120)
        ]
        assert intake.pull_channel(channel)["created"] == 120
        douyin.comment_permission = False
        SourceState.objects.update(last_success_at=None)
        assert intake.pull_channel(channel)["state"] == "unavailable"
    kuaishou = make_account("kuaishou", "http://127.0.0.1:9", {"access_token": "x"})
    result = intake.pull_channel(kuaishou)
    assert result["state"] == "unavailable" and "快手" in result["message"]


def test_pull_all_covers_every_source(wechat_account, new_message):
    new_message()
    summary = intake.pull_all()
    assert summary[f"channel:{wechat_account.pk}"]["created"] == 60
    assert Item.objects.filter(source="website").count() == 1


# -- replies


@pytest.fixture
def operator(role_users):
    return role_users[roles.OPERATOR]


def test_a_wechat_reply_is_sent_through_comment_reply_add(wechat_account, wechat, operator):
    intake.pull_channel(wechat_account)
    item = Item.objects.get(external_id="2247483700:0:7")
    answer = actions.reply(item, user=operator, text="您好，已转城管部门处理。")
    assert answer.status == Reply.Status.SENT and answer.sent_at
    assert wechat.comment_replies[-1]["user_comment_id"] == 7
    assert wechat.comment_replies[-1]["content"] == "您好，已转城管部门处理。"
    item.refresh_from_db()
    assert item.status == "answered" and item.first_response_at == answer.sent_at
    assert item.due_at == item.resolution_due
    assert AuditEntry.objects.filter(action="interaction.reply.send", object_id=str(answer.pk)).exists()


def test_a_reply_the_channel_rejects_is_failed_never_sent(wechat_account, wechat, operator, role_users):
    intake.pull_channel(wechat_account)
    item = Item.objects.get(external_id="2247483700:0:30")
    assert item.grade == "urgent"  # 30 comments on 路灯 within minutes: a surge, held for review
    wechat.reply_errcode = 87014
    held = actions.reply(item, user=operator, text="您好")
    assert held.status == Reply.Status.PENDING_REVIEW and not wechat.comment_replies
    answer = actions.approve_reply(held, user=role_users[roles.DIRECTOR])
    assert answer.status == Reply.Status.FAILED and answer.sent_at is None and "87014" in answer.error
    item.refresh_from_db()
    assert item.status == "new" and item.first_response_at is None
    assert AuditEntry.objects.filter(action="interaction.reply.fail").count() == 1
    assert not wechat.comment_replies


def test_weibo_replies_are_140_characters_at_most(weibo, make_account, published, operator):
    channel, status_id = weibo_post(weibo, make_account, published, [("网友", "公交站太挤")])
    intake.pull_channel(channel)
    item = Item.objects.get(source="weibo")
    too_long = actions.reply(item, user=operator, text="您好" * 71)
    assert too_long.status == "failed" and "140" in too_long.error and not weibo.replies
    refused = actions.reply(item, user=operator, text="这条含违禁内容")
    assert refused.status == "failed" and "20021" in refused.error
    sent = actions.reply(item, user=operator, text="您好，已反映给公交公司。")
    assert sent.status == "sent" and weibo.replies[-1]["text"] == "您好，已反映给公交公司。"
    assert sent.external_id == weibo.replies[-1]["idstr"]
    assert weibo.comments[status_id][0]["text"] == "您好，已反映给公交公司。"
    assert timezone.now() - sent.sent_at < dt.timedelta(minutes=1)
