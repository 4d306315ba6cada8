"""Items come into the inbox once, whatever arrives: emoji and rare
characters kept, control characters dropped, very long comments cut and
marked, duplicates within a pull and across pulls ignored; website
messages appear at once and keep their public reply flow."""

import datetime as dt

import pytest
from django.utils import timezone

from rongmei.interaction import intake
from rongmei.interaction.models import ITEM_CONTENT_LIMIT, Item, Source
from rongmei.interaction.tests.conftest import incoming

pytestmark = pytest.mark.django_db


def test_an_item_keeps_where_it_came_from_and_when():
    posted = timezone.now() - dt.timedelta(hours=3)
    result = intake.ingest(
        [
            incoming(
                1,
                url="https://weibo.com/1/2",
                author="西城居民",
                thread_id="4990",
                content="社区养老驿站的助餐服务很好",
                hours_ago=3,
            )
        ]
    )
    assert result == {"created": 1, "duplicates": 0, "empty": 0}
    item = Item.objects.get()
    assert (item.source, item.external_id, item.url, item.author, item.thread_id) == (
        "weibo",
        "t-1",
        "https://weibo.com/1/2",
        "西城居民",
        "4990",
    )
    assert abs((item.posted_at - posted).total_seconds()) < 5
    assert item.pulled_at >= item.posted_at
    assert item.category.name == "养老" and item.topic in ("养老驿站", "助餐", "养老")
    assert item.first_response_due == item.posted_at + dt.timedelta(hours=24)
    assert item.due_at == item.first_response_due


def test_the_same_item_is_never_stored_twice():
    first = intake.ingest([incoming(1), incoming(2), incoming(1)])
    assert first["created"] == 2 and first["duplicates"] == 1
    again = intake.ingest([incoming(1), incoming(2), incoming(3)])
    assert again["created"] == 1 and again["duplicates"] == 2
    assert Item.objects.count() == 3
    # The same id on another platform is another item.
    assert intake.ingest([incoming(1, source=Source.WECHAT)])["created"] == 1


def test_emoji_rare_characters_and_control_characters():
    text = "吉祥的𠮷字打不出来😂👍🏽，路灯\x00坏了\x07！\r\n第二行"
    intake.ingest([incoming(1, content=text, author="𠮷野家😀")])
    item = Item.objects.get()
    assert item.content == "吉祥的𠮷字打不出来😂👍🏽，路灯坏了！\n第二行"
    assert item.author == "𠮷野家😀"
    assert Item.objects.filter(content__contains="𠮷").count() == 1


def test_a_very_long_comment_is_cut_and_marked():
    intake.ingest([incoming(1, content="噪音扰民" * 10_000)])
    item = Item.objects.get()
    assert len(item.content) == ITEM_CONTENT_LIMIT and item.truncated
    assert item.category.name == "环境"


def test_empty_comments_and_future_times():
    result = intake.ingest([incoming(1, content=" \x00 "), incoming(2, hours_ago=-48)])
    assert result["empty"] == 1 and result["created"] == 1
    assert Item.objects.get().posted_at <= timezone.now()


def test_a_website_message_is_in_the_inbox_at_once(new_message):
    message = new_message(content="学校门口放学时车辆拥堵，孩子过马路很危险。", name="王女士", phone="13800000000")
    item = Item.objects.get(source=Source.WEBSITE)
    assert item.message == message and item.external_id == message.tracking_number
    assert item.contact == "13800000000" and item.author == "王女士"
    assert item.grade == "important"  # 危险 is a safety word
    assert intake.pull_website()["created"] == 0  # the pull finds nothing new


def test_the_pull_adds_website_messages_the_form_could_not(new_message):
    message = new_message()
    Item.objects.all().delete()
    assert intake.pull_website()["created"] == 1
    assert Item.objects.get().message == message


WRITER_SCRIPT = """
import datetime as dt, json
from rongmei.core import bootstrap
bootstrap.migrate()  # the schema from the snapshot, as rongmei up on a new data dir
from django.db import IntegrityError
from django.utils import timezone
from rongmei.interaction import intake
from rongmei.interaction.models import Item
now = timezone.now()
def entry(n, **more):
    return intake.Incoming(source="weibo", external_id=f"c{n}", content="路灯坏了好几天",
                           posted_at=now - dt.timedelta(minutes=n), **more)
first = intake.ingest([entry(n) for n in range(25)] + [entry(3)], batch=10)
try:
    bad = [entry(100 + n) for n in range(10)] + [entry(110, channel_id=999999)] + [entry(111 + n) for n in range(15)]
    intake.ingest(bad, batch=10)
    error = ""
except IntegrityError as problem:
    error = type(problem).__name__
stored = sorted(int(i[1:]) for i in Item.objects.values_list("external_id", flat=True))
print(json.dumps({"first": first, "error": error, "stored": stored}))
"""


def test_batches_outside_a_transaction_are_written_by_a_second_thread(tmp_path):
    """Outside a transaction (a pull by the worker), each batch is written by
    a thread with its own connection while the next is classified. Run in a
    child process on a SQLite file of its own: this test's transaction would
    hide the rows from that connection. A repeat in a later batch is caught;
    an error writing a batch (a channel that does not exist, found at commit)
    stops the rest and keeps the batches before it."""
    import json

    from rongmei.core.tests.cli_helpers import child_env, run_rongmei

    env = child_env(tmp_path / "data")
    done = run_rongmei("manage", "shell", "-c", WRITER_SCRIPT, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["first"] == {"created": 25, "duplicates": 1, "empty": 0}
    assert result["error"] == "IntegrityError"
    assert result["stored"] == [*range(25), *range(100, 110)]
